// helm-deploy's crash watch on the real control plane, Helm 3 and Helm 4, with the node stand-in writing kubelet
// statuses: a healthy pod that becomes ready only after 20 s is never rolled back (crash-checks 1, the most eager
// setting), and a pod that crashes after 30 s of readiness — while the wait still runs (minReadySeconds 45) — is
// caught and the release rolled back.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runAction } from '../support/run-action.js';
import { loadStack } from '../support/stack.js';
import { Api, KUBECONFIG, NodePlayer, controlPlaneSkip } from './helm-deploy-node.js';

const stack = loadStack();
const skip = stack ? controlPlaneSkip() : 'test stack not running (npm run stack)';

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
      const ns = `helm-watch-${name}-${major}-${process.pid % 10000}`;
      const api = new Api();
      await api.createNamespace(ns);
      const node = new NodePlayer(api, ns, { readyAfterMs: 1000 });
      await node.start();
      const ws = workspaceWithChart();
      try {
        await body((set, extra = {}) =>
          runAction('helm-deploy', {
            inputs: { release: 'svc', namespace: ns, chart: 'chart', set: set.join('\n'), timeout: '3m', ...extra },
            env: { KUBECONFIG },
            context: { workspace: ws },
            pathPrepend: [path.dirname(bin())],
            timeoutMs: 240_000,
          }),
        );
      } finally {
        node.stop();
        await api.deleteNamespace(ns);
        api.close();
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
