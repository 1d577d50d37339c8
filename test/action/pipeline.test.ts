// The local pipeline (scripts/pipeline.ts): the four bundles chained as ci.yml → cd.yml chain them, with
// the inputs those workflows give, against the local stack and stand-in helm/kubectl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PipelineResult, StageResult } from '../../scripts/pipeline.js';
import { preflight, runPipeline } from '../../scripts/pipeline.js';
import { ROOT } from '../support/run-action.js';
import { loadStack, stackSkip } from '../support/stack.js';

const stack = loadStack();
const skip = stackSkip(stack);
const quiet = (): void => undefined;

function stage(result: PipelineResult, name: string): StageResult {
  const found = result.stages.find((s) => s.stage === name);
  assert.ok(found, `stage ${name} ran (ran: ${result.stages.map((s) => s.stage).join(', ')})`);
  return found;
}

test('preflight names every missing bundle with the command that builds it', () => {
  const problems = preflight(undefined);
  assert.ok(problems.some((p) => /npm run stack/.test(p)));
  for (const name of ['build-push', 'trivy-gate', 'helm-deploy', 'smoke-test']) {
    const built = fs.existsSync(path.join(ROOT, 'dist', name, 'index.js'));
    assert.equal(problems.some((p) => p.includes(`npm run build -- ${name}`)), !built, name);
  }
});

test('chains build-push → trivy-gate → helm-deploy → smoke-test with the digest flowing through', { skip, timeout: 300_000 }, async () => {
  const result = await runPipeline({ log: quiet });
  assert.equal(result.ok, true, result.stoppedAt);
  assert.deepEqual(result.stages.map((s) => s.action ?? 'script'), ['build-push', 'script', 'script', 'trivy-gate', 'trivy-gate', 'helm-deploy', 'smoke-test', 'script']);
  const verdict = stage(result, 'deploy / Say which release is live');
  assert.equal([verdict.exitCode, verdict.outputs.verified].join(), '0,true');
  const build = stage(result, 'ci / build and push');
  const digest = build.outputs.digest;
  assert.match(digest, /^sha256:[a-f0-9]{64}$/);
  const imageRef = build.outputs['image-ref'];
  assert.match(imageRef, new RegExp(`^${stack?.registryOpen.replace(/\./g, '\\.')}/platform-actions/pipeline-[a-z0-9]+@${digest}$`));
  assert.equal(build.inputs.platforms, 'linux/amd64,linux/arm64', 'ci.yml default platforms');
  assert.equal(stage(result, 'resolve / Resolve the image to its digest').outputs.ref, imageRef);
  const scan = stage(result, 'cd / scan (image)');
  assert.equal(scan.inputs['image-ref'], imageRef);
  assert.equal(scan.overrides.mode, 'report');
  assert.equal(scan.outputs.passed, 'true');
  const deploy = stage(result, 'cd / deploy');
  assert.equal(deploy.inputs.image, imageRef);
  assert.equal(deploy.inputs['values-files'], 'examples/chart/values-dev.yaml');
  assert.deepEqual([deploy.outputs.status, deploy.outputs.revision, deploy.outputs['previous-revision']], ['deployed', '2', '1']);
  const upgrade = result.standIns?.helm.calls().find((c) => c[0] === 'upgrade');
  assert.ok(upgrade, 'helm upgrade ran against the stand-in');
  assert.deepEqual(upgrade.slice(0, 2), ['upgrade', 'app']);
  const smoke = stage(result, 'cd / smoke test');
  assert.equal(smoke.outputs.passed, 'true');
  assert.equal(smoke.outputs.mode, 'ingress');
  assert.ok(!result.stages.some((s) => s.stage === 'cd / roll back'), 'no rollback after a passing smoke test');
});

test('promotes a tag: cd.yml\'s resolve script finds the digest build-push pushed, and a failed smoke test rolls back to the previous revision', { skip, timeout: 300_000 }, async () => {
  const result = await runPipeline({ log: quiet, promote: true, failSmoke: true });
  const build = stage(result, 'ci / build and push');
  const resolved = stage(result, 'resolve / Resolve the image to its digest');
  assert.equal(resolved.inputs.IMAGE_REF, '');
  assert.ok(resolved.inputs.TAG, 'deployed by tag');
  // The tag resolves to the pushed digest, and stays beside it (for charts that read only a tag).
  assert.equal(resolved.outputs.ref, build.outputs['image-ref'].replace('@', `:${resolved.inputs.TAG}@`), 'the tag resolves to the pushed digest');
  const smoke = stage(result, 'cd / smoke test');
  assert.equal(smoke.exitCode, 1);
  assert.match(smoke.outputs['failed-checks'], /\/ready/);
  const deploy = stage(result, 'cd / deploy');
  const rollback = stage(result, 'cd / roll back');
  assert.equal(rollback.inputs.mode, 'rollback');
  assert.equal(rollback.inputs.revision, deploy.outputs['previous-revision']);
  assert.equal(rollback.outputs['rolled-back'], 'true');
  assert.equal(rollback.outputs.revision, '3');
  assert.ok(result.standIns?.helm.calls().some((c) => c[0] === 'rollback' && c[1] === 'app' && c[2] === '1'));
  // The job fails after the rollback: green only when the deployed revision was verified.
  const verdict = stage(result, 'deploy / Say which release is live');
  assert.equal([verdict.exitCode, verdict.outputs.verified].join(), '1,false');
  assert.match(verdict.summary, /rolled back to revision 3/);
  assert.equal(result.ok, true);
});

test('a HIGH finding in the image report stops the pipeline before the deploy', { skip, timeout: 300_000 }, async () => {
  const result = await runPipeline({ log: quiet, findings: true });
  assert.equal(result.ok, false);
  assert.equal(result.stoppedAt, 'cd / scan gate');
  assert.equal(stage(result, 'cd / scan (image)').outputs.passed, 'false');
  assert.ok(!result.stages.some((s) => s.action === 'helm-deploy'));
});
