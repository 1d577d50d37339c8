// cd.yml's job wiring and `if:` conditions, evaluated by GitHub's parser and expression engine over simulated
// runs (test/support/workflow-sim.ts): the run scripts are cd.yml's own bash, the actions are played by mocks
// over a small model of the cluster (revisions, which one is live, which images fail the smoke test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../support/workflows.js';
import { simulateWorkflow, stepOf } from '../support/workflow-sim.js';
import type { RunRecord, SimOptions } from '../support/workflow-sim.js';
import { BAD, cluster, GOOD, kubeconfigSpy, liveImage, mocks, OLD } from '../support/cd-model.js';
import type { Cluster } from '../support/cd-model.js';

const CD = '.github/workflows/cd.yml';
const BEFORE = fs.readFileSync(path.join(ROOT, 'test/fixtures/workflows/cd-before-issue-9.yml'), 'utf8');

function run(world: Cluster, image: string, extra: Partial<SimOptions<Cluster>> = {}, scan: Parameters<typeof mocks>[0] = {}): Promise<RunRecord> {
  return simulateWorkflow<Cluster>(CD, {
    inputs: { environment: 'production', release: 'app', 'image-ref': image, chart: 'examples/chart', url: 'https://app.example.com' },
    secrets: { kubeconfig: 'apiVersion: v1' },
    mocks: mocks(scan),
    world,
    ...extra,
  });
}

/** The claim of the issue: a green run means the revision it deployed is the one live and it passed the smoke test. */
function assertTruthful(r: RunRecord, world: Cluster, image: string): void {
  if (r.conclusion === 'success') {
    assert.equal(liveImage(world), image, 'a green run has its own image live');
    assert.equal(r.outputs.verified, 'true');
  }
  const envJob = Object.values(r.jobs).find((j) => j.environment);
  if (envJob && envJob.result === 'success') assert.equal(liveImage(world), image, "the environment's deployment says success only when its image is live");
}

test('a good image: deployed, smoke-tested, live; the run and the environment deployment are green', async () => {
  const world = cluster();
  const r = await run(world, GOOD);
  assert.equal(r.conclusion, 'success');
  assert.equal(r.jobs.deploy.result, 'success');
  assert.equal(r.jobs.deploy.environment, 'production');
  assert.deepEqual([r.outputs.revision, r.outputs['deployed-revision'], r.outputs['smoke-passed'], r.outputs['rolled-back'], r.outputs.verified], ['2', '2', 'true', 'false', 'true']);
  assert.equal(stepOf(r, 'deploy', 'rollback').outcome, 'skipped');
  assert.match(r.jobs.deploy.summary, /revision 2 .* is live in production and passed the smoke test/);
  assertTruthful(r, world, GOOD);
});

test('smoke test fails → the rollback restores the previous revision in the same job, which then fails', async () => {
  const world = cluster();
  const r = await run(world, BAD);
  assert.deepEqual(world.calls.filter((c) => !c.startsWith('scan') && !c.startsWith('sarif')), [`deploy ${BAD}`, `smoke ${BAD}`, 'rollback to 1']);
  assert.equal(liveImage(world), OLD);
  assert.equal(r.jobs.deploy.result, 'failure', "the environment's deployment record says failure");
  assert.equal(r.conclusion, 'failure');
  assert.deepEqual([r.outputs.revision, r.outputs['deployed-revision'], r.outputs['rolled-back'], r.outputs['smoke-passed'], r.outputs.verified], ['1', '2', 'true', 'false', 'false']);
  assert.equal(stepOf(r, 'deploy', 'record').outcome, 'success');
  assert.equal(stepOf(r, 'deploy', 'Upload the diagnostics').outcome, 'success');
  assert.match(r.jobs.deploy.summary, /smoke test failed on app revision 2: rolled back to revision 1/);
  assertTruthful(r, world, BAD);
});

test('deploy fails (helm-deploy already rolled back) → no smoke test and no second rollback', async () => {
  const world = cluster({ deployFails: true });
  const r = await run(world, GOOD);
  assert.equal(stepOf(r, 'deploy', 'smoke').outcome, 'skipped');
  assert.equal(stepOf(r, 'deploy', 'rollback').outcome, 'skipped');
  assert.equal(stepOf(r, 'deploy', 'Upload the deploy diagnostics').outcome, 'success');
  assert.ok(!world.calls.some((c) => c.startsWith('rollback')));
  assert.equal(r.jobs.deploy.result, 'failure');
  assert.equal(r.outputs['rolled-back'], 'true');
  assert.match(r.jobs.deploy.summary, /deploy failed and helm-deploy rolled app back/);
});

for (const [name, scan] of [
  ['findings in the image', { imagePassed: false }],
  ['findings in the repository', { fsPassed: false }],
  ['the scanner itself failing', { scanFails: true }],
] as const) {
  test(`scan fails (${name}) → nothing is deployed`, async () => {
    const world = cluster();
    const r = await run(world, GOOD, {}, scan);
    assert.equal(r.jobs.scan.result, 'failure');
    assert.equal(r.jobs.deploy.result, 'skipped');
    assert.ok(!world.calls.some((c) => c.startsWith('deploy')));
    assert.equal(r.conclusion, 'failure');
    assert.equal(Object.keys(world.artifacts).length, 1, 'the reports are kept even when the gate fails');
  });
}

test('warn-only: findings are reported and the deploy goes on', async () => {
  const world = cluster();
  const r = await run(world, GOOD, { inputs: { environment: 'dev', release: 'app', 'image-ref': GOOD, chart: 'examples/chart', 'warn-only': true } }, { imagePassed: false });
  assert.equal(r.jobs.scan.result, 'success');
  assert.equal(r.conclusion, 'success');
});

test('a refused SARIF upload (no GitHub Advanced Security) is a warning: reports kept as an artifact, the deploy goes on', async () => {
  const world = cluster();
  const r = await run(world, GOOD, {}, { sarifFails: true });
  assert.deepEqual(['sarif-fs', 'sarif-image'].map((k) => [stepOf(r, 'scan', k).outcome, stepOf(r, 'scan', k).conclusion]), [['failure', 'success'], ['failure', 'success']]);
  const warn = stepOf(r, 'scan', 'Warn when code scanning did not take the reports');
  assert.equal(warn.outcome, 'success');
  assert.match(warn.log, /::warning title=cd: code scanning upload failed::/);
  assert.deepEqual(world.artifacts['scan-reports-production-app-app-attempt-1'], ['fs.json', 'fs.sarif', 'image.json', 'image.sarif']);
  assert.equal(r.jobs.scan.result, 'success');
  assert.equal(r.jobs.deploy.result, 'success');
  assert.equal(r.conclusion, 'success');
});

test('upload-sarif: false skips code scanning but still keeps the reports', async () => {
  const world = cluster();
  const r = await run(world, GOOD, { inputs: { environment: 'production', release: 'app', 'image-ref': GOOD, chart: 'examples/chart', 'upload-sarif': false } });
  assert.equal(stepOf(r, 'scan', 'sarif-fs').outcome, 'skipped');
  assert.equal(stepOf(r, 'scan', 'Warn when code scanning did not take the reports').outcome, 'skipped');
  assert.equal(world.artifacts['scan-reports-production-app-app-attempt-1'].length, 4);
});

test('"Re-run failed jobs" after a rollback cannot turn the run green while the old revision is live', async () => {
  const world = cluster();
  const first = await run(world, BAD);
  assert.equal(first.conclusion, 'failure');
  const again = await run(world, BAD, { rerunFailedOf: first });
  assert.equal(again.attempt, 2);
  // Only the failed job runs again, and it is deploy + smoke test + rollback together.
  assert.equal(again.jobs.resolve.attempt, 1);
  assert.equal(again.jobs.scan.attempt, 1);
  assert.equal(again.jobs.deploy.attempt, 2);
  assert.deepEqual(world.calls.filter((c) => !c.startsWith('scan') && !c.startsWith('sarif')).slice(3), [`deploy ${BAD}`, `smoke ${BAD}`, 'rollback to 1']);
  assert.equal(again.conclusion, 'failure');
  assert.equal(again.outputs.verified, 'false');
  assertTruthful(again, world, BAD);
});

test('the same re-run against cd.yml before issue 9 went green with the old revision live (what the rework prevents)', async () => {
  const world = cluster();
  const first = await run(world, BAD, { source: BEFORE });
  assert.equal(first.jobs.rollback.result, 'success');
  assert.equal(first.jobs.deploy.result, 'success', 'before: the environment deployment said success although it was rolled back');
  const again = await run(world, BAD, { source: BEFORE, rerunFailedOf: first });
  assert.equal(again.jobs.deploy.attempt, 1, 'before: the deploy was not repeated');
  assert.equal(again.conclusion, 'success');
  assert.equal(again.outputs['rolled-back'], 'false');
  assert.equal(liveImage(world), OLD);
});

test('a flaky smoke test: the re-run deploys again, verifies, and only then is green', async () => {
  const world = cluster({ flaky: 1, broken: new Set() });
  const first = await run(world, GOOD);
  assert.equal(first.conclusion, 'failure');
  assert.equal(liveImage(world), OLD);
  const again = await run(world, GOOD, { rerunFailedOf: first });
  assert.equal(again.conclusion, 'success');
  assert.deepEqual([again.outputs.revision, again.outputs.verified], ['3', 'true']);
  assertTruthful(again, world, GOOD);
});

test('cancelled during the smoke test: no rollback is started, nothing reports verified, the run is cancelled', async () => {
  const world = cluster();
  const r = await run(world, GOOD, { cancelAt: { job: 'deploy', step: 'smoke' } });
  assert.equal(stepOf(r, 'deploy', 'rollback').outcome, 'skipped');
  assert.equal(stepOf(r, 'deploy', 'verdict').outcome, 'failure');
  assert.equal(r.jobs.deploy.result, 'cancelled');
  assert.equal(r.conclusion, 'cancelled');
  assert.equal(r.outputs.verified, 'false');
  assert.match(r.jobs.deploy.summary, /deployed to production but not verified \(smoke test: cancelled\)/);
});

test('cancelled while resolving: the registry credentials are still removed and nothing is scanned or deployed', async () => {
  const world = cluster();
  const r = await run(world, GOOD, { cancelAt: { job: 'resolve', step: 'image' } });
  assert.equal(stepOf(r, 'resolve', 'Remove the registry credentials').outcome, 'success');
  assert.equal(stepOf(r, 'resolve', 'target').outcome, 'skipped');
  assert.equal(r.jobs.scan.result, 'skipped');
  assert.equal(r.jobs.deploy.result, 'skipped');
  assert.deepEqual(world.calls, []);
  assert.equal(r.conclusion, 'cancelled');
});

test('cancelled during the scan: the deploy job never starts', async () => {
  const world = cluster();
  const r = await run(world, GOOD, { cancelAt: { job: 'scan', step: 'image' } });
  assert.equal(r.jobs.deploy.result, 'skipped');
  assert.ok(!world.calls.some((c) => c.startsWith('deploy')));
});

test('the kubeconfig reaches deploy, smoke test and rollback, whether passed or an environment secret of the same name', async () => {
  const world = cluster();
  const seen: string[] = [];
  const base = mocks();
  const spy = kubeconfigSpy(base, seen);
  // An environment secret KUBECONFIG arrives in the secrets context as `kubeconfig` (names ignore case).
  await simulateWorkflow<Cluster>(CD, {
    inputs: { environment: 'production', release: 'app', 'image-ref': BAD, chart: 'examples/chart' },
    secrets: { kubeconfig: 'env-secret-kubeconfig' },
    mocks: { ...base, 'deploy/deploy': spy('deploy/deploy'), 'deploy/smoke': spy('deploy/smoke'), 'deploy/rollback': spy('deploy/rollback') },
    world,
  });
  assert.deepEqual(seen, ['deploy:env-secret-kubeconfig', 'smoke:env-secret-kubeconfig', 'rollback:env-secret-kubeconfig']);
});

test('promotion of image + tag for an owner with capitals: the registry is asked for the lower-case repository, the tag keeps its case', async () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-runner-'));
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-bin-'));
  try {
    const log = path.join(temp, 'docker.log');
    // A docker stand-in: records each call with its DOCKER_CONFIG, answers imagetools with a manifest digest.
    fs.writeFileSync(
      path.join(bin, 'docker'),
      `#!/usr/bin/env bash\nprintf '%s|%s\\n' "\${DOCKER_CONFIG:-unset}" "$*" >>'${log}'\nif [ "$1" = login ]; then cat >/dev/null; printf '{"auths":{"ghcr.io":{}}}' >"$DOCKER_CONFIG/config.json"; echo 'Login Succeeded'; exit 0; fi\nif [ "$1 $2 $3" = "buildx imagetools inspect" ]; then printf '{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:${'d'.repeat(64)}","size":1}\\n'; exit 0; fi\nexit 1\n`,
      { mode: 0o755 },
    );
    const world = cluster({ broken: new Set() });
    const base = mocks();
    delete base['resolve/Log in to the image registry'];
    const r = await simulateWorkflow<Cluster>(CD, {
      inputs: { environment: 'production', release: 'app', image: 'ghcr.io/Acme-Corp/MyApp', tag: 'v1.0.0-RC1', chart: 'examples/chart' },
      secrets: {},
      mocks: base,
      world,
      pathPrepend: [bin],
      runnerTemp: temp,
    });
    const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
    const config = path.join(temp, 'cd-docker-config-1-1');
    assert.deepEqual(calls, [`${config}|login ghcr.io -u octocat --password-stdin`, `${config}|buildx imagetools inspect ghcr.io/acme-corp/myapp:v1.0.0-RC1 --format {{json .Manifest}}`]);
    assert.equal(r.outputs['image-ref'], `ghcr.io/acme-corp/myapp:v1.0.0-RC1@sha256:${'d'.repeat(64)}`);
    assert.ok(world.calls.includes(`deploy ghcr.io/acme-corp/myapp:v1.0.0-RC1@sha256:${'d'.repeat(64)}`));
    // The private docker config is gone at the end of the job; the runner's default one was never named.
    assert.equal(stepOf(r, 'resolve', 'Remove the registry credentials').outcome, 'success');
    assert.equal(fs.existsSync(config), false);
    assert.ok(!calls.some((c) => c.startsWith('unset|')));
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
    fs.rmSync(bin, { recursive: true, force: true });
  }
});
