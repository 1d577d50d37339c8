// Every documented path of every reusable workflow and example caller, run the way GitHub decides it: job
// graphs and `if:`s from GitHub's parser (@actions/workflow-parser, implicit success() included), evaluated
// by @actions/expressions with the status functions of the whole needs chain (a job's implicit success() is
// false when ANY ancestor failed or was skipped: GitHub docs "Using conditions to control job execution",
// actions/runner#2205), matrix jobs per leg (failure when one leg failed), reusable workflow calls simulated
// with their evaluated inputs and outputs (test/support/workflow-sim.ts). Decision jobs run their own bash;
// jobs whose work is a tool (build, scan, deploy) are played. Then every job `if:` is mutated in turn (removed:
// back to the implicit success(); negated) and at least one path must notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { data } from '@actions/expressions';
import { evaluate, ROOT } from '../support/workflows.js';
import { simulateWorkflow } from '../support/workflow-sim.js';
import type { JobPlay, JobResult, Mock, RunRecord, SimOptions } from '../support/workflow-sim.js';
import { BAD, cluster, GOOD, mocks } from '../support/cd-model.js';

const HAS_JQ = spawnSync('jq', ['--version']).status === 0;
const SHA = '0123456789abcdef0123456789abcdef01234567';
const TAG_SHA = 'fedcba9876543210fedcba9876543210fedcba98';
const ref = (service: string, c: string): string => `ghcr.io/acme/shop/${service}@sha256:${c.repeat(64)}`;
const MAP = { web: ref('web', 'a'), api: ref('api', 'b') };

interface Path {
  name: string;
  github: Record<string, unknown>;
  inputs?: Record<string, string | boolean | number>;
  secrets?: Record<string, string>;
  play?: Record<string, JobPlay>;
  mocks?: Record<string, Mock<Record<string, unknown>>>;
  /** Job → result (a matrix job: `result` or per leg); jobs of called workflows as `<caller>/<callee>`. */
  expect: Record<string, JobResult | Record<string, JobResult>>;
  conclusion?: RunRecord['conclusion'];
}

interface Suite {
  file: string;
  base: Partial<SimOptions<Record<string, unknown>>>;
  paths: Path[];
}

const push = (ref: string): Record<string, unknown> => ({ event_name: 'push', ref, ref_name: ref.replace(/^refs\/(heads|tags)\//, ''), sha: SHA, repository: 'acme/shop', repository_owner: 'acme' });
const dispatch = (ref: string, sha = SHA): Record<string, unknown> => ({ ...push(ref), event_name: 'workflow_dispatch', sha });
const cancelledRun: JobPlay = { result: 'cancelled' };

// --- gitops.yml ---------------------------------------------------------------------------------------------
const gitopsMocks: Record<string, Mock<Record<string, unknown>>> = {
  'plan/Check the config repository, branch and files': { outcome: 'success' },
  'plan/commit': { outputs: { sha: TAG_SHA } },
  'images/release': { outputs: { 'image-map': JSON.stringify(MAP) } },
  'scan/image': { outputs: { passed: 'true', gated: '0' } },
};
const built: JobPlay = { outputs: { 'image-map': JSON.stringify(MAP) } };
const GITOPS: Suite = {
  file: '.github/workflows/gitops.yml',
  base: { inputs: { services: '[{"name":"web"},{"name":"api"}]', 'config-file': 'apps/{app}/values-{env}.yaml' }, mocks: gitopsMocks },
  paths: [
    { name: 'push to main: build, check, scan every image, promote to dev', github: push('refs/heads/main'), play: { build: built }, expect: { plan: 'success', build: 'success', images: 'success', scan: { web: 'success', api: 'success' }, promote: 'success' } },
    { name: 'release tag: promote to staging', github: push('refs/tags/v1.4.2'), play: { build: built }, expect: { plan: 'success', build: 'success', images: 'success', scan: 'success', promote: 'success' } },
    { name: 'push to another branch: build and scan, promote nowhere', github: push('refs/heads/feature/x'), play: { build: built }, expect: { plan: 'success', build: 'success', images: 'success', scan: 'success', promote: 'skipped' } },
    { name: 'image map given: no build, yet scan and promote (issue 18 item 1)', github: dispatch('refs/heads/main'), inputs: { 'image-map': JSON.stringify(MAP), services: '' }, expect: { plan: 'success', build: 'skipped', images: 'success', scan: 'success', promote: 'success' } },
    { name: 'dispatch of a release tag: its digests looked up, no build, scan and promote', github: dispatch('refs/tags/v1.4.2', TAG_SHA), expect: { plan: 'success', build: 'skipped', images: 'success', scan: 'success', promote: 'success' } },
    { name: 'dispatch from main naming a release: the same, the tag\'s commit looked up', github: dispatch('refs/heads/main'), inputs: { release: 'v1.4.2' }, expect: { plan: 'success', build: 'skipped', images: 'success', scan: 'success', promote: 'success' } },
    { name: 'one scan leg failing blocks every promotion', github: push('refs/heads/main'), play: { build: built, scan: { legs: { api: 'failure' } } }, expect: { plan: 'success', build: 'success', images: 'success', scan: { web: 'success', api: 'failure' }, promote: 'skipped' }, conclusion: 'failure' },
    { name: 'one scan leg failing with an image map given blocks every promotion', github: dispatch('refs/heads/main'), inputs: { 'image-map': JSON.stringify(MAP), services: '' }, play: { scan: { legs: { web: 'failure' } } }, expect: { build: 'skipped', images: 'success', scan: { web: 'failure', api: 'success' }, promote: 'skipped' }, conclusion: 'failure' },
    { name: 'a failed build promotes nothing', github: push('refs/heads/main'), play: { build: { result: 'failure' } }, expect: { plan: 'success', build: 'failure', images: 'skipped', scan: 'skipped', promote: 'skipped' }, conclusion: 'failure' },
    { name: 'a failed promotion fails the run', github: push('refs/heads/main'), play: { build: built, promote: { result: 'failure' } }, expect: { scan: 'success', promote: 'failure' }, conclusion: 'failure' },
    { name: 'cancelled during the build: nothing after it starts', github: push('refs/heads/main'), play: { build: cancelledRun }, expect: { plan: 'success', build: 'cancelled', images: 'skipped', scan: 'skipped', promote: 'skipped' }, conclusion: 'cancelled' },
    { name: 'cancelled during the scan: no promotion', github: push('refs/heads/main'), play: { build: built, scan: cancelledRun }, expect: { images: 'success', scan: 'cancelled', promote: 'skipped' }, conclusion: 'cancelled' },
    { name: 'superseded: the promotion ends green (gitops-promote decides, nothing changes)', github: push('refs/heads/main'), play: { build: built, promote: { outputs: { superseded: 'true' } } }, expect: { promote: 'success' }, conclusion: 'success' },
    { name: 'a config repository without a config token fails in plan, before any approval', github: push('refs/heads/main'), inputs: { 'config-repository': 'acme/platform-gitops' }, play: { build: built }, expect: { plan: 'failure', build: 'skipped', images: 'skipped', scan: 'skipped', promote: 'skipped' }, conclusion: 'failure' },
    { name: 'a config repository with a GitHub App: plan passes', github: push('refs/heads/main'), inputs: { 'config-repository': 'acme/platform-gitops', 'app-id': '12345' }, secrets: { 'app-private-key': 'k' }, play: { build: built }, expect: { plan: 'success', promote: 'success' } },
  ],
};

// --- cd.yml (and its cluster model) -----------------------------------------------------------------------
const CD_INPUTS = { environment: 'production', release: 'app', chart: 'examples/chart', url: 'https://app.example.com' };
const cdMocks = (): Record<string, Mock<Record<string, unknown>>> => mocks() as unknown as Record<string, Mock<Record<string, unknown>>>;
const TWO = JSON.stringify({ api: GOOD, worker: GOOD.replace('/app@', '/worker@') });
const CD: Suite = {
  file: '.github/workflows/cd.yml',
  base: { inputs: CD_INPUTS, secrets: { kubeconfig: 'apiVersion: v1' } },
  paths: [
    { name: 'push to main: the digest CI pushed is checked, scanned, deployed and smoke-tested', github: push('refs/heads/main'), inputs: { 'image-ref': GOOD }, mocks: cdMocks(), expect: { resolve: 'success', scan: { app: 'success' }, deploy: 'success' }, conclusion: 'success' },
    { name: 'dispatch of a release tag: resolved by tag, deployed', github: dispatch('refs/heads/main'), inputs: { image: 'ghcr.io/acme/app', tag: 'v1.0.0' }, mocks: { ...cdMocks(), 'resolve/source': { outputs: { sha: TAG_SHA } }, 'resolve/image': { outputs: { ref: GOOD, images: JSON.stringify({ app: GOOD }), matrix: JSON.stringify({ include: [{ service: 'app', image: GOOD }] }), refs: GOOD, 'ghcr-only': 'true' } } }, expect: { resolve: 'success', scan: { app: 'success' }, deploy: 'success' } },
    { name: 'an image map (api + worker): one scan leg per image, one deploy', github: push('refs/heads/main'), inputs: { images: TWO, 'image-values': 'api: image\nworker: worker.image' }, mocks: cdMocks(), expect: { resolve: 'success', scan: { api: 'success', worker: 'success' }, deploy: 'success' } },
    { name: 'one scan leg failing blocks the deploy of both images', github: push('refs/heads/main'), inputs: { images: TWO }, mocks: cdMocks(), play: { scan: { legs: { worker: 'failure' } } }, expect: { resolve: 'success', scan: { api: 'success', worker: 'failure' }, deploy: 'skipped' }, conclusion: 'failure' },
    { name: 'smoke test failing: rolled back, the deploy job fails', github: push('refs/heads/main'), inputs: { 'image-ref': BAD }, mocks: cdMocks(), expect: { scan: 'success', deploy: 'failure' }, conclusion: 'failure' },
    { name: 'deploy failing: the deploy job fails', github: push('refs/heads/main'), inputs: { 'image-ref': GOOD }, mocks: { ...cdMocks(), 'deploy/deploy': { outcome: 'failure', outputs: { 'rolled-back': 'true' } } }, expect: { scan: 'success', deploy: 'failure' }, conclusion: 'failure' },
    { name: 'superseded: a newer commit is live, nothing deployed, the run green', github: push('refs/heads/main'), inputs: { 'image-ref': GOOD }, mocks: { ...cdMocks(), 'deploy/deploy': { outputs: { superseded: 'true', 'live-commit': TAG_SHA, status: 'deployed' } } }, expect: { deploy: 'success' }, conclusion: 'success' },
    { name: 'cancelled during the scan: no deploy', github: push('refs/heads/main'), inputs: { 'image-ref': GOOD }, mocks: cdMocks(), play: { scan: cancelledRun }, expect: { resolve: 'success', scan: 'cancelled', deploy: 'skipped' }, conclusion: 'cancelled' },
  ],
};

// --- kustomize-cd.yml -----------------------------------------------------------------------------------------
const KMAP = JSON.stringify({ web: ref('web', 'a'), migrator: ref('migrator', 'c') });
const KCD: Suite = {
  file: '.github/workflows/kustomize-cd.yml',
  base: { inputs: { environment: 'dev', 'image-map': KMAP, overlay: 'deployment/k8s/overlays/dev' }, mocks: { 'scan/image': { outputs: { passed: 'true' } } } },
  paths: [
    { name: 'push: every image scanned, the overlay deployed', github: push('refs/heads/main'), expect: { images: 'success', scan: { web: 'success', migrator: 'success' }, deploy: 'success' }, conclusion: 'success' },
    { name: 'one scan leg failing blocks the overlay', github: push('refs/heads/main'), play: { scan: { legs: { migrator: 'failure' } } }, expect: { images: 'success', scan: { web: 'success', migrator: 'failure' }, deploy: 'skipped' }, conclusion: 'failure' },
    { name: 'a bad image map: nothing scanned or deployed', github: push('refs/heads/main'), inputs: { 'image-map': '{"web":"ghcr.io/acme/web:dev"}' }, expect: { images: 'failure', scan: 'skipped', deploy: 'skipped' }, conclusion: 'failure' },
    { name: 'deploy failing fails the run', github: push('refs/heads/main'), play: { deploy: { result: 'failure' } }, expect: { scan: 'success', deploy: 'failure' }, conclusion: 'failure' },
    { name: 'cancelled during the scan: no deploy', github: push('refs/heads/main'), play: { scan: cancelledRun }, expect: { scan: 'cancelled', deploy: 'skipped' }, conclusion: 'cancelled' },
  ],
};

// --- build-services.yml ---------------------------------------------------------------------------------------
const SVC: Suite = {
  file: '.github/workflows/build-services.yml',
  base: { inputs: { services: '[{"name":"web"},{"name":"api"}]' } },
  paths: [
    { name: 'every leg builds, collect merges', github: push('refs/heads/main'), play: { collect: { outputs: { 'image-map': JSON.stringify(MAP) } } }, expect: { plan: 'success', build: { web: 'success', api: 'success' }, collect: 'success' }, conclusion: 'success' },
    { name: 'one leg failing: collect still runs and names it (failing)', github: push('refs/heads/main'), play: { build: { legs: { api: 'failure' } }, collect: { result: 'failure' } }, expect: { plan: 'success', build: { web: 'success', api: 'failure' }, collect: 'failure' }, conclusion: 'failure' },
    { name: 'two services with one name: refused in plan, nothing built', github: push('refs/heads/main'), inputs: { services: '[{"name":"web"},{"name":"web"}]' }, expect: { plan: 'failure', build: 'skipped', collect: 'skipped' }, conclusion: 'failure' },
    { name: 'cancelled during the build: collect does not run', github: push('refs/heads/main'), play: { build: cancelledRun }, expect: { build: 'cancelled', collect: 'skipped' }, conclusion: 'cancelled' },
  ],
};

// --- ci.yml and pr.yml ----------------------------------------------------------------------------------------
const CI: Suite = {
  file: '.github/workflows/ci.yml',
  base: { inputs: { 'test-command': 'true' } },
  paths: [
    { name: 'tests pass, then one build', github: push('refs/heads/main'), expect: { test: 'success', build: 'success' }, conclusion: 'success' },
    { name: 'no test command: the build still runs', github: push('refs/heads/main'), inputs: { 'test-command': '' }, expect: { test: 'skipped', build: 'success' }, conclusion: 'success' },
    { name: 'failing tests: nothing is built', github: push('refs/heads/main'), inputs: { 'test-command': 'false' }, expect: { test: 'failure', build: 'skipped' }, conclusion: 'failure' },
    { name: 'cancelled during the tests: nothing is built', github: push('refs/heads/main'), play: { test: cancelledRun }, expect: { test: 'cancelled', build: 'skipped' }, conclusion: 'cancelled' },
  ],
};
const PR: Suite = {
  file: '.github/workflows/pr.yml',
  base: { mocks: { 'build-scan/fs': { outputs: { passed: 'true' } }, 'build-scan/image': { outputs: { passed: 'true' } } }, play: { chart: { outputs: { results: 'dev:ok:ok' } } } },
  paths: [
    { name: 'pull request: build, scans, chart, summary', github: { event_name: 'pull_request', ref: 'refs/pull/7/merge', sha: SHA }, expect: { 'build-scan': 'success', chart: 'success', summary: 'success' }, conclusion: 'success' },
    { name: 'a failing chart still gets its summary', github: { event_name: 'pull_request', ref: 'refs/pull/7/merge', sha: SHA }, play: { chart: { result: 'failure' } }, expect: { 'build-scan': 'success', chart: 'failure', summary: 'success' }, conclusion: 'failure' },
    { name: 'cancelled: no summary', github: { event_name: 'pull_request', ref: 'refs/pull/7/merge', sha: SHA }, play: { chart: cancelledRun }, expect: { chart: 'cancelled', summary: 'skipped' }, conclusion: 'cancelled' },
  ],
};

// --- example callers (their reusable workflows simulated too) ---------------------------------------------------
const built2 = { outputs: { 'image-map': TWO } };
const EXAMPLES: Suite[] = [
  {
    file: 'examples/workflows/push.yml',
    base: { mocks: { ...cdMocks(), 'build/build': { outputs: { 'image-ref': GOOD } } }, play: { 'ci/test': {} } },
    paths: [
      { name: 'push to main: CI, then dev only', github: push('refs/heads/main'), expect: { ci: 'success', 'ci/test': 'success', 'deploy-dev': 'success', 'deploy-dev/deploy': 'success', 'deploy-staging': 'skipped' }, conclusion: 'success' },
      { name: 'tag: CI, then staging only', github: push('refs/tags/v1.0.0'), expect: { ci: 'success', 'deploy-dev': 'skipped', 'deploy-staging': 'success' }, conclusion: 'success' },
      { name: 'failing tests: nothing deployed', github: push('refs/heads/main'), play: { 'ci/test': { result: 'failure' } }, expect: { ci: 'failure', 'deploy-dev': 'skipped' }, conclusion: 'failure' },
      { name: 'smoke test failing in dev fails the run', github: push('refs/heads/main'), mocks: { 'build/build': { outputs: { 'image-ref': BAD } } }, expect: { 'deploy-dev': 'failure', 'deploy-dev/deploy': 'failure' }, conclusion: 'failure' },
    ],
  },
  {
    file: 'examples/workflows/deploy.yml',
    base: { inputs: { version: 'v1.0.0' }, mocks: { ...cdMocks(), 'resolve/image': { outputs: { ref: GOOD, images: JSON.stringify({ app: GOOD }), matrix: JSON.stringify({ include: [{ service: 'app', image: GOOD }] }), refs: GOOD, 'ghcr-only': 'true' } } } },
    paths: [
      { name: 'dispatch: production by default', github: dispatch('refs/heads/main'), expect: { deploy: 'success', 'deploy/deploy': 'success' }, conclusion: 'success' },
      { name: 'dispatch with a failing scan deploys nothing', github: dispatch('refs/heads/main'), play: { 'deploy/scan': { result: 'failure' } }, expect: { deploy: 'failure', 'deploy/deploy': 'skipped' }, conclusion: 'failure' },
    ],
  },
  {
    file: 'examples/workflows/october.yml',
    base: { mocks: { ...cdMocks(), 'resolve/image': { outputs: { ref: GOOD, images: TWO, matrix: JSON.stringify({ include: [{ service: 'api', image: GOOD }, { service: 'worker', image: GOOD.replace('/app@', '/worker@') }] }), refs: GOOD, 'ghcr-only': 'true' } } } },
    paths: [
      { name: 'push to main: api and worker built, both scanned, one deploy to dev', github: push('refs/heads/main'), play: { build: built2 }, expect: { build: 'success', deploy: 'success', 'deploy/scan': { api: 'success', worker: 'success' }, 'deploy/deploy': 'success' }, conclusion: 'success' },
      { name: 'dispatch of a release: no build, yet deployed (explicit condition)', github: dispatch('refs/heads/main'), inputs: { version: 'v1.0.0', environment: 'production' }, expect: { build: 'skipped', deploy: 'success', 'deploy/deploy': 'success' }, conclusion: 'success' },
      { name: 'the worker\'s scan failing blocks the deploy of both', github: push('refs/heads/main'), play: { build: built2, 'deploy/scan': { legs: { worker: 'failure' } } }, expect: { deploy: 'failure', 'deploy/scan': { api: 'success', worker: 'failure' }, 'deploy/deploy': 'skipped' }, conclusion: 'failure' },
      { name: 'a failed build deploys nothing', github: push('refs/heads/main'), play: { build: { result: 'failure' } }, expect: { build: 'failure', deploy: 'skipped' }, conclusion: 'failure' },
    ],
  },
  {
    file: 'examples/workflows/kardon-deploy.yml',
    base: { mocks: { 'scan/image': { outputs: { passed: 'true' } } }, play: { 'build/collect': { outputs: { 'image-map': KMAP } } } },
    paths: [
      { name: 'push to main: build, dev only', github: push('refs/heads/main'), expect: { build: 'success', 'deploy-dev': 'success', 'deploy-dev/deploy': 'success', 'deploy-prod': 'skipped' }, conclusion: 'success' },
      { name: 'dispatch prod: build, prod only', github: dispatch('refs/heads/main'), inputs: { environment: 'prod' }, expect: { build: 'success', 'deploy-dev': 'skipped', 'deploy-prod': 'success' }, conclusion: 'success' },
      { name: 'one build leg failing: nothing deployed', github: push('refs/heads/main'), play: { 'build/build': { legs: { api: 'failure' } }, 'build/collect': { result: 'failure' } }, expect: { build: 'failure', 'deploy-dev': 'skipped' }, conclusion: 'failure' },
    ],
  },
  {
    file: 'examples/workflows/argocd-helm-per-app.yml',
    base: { mocks: gitopsMocks, play: { 'gitops/build': built } },
    paths: [
      { name: 'push to main: promoted to dev in one job', github: push('refs/heads/main'), expect: { gitops: 'success', 'gitops/scan': 'success', 'gitops/promote': 'success' }, conclusion: 'success' },
      { name: 'dispatch of a release: promoted without a build', github: dispatch('refs/tags/v1.4.2', TAG_SHA), inputs: { environment: 'production' }, expect: { 'gitops/build': 'skipped', 'gitops/scan': 'success', 'gitops/promote': 'success' }, conclusion: 'success' },
    ],
  },
];

const SUITES: Suite[] = [GITOPS, CD, KCD, SVC, CI, PR, ...EXAMPLES];

function run(suite: Suite, p: Path, source?: string): Promise<RunRecord> {
  return simulateWorkflow(suite.file, {
    ...suite.base,
    source,
    github: p.github,
    inputs: { ...(suite.base.inputs ?? {}), ...(p.inputs ?? {}) },
    secrets: { ...(suite.base.secrets ?? {}), ...(p.secrets ?? {}) },
    mocks: { ...(suite.base.mocks ?? {}), ...(p.mocks ?? {}) },
    play: { ...(suite.base.play ?? {}), ...(p.play ?? {}) },
    world: cluster() as unknown as Record<string, unknown>,
    expandCalls: true,
  });
}

/** The job results a path expects, as observed; a call job's inner jobs are read from its simulated run. */
function observed(r: RunRecord, p: Path): Record<string, JobResult | Record<string, JobResult>> {
  const out: Record<string, JobResult | Record<string, JobResult>> = {};
  for (const [key, want] of Object.entries(p.expect)) {
    const [job, inner] = key.split('/');
    const record = inner ? r.jobs[job]?.call?.jobs[inner] : r.jobs[job];
    // A job of a called workflow that did not run (its caller was skipped) is `absent`.
    out[key] = !record ? 'absent' as JobResult : typeof want === 'string' ? record.result : (record.legs ?? {});
  }
  return out;
}

for (const suite of SUITES) {
  for (const p of suite.paths) {
    test(`${suite.file}: ${p.name}`, { skip: !HAS_JQ && 'jq not installed' }, async () => {
      const r = await run(suite, p);
      const why = Object.entries(r.jobs).map(([id, j]) => `${id}=${j.result}${j.steps.filter((s) => s.outcome === 'failure').map((s) => ` [${s.key}: ${s.log.trim().split('\n').slice(-2).join(' | ')}]`).join('')}`).join('\n');
      assert.deepEqual(observed(r, p), p.expect, why);
      if (p.conclusion) assert.equal(r.conclusion, p.conclusion, why);
    });
  }
}

/** Each job `if:` of a workflow, removed (the implicit success()) and negated. */
function mutants(file: string): { name: string; source: string }[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const jobs = (YAML.parse(text) as { jobs: Record<string, { if?: unknown }> }).jobs;
  const out: { name: string; source: string }[] = [];
  for (const [id, job] of Object.entries(jobs)) {
    if (job.if === undefined) continue;
    const raw = String(job.if).trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
    for (const [how, value] of [['removed', undefined], ['negated', `\${{ !(${raw}) }}`]] as const) {
      const doc = YAML.parseDocument(text);
      if (value === undefined) doc.deleteIn(['jobs', id, 'if']);
      else doc.setIn(['jobs', id, 'if'], value);
      out.push({ name: `jobs.${id}.if ${how}`, source: doc.toString({ lineWidth: 0 }) });
    }
  }
  return out;
}

for (const suite of SUITES.filter((x) => mutants(x.file).length > 0)) {
  test(`${suite.file}: removing or negating any job if: changes what at least one path runs`, { skip: !HAS_JQ && 'jq not installed' }, async () => {
    const list = mutants(suite.file);
    const survivors: string[] = [];
    for (const m of list) {
      let caught = false;
      for (const p of suite.paths) {
        const r = await run(suite, p, m.source);
        if (JSON.stringify(observed(r, p)) !== JSON.stringify(p.expect) || (p.conclusion && r.conclusion !== p.conclusion)) {
          caught = true;
          break;
        }
      }
      if (!caught) survivors.push(m.name);
    }
    assert.deepEqual(survivors, [], 'mutations no path noticed');
  });
}

test('gitops.yml before issue 18, with an image map: images ran, scan/promote/report were skipped and the run was green (what the explicit checks fix)', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const before = fs.readFileSync(path.join(ROOT, 'test/fixtures/workflows/gitops-before-issue-18.yml'), 'utf8');
  const r = await simulateWorkflow(GITOPS.file, { source: before, github: dispatch('refs/heads/main'), inputs: { 'image-map': JSON.stringify(MAP), services: '', 'config-file': 'apps/{app}/values-{env}.yaml' }, mocks: gitopsMocks });
  assert.deepEqual(Object.fromEntries(Object.entries(r.jobs).map(([id, j]) => [id, j.result])), { plan: 'success', build: 'skipped', images: 'success', scan: 'skipped', promote: 'skipped', report: 'skipped' });
  assert.equal(r.conclusion, 'success', 'green with nothing scanned or promoted');
});

test('runs-on: a JSON array of labels reaches every job as a label list, deploy jobs take deploy-runs-on, a plain label stays a string', () => {
  const REUSABLE = ['.github/workflows/gitops.yml', '.github/workflows/cd.yml', '.github/workflows/kustomize-cd.yml', '.github/workflows/build-services.yml', '.github/workflows/ci.yml', '.github/workflows/pr.yml'];
  const DEPLOY_JOBS: Record<string, string> = { '.github/workflows/gitops.yml': 'promote', '.github/workflows/cd.yml': 'deploy', '.github/workflows/kustomize-cd.yml': 'deploy' };
  for (const file of REUSABLE) {
    const jobs = (YAML.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { jobs: Record<string, { 'runs-on'?: string }> }).jobs;
    for (const [id, job] of Object.entries(jobs)) {
      if (job['runs-on'] === undefined) continue; // a reusable workflow call: the runner is the callee's
      const expr = String(job['runs-on']).replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
      const labels = (inputs: Record<string, string>): unknown => JSON.parse(JSON.stringify(evaluate(expr, { inputs }), data.replacer)) as unknown;
      const isDeploy = DEPLOY_JOBS[file] === id;
      assert.deepEqual(labels({ 'runs-on': '["self-hosted", "linux"]', 'deploy-runs-on': '' }), ['self-hosted', 'linux'], `${file} ${id}`);
      assert.equal(labels({ 'runs-on': 'ubuntu-24.04', 'deploy-runs-on': '' }), 'ubuntu-24.04', `${file} ${id}`);
      assert.deepEqual(labels({ 'runs-on': 'ubuntu-latest', 'deploy-runs-on': '["self-hosted", "k3d"]' }), isDeploy ? ['self-hosted', 'k3d'] : 'ubuntu-latest', `${file} ${id}: deploy-runs-on only for the job that reaches the cluster`);
    }
  }
});

test('cd.yml superseded: no smoke test, no rollback, the summary says which commit is live, the run is green', async () => {
  const r = await simulateWorkflow(CD.file, {
    inputs: { ...CD_INPUTS, 'image-ref': GOOD },
    secrets: { kubeconfig: 'apiVersion: v1' },
    github: push('refs/heads/main'),
    world: cluster() as unknown as Record<string, unknown>,
    mocks: { ...cdMocks(), 'deploy/deploy': { outputs: { superseded: 'true', 'live-commit': TAG_SHA, status: 'deployed', revision: '3' } } },
  });
  assert.equal(r.conclusion, 'success');
  assert.deepEqual(['smoke', 'rollback'].map((k) => r.jobs.deploy.steps.find((s) => s.key === k)?.outcome), ['skipped', 'skipped']);
  assert.match(r.jobs.deploy.summary, new RegExp(`superseded: ${TAG_SHA} is newer than ${SHA}`));
  assert.deepEqual([r.outputs.superseded, r.outputs.verified, r.outputs['source-commit']], ['true', 'false', SHA]);
});

test('gitops.yml: three services promoted to production in ONE environment-bound job (one approval), no deployment record while its pull request is open', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const three = { ...MAP, worker: ref('worker', 'c') };
  let given: Record<string, string> | undefined;
  const r = await simulateWorkflow(GITOPS.file, {
    github: dispatch('refs/heads/main'),
    inputs: { 'image-map': JSON.stringify(three), services: '', 'config-file': 'apps/{app}/values-{env}.yaml', 'argocd-app': '{app}-{env}' },
    mocks: {
      ...gitopsMocks,
      'promote/promote': ({ with: w }) => {
        given = w;
        return { outputs: { 'pull-request-url': 'https://github.com/acme/config/pull/9', promoted: '{}' } };
      },
      'promote/Record the pending deployment': { outputs: {} },
    },
  });
  const bound = Object.entries(r.jobs).filter(([, j]) => j.environment);
  assert.deepEqual(bound.map(([id, j]) => [id, j.environment, j.result]), [['promote', 'production', 'success']], 'one job asks the reviewers');
  assert.deepEqual(r.jobs.scan.legs, { web: 'success', api: 'success', worker: 'success' });
  assert.ok(given);
  assert.deepEqual(JSON.parse(given.images), three);
  assert.equal(given.mode, 'pull-request');
  assert.equal(given['argocd-app'], '', 'an open pull request has nothing for Argo CD to sync yet');
  const record = r.jobs.promote.steps.find((s) => s.key === 'Record the pending deployment');
  assert.equal(record?.outcome, 'success', 'the deployment is recorded as queued through the API');
  const job = (YAML.parse(fs.readFileSync(path.join(ROOT, GITOPS.file), 'utf8')) as { jobs: { promote: { environment: { deployment: string } } } }).jobs.promote;
  assert.equal(evaluate(job.environment.deployment.replace(/^\$\{\{([\s\S]*)\}\}$/, '$1'), { needs: { plan: { outputs: { mode: r.jobs.plan.outputs.mode } } } }).coerceString(), 'false');
});
