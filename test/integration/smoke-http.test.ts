// The check loop and HTTP client against real HTTP(S) servers on 127.0.0.1, started by the tests.
import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { runChecks, type LoopOutcome } from '../../actions/smoke-test/check-loop.js';
import { parseChecks } from '../../actions/smoke-test/checks.js';
import { decideFallback, initialFallbackState, observe } from '../../actions/smoke-test/fallback.js';
import { checkProbe, httpProbe, ProbeError, type ProbeSettings } from '../../actions/smoke-test/http-probe.js';
import {
  closedPort,
  flapping,
  healthyApp,
  hostRouted,
  readyAfter,
  redirectLoop,
  selfSignedCert,
  slow,
  startServer,
  VALID_METRICS,
  type Handler,
  type TestServer,
  type Tls,
} from '../support/http-servers.js';

interface RunOptions extends Partial<ProbeSettings> {
  checks?: string;
  requiredMetrics?: string[];
  latencyBudgets?: Record<string, number>;
  timeoutMs?: number;
  consecutive?: number;
  samples?: number;
  requestTimeoutMs?: number;
}

const servers: TestServer[] = [];
async function serve(handler: Handler, tls?: Tls): Promise<TestServer> {
  const s = await startServer(handler, tls);
  servers.push(s);
  return s;
}
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function check(url: string, o: RunOptions = {}): Promise<LoopOutcome> {
  return runChecks({
    checks: parseChecks(o.checks ?? '', { requiredMetrics: o.requiredMetrics, latencyBudgets: o.latencyBudgets }),
    baseUrl: url,
    probe: checkProbe({ headers: o.headers ?? {}, insecureSkipTlsVerify: o.insecureSkipTlsVerify ?? false, maxRedirects: o.maxRedirects ?? 5, hostHeader: o.hostHeader, resolve: o.resolve }),
    deadline: Date.now() + (o.timeoutMs ?? 3000),
    requestTimeoutMs: o.requestTimeoutMs ?? 1000,
    consecutiveSuccesses: o.consecutive ?? 3,
    samples: o.samples ?? 5,
  });
}

const reasons = (outcome: LoopOutcome): Record<string, string | undefined> => Object.fromEntries(outcome.results.map((r) => [r.check.name, r.reason]));

describe('smoke-test checks against real servers', () => {
  it('passes a healthy app on the default checks with latency figures from every good answer', async () => {
    const s = await serve(healthyApp());
    const out = await check(s.url, { samples: 5, consecutive: 3 });
    assert.deepEqual(reasons(out), { '/healthz': undefined, '/ready': undefined, '/metrics': undefined });
    for (const r of out.results) {
      assert.equal(r.passed, true);
      assert.equal(r.attempts, 3);
      assert.equal(r.stats?.samples, 8);
      assert.ok((r.stats?.p50 ?? -1) <= (r.stats?.p99 ?? -1));
    }
    assert.equal(s.requests.length, 3 * 8);
    assert.match(String(s.requests.find((r) => r.path === '/metrics')?.headers.accept), /text\/plain;version=0\.0\.4/);
  });

  it('waits for an app that turns ready after a delay, reporting what it saw before', async () => {
    const s = await serve(readyAfter(700));
    const out = await check(s.url, { timeoutMs: 4000, samples: 0 });
    for (const r of out.results) {
      assert.equal(r.passed, true, r.reason);
      assert.ok(r.attempts > 3, `${r.check.name}: ${r.attempts} attempts`);
      assert.match(r.lastFailure ?? '', /status 503, expected 200 \(body: 'starting'\)/);
    }
  });

  it('fails a flapping app that never gives 3 good answers in a row', async () => {
    const s = await serve(flapping());
    const out = await check(s.url, { checks: '- /ready', timeoutMs: 1500, consecutive: 3 });
    const [r] = out.results;
    assert.equal(r.passed, false);
    assert.equal(r.healthy, false);
    const m = /^status 500, expected 200 \(body: 'flap'\) \(still failing after (\d+) attempts; (\d+) of them good, at most 1 in a row of the 3 needed\)$/.exec(r.reason ?? '');
    assert.ok(m, r.reason);
    // The server answers well every other request, starting with the first. A last request cut short by the
    // deadline got no answer, so it is not an attempt, but it may have reached the server.
    assert.ok([Number(m[1]), Number(m[1]) + 1].includes(s.requests.length), `${s.requests.length} requests for ${m[1]} attempts`);
    assert.equal(Number(m[2]), Math.ceil(Number(m[1]) / 2));
  });

  it('lets the same flapping app pass on a single lucky answer when consecutive-successes is 1', async () => {
    const s = await serve(flapping());
    const out = await check(s.url, { checks: '- /ready', timeoutMs: 1500, consecutive: 1, samples: 0 });
    assert.equal(out.results[0].passed, true);
  });

  it('fails a check whose p99 is over its latency budget', async () => {
    const s = await serve(slow(60));
    const out = await check(s.url, { checks: '- /ready\n- path: /healthz\n  latency-p99: 5s', latencyBudgets: { '/ready': 20 }, consecutive: 1, samples: 3 });
    const r = reasons(out);
    assert.match(r['/ready'] ?? '', /^p99 latency exceeds the budget of 20\.0 ms: 1 of 1 requests took longer \(up to \d+\.\d ms\), so the p99 of the 4 planned requests cannot be within it \(stopped early\)$/);
    assert.equal(r['/healthz'], undefined);
  });

  it('fails a latency budget as soon as it can no longer be met, without taking the remaining samples', async () => {
    const s = await serve(slow(60));
    const out = await check(s.url, { checks: '- path: /ready\n  latency-p99: 20ms\n- path: /healthz\n  latency-p95: 20ms', consecutive: 3, samples: 20, timeoutMs: 20_000 });
    const [ready, healthz] = out.results;
    // p99 of 23 planned answers: the first slow answer of the healthy streak decides; nothing is sampled.
    assert.equal(ready.passed, false);
    assert.equal(ready.stats?.samples, 3);
    assert.match(ready.reason ?? '', /^p99 latency exceeds the budget of 20\.0 ms: 3 of 3 requests took longer/);
    // p95 of 23 tolerates one slow answer (the 22nd smallest): the second one decides.
    assert.equal(healthz.passed, false);
    assert.equal(healthz.stats?.samples, 3);
    assert.match(healthz.reason ?? '', /^p95 latency exceeds the budget of 20\.0 ms: 3 of 3 requests took longer/);
    assert.equal(s.requests.filter((q) => q.path === '/ready').length, 3);
  });

  it('fails a wrong body and says where the JSON differs', async () => {
    const s = await serve(healthyApp({ healthz: '{"status":"degraded","db":"down"}' }));
    const out = await check(s.url, { timeoutMs: 1000 });
    assert.match(reasons(out)['/healthz'] ?? '', /^JSON at \$\.status: expected "ok", got "degraded"/);
    assert.equal(reasons(out)['/ready'], undefined);
  });

  it('fails malformed metrics with the offending line', async () => {
    const s = await serve(healthyApp({ metrics: '# TYPE up gauge\nup{job="api} 1\n' }));
    const out = await check(s.url, { timeoutMs: 1000 });
    assert.match(reasons(out)['/metrics'] ?? '', /^invalid Prometheus exposition: line 2: up: label job: unterminated value/);
  });

  it('fails when a required metric is missing and passes when it is there', async () => {
    const s = await serve(healthyApp());
    const out = await check(s.url, { timeoutMs: 1000, requiredMetrics: ['http_requests_total', 'http_request_duration_seconds', 'grpc_server_handled_total'] });
    assert.match(reasons(out)['/metrics'] ?? '', /^required metric missing: grpc_server_handled_total/);
    const ok = await check(s.url, { requiredMetrics: ['http_requests_total', 'http_request_duration_seconds'] });
    assert.equal(reasons(ok)['/metrics'], undefined);
    assert.ok(VALID_METRICS.includes('http_request_duration_seconds_bucket'));
  });

  it('gets 404 from a Host-routed server without host-header and passes with it', async () => {
    const s = await serve(hostRouted('api.example.test'));
    const without = await check(s.url, { checks: '- /ready', timeoutMs: 800 });
    assert.match(reasons(without)['/ready'] ?? '', /^status 404, expected 200 \(body: 'default backend - 404'\)/);
    const withHost = await check(s.url, { checks: '- /ready', hostHeader: 'api.example.test' });
    assert.equal(reasons(withHost)['/ready'], undefined);
  });

  it('reaches a Host-routed server by name through a resolve pin (curl --resolve)', async () => {
    // Routed only when Host is api.example.test:<its own port>, as an Ingress rule for that name would be.
    const s = await serve((req, res) => hostRouted(`api.example.test:${req.socket.localPort}`)(req, res));
    const pin = [{ host: 'api.example.test', port: s.port, address: '127.0.0.1' }];
    const out = await check(`http://api.example.test:${s.port}`, { checks: '- /ready', resolve: pin });
    assert.equal(reasons(out)['/ready'], undefined);
    assert.equal(s.requests[0].headers.host, `api.example.test:${s.port}`);
    const other = await check(`http://other.example.test:${s.port}`, { checks: '- /ready', resolve: [...pin, { host: 'other.example.test', port: s.port, address: '127.0.0.1' }], timeoutMs: 600 });
    assert.match(reasons(other)['/ready'] ?? '', /^status 404/);
  });

  it('fails a redirect loop at once naming the loop, and bounds redirect chains', async () => {
    const s = await serve(redirectLoop());
    const out = await check(s.url, { checks: '- /a', timeoutMs: 10_000 });
    assert.equal(out.results[0].attempts, 1, 'a redirect loop is not retried');
    assert.match(reasons(out)['/a'] ?? '', /^redirect loop: \/a → \/b → \/a \(not retried: it does not fix itself\)$/);
    assert.equal(s.requests.length, 2);
    const chain = await serve((req, res) => {
      const n = Number((req.url ?? '/0').slice(1)) || 0;
      if (n >= 3) return void res.end('ok');
      res.writeHead(302, { location: `/${n + 1}` }).end();
    });
    await assert.rejects(httpProbe(`${chain.url}/0`, { timeoutMs: 1000, maxRedirects: 2 }), (e: unknown) => e instanceof ProbeError && e.code === 'ETOOMANYREDIRECTS');
    const followed = await httpProbe(`${chain.url}/0`, { timeoutMs: 1000, maxRedirects: 3 });
    assert.equal(followed.body, 'ok');
    const unfollowed = await httpProbe(`${chain.url}/0`, { timeoutMs: 1000, maxRedirects: 0 });
    assert.equal(unfollowed.status, 302);
  });

  it('does not send credentials to another origin after a redirect', async () => {
    const other = await serve((_req, res) => void res.end('elsewhere'));
    const s = await serve((_req, res) => void res.writeHead(302, { location: `${other.url}/landing` }).end());
    const res = await httpProbe(`${s.url}/start`, { timeoutMs: 1000, headers: { authorization: 'Bearer secret', 'x-trace': '1' }, hostHeader: 'api.example.test' });
    assert.equal(res.body, 'elsewhere');
    assert.equal(s.requests[0].headers.authorization, 'Bearer secret');
    assert.equal(other.requests[0].headers.authorization, undefined);
    assert.equal(other.requests[0].headers['x-trace'], '1');
    assert.equal(other.requests[0].headers.host, `127.0.0.1:${other.port}`);
  });

  it('sends the configured headers on every request', async () => {
    const s = await serve(healthyApp());
    await check(s.url, { checks: '- /ready', headers: { authorization: 'Bearer t0k3n', 'x-env': 'staging' }, consecutive: 1, samples: 0 });
    assert.equal(s.requests[0].headers.authorization, 'Bearer t0k3n');
    assert.equal(s.requests[0].headers['x-env'], 'staging');
  });

  it('times out a request that never answers', async () => {
    const s = await serve(() => undefined);
    const out = await check(s.url, { checks: '- /ready', timeoutMs: 700, requestTimeoutMs: 200 });
    assert.match(reasons(out)['/ready'] ?? '', /^no complete answer within \d+ ms/);
  });

  it('reports a refused connection and falls back at once when a Service is configured', async () => {
    const port = await closedPort();
    let state = initialFallbackState;
    const out = await runChecks({
      checks: parseChecks(''),
      baseUrl: `http://127.0.0.1:${port}`,
      probe: checkProbe({ headers: {}, insecureSkipTlsVerify: false, maxRedirects: 5 }),
      deadline: Date.now() + 5000,
      requestTimeoutMs: 1000,
      consecutiveSuccesses: 3,
      samples: 0,
      onObservation: (obs) => {
        state = observe(state, obs, Date.now());
        return decideFallback(state, Date.now(), { mode: 'auto', canForward: true, fallbackAfterMs: 30_000 });
      },
    });
    assert.match(out.abortedFor ?? '', new RegExp(`unreachable \\(connection to 127\\.0\\.0\\.1:${port} refused\\)`));
    assert.ok(out.results.every((r) => !r.passed && r.attempts === 1));
  });
});

describe('smoke-test TLS', () => {
  let tls: Tls;
  before(() => {
    tls = selfSignedCert();
  });

  it('refuses a self-signed certificate by default, naming insecure-skip-tls-verify rather than Node\'s flags', async () => {
    const s = await serve(healthyApp(), tls);
    const out = await check(s.url, { checks: '- /ready', timeoutMs: 600 });
    const reason = reasons(out)['/ready'] ?? '';
    assert.match(reason, /^self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\): set insecure-skip-tls-verify: true to accept this certificate/);
    assert.doesNotMatch(reason, /use-system-ca|Node\.js/);
    assert.equal(s.requests.length, 0);
  });

  it('accepts it with insecure-skip-tls-verify and passes', async () => {
    const s = await serve(healthyApp(), tls);
    const out = await check(s.url, { insecureSkipTlsVerify: true });
    assert.ok(out.results.every((r) => r.passed), JSON.stringify(reasons(out)));
  });

  it('sends the host-header as the TLS server name (SNI) when connecting to an IP', async () => {
    const names: string[] = [];
    const s = await serve((req, res) => {
      names.push(String((req.socket as TLSSocket).servername));
      healthyApp()(req, res);
    }, tls);
    await check(s.url, { checks: '- /ready', insecureSkipTlsVerify: true, hostHeader: 'api.example.test', consecutive: 1, samples: 0 });
    assert.deepEqual(names, ['api.example.test']);
  });
});
