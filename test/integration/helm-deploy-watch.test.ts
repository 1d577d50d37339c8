// helm-deploy's crash watch on the real control plane, Helm 3 and Helm 4, with the node stand-in writing kubelet
// statuses: a healthy pod that becomes ready only after 20 s is never rolled back (crash-checks 1, the most eager
// setting), and a pod that crashes after 30 s of readiness — while the wait still runs (minReadySeconds 45) — is
// caught and the release rolled back.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeStandIn, byImage, clusterSkip, createNamespace, loadCluster } from '../support/cluster.js';
import { runAction } from '../support/run-action.js';
import { loadStack } from '../support/stack.js';

const stack = loadStack();
const cluster = loadCluster();
const skip = clusterSkip(cluster) || (stack ? false : 'test stack not running (npm run stack)');
// `…-slow:` is ready only after 20 s; `…-crash-after:` is ready for 30 s, then crash-loops on kubelet's back-off.
const standIn = cluster
  ? new NodeStandIn(cluster, {
      namespaces: [],
      name: 'helm-watch',
      behaviour: byImage({ '-slow:': { kind: 'ready', readyAfterMs: 20_000 }, '-crash-after:': { kind: 'crash-after', afterMs: 30_000 } }, { kind: 'ready', readyAfterMs: 1000 }),
    })
  : undefined;

before(async () => {
  if (!skip) await standIn?.start();
});
after(async () => {
  await standIn?.stop();
  cluster?.api.close();
});

/** A one-Deployment chart in a workspace of its own; the image decides what the node stand-in plays. */
function workspaceWithChart(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-watch-ws-'));
  const dir = path.join(ws, 'chart');
  fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: svc\nversion: 0.1.0\n');
  fs.writeFileSync(path.join(dir, 'values.yaml'), 'image: 127.0.0.1:5000/svc:v1\nminReadySeconds: 0\n');
  fs.writeFileSync(
    path.join(dir, 'templates', 'deployment.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: {{ .Release.Name }}}',
      'spec:',
      '  replicas: 1',
      '  minReadySeconds: {{ .Values.minReadySeconds }}',
      '  selector: {matchLabels: {app: {{ .Release.Name }}}}',
      '  template:',
      '    metadata: {labels: {app: {{ .Release.Name }}}}',
      '    spec:',
      '      containers: [{name: app, image: {{ .Values.image | quote }}}]',
      '',
    ].join('\n'),
  );
  return ws;
}

describe('helm-deploy crash watch on the control plane', { skip, concurrency: 2 }, () => {
  for (const major of [3, 4] as const) {
    const bin = (): string => (major === 3 ? stack!.helm3 : stack!.helm4);
    const run = async (name: string, body: (deploy: (set: string[], extra?: Record<string, string>) => ReturnType<typeof runAction>) => Promise<void>): Promise<void> => {
      const namespace = await createNamespace(cluster!, `helm-watch-${name}-${major}`);
      const ns = namespace.name;
      await standIn!.addNamespace(ns);
      const ws = workspaceWithChart();
      try {
        await body((set, extra = {}) =>
          runAction('helm-deploy', {
            inputs: { release: 'svc', namespace: ns, chart: 'chart', set: set.join('\n'), timeout: '3m', ...extra },
            env: { KUBECONFIG: cluster!.kubeconfig },
            context: { workspace: ws },
            pathPrepend: [path.dirname(bin())],
            timeoutMs: 240_000,
          }),
        );
      } finally {
        await namespace.cleanup();
        fs.rmSync(ws, { recursive: true, force: true });
      }
    };

    it(`Helm ${major}: a healthy pod ready only after 20 s is never rolled back (crash-checks 1)`, async () => {
      await run('slow', async (deploy) => {
        assert.equal((await deploy(['image=127.0.0.1:5000/svc:v1'])).main.exitCode, 0);
        const slow = await deploy(['image=127.0.0.1:5000/svc-slow:v2'], { 'crash-checks': '1' });
        assert.equal(slow.main.exitCode, 0, slow.main.stdout);
        assert.deepEqual([slow.outputs.status, slow.outputs.revision, slow.outputs['rolled-back']], ['deployed', '2', 'false']);
        assert.doesNotMatch(slow.main.stdout, /Pods are failing/);
      });
    });

    it(`Helm ${major}: a pod crashing after 30 s of readiness, while the wait runs, is caught and rolled back`, async () => {
      await run('late', async (deploy) => {
        assert.equal((await deploy(['image=127.0.0.1:5000/svc:v1'])).main.exitCode, 0);
        const late = await deploy(['image=127.0.0.1:5000/svc-crash-after:v2', 'minReadySeconds=45']);
        assert.equal(late.main.exitCode, 1, late.main.stdout);
        assert.match(late.main.stdout, /Pods are failing \(svc-[\w-]+\/app: CrashLoopBackOff/);
        assert.deepEqual([late.outputs.status, late.outputs['rolled-back']], ['deployed', 'true']);
        assert.match(late.main.stdout, /::error::Pods failing .*; rolled back to revision 1/);
      });
    });
  }
});
