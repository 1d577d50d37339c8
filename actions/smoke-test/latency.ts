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
