import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChecks, parseLatencyBudgets, parseStatusSpec, statusMatches, closest } from '../../actions/smoke-test/checks.js';
import { InputError } from '../../actions/toolkit/errors.js';

const inputError = (input: string, pattern: RegExp) => (e: unknown) => e instanceof InputError && e.input === input && pattern.test(e.message);

describe('smoke-test status specs', () => {
  const cases: Array<[unknown, number[], number[]]> = [
    // spec, statuses that match, statuses that do not
    [200, [200], [201, 404]],
    ['204', [204], [200]],
    [[200, 204], [200, 204], [201]],
    ['200-299', [200, 250, 299], [199, 300]],
    ['2xx', [200, 299], [300, 199]],
    [['2xx', 301, '400-404'], [204, 301, 404], [302, 405, 500]],
  ];
  for (const [spec, yes, no] of cases) {
    it(`${JSON.stringify(spec)} accepts ${yes.join(',')} and refuses ${no.join(',')}`, () => {
      const parsed = parseStatusSpec(spec);
      assert.ok(typeof parsed !== 'string', String(parsed));
      for (const s of yes) assert.equal(statusMatches(parsed, s), true, `${s}`);
      for (const s of no) assert.equal(statusMatches(parsed, s), false, `${s}`);
    });
  }
  const bad: Array<[unknown, RegExp]> = [
    ['299-200', /upside down \(did you mean 200-299\?\)/],
    [700, /not an HTTP status/],
    ['100-700', /outside 100-599/],
    ['ok', /not a code/],
    [[], /empty/],
    ['6xx', /not a code/],
  ];
  for (const [spec, problem] of bad) it(`refuses ${JSON.stringify(spec)}`, () => assert.match(String(parseStatusSpec(spec)), problem));
});

describe('smoke-test checks input', () => {
  it('defaults to /healthz (JSON status ok), /ready and /metrics (Prometheus)', () => {
    const checks = parseChecks('');
    assert.deepEqual(checks.map((c) => c.path), ['/healthz', '/ready', '/metrics']);
    assert.deepEqual(checks[0].json, { status: 'ok' });
    assert.equal(checks[1].json, undefined);
    assert.equal(checks[2].metrics, true);
    assert.ok(checks.every((c) => statusMatches(c.status, 200) && !statusMatches(c.status, 404)));
  });

  it('reads every key of a full check', () => {
    const [c] = parseChecks(`
- path: /api/v1/info?verbose=1
  name: info
  method: get
  status: [200, "3xx"]
  json: { build: { ok: true } }
  contains: [version, build]
  regex: '"version":\\s*"\\d+'
  headers: { Content-Type: application/json, X-Request-Id: true }
  latency-p95: 20ms
  latency-p99: 0.05s
`);
    assert.equal(c.name, 'info');
    assert.equal(c.path, '/api/v1/info?verbose=1');
    assert.equal(c.method, 'GET');
    assert.deepEqual(c.contains, ['version', 'build']);
    assert.ok(c.regex?.test('{"version": "12"}'));
    assert.deepEqual(c.headers, [{ name: 'content-type', contains: 'application/json' }, { name: 'x-request-id', contains: '' }]);
    assert.equal(c.latencyP95Ms, 20);
    assert.equal(c.latencyP99Ms, 50);
  });

  it('accepts a bare path string as a 200 check', () => {
    const [c] = parseChecks('- /livez');
    assert.equal(c.path, '/livez');
    assert.ok(statusMatches(c.status, 200));
  });

  it('adds required-metrics to metrics checks only and applies latency budgets by path', () => {
    const checks = parseChecks('', { requiredMetrics: ['http_requests_total'], latencyBudgets: { '/healthz': 50, '/ready': 100 } });
    assert.deepEqual(checks[2].requiredMetrics, ['http_requests_total']);
    assert.deepEqual(checks[0].requiredMetrics, []);
    assert.equal(checks[0].latencyP99Ms, 50);
    assert.equal(checks[1].latencyP99Ms, 100);
    assert.equal(checks[2].latencyP99Ms, undefined);
  });

  it('lets a per-check latency-p99 win over latency-budgets', () => {
    const [c] = parseChecks('- path: /healthz\n  latency-p99: 10ms', { latencyBudgets: { '/healthz': 50 } });
    assert.equal(c.latencyP99Ms, 10);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['unknown key, with a suggestion', '- path: /ready\n  stauts: 200', /check 1 \(\/ready\): unknown key 'stauts' \(did you mean 'status'\?\)/],
    ['status range upside down', '- path: /ready\n  status: 299-200', /upside down/],
    ['path without a slash', '- path: healthz', /must start with '\/'/],
    ['missing path', '- status: 200', /check 1: path is required/],
    ['not a list', 'path: /healthz', /non-empty YAML list/],
    ['invalid YAML', '- path: [unclosed', /not valid YAML/],
    ['invalid regex', '- path: /x\n  regex: "("', /regex is invalid/],
    ['latency without a unit', '- path: /x\n  latency-p99: 50', /needs a unit/],
    ['latency that is not a duration', '- path: /x\n  latency-p99: fast', /not a duration/],
    ['two checks with one name', '- /x\n- /x', /two checks are named '\/x'/],
    ['required-metrics on a non-metrics check', '- path: /x\n  required-metrics: [up]', /needs metrics: true/],
    ['a bad metric name', '- path: /m\n  metrics: true\n  required-metrics: ["1bad"]', /not a Prometheus metric name/],
    ['a HEAD check with a body match', '- path: /x\n  method: HEAD\n  contains: ok', /HEAD check has no body/],
    ['an unsupported method', '- path: /x\n  method: POST', /not GET or HEAD/],
    ['a check that is a number', '- 42', /must be a mapping/],
  ];
  for (const [what, yaml, problem] of bad) {
    it(`refuses ${what}`, () => assert.throws(() => parseChecks(yaml), inputError('checks', problem)));
  }

  it('gives the YAML parser\'s whole message: reason, line and column, and the line, not a dangling "column N:"', () => {
    const cases: Array<[string, string]> = [
      ['- path: /x\n  bad: : x', `Input 'checks': is not valid YAML: Nested mappings are not allowed in compact mappings at line 2, column 8 (line 2: "  bad: : x")`],
      ['- path: /healthz\n status: 200', `Input 'checks': is not valid YAML: Sequence item without - indicator at line 2, column 1 (line 2: " status: 200")`],
      ['- path: [unclosed', `Input 'checks': is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 18 (line 1: "- path: [unclosed")`],
    ];
    for (const [yaml, expected] of cases) assert.throws(() => parseChecks(yaml), (e: unknown) => e instanceof InputError && e.message === expected);
  });

  it('refuses a latency budget for a path no check has', () => {
    assert.throws(() => parseChecks('', { latencyBudgets: { '/nope': 5 } }), inputError('latency-budgets', /no check has path or name '\/nope'/));
  });

  it('refuses required-metrics when no check reads metrics', () => {
    assert.throws(() => parseChecks('- /healthz', { requiredMetrics: ['up'] }), inputError('required-metrics', /no check has metrics: true/));
  });
});

describe('smoke-test latency-budgets input', () => {
  it('reads path=duration items', () => assert.deepEqual(parseLatencyBudgets(['/healthz=50ms', '/ready=0.1s']), { '/healthz': 50, '/ready': 100 }));
  it('refuses a number without a unit', () => assert.throws(() => parseLatencyBudgets(['/healthz=50']), inputError('latency-budgets', /unit/)));
  it('refuses an item without =', () => assert.throws(() => parseLatencyBudgets(['/healthz']), inputError('latency-budgets', /not path=duration/)));
});

describe('smoke-test key suggestions', () => {
  it('suggests the nearest known key', () => assert.equal(closest('contain', ['contains', 'regex']), 'contains'));
  it('suggests nothing for a far-off word', () => assert.equal(closest('zzzzzz', ['contains', 'regex']), undefined));
});
