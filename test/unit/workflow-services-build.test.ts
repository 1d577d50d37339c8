// build-services.yml: the plan, record and merge scripts run by bash as the runner runs them, and the
// job wiring (matrix legs, record artifacts, collect) evaluated with GitHub's expression engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import YAML from 'yaml';
import { parseFileCommands, ROOT } from '../support/run-action.js';
import { auditWorkflow, checkWorkflowContracts, evaluate, findJob, findStep, interpolate, stepInputs, workflowCallDefaults, workflowFiles } from '../support/workflows.js';
import type { ExpressionContext } from '../support/workflows.js';

const WF = '.github/workflows/build-services.yml';
const SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const digest = (c: string): string => `sha256:${c.repeat(64)}`;
const HAS_JQ = spawnSync('jq', ['--version']).status === 0;
const HAS_YQ = spawnSync('yq', ['--version']).status === 0;
const BASH = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();

interface StepRun {
  code: number;
  out: string;
  outputs: Record<string, string>;
  summary: string;
  temp: string;
}

/** Runs a `run:` step as the runner does (bash --noprofile --norc -eo pipefail <file>) with its env. */
function runStep(job: string, step: string, env: Record<string, string>, opts: { temp?: string; path?: string } = {}): StepRun {
  const temp = opts.temp ?? fs.mkdtempSync(path.join(os.tmpdir(), 'services-step-'));
  const output = path.join(temp, `output-${Math.random().toString(36).slice(2)}`);
  const summary = path.join(temp, 'summary');
  fs.writeFileSync(output, '');
  if (!fs.existsSync(summary)) fs.writeFileSync(summary, '');
  const script = path.join(temp, 'step.sh');
  fs.writeFileSync(script, String(findStep(WF, job, step).run));
  const r = spawnSync(BASH, ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd: temp,
    encoding: 'utf8',
    env: { PATH: opts.path ?? process.env.PATH ?? '', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: temp, GITHUB_REPOSITORY: 'Acme-Corp/Kardon', GITHUB_SHA: SHA, ...env },
  });
  return { code: r.status ?? 1, out: r.stdout + r.stderr, outputs: parseFileCommands(fs.readFileSync(output, 'utf8')), summary: fs.readFileSync(summary, 'utf8'), temp };
}

function plan(services: string, extra: Record<string, string> = {}, opts: { path?: string } = {}): StepRun {
  return runStep('plan', 'plan', { SERVICES: services, IMAGE_PREFIX: '', PLATFORMS: 'linux/amd64,linux/arm64', RECORD_PREFIX: 'image-ref', ...extra }, opts);
}

interface Leg {
  name: string;
  context: string;
  file: string;
  images: string;
  platforms: string;
  target: string;
  'build-args': string;
  tags: string;
  labels: string;
  qemu: boolean;
}

const legsOf = (r: StepRun): Leg[] => (JSON.parse(r.outputs.matrix) as { include: Leg[] }).include;

// The nine Kardon services, as its team would list them (deployment/k8s/services/<name>).
const KARDON_YAML = `
- name: web
  context: apps/web
- name: admin
  context: apps/admin
- name: space
  context: apps/space
- name: live
  context: apps/live
- name: api
  context: apps/api
  file: apps/api/Dockerfile.api
- name: worker
  context: apps/api
  file: apps/api/Dockerfile.api
  target: worker
- name: beat-worker
  context: apps/api
  file: apps/api/Dockerfile.api
  target: beat
- name: migrator
  context: apps/api
  file: apps/api/Dockerfile.api
  target: migrator
- name: proxy
  context: apps/proxy
  platforms: linux/amd64
  images: [ghcr.io/acme-corp/kardon/proxy, docker.io/acmecorp/kardon-proxy]
  build-args:
    - CADDY_VERSION=2.8
`;

test('plan: a JSON list becomes one matrix leg per service with defaults filled in', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const r = plan(JSON.stringify([{ name: 'web', context: 'apps/web' }, { name: 'api', images: 'ghcr.io/acme/api\ndocker.io/acme/api', platforms: 'linux/amd64', tags: ['edge', 'nightly'] }]));
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(JSON.parse(r.outputs.names), ['web', 'api']);
  const [web, api] = legsOf(r);
  assert.deepEqual(web, { name: 'web', context: 'apps/web', file: '', images: 'ghcr.io/acme-corp/kardon/web', platforms: 'linux/amd64,linux/arm64', target: '', 'build-args': '', tags: '', labels: '', qemu: true });
  assert.equal(api.images, 'ghcr.io/acme/api\ndocker.io/acme/api');
  assert.equal(api.context, '.');
  assert.equal(api.tags, 'edge\nnightly');
  assert.equal(api.qemu, false, 'linux/amd64 alone needs no QEMU');
  assert.match(r.summary, /\| web \| ghcr\.io\/acme-corp\/kardon\/web \| apps\/web \|/);
});

test('plan: the Kardon YAML list (nine services, one Dockerfile with several targets) is read with yq', { skip: (!HAS_JQ || !HAS_YQ) && 'jq or yq not installed' }, () => {
  const r = plan(KARDON_YAML);
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(JSON.parse(r.outputs.names), ['web', 'admin', 'space', 'live', 'api', 'worker', 'beat-worker', 'migrator', 'proxy']);
  const legs = legsOf(r);
  const migrator = legs.find((l) => l.name === 'migrator');
  assert.deepEqual([migrator?.file, migrator?.target, migrator?.images], ['apps/api/Dockerfile.api', 'migrator', 'ghcr.io/acme-corp/kardon/migrator']);
  const proxy = legs.find((l) => l.name === 'proxy');
  assert.deepEqual([proxy?.images, proxy?.['build-args'], proxy?.qemu], ['ghcr.io/acme-corp/kardon/proxy\ndocker.io/acmecorp/kardon-proxy', 'CADDY_VERSION=2.8', false]);
});

test('plan: an image-prefix replaces ghcr.io/<owner>/<repo> and is lower-cased', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const r = plan('[{"name":"web"}]', { IMAGE_PREFIX: 'Registry.example.com:5000/Team/' });
  assert.equal(legsOf(r)[0].images, 'registry.example.com:5000/team/web');
});

test('plan: on a runner with mikefarah yq (GitHub-hosted), YAML is converted with -o=json', { skip: (!HAS_JQ || !HAS_YQ) && 'jq or yq not installed' }, () => {
  // A stand-in that answers --version as mikefarah's yq does and checks the arguments it is given.
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'yq-'));
  const real = spawnSync('bash', ['-c', 'command -v yq'], { encoding: 'utf8' }).stdout.trim();
  fs.writeFileSync(
    path.join(bin, 'yq'),
    `#!/bin/bash\nif [ "$1" = --version ]; then echo 'yq (https://github.com/mikefarah/yq/) version v4.47.1'; exit 0; fi\n[ "$1 $2 $3" = "-o=json -I=0 ." ] || { echo "unexpected args: $*" >&2; exit 2; }\nexec ${real} -c . "$4"\n`,
    { mode: 0o755 },
  );
  const r = plan('- name: web\n- name: api\n', {}, { path: `${bin}:${process.env.PATH ?? ''}` });
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(JSON.parse(r.outputs.names), ['web', 'api']);
});

test('plan: YAML without yq on the runner fails with a message saying JSON works', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'noyq-'));
  for (const tool of ['jq', 'grep']) {
    const where = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    fs.symlinkSync(where, path.join(bin, tool));
  }
  const r = plan('- name: web\n', {}, { path: bin });
  assert.equal(r.code, 1);
  assert.match(r.out, /::error title=build-services: services::the services input is not valid JSON, and reading YAML needs yq on the runner: give JSON/);
  assert.equal(r.outputs.matrix, undefined);
});

const invalid: { name: string; services: string; expect: RegExp[] }[] = [
  { name: 'not a list', services: '{"name":"web"}', expect: [/it must be a list of services, got object/] },
  { name: 'an empty list', services: '[]', expect: [/the list is empty/] },
  { name: 'a name with capitals or a slash', services: '[{"name":"Web"},{"name":"a/b"},{"context":"x"}]', expect: [/item 1: name "Web" must be lower-case/, /item 2: name "a\/b"/, /item 3: name null/] },
  { name: 'a typo in a key', services: '[{"name":"web","dockerfile":"Dockerfile"}]', expect: [/item 1 \(web\): unknown key dockerfile \(known: name, context, file, images/] },
  { name: 'a duplicate service', services: '[{"name":"web"},{"name":"api"},{"name":"web"}]', expect: [/service web is listed more than once/] },
  { name: 'wrong value types', services: '[{"name":"web","context":["a"],"images":[1]}]', expect: [/item 1 \(web\): context must be a string/, /item 1 \(web\): images must be a string or a list of strings/] },
  { name: 'more legs than a matrix holds', services: JSON.stringify(Array.from({ length: 257 }, (_, i) => ({ name: `s${i}` }))), expect: [/257 services: a matrix has at most 256 legs/] },
];
for (const c of invalid) {
  test(`plan: refuses ${c.name}, naming the item and the problem, before any build`, { skip: !HAS_JQ && 'jq not installed' }, () => {
    const r = plan(c.services);
    assert.equal(r.code, 1, r.out);
    for (const e of c.expect) assert.match(r.out, e);
    assert.equal(r.outputs.matrix, undefined);
  });
}

/** Runs the record step of one leg with the outputs build-push gives it (ref empty: nothing pushed). */
function record(temp: string, service: string, ref: string, sha = SHA, tagged = ref ? ref.replace('@', ':sha-1a2b3c4@') : ''): StepRun {
  const repo = ref.split('@')[0].split(':dev')[0];
  const refs = ref ? `${ref}\n${ref.replace('ghcr.io/acme-corp/kardon', 'docker.io/acmecorp/kardon')}` : '';
  const tags = ref ? `${repo}:sha-1a2b3c4\n${repo}:dev` : '';
  const r = runStep('build', 'record', { SERVICE: service, IMAGE_REF: ref, TAGGED_REF: tagged, IMAGE_REFS: refs, DIGEST: ref.split('@')[1] ?? '', TAGS: tags, VERSION: 'main', GITHUB_SHA: sha }, { temp });
  assert.equal(r.code, 0, r.out);
  return r;
}

/** Lays the records out as download-artifact (merge-multiple) does: every <service>.json in one folder. */
function downloadRecords(runs: StepRun[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-records-'));
  for (const r of runs) fs.copyFileSync(r.outputs.path, path.join(dir, path.basename(r.outputs.path)));
  return dir;
}

function merge(names: string[], dir: string): StepRun {
  return runStep('collect', 'merge', { NAMES: JSON.stringify(names), RECORDS: dir });
}

const ref = (service: string, c: string): string => `ghcr.io/acme-corp/kardon/${service}@${digest(c)}`;

test('record: one small JSON file per leg, named after the service, with the image by digest', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-'));
  const r = record(temp, 'beat-worker', ref('beat-worker', 'b'));
  assert.equal(path.basename(r.outputs.path), 'beat-worker.json');
  const rec = JSON.parse(fs.readFileSync(r.outputs.path, 'utf8')) as Record<string, unknown>;
  assert.deepEqual(rec, {
    service: 'beat-worker',
    'image-ref': ref('beat-worker', 'b'),
    'tagged-ref': `ghcr.io/acme-corp/kardon/beat-worker:sha-1a2b3c4@${digest('b')}`,
    'image-refs': [ref('beat-worker', 'b'), `docker.io/acmecorp/kardon/beat-worker@${digest('b')}`],
    digest: digest('b'),
    tags: ['ghcr.io/acme-corp/kardon/beat-worker:sha-1a2b3c4', 'ghcr.io/acme-corp/kardon/beat-worker:dev'],
    version: 'main',
    pushed: true,
    sha: SHA,
  });
});

test('collect: merges every leg\'s record into one map service → image-ref, in the order given', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-'));
  const names = ['web', 'api', 'migrator'];
  const dir = downloadRecords(names.map((n, i) => record(temp, n, ref(n, 'abc'[i]))));
  const r = merge(names, dir);
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(JSON.parse(r.outputs['image-map']), { web: ref('web', 'a'), api: ref('api', 'b'), migrator: ref('migrator', 'c') });
  assert.deepEqual(Object.keys(JSON.parse(r.outputs['image-map']) as object), names);
  // For charts that read only a tag: the same digests, each with the tag build-push pinned it by.
  assert.deepEqual(JSON.parse(r.outputs['tagged-image-map']), { web: `ghcr.io/acme-corp/kardon/web:sha-1a2b3c4@${digest('a')}`, api: `ghcr.io/acme-corp/kardon/api:sha-1a2b3c4@${digest('b')}`, migrator: `ghcr.io/acme-corp/kardon/migrator:sha-1a2b3c4@${digest('c')}` });
  const meta = JSON.parse(r.outputs.metadata) as Record<string, { digest: string; pushed: boolean; sha?: string }>;
  assert.equal(meta.api.digest, digest('b'));
  assert.equal(meta.api.pushed, true);
  assert.equal(meta.api.sha, undefined);
  assert.match(r.summary, /\| migrator \| `ghcr\.io\/acme-corp\/kardon\/migrator@sha256:c{64}` \| true \|/);
});

test('collect: fails naming every service whose leg left no record, and outputs no map', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-'));
  const dir = downloadRecords([record(temp, 'web', ref('web', 'a')), record(temp, 'api', ref('api', 'b'))]);
  const r = merge(['web', 'api', 'worker', 'migrator'], dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /::error title=build-services: missing images::No image for worker migrator: the build of each failed or was cancelled/);
  assert.equal(r.outputs['image-map'], undefined);
});

test('collect: no record at all (every leg failed, nothing downloaded) fails the same way', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const r = merge(['web'], path.join(os.tmpdir(), 'does-not-exist-records'));
  assert.equal(r.code, 1);
  assert.match(r.out, /No image for web/);
});

test('collect: refuses a record of another commit, one not by digest, and one naming another service', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-'));
  const dir = downloadRecords([record(temp, 'web', ref('web', 'a'), 'f'.repeat(40)), record(temp, 'api', 'ghcr.io/acme-corp/kardon/api:dev')]);
  fs.writeFileSync(path.join(dir, 'live.json'), fs.readFileSync(path.join(dir, 'api.json'), 'utf8'));
  const r = merge(['web', 'api', 'live'], dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /::error title=build-services: bad record::The record of web api live is not a record of this commit with an image by digest/);
});

test('collect: refuses a record whose tagged ref is not <image>:<tag>@sha256:… of a digest', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-'));
  const dir = downloadRecords([record(temp, 'web', ref('web', 'a')), record(temp, 'api', ref('api', 'b'), SHA, 'ghcr.io/acme-corp/kardon/api:dev'), record(temp, 'live', ref('live', 'c'), SHA, ref('live', 'c'))]);
  const r = merge(['web', 'api', 'live'], dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /::error title=build-services: bad record::The record of api live is not a record of this commit with an image by digest/);
  assert.equal(r.outputs['tagged-image-map'], undefined);
});

test('collect: a build that pushed nothing (pull request) still lists every service, with empty refs', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-'));
  const dir = downloadRecords([record(temp, 'web', ''), record(temp, 'api', '')]);
  const r = merge(['web', 'api'], dir);
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(JSON.parse(r.outputs['image-map']), { web: '', api: '' });
  assert.deepEqual(JSON.parse(r.outputs['tagged-image-map']), { web: '', api: '' });
  assert.equal((JSON.parse(r.outputs.metadata) as Record<string, { pushed: boolean }>).web.pushed, false);
});

// --- Job wiring, evaluated with GitHub's expression engine -------------------------------------------

const STATUS = ['success', 'failure', 'cancelled', 'always'] as const;

/** A job `if:` as the runner evaluates it: status functions from the needs' results, implicit success(). */
function jobRuns(condition: unknown, ctx: ExpressionContext & { needs: Record<string, { result: string; outputs?: Record<string, string> }> }, cancelled = false): boolean {
  const raw = condition === undefined ? 'success()' : String(condition).replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const expr = /\b(success|failure|cancelled|always)\(\)/.test(raw) ? raw : `success() && (${raw})`;
  const results = Object.values(ctx.needs).map((n) => n.result);
  const status: Record<(typeof STATUS)[number], boolean> = { success: !cancelled && results.every((r) => r === 'success'), failure: results.includes('failure'), cancelled, always: true };
  const funcs = STATUS.map((name) => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status[name]) }));
  const parsed = new Parser(new Lexer(expr).lex().tokens, Object.keys(ctx), funcs).parse();
  const dict = JSON.parse(JSON.stringify(ctx), data.reviver) as data.Dictionary;
  return truthy(new Evaluator(parsed, dict, new Map(funcs.map((f) => [f.name, f]))).evaluate());
}

const collectIf = findJob(WF, 'collect').if;
const needs = (plan: string, build: string) => ({ needs: { plan: { result: plan }, build: { result: build } }, inputs: workflowCallDefaults(WF) });

test('wiring: collect runs after every build leg succeeded', () => {
  assert.equal(jobRuns(collectIf, needs('success', 'success')), true);
});

test('wiring: collect still runs when a build leg failed, so the missing services are named (and the run fails)', () => {
  assert.equal(jobRuns(collectIf, needs('success', 'failure')), true);
});

test('wiring: collect does not run when the run was cancelled or the service list was refused', () => {
  assert.equal(jobRuns(collectIf, needs('success', 'success'), true), false);
  assert.equal(jobRuns(collectIf, needs('failure', 'skipped')), false);
});

test('wiring: the workflow outputs come from collect, the matrix from plan; legs do not cancel each other', () => {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, WF), 'utf8')) as { on: { workflow_call: { outputs: Record<string, { value: string }> } } };
  assert.equal(doc.on.workflow_call.outputs['image-map'].value, '${{ jobs.collect.outputs.image-map }}');
  const build = findJob(WF, 'build') as { strategy: { 'fail-fast': boolean; matrix: string; 'max-parallel': string }; needs: string };
  assert.equal(build.strategy['fail-fast'], false);
  assert.equal(build.strategy.matrix, '${{ fromJSON(needs.plan.outputs.matrix) }}');
  const maxParallel = build.strategy['max-parallel'].replace(/^\$\{\{|\}\}$/g, '');
  assert.equal(evaluate(maxParallel, { inputs: { 'max-parallel': 0 } }).coerceString(), '256');
  assert.equal(evaluate(maxParallel, { inputs: { 'max-parallel': 2 } }).coerceString(), '2');
});

test('wiring: every leg uploads <record-prefix>.<service> and collect downloads exactly that pattern, which no other call\'s prefix matches', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const inputs = workflowCallDefaults(WF);
  const upload = findStep(WF, 'build', 'Upload the service record') as { with: Record<string, unknown> };
  const name = interpolate(upload.with.name, { inputs, matrix: { name: 'beat-worker' } });
  assert.equal(name, 'image-ref.beat-worker');
  assert.equal(upload.with.overwrite, true, 'a re-run leg replaces its record');
  const download = findStep(WF, 'collect', 'Download the service records') as { with: Record<string, unknown> };
  const pattern = interpolate(download.with.pattern, { inputs });
  assert.equal(pattern, 'image-ref.*');
  // Another call of the same run with a longer prefix (image-ref-2): its records are image-ref-2.<service>.
  const other = interpolate(upload.with.name, { inputs: { ...inputs, 'record-prefix': 'image-ref-2' }, matrix: { name: 'web' } });
  assert.ok(!other.startsWith(pattern.slice(0, -1)), `${other} must not match ${pattern}`);
  assert.ok(name.startsWith(pattern.slice(0, -1)));
  // A prefix with a dot could reach into another call's records: refused before any build.
  const dotted = plan('[{"name":"web"}]', { RECORD_PREFIX: 'image-ref.web' });
  assert.equal(dotted.code, 1);
  assert.match(dotted.out, /::error title=build-services: record-prefix::record-prefix 'image-ref\.web' may hold only letters, digits, - and _/);
  assert.equal(download.with['merge-multiple'], true, 'records land side by side as <service>.json');
  assert.equal(interpolate(download.with.path, { runner: { temp: '/t' } }), interpolate(findStep(WF, 'collect', 'merge').env && (findStep(WF, 'collect', 'merge').env as Record<string, string>).RECORDS, { runner: { temp: '/t' } }));
});

test('wiring: build-push gets each leg\'s own service fields, as planned', { skip: (!HAS_JQ || !HAS_YQ) && 'jq or yq not installed' }, () => {
  const legs = legsOf(plan(KARDON_YAML));
  const proxy = legs.find((l) => l.name === 'proxy');
  const given = stepInputs(WF, 'build', 'build', { matrix: proxy, inputs: workflowCallDefaults(WF), secrets: {}, github: { token: 'ghs_x' } });
  assert.equal(given.images, 'ghcr.io/acme-corp/kardon/proxy\ndocker.io/acmecorp/kardon-proxy');
  assert.equal(given.context, 'apps/proxy');
  assert.equal(given.platforms, 'linux/amd64');
  assert.equal(given['build-args'], 'CADDY_VERSION=2.8');
  assert.equal(given.push, 'auto');
  const qemu = findStep(WF, 'build', 'Set up QEMU (RUN steps of foreign platforms)').if;
  assert.equal(truthy(evaluate(String(qemu), { matrix: proxy })), false);
  assert.equal(truthy(evaluate(String(qemu), { matrix: legs[0] })), true);
});

test('build-services.yml: parser, contracts and audit are clean; discovered by the repository-wide workflow tests', async () => {
  assert.ok(workflowFiles().includes(WF));
  assert.deepEqual(await checkWorkflowContracts(WF), []);
  assert.deepEqual(auditWorkflow(fs.readFileSync(path.join(ROOT, WF), 'utf8'), WF), []);
});

test('build-services.yml: least privilege — only the build legs may write packages, nothing else writes', () => {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, WF), 'utf8')) as { permissions: unknown; jobs: Record<string, { permissions: unknown }> };
  assert.deepEqual(doc.permissions, {});
  assert.deepEqual(doc.jobs.plan.permissions, {});
  assert.deepEqual(doc.jobs.build.permissions, { contents: 'read', packages: 'write' });
  assert.deepEqual(doc.jobs.collect.permissions, {});
});

test('build-services.yml: every input is typed, described and has a default or is required', () => {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, WF), 'utf8')) as { on: { workflow_call: { inputs: Record<string, Record<string, unknown>>; secrets: Record<string, Record<string, unknown>> } } };
  for (const [name, spec] of Object.entries(doc.on.workflow_call.inputs)) {
    assert.ok(['string', 'boolean', 'number'].includes(String(spec.type)), name);
    assert.ok(String(spec.description).length > 10, name);
    assert.ok(spec.required === true || 'default' in spec, name);
  }
  for (const [name, spec] of Object.entries(doc.on.workflow_call.secrets)) assert.ok(String(spec.description).length > 10, name);
});
