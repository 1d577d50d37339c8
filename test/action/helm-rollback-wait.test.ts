// helm-deploy's rollback after a failed deploy waits for the restored revision itself (no Helm wait): kubectl
// rollout status of the restored revision's workloads with the pod watch beside it. Built bundle, stand-in
// helm and kubectl of both majors: restored pods that crash end the wait at once, a restored workload that
// does not become available fails the rollback, and without the restored manifest Helm's own wait is used.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../support/run-action.js';
import type { StandInRule } from '../support/stand-in.js';
import { FIXTURES, calls, crashPods, deploy, history, standInCluster, statusJson } from './helm-deploy-stand-ins.js';

/** Revision 1's manifest: its pods carry `track: v1`, so the restore's watch has a selector of its own. */
const RESTORED_MANIFEST = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: shop}',
  'spec:',
  '  replicas: 1',
  '  selector: {matchLabels: {app.kubernetes.io/name: shop, track: v1}}',
  '  template:',
  '    metadata: {labels: {app.kubernetes.io/name: shop, track: v1}}',
  '    spec: {containers: [{name: shop, image: "registry.local/shop:good"}]}',
  '',
].join('\n');

/** The crash-looping pod of the captured fixture, as a new pod of the restored revision (another uid and name). */
function restoredPodCrashing(major: number): string {
  const list = JSON.parse(fs.readFileSync(path.join(FIXTURES, `helm${major}`, '02-pods-crashloop.json'), 'utf8')) as { items: { metadata: Record<string, unknown> }[] };
  const [pod] = list.items;
  pod.metadata = { ...pod.metadata, name: 'shop-v1-7d9f8-qwert', uid: '33333333-cccc-4ccc-8ccc-000000000003', labels: { 'app.kubernetes.io/name': 'shop', track: 'v1' } };
  return JSON.stringify({ ...list, items: [pod] });
}

const failedUpgrade = (extra: StandInRule[]): StandInRule[] => [
  { match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete']]), times: 1 },
  { match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete'], [2, 'pending-upgrade', 'Preparing upgrade']]), times: 1 },
  { match: ['history shop'], stdout: history([[1, 'superseded', 'Install complete'], [2, 'pending-upgrade', 'Preparing upgrade'], [3, 'deployed', 'Rollback to 1']]) },
  { match: ['upgrade shop'], stdout: '', delayMs: 120_000 },
  ...extra,
  { match: ['rollback shop'], stdout: 'Rollback was a success! Happy Helming!\n' },
  { match: ['status shop'], stdout: statusJson(3, 'deployed') },
];

for (const major of [3, 4] as const) {
  describe(`helm-deploy's own wait for the restored revision, Helm ${major}`, { concurrency: 3 }, () => {
    it('restored pods that crash too end the rollback at once: fails saying so, outputs as helm status shows', async () => {
      const c = standInCluster(major, {
        helm: failedUpgrade([{ match: ['get', 'manifest', '--revision 1'], stdout: RESTORED_MANIFEST }]),
        kubectl: [
          { match: ['get', 'pods', 'track=v1'], stdout: restoredPodCrashing(major) },
          { match: ['rollout', 'status'], stdout: 'Waiting for deployment "shop" rollout to finish: 0 of 1 updated replicas are available...\n', delayMs: 120_000 },
          ...crashPods(major),
        ],
      });
      const run = await deploy(c, { timeout: '5m' });
      assert.equal(run.main.exitCode, 1);
      const [rollback] = calls(c.helm, 'rollback');
      assert.ok(!rollback.some((a) => a.startsWith('--wait')), `no Helm wait: ${rollback.join(' ')}`);
      assert.ok(calls(c.kubectl, 'get').some((a) => a.includes('--watch') && a.includes('app.kubernetes.io/name=shop,track=v1')), 'the restored revision\'s pods are watched by its own selector');
      assert.match(run.main.stdout, /Rollback failed too: helm rollback shop 1: the restored revision's pods are failing too \(shop-v1-7d9f8-qwert\/shop: CrashLoopBackOff/);
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['rolled-back']], ['deployed', '3', 'false'], 'what helm status shows; not rolled back to a healthy release');
      assert.equal(run.main.stdout.match(/^::error/gm)?.length, 1);
    });

    it('a restored workload that does not become available fails the rollback with kubectl\'s reason', async () => {
      const c = standInCluster(major, {
        helm: failedUpgrade([]),
        kubectl: [{ match: ['rollout', 'status'], fixture: path.join(ROOT, 'test', 'fixtures', 'kustomize', 'captured', '05-rollout-status-progress-deadline') }, ...crashPods(major)],
      });
      const run = await deploy(c, { timeout: '5m' });
      assert.equal(run.main.exitCode, 1);
      assert.deepEqual(calls(c.kubectl, 'rollout')[0].slice(0, 3), ['rollout', 'status', 'deployment/shop']);
      assert.match(run.main.stdout, /Rollback failed too: helm rollback shop 1: Deployment\/shop did not become available again: error: deployment "web" exceeded its progress deadline/);
      assert.deepEqual([run.outputs.status, run.outputs['rolled-back']], ['deployed', 'false']);
    });

    it('without the restored revision\'s manifest the rollback falls back to Helm\'s own wait, watched', async () => {
      const c = standInCluster(major, {
        helm: failedUpgrade([{ match: ['get', 'manifest', '--revision 1'], stderr: 'Error: release: not found\n', exitCode: 1 }]),
        kubectl: crashPods(major),
      });
      const run = await deploy(c, { timeout: '5m' });
      assert.equal(run.main.exitCode, 1);
      assert.equal(calls(c.helm, 'rollback')[0][5], major === 3 ? '--wait' : '--wait=watcher');
      assert.match(run.main.stdout, /::error::Pods failing .*; rolled back to revision 1 \(live as revision 3\)/);
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['rolled-back']], ['deployed', '3', 'true']);
    });
  });
}
