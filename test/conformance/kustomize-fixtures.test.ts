// The repo's Kustomize fixtures are the shared captures, unchanged (checked when ../shared is present), and
// kustomize-deploy's parsers read every captured kubectl output of both versions (1.33 and 1.31) the same way, from
// the repo's copies (test/fixtures/kustomize/captured): a missing capture fails the test.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { immutableJobs, parseApplyOutput } from '../../actions/kustomize-deploy/apply-output.js';
import { jobStates } from '../../actions/kustomize-deploy/jobs.js';
import { applySetId, parseObjects } from '../../actions/kustomize-deploy/objects.js';
import { classifyClusterError } from '../../actions/toolkit/index.js';
import { ROOT } from '../support/run-action.js';

const SHARED = path.join(path.resolve(ROOT, '..', 'shared'), 'fixtures', 'kustomize');
const OURS = path.join(ROOT, 'test', 'fixtures', 'kustomize');
const CAPTURED = path.join(OURS, 'captured');
const skip = fs.existsSync(SHARED) ? false : 'shared fixtures (../shared/fixtures/kustomize) not present: only the byte-for-byte comparison is skipped';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

describe('Kustomize fixtures conform to the shared captures', () => {
  it('every captured file the repo keeps is byte for byte the shared one', { skip }, () => {
    const ours = filesUnder(path.join(OURS, 'captured'));
    assert.ok(ours.length > 40, `${ours.length} files`);
    for (const f of ours) assert.equal(fs.readFileSync(path.join(OURS, 'captured', f), 'utf8'), fs.readFileSync(path.join(SHARED, f), 'utf8'), f);
  });

  it('the tree is the shared one plus the staging overlay', { skip }, () => {
    const ours = filesUnder(path.join(OURS, 'tree'));
    assert.deepEqual(ours.filter((f) => !f.startsWith('overlays/staging/')).sort(), filesUnder(path.join(SHARED, 'tree')).sort());
    for (const f of ours.filter((x) => !x.startsWith('overlays/staging/'))) assert.equal(fs.readFileSync(path.join(OURS, 'tree', f), 'utf8'), fs.readFileSync(path.join(SHARED, 'tree', f), 'utf8'), f);
  });

  for (const version of ['', 'v31']) {
    const fx = (step: string): string => path.join(CAPTURED, version, step);
    const read = (step: string): string => fs.readFileSync(fx(step), 'utf8');
    const label = version || 'v33';
    it(`${label}: every apply that succeeded lists its objects, and the ApplySet prune lists what it deleted`, () => {
      for (const step of ['02-apply-first', '02-apply-noop', '02-apply-image-changed', '03-apply-dry-run-server', '03-applyset-first', '03-applyset-noop']) assert.equal(parseApplyOutput(read(`${step}.stdout`)).applied.length, 11, step);
      assert.deepEqual(parseApplyOutput(read('03-applyset-prune.stdout')).pruned, ['service/live', 'deployment.apps/live']);
    });
    it(`${label}: the changed migrator Job is recognised in the apply and the ApplySet apply`, () => {
      assert.deepEqual(immutableJobs(read('04-apply-job-image-changed.stderr')), ['migrator']);
      assert.deepEqual(immutableJobs(read('03-applyset-config-changed.stderr')), ['migrator']);
    });
    it(`${label}: unreachable is transient, refusals are permanent`, () => {
      for (const step of ['04-apply-connection-refused', '04-apply-connection-refused-novalidate', '04-rollout-status-connection-refused']) assert.equal(classifyClusterError(read(`${step}.stderr`)).kind, 'transient', step);
      for (const step of ['04-apply-forbidden', '04-apply-unknown-field-strict', '04-apply-unknown-field-novalidate', '04-apply-selector-changed', '04-apply-clusterip-changed', '06-apply-after-undo-conflict', '03-prune-label-ssa', '03-applyset-without-env']) assert.equal(classifyClusterError(read(`${step}.stderr`)).kind, 'permanent', step);
    });
    it(`${label}: Job conditions: complete, then failed with BackoffLimitExceeded`, () => {
      assert.equal(jobStates(read('05-get-healthy.stdout'), ['migrator'])[0].state, 'complete');
      assert.equal(jobStates(read('05-get-job-failed.stdout'), ['migrator'])[0].state, 'failed');
    });
    it(`${label}: the renders parse, and the ApplySet id is kubectl's`, () => {
      assert.equal(parseObjects(read('01-kustomize-dev.stdout')).objects.length, 11);
      assert.equal(parseObjects(read('01-kustomize-prod.stdout')).problems.length, 0);
      if (fs.existsSync(fx('03-applyset-parent.stdout'))) {
        const parent = JSON.parse(read('03-applyset-parent.stdout')) as { metadata: { name: string; namespace: string; labels: Record<string, string> } };
        assert.equal(applySetId(parent.metadata.name, parent.metadata.namespace), parent.metadata.labels['applyset.kubernetes.io/id']);
      }
    });
  }
});
