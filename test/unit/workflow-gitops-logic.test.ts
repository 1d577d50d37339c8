// gitops.yml: the run decided the way GitHub decides it. Job conditions come from GitHub's own parser
// (@actions/workflow-parser, implicit success() included) and are evaluated with @actions/expressions, the
// status functions bound to the results of the jobs before; `run:` steps are executed by bash with their
// `env:` evaluated; the gitops-promote step's `with:` is evaluated as the runner hands it to the action.
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
import { auditWorkflow, checkWorkflowContracts, evaluate, findJob, findStep, interpolate, parseWithGitHub, stepInputs, workflowCallDefaults, workflowFiles } from '../support/workflows.js';
import type { ExpressionContext } from '../support/workflows.js';

const WF = '.github/workflows/gitops.yml';
const HAS_JQ = spawnSync('jq', ['--version']).status === 0;
const BASH = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
const SHA = '0123456789abcdef0123456789abcdef01234567';
const ref = (service: string, c: string): string => `ghcr.io/acme/shop/${service}@sha256:${c.repeat(64)}`;
const MAP = { web: ref('web', 'a'), api: ref('api', 'b'), worker: ref('worker', 'c') };

type Result = 'success' | 'failure' | 'cancelled' | 'skipped';
interface JobRun {
  result: Result;
  outputs: Record<string, string>;
  log: string;
}

const STATUS = ['success', 'failure', 'cancelled', 'always'] as const;

/** Evaluates an expression with the status functions of a job whose needs ended as given. */
function evalStatus(expr: string, ctx: ExpressionContext, needs: Record<string, JobRun>, cancelled = false): boolean {
  const results = Object.values(needs).map((n) => n.result);
  const status: Record<(typeof STATUS)[number], boolean> = { success: !cancelled && results.every((r) => r === 'success'), failure: results.includes('failure'), cancelled, always: true };
  const funcs = STATUS.map((name) => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status[name]) }));
  const parsed = new Parser(new Lexer(expr).lex().tokens, Object.keys(ctx), funcs).parse();
  const dict = JSON.parse(JSON.stringify(ctx), data.reviver) as data.Dictionary;
  return truthy(new Evaluator(parsed, dict, new Map(funcs.map((f) => [f.name, f]))).evaluate());
}

/** Runs a `run:` step of gitops.yml in bash, its env evaluated in `ctx` (as the runner does). */
function runStep(job: string, step: string, ctx: ExpressionContext, extraEnv: Record<string, string> = {}): { code: number; out: string; outputs: Record<string, string> } {
  const s = findStep(WF, job, step) as { run: string; env?: Record<string, string> };
  const env = Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]));
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-step-'));
  const output = path.join(temp, 'output');
  fs.writeFileSync(output, '');
  fs.writeFileSync(path.join(temp, 'step.sh'), s.run);
  const github = ctx.github as Record<string, string>;
  const r = spawnSync(BASH, ['--noprofile', '--norc', '-eo', 'pipefail', path.join(temp, 'step.sh')], {
    cwd: temp,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: output, RUNNER_TEMP: temp, GITHUB_EVENT_NAME: github.event_name, GITHUB_REF: github.ref, GITHUB_SHA: SHA, ...env, ...extraEnv },
  });
  return { code: r.status ?? 1, out: r.stdout + r.stderr, outputs: parseFileCommands(fs.readFileSync(output, 'utf8')) };
}

interface Scenario {
  event: string;
  ref: string;
  inputs?: Record<string, string | boolean | number>;
  secrets?: Record<string, string>;
  /** Results of jobs that are not computed here (build, scan): default success. */
  build?: Result;
  scan?: Result;
  cancelled?: boolean;
}

interface Run {
  jobs: Record<string, JobRun>;
  ctx: ExpressionContext;
}

/**
 * One run of gitops.yml: each job's `if:` as GitHub's parser gives it, evaluated on the results of its needs;
 * plan and images run their real scripts; build and scan end as the scenario says (build outputs the map).
 */
async function simulate(s: Scenario): Promise<Run> {
  const wf = await parseWithGitHub(WF);
  const inputs = { ...workflowCallDefaults(WF), services: '- name: web\n- name: api\n- name: worker\n', 'config-file': 'apps/{app}/values-{env}.yaml', ...s.inputs };
  const github = { event_name: s.event, ref: s.ref, sha: SHA, repository: 'acme/shop', token: 'ghs_workflow', actor: 'dev', run_attempt: '1' };
  const jobs: Record<string, JobRun> = {};
  for (const job of wf.template.jobs) {
    const id = job.id.value;
    const needs = Object.fromEntries((job.needs ?? []).map((n) => [n.value, jobs[n.value]]));
    const ctx: ExpressionContext = { inputs, github, needs, secrets: s.secrets ?? {}, vars: {}, matrix: {}, strategy: {} };
    const condition = job.if ? (job.if as { expression: string }).expression : 'success()';
    if (!evalStatus(condition, ctx, needs, s.cancelled)) {
      jobs[id] = { result: 'skipped', outputs: {}, log: '' };
      continue;
    }
    if (id === 'plan' || id === 'images') {
      const r = runStep(id, id, ctx);
      jobs[id] = { result: r.code === 0 ? 'success' : 'failure', outputs: r.outputs, log: r.out };
    } else if (id === 'build') {
      const result = s.build ?? 'success';
      jobs[id] = { result, outputs: result === 'success' ? { 'image-map': JSON.stringify(MAP) } : {}, log: '' };
    } else if (id === 'scan') {
      jobs[id] = { result: s.scan ?? 'success', outputs: {}, log: '' };
    } else {
      jobs[id] = { result: 'success', outputs: {}, log: '' };
    }
  }
  return { jobs, ctx: { inputs, github, secrets: s.secrets ?? {}, needs: jobs } };
}

/** The inputs gitops-promote gets in the promote leg of one service. */
function promoteInputs(run: Run, service: keyof typeof MAP): Record<string, string> {
  const needs = { plan: run.jobs.plan, images: run.jobs.images, scan: run.jobs.scan };
  const matrix = (JSON.parse(run.jobs.images.outputs.matrix) as { include: { service: string; image: string }[] }).include.find((l) => l.service === service);
  assert.ok(matrix, `no promote leg for ${service}`);
  const ctx = { ...run.ctx, needs, matrix };
  const names = runStep('promote', 'names', ctx);
  assert.equal(names.code, 0, names.out);
  return stepInputs(WF, 'promote', 'promote', { ...ctx, steps: { names: { outputs: names.outputs } } });
}

const events: { name: string; s: Scenario; environment: string; mode: string }[] = [
  { name: 'a push to main promotes to dev by a direct commit', s: { event: 'push', ref: 'refs/heads/main' }, environment: 'dev', mode: 'push' },
  { name: 'a release tag promotes to staging by a direct commit', s: { event: 'push', ref: 'refs/tags/v1.4.2' }, environment: 'staging', mode: 'push' },
  { name: 'workflow_dispatch promotes to production through a pull request', s: { event: 'workflow_dispatch', ref: 'refs/tags/v1.4.2' }, environment: 'production', mode: 'pull-request' },
  { name: 'workflow_dispatch naming staging promotes to staging directly', s: { event: 'workflow_dispatch', ref: 'refs/heads/main', inputs: { environment: 'staging' } }, environment: 'staging', mode: 'push' },
  { name: 'a push to another branch builds and scans but promotes nowhere', s: { event: 'push', ref: 'refs/heads/feature/x' }, environment: '', mode: '' },
  { name: 'a tag without the release prefix promotes nowhere', s: { event: 'push', ref: 'refs/tags/nightly-7' }, environment: '', mode: '' },
  { name: 'a pull request promotes nowhere', s: { event: 'pull_request', ref: 'refs/pull/7/merge' }, environment: '', mode: '' },
  { name: 'a renamed production environment (prod) is still promoted through a pull request', s: { event: 'workflow_dispatch', ref: 'refs/heads/main', inputs: { 'production-environment': 'prod' } }, environment: 'prod', mode: 'pull-request' },
  { name: 'pull-request-environments puts staging behind a pull request too', s: { event: 'push', ref: 'refs/tags/v2.0.0', inputs: { 'pull-request-environments': 'qa, staging' } }, environment: 'staging', mode: 'pull-request' },
  { name: 'a custom main branch and tag prefix', s: { event: 'push', ref: 'refs/tags/release-3', inputs: { 'main-branch': 'trunk', 'release-tag-prefix': 'release-' } }, environment: 'staging', mode: 'push' },
];

for (const e of events) {
  test(`event: ${e.name}`, { skip: !HAS_JQ && 'jq not installed' }, async () => {
    const run = await simulate(e.s);
    assert.equal(run.jobs.plan.result, 'success', run.jobs.plan.log);
    assert.deepEqual([run.jobs.plan.outputs.environment, run.jobs.plan.outputs.mode], [e.environment, e.mode]);
    assert.equal(run.jobs.build.result, 'success');
    assert.equal(run.jobs.scan.result, 'success', 'every pushed image is scanned, promoted or not');
    assert.equal(run.jobs.promote.result, e.environment ? 'success' : 'skipped');
    if (e.environment) {
      const given = promoteInputs(run, 'api');
      assert.deepEqual([given.environment, given.mode, given.app, given.image], [e.environment, e.mode, 'api', MAP.api]);
      assert.equal(given.file, 'apps/{app}/values-{env}.yaml', 'gitops-promote replaces {app} and {env} itself');
    }
  });
}

test('production is promoted only through a pull request, whatever the event and however it is named', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const cases: Scenario[] = [
    { event: 'workflow_dispatch', ref: 'refs/heads/main' },
    { event: 'workflow_dispatch', ref: 'refs/heads/main', inputs: { environment: 'production' } },
    { event: 'push', ref: 'refs/heads/main', inputs: { environment: 'production' } },
    { event: 'push', ref: 'refs/tags/v9.9.9', inputs: { environment: 'production' } },
    { event: 'schedule', ref: 'refs/heads/main', inputs: { environment: 'production' } },
  ];
  for (const s of cases) {
    const run = await simulate(s);
    assert.equal(run.jobs.plan.outputs.environment, 'production');
    for (const service of ['web', 'api', 'worker'] as const) assert.equal(promoteInputs(run, service).mode, 'pull-request', `${s.event} ${s.ref} ${service}`);
  }
});

test('a failed scan of one image blocks the promotion of every service', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const run = await simulate({ event: 'push', ref: 'refs/heads/main', scan: 'failure' });
  assert.equal(run.jobs.plan.outputs.environment, 'dev');
  assert.equal(run.jobs.promote.result, 'skipped');
});

test('the scan gate fails a leg on findings, unless warn-only', () => {
  const gate = String(findStep(WF, 'scan', 'Gate on the findings').if).replace(/^\$\{\{|\}\}$/g, '');
  const ctx = (passed: string, warnOnly: boolean): ExpressionContext => ({ inputs: { ...workflowCallDefaults(WF), 'warn-only': warnOnly }, steps: { image: { outputs: { passed } } } });
  assert.equal(truthy(evaluate(gate, ctx('false', false))), true);
  assert.equal(truthy(evaluate(gate, ctx('', false))), true, 'a scan that gave no verdict gates too');
  assert.equal(truthy(evaluate(gate, ctx('true', false))), false);
  assert.equal(truthy(evaluate(gate, ctx('false', true))), false);
  const scan = stepInputs(WF, 'scan', 'image', { inputs: workflowCallDefaults(WF), matrix: { service: 'api', image: MAP.api }, github: { actor: 'dev', token: 'ghs_x' }, secrets: {} });
  assert.equal(scan['warn-only'], 'true', 'the action only reports; the gate step decides');
  assert.equal(scan['image-ref'], MAP.api);
  assert.deepEqual([scan['registry-username'], scan['registry-password']], ['dev', 'ghs_x']);
});

test('a refused code scanning upload is a warning: the upload step may fail without failing the leg', () => {
  const upload = findStep(WF, 'scan', 'sarif') as { 'continue-on-error'?: boolean };
  assert.equal(upload['continue-on-error'], true);
});

test('a failed or cancelled build promotes nothing', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const failed = await simulate({ event: 'push', ref: 'refs/heads/main', build: 'failure' });
  assert.deepEqual([failed.jobs.images.result, failed.jobs.scan.result, failed.jobs.promote.result], ['skipped', 'skipped', 'skipped']);
  const cancelled = await simulate({ event: 'push', ref: 'refs/heads/main', cancelled: true });
  assert.equal(cancelled.jobs.promote.result, 'skipped');
});

test('an image map given by the caller skips the build and is promoted as given', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const given = { api: ref('api', 'd'), 'beat-worker': ref('beat-worker', 'e') };
  const run = await simulate({ event: 'workflow_dispatch', ref: 'refs/heads/main', inputs: { 'image-map': JSON.stringify(given), services: '' } });
  assert.equal(run.jobs.build.result, 'skipped');
  assert.equal(run.jobs.images.result, 'success', run.jobs.images.log);
  assert.deepEqual(JSON.parse(run.jobs.images.outputs['image-map']), given);
  assert.equal(run.jobs.promote.result, 'success');
  assert.equal(promoteInputs(run, 'api' as keyof typeof MAP).image, given.api);
});

test('plan refuses a run with neither services nor an image map, and an environment that cannot name a branch', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const none = await simulate({ event: 'push', ref: 'refs/heads/main', inputs: { services: '' } });
  assert.equal(none.jobs.plan.result, 'failure');
  assert.match(none.jobs.plan.log, /::error title=gitops: nothing to promote::Give services/);
  assert.deepEqual([none.jobs.build.result, none.jobs.promote.result], ['skipped', 'skipped']);
  const bad = await simulate({ event: 'workflow_dispatch', ref: 'refs/heads/main', inputs: { environment: 'prod; rm -rf /' } });
  assert.equal(bad.jobs.plan.result, 'failure');
  assert.match(bad.jobs.plan.log, /::error title=gitops: environment::Environment 'prod; rm -rf \/' may only hold/);
});

function images(map: unknown, environment: string): { code: number; out: string; outputs: Record<string, string> } {
  return runStep('images', 'images', { inputs: { 'image-map': typeof map === 'string' ? map : JSON.stringify(map) }, needs: { build: { outputs: {} }, plan: { outputs: { environment } } }, github: { event_name: 'push', ref: 'refs/heads/main' } });
}

test('images: refuses a tag where a digest is needed, naming the service', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const r = images({ web: MAP.web, api: 'ghcr.io/acme/shop/api:1.4.2' }, 'dev');
  assert.equal(r.code, 1);
  assert.match(r.out, /::error title=gitops: image map::not an image by digest \(<image>@sha256:…\) for: api/);
});

test('images: refuses an image map that is not a JSON object, and service names that cannot name a branch', { skip: !HAS_JQ && 'jq not installed' }, () => {
  assert.match(images('["web"]', 'dev').out, /the image map must be a non-empty JSON object/);
  assert.match(images('{}', 'dev').out, /the image map must be a non-empty JSON object/);
  assert.match(images({ 'Web/UI': MAP.web }, 'dev').out, /service names must be lower-case letters, digits, \. _ -: Web\/UI/);
});

test('images: a service that pushed nothing cannot be promoted, while a run without an environment accepts it and scans nothing', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const promoted = images({ web: MAP.web, api: '' }, 'dev');
  assert.equal(promoted.code, 1);
  assert.match(promoted.out, /nothing was pushed for api: cannot promote to dev/);
  const pr = images({ web: '', api: '' }, '');
  assert.equal(pr.code, 0, pr.out);
  assert.equal(pr.outputs.count, '0');
  assert.equal(evalStatus('success() && (needs.images.outputs.count != \'0\')', { needs: { images: { result: 'success', outputs: pr.outputs } } }, { images: { result: 'success', outputs: pr.outputs, log: '' } }), false, 'an empty matrix is never started');
});

test('images: one matrix leg per service with an image, in the order of the map', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const r = images(MAP, 'dev');
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(JSON.parse(r.outputs.matrix), { include: Object.entries(MAP).map(([service, image]) => ({ service, image })) });
  assert.equal(r.outputs.count, '3');
});

test('Argo CD wait: the application name template is filled per service and environment, after direct commits only', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const dev = await simulate({ event: 'push', ref: 'refs/heads/main', inputs: { 'argocd-app': '{app}-{env}', 'argocd-server': 'https://argocd.example.com' }, secrets: { 'argocd-token': 'argo-secret' } });
  const given = promoteInputs(dev, 'worker');
  assert.deepEqual([given['argocd-app'], given['argocd-server'], given['argocd-token'], given['revert-on-failure'], given['wait-timeout']], ['worker-dev', 'https://argocd.example.com', 'argo-secret', 'true', '10m']);
  const prod = await simulate({ event: 'workflow_dispatch', ref: 'refs/heads/main', inputs: { 'argocd-app': '{app}-{env}' } });
  assert.equal(promoteInputs(prod, 'worker')['argocd-app'], '', 'nothing to wait for until the pull request is merged');
  const none = await simulate({ event: 'push', ref: 'refs/heads/main' });
  assert.equal(promoteInputs(none, 'worker')['argocd-app'], '');
});

test('config repository, token, kustomize image names and per-service keys ({app}, {env}) reach gitops-promote', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const own = promoteInputs(await simulate({ event: 'push', ref: 'refs/heads/main' }), 'web');
  assert.deepEqual([own.repository, own.token, own.branch, own.keys, own['kustomize-image'], own['source-commit'], own['create-missing']], ['acme/shop', 'ghs_workflow', 'main', 'image.repository\nimage.digest', '', SHA, 'false']);
  const other = promoteInputs(
    await simulate({
      event: 'push',
      ref: 'refs/heads/main',
      inputs: { 'config-repository': 'acme/gitops-config', 'config-branch': 'live', 'kustomize-images': JSON.stringify({ web: 'kardon/web' }), 'config-file': 'overlays/{env}/kustomization.yaml', keys: 'apps.{app}.image.digest\n{env}.{app}.tag=tag' },
      secrets: { 'config-token': 'ghp_config' },
    }),
    'web',
  );
  assert.deepEqual([other.repository, other.token, other.branch, other['kustomize-image'], other.file, other.keys], ['acme/gitops-config', 'ghp_config', 'live', 'kardon/web', 'overlays/{env}/kustomization.yaml', 'apps.web.image.digest\ndev.web.tag=tag']);
});

test('promote: bound to the environment, one promotion per environment and service at a time, never cancelled', async () => {
  const job = findJob(WF, 'promote') as { environment: { name: string }; concurrency: { group: string; 'cancel-in-progress': boolean }; strategy: { 'fail-fast': boolean; matrix: string } };
  const ctx = { github: { repository: 'acme/shop' }, needs: { plan: { outputs: { environment: 'staging' } } }, matrix: { service: 'api' } };
  assert.equal(interpolate(job.environment.name, ctx), 'staging');
  assert.equal(interpolate(job.concurrency.group, ctx), 'gitops-acme/shop-staging-api');
  assert.equal(job.concurrency['cancel-in-progress'], false);
  assert.equal(job.strategy['fail-fast'], false);
  assert.equal(job.strategy.matrix, '${{ fromJSON(needs.images.outputs.matrix) }}');
  const wf = await parseWithGitHub(WF);
  assert.deepEqual(
    wf.template.jobs.find((j) => j.id.value === 'promote')?.needs?.map((n) => n.value),
    ['plan', 'images', 'scan'],
  );
});

test('gitops.yml: least privilege per job; only promote writes to the repository and pull requests', () => {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, WF), 'utf8')) as { permissions: unknown; jobs: Record<string, { permissions: unknown }> };
  assert.deepEqual(doc.permissions, {});
  assert.deepEqual(doc.jobs.plan.permissions, {});
  assert.deepEqual(doc.jobs.images.permissions, {});
  assert.deepEqual(doc.jobs.build.permissions, { contents: 'read', packages: 'write' });
  assert.deepEqual(doc.jobs.scan.permissions, { contents: 'read', packages: 'read', 'security-events': 'write', actions: 'read' });
  assert.deepEqual(doc.jobs.promote.permissions, { contents: 'write', 'pull-requests': 'write' });
  assert.deepEqual(doc.jobs.report.permissions, {});
});

test('gitops.yml: parser, contracts (build-services.yml and gitops-promote/action.yml) and audit are clean', async () => {
  assert.ok(workflowFiles().includes(WF));
  assert.deepEqual(await checkWorkflowContracts(WF), []);
  assert.deepEqual(auditWorkflow(fs.readFileSync(path.join(ROOT, WF), 'utf8'), WF), []);
});

test('gitops.yml: every input is typed, described and has a default or is required', () => {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, WF), 'utf8')) as { on: { workflow_call: { inputs: Record<string, Record<string, unknown>>; secrets: Record<string, Record<string, unknown>>; outputs: Record<string, Record<string, unknown>> } } };
  for (const [name, spec] of Object.entries(doc.on.workflow_call.inputs)) {
    assert.ok(['string', 'boolean', 'number'].includes(String(spec.type)), name);
    assert.ok(String(spec.description).length > 10, name);
    assert.ok(spec.required === true || 'default' in spec, name);
  }
  for (const [name, spec] of Object.entries(doc.on.workflow_call.secrets)) assert.ok(String(spec.description).length > 10, name);
  for (const [name, spec] of Object.entries(doc.on.workflow_call.outputs)) assert.ok(String(spec.description).length > 5, name);
});

// --- report: one record per promote leg, merged into the `promotions` output and the run summary -----------

function record(service: string, outputs: Record<string, string>, outcome = 'success'): string {
  const ctx = { matrix: { service, image: MAP[service as keyof typeof MAP] }, steps: { promote: { outcome, outputs } } };
  const r = runStep('promote', 'record', { ...ctx, github: { event_name: 'push', ref: 'refs/heads/main' } });
  assert.equal(r.code, 0, r.out);
  return r.outputs.path;
}

test('report: merges the legs\' records (a pull request, a commit reverted after Degraded, a leg without record) into promotions and the summary', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promotions-'));
  const web = record('web', { changed: 'true', commit: 'c0ffee'.padEnd(40, '0'), 'pull-request-url': 'https://github.com/acme/config/pull/12', 'previous-image': ref('web', '9') });
  const api = record('api', { changed: 'true', commit: 'a1'.padEnd(40, '1'), 'sync-status': 'Synced', 'health-status': 'Degraded', 'revert-commit': 'bad'.padEnd(40, '2') }, 'failure');
  for (const f of [web, api]) fs.copyFileSync(f, path.join(dir, path.basename(f)));
  const matrix = JSON.stringify({ include: Object.entries(MAP).map(([service, image]) => ({ service, image })) });
  const s = findStep(WF, 'report', 'merge') as { run: string };
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
  fs.writeFileSync(path.join(temp, 'out'), '');
  fs.writeFileSync(path.join(temp, 'summary'), '');
  fs.writeFileSync(path.join(temp, 'step.sh'), s.run);
  const r = spawnSync(BASH, ['--noprofile', '--norc', '-eo', 'pipefail', path.join(temp, 'step.sh')], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: path.join(temp, 'out'), GITHUB_STEP_SUMMARY: path.join(temp, 'summary'), MATRIX: matrix, RECORDS: dir, ENVIRONMENT: 'production', MODE: 'pull-request' },
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const promotions = JSON.parse(parseFileCommands(fs.readFileSync(path.join(temp, 'out'), 'utf8')).promotions) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(promotions), ['web', 'api', 'worker']);
  assert.equal(promotions.web['pull-request-url'], 'https://github.com/acme/config/pull/12');
  assert.equal(promotions.web.changed, true);
  assert.equal(promotions.web['previous-image'], ref('web', '9'));
  assert.deepEqual([promotions.api.outcome, promotions.api['health-status']], ['failure', 'Degraded']);
  assert.deepEqual(promotions.worker, { outcome: 'no record' });
  const summary = fs.readFileSync(path.join(temp, 'summary'), 'utf8');
  assert.match(summary, /### Promotion to production \(pull-request\)/);
  assert.match(summary, /\| web \| ✅ \| https:\/\/github\.com\/acme\/config\/pull\/12 \| — \|/);
  assert.match(summary, /\| api \| ❌ failure \| commit `a11111111111`, reverted by `bad222222222` \| Synced \/ Degraded \|/);
  assert.match(summary, /\| worker \| ❌ no record \| — \| — \|/);
});

test('report: a failed promotion is recorded and reported; nothing is reported when nothing was promoted', async () => {
  const rec = String(findStep(WF, 'promote', 'record').if).replace(/^\$\{\{|\}\}$/g, '');
  const when = (outcome: string): boolean => evalStatus(rec, { steps: { promote: { outcome } } }, {});
  assert.deepEqual([when('success'), when('failure'), when('skipped')], [true, true, false]);
  assert.equal(evalStatus(rec, { steps: { promote: { outcome: 'success' } } }, {}, true), false);
  const wf = await parseWithGitHub(WF);
  const report = wf.template.jobs.find((j) => j.id.value === 'report') as unknown as { if: { expression: string } };
  const run = (promote: Result): boolean => evalStatus(report.if.expression, { needs: { promote: { result: promote } } }, { plan: { result: 'success', outputs: {}, log: '' }, images: { result: 'success', outputs: {}, log: '' }, promote: { result: promote, outputs: {}, log: '' } });
  assert.deepEqual([run('success'), run('failure'), run('skipped')], [true, true, false]);
  const inputs = workflowCallDefaults(WF);
  const upload = findStep(WF, 'promote', 'Upload the promotion record') as { with: Record<string, unknown> };
  const download = findStep(WF, 'report', 'Download the promotion records') as { with: Record<string, unknown> };
  const needs = { plan: { outputs: { environment: 'staging' } } };
  const name = interpolate(upload.with.name, { inputs, needs, matrix: { service: 'beat-worker' } });
  const pattern = interpolate(download.with.pattern, { inputs, needs });
  assert.equal(name, 'gitops-promotion-staging-beat-worker');
  assert.ok(name.startsWith(pattern.replace(/\*$/, '')), `${name} matches ${pattern}`);
  assert.equal(upload.with.overwrite, true);
});
