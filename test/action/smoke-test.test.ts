// The built bundle (dist/smoke-test/index.js) run as the runner runs it, against real servers on 127.0.0.1.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, runAction } from '../support/run-action.js';
import { closedPort, healthyApp, hostRouted, isAlive, selfSignedCert, startServer, writeFakeKubectl, type Handler, type TestServer, type Tls } from '../support/http-servers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-action-'));
const binDir = path.join(dir, 'bin');
writeFakeKubectl(binDir);
// kubectl as a wrapper script (asdf, gcloud shims): sh runs the forwarding process as its child.
const wrapperDir = path.join(dir, 'wrapper');
fs.mkdirSync(wrapperDir);
fs.writeFileSync(path.join(wrapperDir, 'kubectl'), `#!/bin/sh\n"${process.execPath}" "${path.join(ROOT, 'test', 'fixtures', 'smoke', 'fake-kubectl.mjs')}" "$@"\n`, { mode: 0o755 });
const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});
async function serve(handler: Handler, tls?: Tls): Promise<TestServer> {
  const s = await startServer(handler, tls);
  servers.push(s);
  return s;
}

interface KubectlCall {
  argv: string[];
  pid: number;
  kubeconfig?: string;
  kubeconfigMode?: string;
}
const kubectlCalls = (log: string): KubectlCall[] =>
  fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as KubectlCall) : [];

/** Everything the steps printed except the mask registrations themselves (the runner consumes those). */
const logged = (allOutput: string): string => allOutput.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');

const fast = { timeout: '5s', 'request-timeout': '1s', samples: '3' };

describe('smoke-test action', () => {
  it('passes a healthy app through the url, with outputs, a summary row per check, and masked secrets', async () => {
    const app = await serve(healthyApp());
    const run = await runAction('smoke-test', {
      inputs: { ...fast, url: app.url, headers: 'X-Api-Key: s3cr3t-key-value\nX-Env: staging', 'bearer-token': 'tok-9f8e7d6c', 'required-metrics': 'http_requests_total, http_request_duration_seconds' },
      timeoutMs: 30_000,
    });
    assert.equal(run.main.exitCode, 0, run.allOutput);
    assert.equal(run.outputs.passed, 'true');
    assert.equal(run.outputs.mode, 'ingress');
    assert.equal(run.outputs.url, app.url);
    assert.deepEqual(JSON.parse(run.outputs['failed-checks']), []);
    const latency = JSON.parse(run.outputs.latency) as Record<string, { samples: number; p99: number }>;
    assert.deepEqual(Object.keys(latency), ['/healthz', '/ready', '/metrics']);
    assert.equal(latency['/ready'].samples, 6);
    assert.ok(Number(run.outputs['p99-ms']) >= Number(run.outputs['p95-ms']));
    for (const c of ['/healthz', '/ready', '/metrics']) assert.match(run.summary, new RegExp(`\\| ${c} \\| ✅ pass \\| 3 \\|`));
    assert.equal(app.requests[0].headers['x-api-key'], 's3cr3t-key-value');
    assert.equal(app.requests[0].headers.authorization, 'Bearer tok-9f8e7d6c');
    assert.ok(!logged(run.allOutput).includes('s3cr3t-key-value'), 'header value leaked');
    assert.ok(!logged(run.allOutput).includes('tok-9f8e7d6c'), 'token leaked');
    assert.match(run.main.stdout, /::add-mask::s3cr3t-key-value/);
  });

  it('fails with exit 1 naming each failed check and how, and still writes outputs and the summary', async () => {
    const app = await serve(healthyApp({ healthz: '{"status":"starting"}' }));
    const run = await runAction('smoke-test', { inputs: { ...fast, timeout: '2s', url: app.url, 'required-metrics': 'grpc_server_handled_total' }, timeoutMs: 30_000 });
    assert.equal(run.main.exitCode, 1);
    assert.equal(run.outputs.passed, 'false');
    const failed = JSON.parse(run.outputs['failed-checks']) as Array<{ check: string; reason: string }>;
    assert.deepEqual(failed.map((f) => f.check), ['/healthz', '/metrics']);
    assert.match(failed[0].reason, /JSON at \$\.status: expected "ok", got "starting"/);
    assert.match(failed[1].reason, /required metric missing: grpc_server_handled_total/);
    assert.match(run.main.stdout, /::error::Smoke test failed: 2 of 3 checks failed%0A {2}\/healthz: JSON at/);
    assert.match(run.summary, /\| \/ready \| ✅ pass \|/);
    assert.match(run.summary, /\| \/healthz \| ❌ fail \|/);
  });

  it('fails on a bad checks input before any request is made', async () => {
    const app = await serve(healthyApp());
    const run = await runAction('smoke-test', { inputs: { url: app.url, checks: '- path: /ready\n  status: 299-200' }, timeoutMs: 30_000 });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::error::Input 'checks': check 1 \(\/ready\): status range 299-200 is upside down/);
    assert.equal(app.requests.length, 0);
    assert.equal(run.outputs.passed, undefined);
  });

  it('accepts a self-signed certificate only with insecure-skip-tls-verify', async () => {
    const app = await serve(healthyApp(), selfSignedCert());
    const refused = await runAction('smoke-test', { inputs: { ...fast, timeout: '1s', url: app.url, checks: '- /ready' }, timeoutMs: 30_000 });
    assert.equal(refused.main.exitCode, 1);
    assert.match(JSON.parse(refused.outputs['failed-checks'])[0].reason, /self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\): set insecure-skip-tls-verify: true/);
    assert.doesNotMatch(refused.allOutput, /use-system-ca/);
    const accepted = await runAction('smoke-test', { inputs: { ...fast, url: app.url, 'insecure-skip-tls-verify': 'true' }, timeoutMs: 30_000 });
    assert.equal(accepted.main.exitCode, 0, accepted.allOutput);
  });

  it('falls back to port-forward when the url refuses connections, and leaves no forward or kubeconfig behind', async () => {
    const app = await serve(healthyApp());
    const log = path.join(dir, 'refused.jsonl');
    const run = await runAction('smoke-test', {
      inputs: { ...fast, url: `http://127.0.0.1:${await closedPort()}`, service: 'api', namespace: 'shop', port: '8080', kubeconfig: 'apiVersion: v1\nusers: [{name: ci, user: {token: kc-secret-123}}]\n', context: 'kind-ci' },
      env: { FAKE_KUBECTL_TARGET: `127.0.0.1:${app.port}`, FAKE_KUBECTL_LOG: log },
      pathPrepend: [binDir],
      timeoutMs: 30_000,
    });
    assert.equal(run.main.exitCode, 0, run.allOutput);
    assert.equal(run.outputs.mode, 'port-forward');
    assert.equal(run.outputs.passed, 'true');
    assert.match(run.outputs['fallback-reason'], /unreachable \(connection to 127\.0\.0\.1:\d+ refused\)/);
    assert.match(run.outputs.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(run.summary, /Fell back to port-forward/);
    const [call] = kubectlCalls(log);
    assert.deepEqual(call.argv, ['--context', 'kind-ci', 'port-forward', 'svc/api', `${new URL(run.outputs.url).port}:8080`, '--namespace', 'shop', '--address', '127.0.0.1']);
    assert.equal(call.kubeconfigMode, '600');
    assert.ok(call.kubeconfig?.startsWith(run.runnerTemp), `${call.kubeconfig} is not under ${run.runnerTemp}`);
    assert.equal(fs.existsSync(call.kubeconfig ?? ''), false, 'kubeconfig left on disk');
    assert.equal(isAlive(call.pid), false, 'port-forward left running');
    assert.ok(!logged(run.allOutput).includes('kc-secret-123'), 'kubeconfig leaked');
    assert.ok(app.requests.length >= 3 * 6, `${app.requests.length} requests`);
  });

  it('ends the step with a wrapper-script kubectl: the wrapper\'s child is stopped with it', async () => {
    const app = await serve(healthyApp());
    const log = path.join(dir, 'wrapper.jsonl');
    const run = await runAction('smoke-test', {
      inputs: { ...fast, fallback: 'always', service: 'api', checks: '- /ready' },
      env: { FAKE_KUBECTL_TARGET: `127.0.0.1:${app.port}`, FAKE_KUBECTL_LOG: log },
      pathPrepend: [wrapperDir],
      timeoutMs: 30_000,
    });
    // A child left holding the step's output pipes would keep main running until runAction kills it.
    assert.equal(run.main.exitCode, 0, run.allOutput);
    assert.equal(run.outputs.passed, 'true');
    const [call] = kubectlCalls(log);
    assert.ok(call, 'kubectl was not started');
    assert.equal(isAlive(call.pid), false, "the wrapper's child is still forwarding");
    assert.match(run.main.stdout, /Stopped kubectl port-forward/);
  });

  it('fails a redirect loop at once, as one failed check, not after the timeout', async () => {
    const app = await serve((req, res) => void res.writeHead(302, { location: req.url?.startsWith('/b') ? '/a' : '/b' }).end());
    const run = await runAction('smoke-test', { inputs: { ...fast, timeout: '60s', url: app.url, checks: '- /a' }, timeoutMs: 30_000 });
    assert.equal(run.main.exitCode, 1);
    assert.match(JSON.parse(run.outputs['failed-checks'])[0].reason, /^redirect loop: \/a → \/b → \/a \(not retried/);
    assert.equal(app.requests.length, 2, 'one attempt: two hops of the loop');
  });

  it('falls back after fallback-after when the Ingress answers only 404', async () => {
    const ingress = await serve(hostRouted('api.example.test'));
    const app = await serve(healthyApp());
    const run = await runAction('smoke-test', {
      inputs: { ...fast, url: ingress.url, service: 'api', 'fallback-after': '600ms' },
      env: { FAKE_KUBECTL_TARGET: `127.0.0.1:${app.port}`, FAKE_KUBECTL_LOG: path.join(dir, '404.jsonl') },
      pathPrepend: [binDir],
      timeoutMs: 30_000,
    });
    assert.equal(run.main.exitCode, 0, run.allOutput);
    assert.equal(run.outputs.mode, 'port-forward');
    assert.match(run.outputs['fallback-reason'], /answered only 404 \(an Ingress default backend\?\) for \ds/);
    assert.ok(ingress.requests.length >= 3);
  });

  it('reports kubectl\'s error in outputs and summary when the forward cannot start', async () => {
    const run = await runAction('smoke-test', {
      inputs: { ...fast, fallback: 'always', service: 'api', checks: '- /ready' },
      env: { FAKE_KUBECTL_FAIL: 'error: services "api" not found', FAKE_KUBECTL_LOG: path.join(dir, 'fail.jsonl') },
      pathPrepend: [binDir],
      timeoutMs: 30_000,
    });
    assert.equal(run.main.exitCode, 1);
    assert.equal(run.outputs.mode, 'port-forward');
    assert.equal(run.outputs.passed, 'false');
    assert.match(JSON.parse(run.outputs['failed-checks'])[0].reason, /^not checked: kubectl port-forward exited \(exit code 1\) before forwarding:\nerror: services "api" not found/);
    assert.match(run.summary, /\| \/ready \| ❌ fail \| 0 \|/);
  });

  it('does not fall back with fallback: never, and reports the 404', async () => {
    const ingress = await serve(hostRouted('api.example.test'));
    const run = await runAction('smoke-test', { inputs: { ...fast, timeout: '1s', url: ingress.url, service: 'api', fallback: 'never', 'fallback-after': '100ms', checks: '- /ready' }, pathPrepend: [binDir], timeoutMs: 30_000 });
    assert.equal(run.main.exitCode, 1);
    assert.equal(run.outputs.mode, 'ingress');
    assert.match(JSON.parse(run.outputs['failed-checks'])[0].reason, /^status 404, expected 200 \(body: 'default backend - 404'\)/);
  });

  it('post kills a port-forward that main left running when it was killed mid-check', async () => {
    const hanging = await serve(() => undefined);
    const log = path.join(dir, 'killed.jsonl');
    const run = await runAction('smoke-test', {
      inputs: { url: '', fallback: 'always', service: 'api', timeout: '60s', 'request-timeout': '60s', kubeconfig: 'apiVersion: v1\n' },
      env: { FAKE_KUBECTL_TARGET: `127.0.0.1:${hanging.port}`, FAKE_KUBECTL_LOG: log },
      pathPrepend: [binDir],
      timeoutMs: 4000,
    });
    assert.notEqual(run.main.exitCode, 0);
    const [call] = kubectlCalls(log);
    assert.ok(call, 'kubectl was not started');
    assert.equal(run.post?.exitCode, 0);
    assert.match(run.post?.stdout ?? '', new RegExp(`Killed a kubectl port-forward left running \\(pid ${call.pid}\\)`));
    assert.equal(isAlive(call.pid), false, 'port-forward still running');
    assert.equal(fs.existsSync(call.kubeconfig ?? ''), false, 'kubeconfig left on disk');
  });
});
