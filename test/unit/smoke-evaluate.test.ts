import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChecks, type Check } from '../../actions/smoke-test/checks.js';
import { evaluateLatency, evaluateResponse, jsonSubsetMismatch, type ProbeResponse } from '../../actions/smoke-test/evaluate.js';

const check = (yaml: string, defaults = {}): Check => parseChecks(yaml, defaults)[0];
const response = (over: Partial<ProbeResponse>): ProbeResponse => ({ status: 200, headers: {}, body: '', durationMs: 1, ...over });
const METRICS = '# TYPE http_requests_total counter\nhttp_requests_total 1\n';

describe('smoke-test evaluation of one response', () => {
  const cases: Array<[string, string, Partial<ProbeResponse>, RegExp | undefined]> = [
    ['passes a 200 with the JSON subset', '- path: /healthz\n  json: {status: ok}', { body: '{"status":"ok","extra":1}' }, undefined],
    ['fails a 404 and quotes the body', '- /healthz', { status: 404, body: 'default backend - 404' }, /^status 404, expected 200 \(body: 'default backend - 404'\)$/],
    ['passes a status inside a range', '- path: /x\n  status: 200-299', { status: 204 }, undefined],
    ['fails a status outside a list', '- path: /x\n  status: [200, 204]', { status: 201 }, /status 201, expected 200, 204/],
    ['fails a JSON value mismatch with its path', '- path: /h\n  json: {status: ok}', { body: '{"status":"starting"}' }, /JSON at \$\.status: expected "ok", got "starting"/],
    ['fails a body that is not JSON', '- path: /h\n  json: {status: ok}', { body: '<html>oops</html>' }, /body is not JSON \(body: '<html>oops<\/html>'\)/],
    ['fails a missing JSON key', '- path: /h\n  json: {db: {ok: true}}', { body: '{"status":"ok"}' }, /at \$\.db: missing/],
    ['fails a nested JSON mismatch', '- path: /h\n  json: {db: {ok: true}}', { body: '{"db":{"ok":false}}' }, /at \$\.db\.ok: expected true, got false/],
    ['fails a missing substring', '- path: /x\n  contains: [alpha, beta]', { body: 'alpha gamma' }, /body does not contain 'beta'/],
    ['passes a regex match', '- path: /x\n  regex: "version \\\\d+"', { body: 'app version 42' }, undefined],
    ['fails a regex mismatch', '- path: /x\n  regex: "^ok$"', { body: 'not ok\nnope' }, /body does not match \/\^ok\$\//],
    ['passes a header containing the value, case-insensitively', '- path: /x\n  headers: {Content-Type: application/json}', { headers: { 'content-type': 'Application/JSON; charset=utf-8' } }, undefined],
    ['fails a missing header', '- path: /x\n  headers: {X-Version: ""}', {}, /header x-version is missing/],
    ['fails a header with another value', '- path: /x\n  headers: {content-type: application/json}', { headers: { 'content-type': 'text/html' } }, /header content-type is 'text\/html', expected it to contain 'application\/json'/],
    ['passes valid metrics', '- path: /metrics\n  metrics: true', { body: METRICS }, undefined],
    ['fails malformed metrics with the line', '- path: /metrics\n  metrics: true', { body: 'http_requests_total one\n' }, /invalid Prometheus exposition: line 1: http_requests_total: 'one' is not a number/],
    ['fails a missing required metric', '- path: /metrics\n  metrics: true\n  required-metrics: [http_requests_total, http_request_duration_seconds]', { body: METRICS }, /required metric missing: http_request_duration_seconds/],
  ];
  for (const [what, yaml, res, expected] of cases) {
    it(what, () => {
      const verdict = evaluateResponse(check(yaml), response(res));
      if (expected === undefined) assert.equal(verdict, undefined);
      else assert.match(verdict ?? '(passed)', expected);
    });
  }
});

describe('smoke-test JSON subset match', () => {
  const cases: Array<[unknown, unknown, RegExp | undefined]> = [
    [{ a: 1 }, { a: 1, b: 2 }, undefined],
    [{ a: [1, { b: 2 }] }, { a: [1, { b: 2, c: 3 }] }, undefined],
    [{ a: [1, 2] }, { a: [1] }, /at \$\.a: expected 2 elements, got 1/],
    [{ a: [1, 2] }, { a: [1, 3] }, /at \$\.a\[1\]: expected 2, got 3/],
    [{ 'a-b': 1 }, { 'a-b': 2 }, /at \$\["a-b"\]/],
    [{ a: {} }, { a: [] }, /expected an object, got \[\]/],
    [{ n: 1 }, { n: '1' }, /expected 1, got "1"/],
    [null, null, undefined],
    ['ok', 'ok', undefined],
  ];
  for (const [expected, actual, problem] of cases) {
    it(`${JSON.stringify(expected)} in ${JSON.stringify(actual)}`, () => {
      const m = jsonSubsetMismatch(expected, actual);
      if (problem) assert.match(m ?? '(matched)', problem);
      else assert.equal(m, undefined);
    });
  }
});

describe('smoke-test latency budgets', () => {
  const stats = { samples: 20, p50: 10, p95: 40, p99: 60, max: 61 };
  it('fails a p99 over budget', () => assert.match(evaluateLatency(check('- path: /h\n  latency-p99: 50ms'), stats) ?? '', /p99 latency 60\.0 ms exceeds the budget of 50\.0 ms \(20 requests\)/));
  it('passes a p99 within budget', () => assert.equal(evaluateLatency(check('- path: /h\n  latency-p99: 100ms'), stats), undefined));
  it('fails a p95 over budget', () => assert.match(evaluateLatency(check('- path: /h\n  latency-p95: 30ms'), stats) ?? '', /p95 latency 40\.0 ms/));
  it('has nothing to say without a budget', () => assert.equal(evaluateLatency(check('- /h'), stats), undefined));
  it('has nothing to say without samples', () => assert.equal(evaluateLatency(check('- path: /h\n  latency-p99: 1ms'), undefined), undefined));
});
