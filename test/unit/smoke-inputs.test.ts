import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckResult } from '../../actions/smoke-test/check-loop.js';
import { parseChecks } from '../../actions/smoke-test/checks.js';
import { parseHeaderLines, parseInputs, parseResolve, parseUrl, type RawInputs } from '../../actions/smoke-test/inputs.js';
import { failureMessage, outputs, summaryMarkdown, type SmokeReport } from '../../actions/smoke-test/report.js';
import { InputError } from '../../actions/toolkit/errors.js';

const inputError = (input: string, pattern: RegExp) => (e: unknown) => e instanceof InputError && e.input === input && pattern.test(e.message);
const base: RawInputs = { url: 'http://api.10.0.0.1.nip.io' };

describe('smoke-test inputs', () => {
  it('applies the documented defaults', () => {
    const i = parseInputs(base);
    assert.equal(i.url, 'http://api.10.0.0.1.nip.io');
    assert.equal(i.checks.length, 3);
    assert.equal(i.timeoutMs, 120_000);
    assert.equal(i.requestTimeoutMs, 10_000);
    assert.equal(i.consecutiveSuccesses, 3);
    assert.equal(i.samples, 20);
    assert.equal(i.maxRedirects, 5);
    assert.equal(i.insecureSkipTlsVerify, false);
    assert.equal(i.fallback, 'auto');
    assert.equal(i.fallbackAfterMs, 30_000);
    assert.equal(i.namespace, 'default');
    assert.equal(i.port, '80');
    assert.equal(i.service, undefined);
  });

  it('keeps a base path and drops the trailing slash', () => assert.equal(parseUrl('https://example.com/api/'), 'https://example.com/api'));

  it('turns bearer-token and basic-auth into an Authorization header', () => {
    assert.equal(parseInputs({ ...base, 'bearer-token': 'tok' }).headers.authorization, 'Bearer tok');
    assert.equal(parseInputs({ ...base, 'basic-auth': 'user:pa:ss' }).headers.authorization, `Basic ${Buffer.from('user:pa:ss').toString('base64')}`);
  });

  it('reads "Name: value" header lines, values may hold colons', () => {
    assert.deepEqual(parseHeaderLines(['X-Api-Key: abc:def', 'Accept:application/json']), { 'x-api-key': 'abc:def', accept: 'application/json' });
  });

  it('reads curl-style resolve pins, IPv6 in brackets', () => {
    assert.deepEqual(parseResolve(['api.example.com:443:10.0.0.1', 'v6.example.com:80:[::1]']), [
      { host: 'api.example.com', port: 443, address: '10.0.0.1' },
      { host: 'v6.example.com', port: 80, address: '::1' },
    ]);
  });

  const bad: Array<[string, RawInputs, string, RegExp]> = [
    ['a malformed url', { url: 'http//nope' }, 'url', /not a valid URL/],
    ['a non-HTTP url', { url: 'ftp://x' }, 'url', /must be http/],
    ['credentials in the url', { url: 'http://u:p@x' }, 'url', /basic-auth/],
    ['a query in the base url', { url: 'http://x/?a=1' }, 'url', /without \?query/],
    ['no url without fallback: always', { url: '' }, 'url', /is required/],
    ['fallback: always without a service', { ...base, fallback: 'always' }, 'service', /required with fallback: always/],
    ['an unknown fallback', { ...base, fallback: 'sometimes' }, 'fallback', /auto, never, always/],
    ['a bad Service name', { ...base, service: 'My_Svc' }, 'service', /not a Service name/],
    ['a bad namespace', { ...base, namespace: 'Prod!' }, 'namespace', /not a namespace/],
    ['a port out of range', { ...base, port: '70000' }, 'port', /at most 65535/],
    ['a resolve entry without a port', { ...base, resolve: 'api.example.com:10.0.0.1' }, 'resolve', /not name:port:address/],
    ['a resolve entry with a host name as address', { ...base, resolve: 'a.com:80:b.com' }, 'resolve', /not an IP address/],
    ['a header line without a colon', { ...base, headers: 'X-Token abc' }, 'headers', /^Input 'headers': line 1 has no ':' \(expected "Name: value"; the line is not shown, it may hold a secret value\)$/],
    ['a header name with a space', { ...base, headers: 'X-A: 1\nBad Name: v' }, 'headers', /^Input 'headers': 'Bad Name' is not a header name \(in "Name: value"/],
    ['a header line with an empty name', { ...base, headers: ': v' }, 'headers', /^Input 'headers': line 1 has an empty header name/],
    ['a Host header among headers', { ...base, headers: 'Host: x' }, 'headers', /host-header/],
    ['bearer-token with basic-auth', { ...base, 'bearer-token': 't', 'basic-auth': 'u:p' }, 'basic-auth', /cannot be combined/],
    ['basic-auth without a colon', { ...base, 'basic-auth': 'user' }, 'basic-auth', /user:password/],
    ['a bad host-header', { ...base, 'host-header': 'a b' }, 'host-header', /not host or host:port/],
    ['a bad timeout', { ...base, timeout: 'soon' }, 'timeout', /not a duration/],
    ['zero consecutive-successes', { ...base, 'consecutive-successes': '0' }, 'consecutive-successes', /at least 1/],
    ['a bad insecure flag', { ...base, 'insecure-skip-tls-verify': 'maybe' }, 'insecure-skip-tls-verify', /true or false/],
    ['an unknown check key', { ...base, checks: '- path: /x\n  bodyy: 1' }, 'checks', /unknown key 'bodyy'/],
    ['an upside-down status range', { ...base, checks: '- path: /x\n  status: 500-200' }, 'checks', /upside down/],
    ['a bad required metric', { ...base, 'required-metrics': 'http-requests' }, 'required-metrics', /not a Prometheus metric name/],
  ];
  for (const [what, raw, input, problem] of bad) it(`refuses ${what}`, () => assert.throws(() => parseInputs(raw), inputError(input, problem)));

  it('never prints a bad header line whole (it may be "Authorization Bearer <token>"), nor a … after a complete name', () => {
    const message = (headers: string): string => {
      try {
        parseHeaderLines(headers.split('\n'));
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    };
    const noColon = message('Authorization Bearer tok-0123456789');
    assert.ok(noColon && !noColon.includes('tok-0123456789') && !noColon.includes('…'), noColon);
    const badName = message('X Token: tok-0123456789');
    assert.ok(badName.includes("'X Token'") && !badName.includes('tok-0123456789') && !badName.includes('…'), badName);
  });
});

describe('smoke-test report', () => {
  const [healthz, ready] = parseChecks('- path: /healthz\n  latency-p99: 50ms\n- /ready');
  const results: CheckResult[] = [
    { check: healthz, passed: true, healthy: true, attempts: 4, stats: { samples: 23, p50: 2, p95: 4, p99: 9.5, max: 9.5 }, lastFailure: 'status 503, expected 200', sampleFailures: 0 },
    { check: ready, passed: false, healthy: false, attempts: 12, reason: 'status 503, expected 200 | x (still failing after 12 attempts)', sampleFailures: 0 },
  ];
  const report: SmokeReport = { passed: false, mode: 'ingress', url: 'http://x', results, elapsedMs: 5000 };

  it('writes outputs with failed checks and the slowest latency figures', () => {
    const out = outputs(report);
    assert.equal(out.passed, 'false');
    assert.equal(out.mode, 'ingress');
    assert.deepEqual(JSON.parse(out['failed-checks']), [{ check: '/ready', reason: results[1].reason }]);
    assert.deepEqual(JSON.parse(out.latency), { '/healthz': results[0].stats });
    assert.equal(out['p99-ms'], '9.5');
    assert.equal(out['p95-ms'], '4');
  });

  it('summarises one row per check with escaped details', () => {
    const md = summaryMarkdown(report);
    assert.match(md, /Smoke test failed/);
    assert.match(md, /\| \/healthz \| ✅ pass \| 4 \| 2\.0 ms \| 4\.0 ms \| 9\.5 ms \| p99 ≤ 50\.0 ms \| recovered from: status 503, expected 200 \|/);
    assert.match(md, /\| \/ready \| ❌ fail \| 12 \|.*&#124; x/);
  });

  it('names each failed check and how it failed', () => {
    assert.equal(failureMessage(report), `Smoke test failed: 1 of 2 checks failed\n  /ready: ${results[1].reason}`);
  });
});
