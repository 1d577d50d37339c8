import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyError, decideFallback, initialFallbackState, observe, type FallbackPolicy, type FallbackState, type Observation } from '../../actions/smoke-test/fallback.js';
import { budgetBroken, latencyStats, percentile } from '../../actions/smoke-test/latency.js';
import { DEFAULT_SCHEDULE, pollDelay } from '../../actions/smoke-test/schedule.js';

describe('smoke-test percentiles (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  const cases: Array<[number[], number, number]> = [
    [[5], 50, 5],
    [[5], 99, 5],
    [[1, 2, 3, 4], 50, 2],
    [[4, 3, 2, 1], 95, 4],
    [hundred, 50, 50],
    [hundred, 95, 95],
    [hundred, 99, 99],
    [hundred, 100, 100],
    [[10, 10, 10, 1000], 50, 10],
    [[10, 10, 10, 1000], 99, 1000],
    [Array.from({ length: 20 }, (_, i) => (i === 19 ? 300 : 3)), 95, 3],
    [Array.from({ length: 20 }, (_, i) => (i === 19 ? 300 : 3)), 99, 300],
  ];
  for (const [values, p, expected] of cases) {
    it(`p${p} of ${values.length} values is ${expected}`, () => assert.equal(percentile(values, p), expected));
  }
  it('refuses no values and p outside (0,100]', () => {
    assert.throws(() => percentile([], 50), RangeError);
    assert.throws(() => percentile([1], 0), RangeError);
    assert.throws(() => percentile([1], 101), RangeError);
  });
  it('summarises samples rounded to 0.1 ms', () => assert.deepEqual(latencyStats([1.04, 2.26, 3.0, 9.99]), { samples: 4, p50: 2.3, p95: 10, p99: 10, max: 10 }));
  it('has no figures without samples', () => assert.equal(latencyStats([]), undefined));
});

describe('smoke-test latency budget lost for good (nearest rank over the planned requests)', () => {
  const cases: Array<[string, number[], number, number, number, boolean]> = [
    // [what, durations, p, budget, planned, broken]
    ['p99 of 23: one answer over the budget is enough', [5, 80], 99, 50, 23, true],
    ['p99 of 23: none over, not yet', [5, 6, 7], 99, 50, 23, false],
    ['p95 of 23: one over can still be the ignored 5%', [5, 80], 95, 50, 23, false],
    ['p95 of 23: two over cannot', [80, 5, 90], 95, 50, 23, true],
    ['p95 of 100: five over are still within', [80, 80, 80, 80, 80], 95, 50, 100, false],
    ['p95 of 100: the sixth breaks it', [80, 80, 80, 80, 80, 80], 95, 50, 100, true],
    ['an answer exactly at the budget is within it', [50], 99, 50, 23, false],
    ['more answers than planned count as planned', [80, 5, 5, 5], 99, 50, 2, true],
  ];
  for (const [what, durations, p, budget, planned, broken] of cases) {
    it(what, () => assert.equal(budgetBroken(durations, p, budget, planned) !== undefined, broken));
  }
  it('agrees with the percentile it predicts: whatever comes next, the final p99 is over the budget', () => {
    const sofar = [3, 70];
    assert.ok(budgetBroken(sofar, 99, 50, 5));
    for (const rest of [[1, 1, 1], [100, 1, 1], [2, 3, 4]]) assert.ok(percentile([...sofar, ...rest], 99) > 50);
  });
});

describe('smoke-test poll schedule', () => {
  const noJitter = (): number => 0;
  it('starts fast and grows geometrically to a 250 ms cap', () => {
    const delays = [1, 2, 3, 4, 5, 20].map((n) => pollDelay(n, DEFAULT_SCHEDULE, noJitter));
    assert.deepEqual(delays, [100, 150, 225, 250, 250, 250]);
  });
  it('confirms a success streak at the confirmation pace', () => assert.equal(pollDelay(0, DEFAULT_SCHEDULE, noJitter), 20));
  it('jitters downwards only, never past the cap', () => {
    assert.equal(pollDelay(20, DEFAULT_SCHEDULE, () => 1), 200);
    assert.ok(pollDelay(20, DEFAULT_SCHEDULE, () => 0.999) <= 250);
    assert.equal(pollDelay(0, DEFAULT_SCHEDULE, () => 1), 16);
  });
});

describe('smoke-test error classes', () => {
  const cases: Array<[string | undefined, string]> = [
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ECONNREFUSED', 'refused'],
    ['EHOSTUNREACH', 'refused'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['CERT_HAS_EXPIRED', 'tls'],
    ['ETIMEDOUT', 'timeout'],
    ['ECONNRESET', 'reset'],
    ['EREDIRECTLOOP', 'redirect'],
    ['EWHATEVER', 'other'],
    [undefined, 'other'],
  ];
  for (const [code, cls] of cases) it(`${code} is ${cls}`, () => assert.equal(classifyError(code), cls));
});

describe('smoke-test fallback decision', () => {
  const auto: FallbackPolicy = { mode: 'auto', canForward: true, fallbackAfterMs: 30_000 };
  const r = (status: number): Observation => ({ kind: 'response', status });
  const e = (cls: 'dns' | 'refused' | 'tls' | 'timeout' | 'reset' | 'other', message: string = cls): Observation => ({ kind: 'error', class: cls, message });
  const play = (events: Array<[number, Observation]>): FallbackState => events.reduce((s, [t, o]) => observe(s, o, t), initialFallbackState);

  const cases: Array<[string, Array<[number, Observation]>, number, FallbackPolicy, RegExp | undefined]> = [
    ['falls back at once when DNS fails', [[0, e('dns', 'DNS lookup of api.x failed (ENOTFOUND)')]], 0, auto, /unreachable \(DNS lookup of api\.x failed/],
    ['falls back at once when the connection is refused', [[0, e('refused')]], 0, auto, /unreachable/],
    ['falls back at once on a TLS error', [[0, e('tls')]], 0, auto, /unreachable/],
    ['waits while 404s are younger than fallback-after', [[0, r(404)], [10_000, r(404)]], 29_999, auto, undefined],
    ['falls back when only 404s came for fallback-after', [[0, r(404)], [30_000, r(404)]], 30_000, auto, /answered only 404 \(an Ingress default backend\?\) for 30s/],
    ['falls back when timeouts last fallback-after', [[0, e('timeout')], [31_000, e('timeout')]], 31_000, auto, /only failed \(timeout\) for 31s/],
    ['never falls back once the url routed to the app (a 503 is the app)', [[0, r(503)], [40_000, r(404)], [41_000, e('refused')]], 41_000, auto, undefined],
    ['does not fall back on a 500 however long', [[0, r(500)], [99_000, r(500)]], 99_000, auto, undefined],
    ['does not fall back with fallback: never', [[0, e('dns')]], 0, { ...auto, mode: 'never' }, undefined],
    ['does not fall back without a service', [[0, e('dns')]], 0, { ...auto, canForward: false }, undefined],
    ['does not fall back on other errors', [[0, e('other')]], 60_000, auto, undefined],
    ['counts fallback-after from the first 404', [[5_000, r(404)], [20_000, e('timeout')], [35_000, r(404)]], 35_000, auto, /for 30s/],
  ];
  for (const [what, events, now, policy, expected] of cases) {
    it(what, () => {
      const reason = decideFallback(play(events), now, policy);
      if (expected) assert.match(reason ?? '(stayed)', expected);
      else assert.equal(reason, undefined);
    });
  }
  it('always falls back with fallback: always', () => assert.equal(decideFallback(initialFallbackState, 0, { ...auto, mode: 'always' }), 'fallback is always'));
});
