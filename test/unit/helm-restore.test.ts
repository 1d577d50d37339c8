// helm-deploy's rollback after a failed deploy waits for the restored revision itself (no Helm wait): which
// workloads it waits for and which pods it watches, and the rollback's argv without Helm's wait.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restorePlan } from '../../actions/helm-deploy/deploy.js';
import { rollbackArgs } from '../../actions/helm-deploy/helm-args.js';

const deployment = (name: string, labels: Record<string, string>): string =>
  ['apiVersion: apps/v1', 'kind: Deployment', `metadata: {name: ${name}}`, 'spec:', `  selector: {matchLabels: ${JSON.stringify(labels)}}`, `  template: {metadata: {labels: ${JSON.stringify(labels)}}, spec: {containers: [{name: app, image: x}]}}`].join('\n');
const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}';

describe('restorePlan: what the rollback waits for', () => {
  it('waits for the restored revision\'s workloads and watches their pods, one selector when it is the failed one\'s', () => {
    const plan = restorePlan([service, deployment('web', { app: 'web' })].join('\n---\n'), 'web', ['app=web'], new Set(['old-uid']));
    assert.deepEqual(plan.workloads.map((w) => `${w.kind}/${w.name}`), ['Deployment/web']);
    assert.deepEqual(plan.selectors, ['app=web']);
    assert.deepEqual([...plan.ignoreUids], ['old-uid']);
  });
  it('watches the restored revision\'s pods when its labels differ from the failed revision\'s, and the failed ones too', () => {
    const plan = restorePlan([deployment('web', { app: 'web', tier: 'v1' }), deployment('worker', { app: 'worker' })].join('\n---\n'), 'web', ['app=web,tier=v2'], new Set());
    assert.deepEqual(plan.workloads.map((w) => w.name), ['web', 'worker']);
    assert.deepEqual(plan.selectors, ['app=web,tier=v1', 'app=worker', 'app=web,tier=v2']);
  });
  it('a restored revision without workloads has nothing to wait for (no guessed instance selector)', () => {
    const plan = restorePlan(service, 'web', ['app=web'], new Set());
    assert.deepEqual([plan.workloads, plan.selectors], [[], ['app=web']]);
  });
});

describe('rollbackArgs without Helm\'s wait', () => {
  for (const major of [3, 4] as const) {
    it(`Helm ${major}: no --wait flag (Helm 4 then waits for hooks only), timeout and history-max kept`, () => {
      assert.deepEqual(rollbackArgs(major, 'web', 'prod', 4, 60_000, 10, false), ['rollback', 'web', '4', '--namespace', 'prod', '--timeout', '1m', '--history-max', '10']);
      assert.ok(rollbackArgs(major, 'web', 'prod', 4, 60_000, 10).some((a) => a.startsWith('--wait')), 'the default still waits (mode rollback, recovery)');
    });
  }
});
