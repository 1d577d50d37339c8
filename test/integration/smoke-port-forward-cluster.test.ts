// smoke-test's port-forward fallback against the REAL API server (the control plane of ../shared/kube), where the
// fake kubectl of smoke-port-forward.test.ts only replays: the real kubectl resolves the Service to a pod through
// the real API, and the real server answers what it answers without a kubelet. The errors here are real ones.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kubectl } from '../../actions/toolkit/kube/kubectl.js';
import { freeLocalPort, portForward } from '../../actions/toolkit/kube/port-forward.js';
import { clusterSkip, createNamespace, kubectl, loadCluster, NodeStandIn, waitFor, type TestNamespace } from '../support/cluster.js';
import { runAction } from '../support/run-action.js';
import { closedPort } from '../support/http-servers.js';

const cluster = loadCluster();

function app(ns: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: ${ns}}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: "registry.example/api:1", ports: [{containerPort: 8080, name: http}]}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: ${ns}}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: http, name: http}]
`;
}

describe('smoke-test port-forward on a real API server', { skip: clusterSkip(cluster) }, () => {
  const c = cluster!;
  const standIn = new NodeStandIn(c, { namespaces: [], behaviour: () => ({ kind: 'ready' }) });
  const namespaces: TestNamespace[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-cluster-'));
  before(async () => {
    await standIn.start();
  });
  after(async () => {
    await Promise.all(namespaces.map((n) => n.cleanup()));
    await standIn.stop();
    c.api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const kube = (): Kubectl => new Kubectl({ bin: c.kubectl, kubeconfig: c.kubeconfig });

  it('fails at once with the server\'s own answer when the Service does not exist', async () => {
    const ns = await createNamespace(c, 'smoke-pf');
    namespaces.push(ns);
    await assert.rejects(
      portForward(kube(), { resource: 'svc/api', namespace: ns.name, localPort: await freeLocalPort(), remotePort: 'http', readyTimeoutMs: 60_000 }),
      (err: Error) => {
        assert.match(err.message, /kubectl port-forward exited \(exit code 1\) before forwarding/);
        assert.match(err.message, /services "api" not found/);
        return true;
      },
    );
  });

  it('resolves the Service to its running pod and reports the node\'s refusal when no kubelet answers', async () => {
    const ns = await createNamespace(c, 'smoke-pf');
    namespaces.push(ns);
    await standIn.addNamespace(ns.name);
    const applied = await kubectl(c, ['apply', '-f', '-'], { input: app(ns.name) });
    assert.equal(applied.status, 0, applied.stderr);
    await waitFor('api Ready', async () => (await kubectl(c, ['rollout', 'status', '-n', ns.name, 'deploy/api', '--timeout=5s'])).status === 0, 60_000, 500);
    const err = await portForward(kube(), { resource: 'svc/api', namespace: ns.name, localPort: await freeLocalPort(), remotePort: 'http', readyTimeoutMs: 60_000 }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(err, "port-forward cannot succeed without a kubelet");
    // kubectl picked the Service's pod through the real API, then the API server could not reach a kubelet.
    assert.match(err.message, /exited \(exit code 1\) before forwarding/);
    assert.match(err.message, /error upgrading connection: error dialing backend: dial tcp 127\.0\.0\.1:10250: connect: connection refused/);
  });

  it('the bundle falls back, fails with kubectl\'s real error, and still writes every output', async () => {
    const ns = await createNamespace(c, 'smoke-pf');
    namespaces.push(ns);
    const port = await closedPort();
    const run = await runAction('smoke-test', {
      inputs: {
        url: `http://127.0.0.1:${port}`,
        service: 'missing',
        namespace: ns.name,
        port: 'http',
        timeout: '20s',
        'request-timeout': '1s',
      },
      env: { KUBECONFIG: c.kubeconfig, PATH: `${path.dirname(c.kubectl!)}:${process.env.PATH}` },
      timeoutMs: 60_000,
    });
    assert.notEqual(run.main.exitCode, 0);
    assert.equal(run.outputs.passed, 'false');
    assert.equal(run.outputs.mode, 'port-forward');
    assert.match(run.outputs['fallback-reason'], /unreachable/);
    assert.match(run.allOutput, /services "missing" not found/);
  });
});
