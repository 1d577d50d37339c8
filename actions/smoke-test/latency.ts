export interface LatencyStats {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile (no interpolation): the smallest value with at least p% of values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside (0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

export function latencyStats(durationsMs: readonly number[]): LatencyStats | undefined {
  if (durationsMs.length === 0) return undefined;
  return {
    samples: durationsMs.length,
    p50: round(percentile(durationsMs, 50)),
    p95: round(percentile(durationsMs, 95)),
    p99: round(percentile(durationsMs, 99)),
    max: round(Math.max(...durationsMs)),
  };
}

/**
 * Whether a percentile budget is already broken for good: with `planned` requests in all, the nearest-rank
 * p-th percentile is the k-th smallest (k = ceil(p% of planned)), so once planned - k + 1 requests are over
 * the budget, no later answer can bring it back within (a deadline that cuts the samples short only
 * lowers planned, and planned - k never grows as planned shrinks).
 */
export function budgetBroken(durationsMs: readonly number[], p: number, budgetMs: number, planned: number): { over: number; needed: number } | undefined {
  const n = Math.max(planned, durationsMs.length);
  const needed = n - Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) + 1;
  let over = 0;
  for (const d of durationsMs) if (d > budgetMs) over++;
  return over >= needed ? { over, needed } : undefined;
}
