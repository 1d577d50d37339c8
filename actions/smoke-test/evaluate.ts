import { truncate } from '../toolkit/index.js';
import { statusMatches, type Check } from './checks.js';
import { budgetBroken, type LatencyStats } from './latency.js';
import { hasMetric, parseExposition } from './prometheus.js';

export interface ProbeResponse {
  status: number;
  /** Lower-case names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  durationMs: number;
}

/** undefined when the response satisfies the check; otherwise why not, in one line. */
export function evaluateResponse(check: Check, response: ProbeResponse): string | undefined {
  if (!statusMatches(check.status, response.status)) {
    return `status ${response.status}, expected ${check.status.text}${bodyHint(response.body)}`;
  }
  for (const expected of check.headers) {
    const raw = response.headers[expected.name];
    const actual = Array.isArray(raw) ? raw.join(', ') : raw;
    if (actual === undefined) return `header ${expected.name} is missing`;
    if (!actual.toLowerCase().includes(expected.contains.toLowerCase())) {
      return `header ${expected.name} is '${truncate(actual, 80)}', expected it to contain '${expected.contains}'`;
    }
  }
  if (check.json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      return `body is not JSON${bodyHint(response.body)}`;
    }
    const mismatch = jsonSubsetMismatch(check.json, parsed);
    if (mismatch) return `JSON ${mismatch}`;
  }
  for (const text of check.contains) {
    if (!response.body.includes(text)) return `body does not contain '${truncate(text, 60)}'${bodyHint(response.body)}`;
  }
  if (check.regex && !check.regex.test(response.body)) return `body does not match /${check.regex.source}/${bodyHint(response.body)}`;
  if (check.metrics) {
    const exposition = parseExposition(response.body);
    if (exposition.errors.length > 0) {
      const more = exposition.errors.length > 1 ? ` (+${exposition.errors.length - 1} more)` : '';
      return `invalid Prometheus exposition: ${exposition.errors[0]}${more}`;
    }
    const missing = check.requiredMetrics.filter((m) => !hasMetric(exposition, m));
    if (missing.length > 0) return `required metric${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}`;
  }
  return undefined;
}

/**
 * Where `actual` stops containing `expected`: objects need every expected key (extra keys are fine),
 * arrays need the same length with each element matching, scalars must be equal.
 */
export function jsonSubsetMismatch(expected: unknown, actual: unknown, at = '$'): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `at ${at}: expected an array, got ${describe(actual)}`;
    if (actual.length !== expected.length) return `at ${at}: expected ${expected.length} elements, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = jsonSubsetMismatch(expected[i], actual[i], `${at}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return `at ${at}: expected an object, got ${describe(actual)}`;
    const obj = actual as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) {
      const child = /^[A-Za-z_$][\w$]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
      if (!(key in obj)) return `at ${child}: missing (expected ${describe(value)})`;
      const m = jsonSubsetMismatch(value, obj[key], child);
      if (m) return m;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : `at ${at}: expected ${describe(expected)}, got ${describe(actual)}`;
}

/** undefined when the latency figures are within the check's budgets. */
export function evaluateLatency(check: Check, stats: LatencyStats | undefined): string | undefined {
  if (!stats || stats.samples === 0) return undefined;
  if (check.latencyP99Ms !== undefined && stats.p99 > check.latencyP99Ms) {
    return `p99 latency ${formatMs(stats.p99)} exceeds the budget of ${formatMs(check.latencyP99Ms)} (${stats.samples} requests)`;
  }
  if (check.latencyP95Ms !== undefined && stats.p95 > check.latencyP95Ms) {
    return `p95 latency ${formatMs(stats.p95)} exceeds the budget of ${formatMs(check.latencyP95Ms)} (${stats.samples} requests)`;
  }
  return undefined;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return truncate(JSON.stringify(value), 60);
}

function bodyHint(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat ? ` (body: '${truncate(flat, 80)}')` : '';
}

/**
 * Why the check's latency budgets can no longer be met with `planned` requests in all (undefined while they
 * still can): the check fails at once instead of taking its remaining samples.
 */
export function latencyBudgetLost(check: Check, durationsMs: readonly number[], planned: number): string | undefined {
  const budgets: Array<[number, number | undefined]> = [
    [99, check.latencyP99Ms],
    [95, check.latencyP95Ms],
  ];
  for (const [p, budget] of budgets) {
    if (budget === undefined) continue;
    const broken = budgetBroken(durationsMs, p, budget, planned);
    if (!broken) continue;
    const slowest = Math.max(...durationsMs);
    return `p${p} latency exceeds the budget of ${formatMs(budget)}: ${broken.over} of ${durationsMs.length} requests took longer (up to ${formatMs(slowest)}), so the p${p} of the ${planned} planned requests cannot be within it (stopped early)`;
  }
  return undefined;
}
