// Port-forward through a kubectl stand-in that really forwards a local port to a real test server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { runChecks } from '../../actions/smoke-test/check-loop.js';
import { parseChecks } from '../../actions/smoke-test/checks.js';
import { checkProbe } from '../../actions/smoke-test/http-probe.js';
import { killLeftoverPortForward } from '../../actions/smoke-test/kubectl.js';
import { Kubectl } from '../../actions/toolkit/kube/kubectl.js';
import { forwardingLine, freeLocalPort, portForward } from '../../actions/toolkit/kube/port-forward.js';
import { ROOT } from '../support/run-action.js';
import { healthyApp, isAlive, startServer, writeFakeKubectl, type TestServer } from '../support/http-servers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-pf-'));
const kubectlBin = writeFakeKubectl(path.join(dir, 'bin'));
// A kubectl that is a wrapper script (asdf, gcloud shims): sh runs the real one as its child, without exec.
const wrapperBin = path.join(dir, 'wrapper', 'kubectl');
fs.mkdirSync(path.dirname(wrapperBin));
fs.writeFileSync(wrapperBin, `#!/bin/sh\n"${process.execPath}" "${path.join(ROOT, 'test', 'fixtures', 'smoke', 'fake-kubectl.mjs')}" "$@"\n`, { mode: 0o755 });
const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function withEnv(env: Record<string, string | undefined>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

const target = { resource: 'svc/api', namespace: 'shop', remotePort: '8080', readyTimeoutMs: 5000 };

describe('smoke-test port-forward', () => {
  it('forwards to the Service, passes the checks through it, and leaves no process behind', async () => {
    const app = await startServer(healthyApp());
    servers.push(app);
    const log = path.join(dir, 'calls-1.jsonl');
    const restore = withEnv({ FAKE_KUBECTL_TARGET: `127.0.0.1:${app.port}`, FAKE_KUBECTL_LOG: log });
    try {
      const kubeconfig = path.join(dir, 'kubeconfig');
      fs.writeFileSync(kubeconfig, 'apiVersion: v1\n', { mode: 0o600 });
      const localPort = await freeLocalPort();
      const forward = await portForward(new Kubectl({ bin: kubectlBin, kubeconfig, context: 'kind-ci' }), { ...target, localPort });
      assert.ok(isAlive(forward.pid));
      const out = await runChecks({
        checks: parseChecks(''),
        baseUrl: `http://127.0.0.1:${localPort}`,
        probe: checkProbe({ headers: {}, insecureSkipTlsVerify: false, maxRedirects: 5 }),
        deadline: Date.now() + 3000,
        requestTimeoutMs: 1000,
        consecutiveSuccesses: 2,
        samples: 2,
      });
      assert.ok(out.results.every((r) => r.passed), JSON.stringify(out.results.map((r) => r.reason)));
      assert.equal(app.requests.length, 3 * 4);
      await forward.stop();
      const [call] = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; pid: number; kubeconfig: string; kubeconfigMode: string });
      assert.deepEqual(call.argv, ['--context', 'kind-ci', 'port-forward', 'svc/api', `${localPort}:8080`, '--namespace', 'shop', '--address', '127.0.0.1']);
      assert.equal(call.kubeconfig, kubeconfig);
      assert.equal(call.kubeconfigMode, '600');
      assert.equal(call.pid, forward.pid);
      assert.equal(isAlive(call.pid), false);
    } finally {
      restore();
    }
  });

  it('fails with kubectl\'s own error when the forward cannot start', async () => {
    const restore = withEnv({ FAKE_KUBECTL_FAIL: 'error: services "api" not found', FAKE_KUBECTL_LOG: undefined });
    try {
      const localPort = await freeLocalPort();
      await assert.rejects(portForward(new Kubectl({ bin: kubectlBin }), { ...target, localPort }), /kubectl port-forward exited \(exit code 1\) before forwarding:\nerror: services "api" not found/);
    } finally {
      restore();
    }
  });

  it('says how to get kubectl when it is missing', async () => {
    await assert.rejects(portForward(new Kubectl({ bin: path.join(dir, 'no-such-kubectl') }), { ...target, localPort: await freeLocalPort() }), /kubectl not found/);
  });

  it('stops the children of a wrapper-script kubectl too, so nothing holds the forward or the step open', async () => {
    const app = await startServer(healthyApp());
    servers.push(app);
    const log = path.join(dir, 'calls-wrapper.jsonl');
    const restore = withEnv({ FAKE_KUBECTL_TARGET: `127.0.0.1:${app.port}`, FAKE_KUBECTL_LOG: log });
    try {
      const localPort = await freeLocalPort();
      const forward = await portForward(new Kubectl({ bin: wrapperBin }), { ...target, localPort });
      const [call] = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { pid: number });
      assert.notEqual(call.pid, forward.pid, 'the forwarding process is the wrapper\'s child');
      assert.equal(isAlive(call.pid), true);
      await forward.stop();
      assert.equal(isAlive(forward.pid), false, 'wrapper still running');
      assert.equal(isAlive(call.pid), false, "the wrapper's child kept running");
    } finally {
      restore();
    }
  });

  it('post kills what is left of a wrapper-script forward: its whole process group', async () => {
    const app = await startServer(healthyApp());
    servers.push(app);
    const log = path.join(dir, 'calls-wrapper-post.jsonl');
    const restore = withEnv({ FAKE_KUBECTL_TARGET: `127.0.0.1:${app.port}`, FAKE_KUBECTL_LOG: log });
    try {
      const forward = await portForward(new Kubectl({ bin: wrapperBin }), { ...target, localPort: await freeLocalPort() });
      const [call] = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { pid: number });
      assert.equal(await killLeftoverPortForward(forward.pid), true);
      assert.equal(isAlive(forward.pid), false);
      assert.equal(isAlive(call.pid), false, "the wrapper's child kept running");
      await forward.stop();
    } finally {
      restore();
    }
  });

  it('escalates to SIGKILL when kubectl ignores SIGTERM', async () => {
    const app = await startServer(healthyApp());
    servers.push(app);
    const restore = withEnv({ FAKE_KUBECTL_TARGET: `127.0.0.1:${app.port}`, FAKE_KUBECTL_IGNORE_TERM: '1', FAKE_KUBECTL_LOG: undefined });
    try {
      const forward = await portForward(new Kubectl({ bin: kubectlBin }), { ...target, localPort: await freeLocalPort() });
      await forward.stop(200);
      assert.equal(isAlive(forward.pid), false);
    } finally {
      restore();
    }
  });

  it('post kills a port-forward left running, and only a port-forward', async () => {
    const app = await startServer(healthyApp());
    servers.push(app);
    const localPort = await freeLocalPort();
    const script = path.join(ROOT, 'test', 'fixtures', 'smoke', 'fake-kubectl.mjs');
    const child = spawn(process.execPath, [script, 'port-forward', 'svc/api', `${localPort}:80`], { env: { ...process.env, FAKE_KUBECTL_TARGET: `127.0.0.1:${app.port}` }, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    while (!forwardingLine(out, localPort)) await sleep(20);
    const bystander = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      assert.equal(await killLeftoverPortForward(bystander.pid ?? 0), false);
      assert.equal(isAlive(bystander.pid ?? 0), true);
      assert.equal(await killLeftoverPortForward(child.pid ?? 0), true);
      assert.equal(isAlive(child.pid ?? 0), false);
      assert.equal(await killLeftoverPortForward(child.pid ?? 0), false);
    } finally {
      bystander.kill('SIGKILL');
    }
  });

  it('recognises only the 127.0.0.1 forwarding line for its own port', () => {
    const text = 'Forwarding from 127.0.0.1:41234 -> 8080\nForwarding from [::1]:41234 -> 8080\n';
    assert.equal(forwardingLine(text, 41234), 'Forwarding from 127.0.0.1:41234 -> 8080');
    assert.equal(forwardingLine(text, 4123), undefined);
    assert.equal(forwardingLine('Forwarding from [::1]:41234 -> 8080', 41234), undefined);
  });
});
