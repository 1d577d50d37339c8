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
import { truthy } from '@actions/expressions/result';
import YAML from 'yaml';
import { parseFileCommands, ROOT } from '../support/run-action.js';
import { auditWorkflow, checkWorkflowContracts, evaluate, findJob, findStep, interpolate, parseWithGitHub, stepInputs, workflowCallDefaults, workflowFiles } from '../support/workflows.js';
import type { ExpressionContext } from '../support/workflows.js';
import { simulateWorkflow } from '../support/workflow-sim.js';
import type { JobPlay, RunRecord } from '../support/workflow-sim.js';

const WF = '.github/workflows/gitops.yml';
const HAS_JQ = spawnSync('jq', ['--version']).status === 0;
const BASH = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
const SHA = '0123456789abcdef0123456789abcdef01234567';
const ref = (service: string, c: string): string => `ghcr.io/acme/shop/${service}@sha256:${c.repeat(64)}`;
const MAP = { web: ref('web', 'a'), api: ref('api', 'b'), worker: ref('worker', 'c') };

type Result = 'success' | 'failure' | 'cancelled' | 'skipped';

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
  /** Results of jobs whose work is a tool (build, scan), played: default success (build outputs the map). */
  build?: Result;
  scan?: Result;
  cancelled?: boolean;
}

interface Run {
  record: RunRecord;
  jobs: RunRecord['jobs'];
  /** The `with:` the promote step got (undefined when it did not run). */
  promoted?: Record<string, string>;
}

/**
 * One run of gitops.yml through the shared simulator (test/support/workflow-sim.ts): every job's `if:` as
 * GitHub's parser gives it, the status functions over the whole needs chain; plan and images run their bash;
 * build and scan end as the scenario says; the gitops-promote step is recorded, not run.
 */
async function simulate(s: Scenario): Promise<Run> {
  let promoted: Record<string, string> | undefined;
  const play: Record<string, JobPlay> = {
    build: s.cancelled ? { result: 'cancelled' } : { result: s.build ?? 'success', outputs: (s.build ?? 'success') === 'success' ? { 'image-map': JSON.stringify(MAP) } : {} },
    scan: { result: s.scan ?? 'success' },
  };
  const record = await simulateWorkflow(WF, {
    github: { event_name: s.event, ref: s.ref, ref_name: s.ref.replace(/^refs\/(heads|tags)\//, ''), sha: SHA, repository: 'acme/shop', token: 'ghs_workflow', actor: 'dev' },
    inputs: { services: '[{"name":"web"},{"name":"api"},{"name":"worker"}]', 'config-file': 'apps/{app}/values-{env}.yaml', ...s.inputs },
    secrets: s.secrets ?? {},
    play,
    mocks: {
      'plan/Check the config repository, branch and files': {},
      'plan/commit': { outputs: { sha: 'fedcba9876543210fedcba9876543210fedcba98' } },
      'images/release': { outputs: { 'image-map': JSON.stringify(MAP) } },
      'promote/promote': ({ with: w }) => {
        promoted = w;
        return { outputs: { promoted: '{}', changed: 'true' } };
      },
    },
  });
  return { record, jobs: record.jobs, promoted };
}

function promoteInputs(run: Run): Record<string, string> {
  assert.ok(run.promoted, `the promote step did not run (${Object.entries(run.jobs).map(([k, j]) => `${k}=${j.result}`).join(', ')})`);
  return run.promoted;
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

const logOf = (run: Run, job: string): string => run.jobs[job].steps.map((st) => st.log).join('');

for (const e of events) {
  test(`event: ${e.name}`, { skip: !HAS_JQ && 'jq not installed' }, async () => {
    const run = await simulate(e.s);
    assert.equal(run.jobs.plan.result, 'success', logOf(run, 'plan'));
    assert.deepEqual([run.jobs.plan.outputs.environment, run.jobs.plan.outputs.mode], [e.environment, e.mode]);
    assert.equal(run.jobs.scan.result, 'success', 'every pushed image is scanned, promoted or not');
    assert.equal(run.jobs.promote.result, e.environment ? 'success' : 'skipped');
    if (e.environment) {
      const given = promoteInputs(run);
      assert.deepEqual([given.environment, given.mode], [e.environment, e.mode]);
      assert.deepEqual(JSON.parse(given.images), MAP, 'every service in the one promote job');
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
    assert.equal(promoteInputs(run).mode, 'pull-request', `${s.event} ${s.ref}`);
  }
});

test('a failed scan of one image blocks the promotion of every service', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const run = await simulate({ event: 'push', ref: 'refs/heads/main', scan: 'failure' });
  assert.equal(run.jobs.plan.outputs.environment, 'dev');
  assert.equal(run.jobs.promote.result, 'skipped');
  assert.equal(run.promoted, undefined);
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

test('an image map given by the caller skips the build, and is verified, scanned and promoted as given', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const given = { api: ref('api', 'd'), 'beat-worker': ref('beat-worker', 'e') };
  const run = await simulate({ event: 'workflow_dispatch', ref: 'refs/heads/main', inputs: { 'image-map': JSON.stringify(given), services: '' } });
  assert.equal(run.jobs.build.result, 'skipped');
  assert.equal(run.jobs.images.result, 'success', logOf(run, 'images'));
  assert.deepEqual(JSON.parse(run.jobs.images.outputs['image-map']), given);
  assert.equal(run.jobs.scan.result, 'success');
  assert.equal(run.jobs.promote.result, 'success');
  assert.deepEqual(JSON.parse(promoteInputs(run).images), given);
});

test('a dispatch of a release tag promotes the digests the release has, with the tag\'s commit as source commit', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const onTag = await simulate({ event: 'workflow_dispatch', ref: 'refs/tags/v1.4.2' });
  assert.deepEqual([onTag.jobs.plan.outputs.release, onTag.jobs.plan.outputs['source-commit'], onTag.jobs.build.result], ['v1.4.2', SHA, 'skipped']);
  assert.equal(promoteInputs(onTag)['source-commit'], SHA);
  const named = await simulate({ event: 'workflow_dispatch', ref: 'refs/heads/main', inputs: { release: 'v1.4.2', rollback: true } });
  assert.equal(named.jobs.plan.outputs['source-commit'], 'fedcba9876543210fedcba9876543210fedcba98', 'the tag\'s commit, not the dispatched main');
  const given = promoteInputs(named);
  assert.deepEqual([given['source-commit'], given['allow-older']], ['fedcba9876543210fedcba9876543210fedcba98', 'true']);
  const push = await simulate({ event: 'push', ref: 'refs/tags/v1.4.2' });
  assert.deepEqual([push.jobs.plan.outputs.release, push.jobs.build.result], ['', 'success'], 'a tag push builds (build-push adopts the digest main already has)');
});

test('plan refuses a run with neither services nor an image map, and an environment that cannot name a branch', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const none = await simulate({ event: 'push', ref: 'refs/heads/main', inputs: { services: '' } });
  assert.equal(none.jobs.plan.result, 'failure');
  assert.match(logOf(none, 'plan'), /::error title=gitops: nothing to promote::Give services/);
  assert.deepEqual([none.jobs.build.result, none.jobs.promote.result], ['skipped', 'skipped']);
  const bad = await simulate({ event: 'workflow_dispatch', ref: 'refs/heads/main', inputs: { environment: 'prod; rm -rf /' } });
  assert.equal(bad.jobs.plan.result, 'failure');
  assert.match(logOf(bad, 'plan'), /::error title=gitops: environment::Environment 'prod; rm -rf \/' may only hold/);
});

test('plan fails before any approval when the config repository has no token, and names both ways to give one', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const run = await simulate({ event: 'push', ref: 'refs/heads/main', inputs: { 'config-repository': 'acme/platform-gitops' } });
  assert.equal(run.jobs.plan.result, 'failure');
  assert.match(logOf(run, 'plan'), /::error title=gitops: config token::No token for the config repository acme\/platform-gitops: .*app-id and the app-private-key secret.*config-token secret/);
  assert.equal(run.jobs.promote.result, 'skipped');
  const keyless = await simulate({ event: 'push', ref: 'refs/heads/main', inputs: { 'config-repository': 'acme/platform-gitops', 'app-id': '42' } });
  assert.match(logOf(keyless, 'plan'), /app-id is set but the app-private-key secret is empty/);
  const withToken = await simulate({ event: 'push', ref: 'refs/heads/main', inputs: { 'config-repository': 'acme/platform-gitops' }, secrets: { 'config-token': 'ghp_config' } });
  assert.equal(withToken.jobs.plan.result, 'success');
  assert.equal(promoteInputs(withToken).token, 'ghp_config');
  const nothingToPromote = await simulate({ event: 'push', ref: 'refs/heads/feature', inputs: { 'config-repository': 'acme/platform-gitops' } });
  assert.equal(nothingToPromote.jobs.plan.result, 'success', 'no environment, nothing to check');
});

function images(map: unknown, environment: string): { code: number; out: string; outputs: Record<string, string> } {
  return runStep('images', 'images', { inputs: { 'image-map': typeof map === 'string' ? map : JSON.stringify(map) }, steps: { release: { outputs: {} } }, needs: { build: { outputs: {} }, plan: { outputs: { environment } } }, github: { event_name: 'push', ref: 'refs/heads/main' } });
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
});

test('images: one matrix leg per service with an image, in the order of the map', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const r = images(MAP, 'dev');
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(JSON.parse(r.outputs.matrix), { include: Object.entries(MAP).map(([service, image]) => ({ service, image })) });
  assert.equal(r.outputs.count, '3');
});

test('Argo CD wait: the application template goes to gitops-promote after direct commits only', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const dev = await simulate({ event: 'push', ref: 'refs/heads/main', inputs: { 'argocd-app': '{app}-{env}', 'argocd-server': 'https://argocd.example.com' }, secrets: { 'argocd-token': 'argo-secret' } });
  const given = promoteInputs(dev);
  assert.deepEqual([given['argocd-app'], given['argocd-server'], given['argocd-token'], given['revert-on-failure'], given['wait-timeout']], ['{app}-{env}', 'https://argocd.example.com', 'argo-secret', 'true', '10m']);
  const prod = await simulate({ event: 'workflow_dispatch', ref: 'refs/heads/main', inputs: { 'argocd-app': '{app}-{env}' } });
  assert.equal(promoteInputs(prod)['argocd-app'], '', 'nothing to wait for until the pull request is merged');
});

test('config repository, token, kustomize image names, keys and ordering inputs reach gitops-promote', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const own = promoteInputs(await simulate({ event: 'push', ref: 'refs/heads/main' }));
  assert.deepEqual([own.repository, own.token, own.branch, own.keys, own['kustomize-image'], own['source-commit'], own['create-missing'], own['allow-older'], own['allow-unordered']], ['acme/shop', 'ghs_workflow', 'main', '', '', SHA, 'false', 'false', 'false']);
  const other = promoteInputs(
    await simulate({
      event: 'push',
      ref: 'refs/heads/main',
      inputs: { 'config-repository': 'acme/gitops-config', 'config-branch': 'live', 'kustomize-images': JSON.stringify({ web: 'kardon/web' }), 'config-file': 'overlays/{env}/kustomization.yaml', keys: 'apps.{app}.image.digest' },
      secrets: { 'config-token': 'ghp_config' },
    }),
  );
  assert.deepEqual([other.repository, other.token, other.branch, other['kustomize-image'], other.file, other.keys], ['acme/gitops-config', 'ghp_config', 'live', '{"web":"kardon/web"}', 'overlays/{env}/kustomization.yaml', 'apps.{app}.image.digest']);
});

test('promote: ONE job bound to the environment for every service (one approval), one promotion per environment at a time, never cancelled', async () => {
  const job = findJob(WF, 'promote') as { environment: { name: string; deployment: string }; concurrency: { group: string; 'cancel-in-progress': boolean }; strategy?: unknown };
  assert.equal(job.strategy, undefined, 'no matrix: one environment-bound job');
  const ctx = (mode: string): ExpressionContext => ({ github: { repository: 'acme/shop' }, needs: { plan: { outputs: { environment: 'staging', mode } } } });
  assert.equal(interpolate(job.environment.name, ctx('push')), 'staging');
  assert.equal(interpolate(job.concurrency.group, ctx('push')), 'gitops-acme/shop-staging');
  assert.equal(job.concurrency['cancel-in-progress'], false);
  // A direct commit is the deployment (the job's record); a pull request is not: no record, queued by the API.
  assert.deepEqual([interpolate(job.environment.deployment, ctx('push')), interpolate(job.environment.deployment, ctx('pull-request'))], ['true', 'false']);
  const record = String(findStep(WF, 'promote', 'Record the pending deployment').if).replace(/^\$\{\{|\}\}$/g, '');
  const when = (mode: string, url: string): boolean => truthy(evaluate(record.replace('!cancelled() && ', ''), { needs: { plan: { outputs: { mode } } }, steps: { promote: { outcome: 'success', outputs: { 'pull-request-url': url } } } }));
  assert.deepEqual([when('pull-request', 'https://github.com/acme/config/pull/3'), when('push', '')], [true, false]);
  assert.match(String(findStep(WF, 'promote', 'Record the pending deployment').run), /state=queued/);
  const wf = await parseWithGitHub(WF);
  assert.deepEqual(wf.template.jobs.find((j) => j.id.value === 'promote')?.needs?.map((n) => n.value), ['plan', 'images', 'scan']);
});

test('gitops.yml: least privilege per job; only promote writes to the repository, pull requests and deployments', () => {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, WF), 'utf8')) as { permissions: unknown; jobs: Record<string, { permissions: unknown }> };
  assert.deepEqual(doc.permissions, {});
  assert.deepEqual(doc.jobs.plan.permissions, { contents: 'read' });
  assert.deepEqual(doc.jobs.images.permissions, { contents: 'read', packages: 'read' });
  assert.deepEqual(doc.jobs.build.permissions, { contents: 'read', packages: 'write' });
  assert.deepEqual(doc.jobs.scan.permissions, { contents: 'read', packages: 'read', 'security-events': 'write', actions: 'read' });
  assert.deepEqual(doc.jobs.promote.permissions, { contents: 'write', 'pull-requests': 'write', deployments: 'write' });
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

