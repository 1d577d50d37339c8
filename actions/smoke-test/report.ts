import { markdownTable } from '../toolkit/index.js';
import type { CheckResult } from './check-loop.js';
import { formatMs } from './evaluate.js';
import type { LatencyStats } from './latency.js';

export type Mode = 'ingress' | 'port-forward';

export interface SmokeReport {
  passed: boolean;
  mode: Mode;
  url: string;
  results: CheckResult[];
  fallbackReason?: string;
  elapsedMs: number;
}

export interface FailedCheck {
  check: string;
  reason: string;
}

export function failedChecks(results: CheckResult[]): FailedCheck[] {
  return results.filter((r) => !r.passed).map((r) => ({ check: r.check.name, reason: r.reason ?? 'failed' }));
}

export function latencyOutput(results: CheckResult[]): Record<string, LatencyStats> {
  const out: Record<string, LatencyStats> = {};
  for (const r of results) if (r.stats) out[r.check.name] = r.stats;
  return out;
}

/** The check with the highest p99: its p95/p99 are the headline latency outputs. */
export function slowest(results: CheckResult[]): CheckResult | undefined {
  return results.filter((r) => r.stats).sort((a, b) => (b.stats?.p99 ?? 0) - (a.stats?.p99 ?? 0))[0];
}

export function outputs(report: SmokeReport): Record<string, string> {
  const worst = slowest(report.results)?.stats;
  return {
    passed: String(report.passed),
    mode: report.mode,
    url: report.url,
    'failed-checks': JSON.stringify(failedChecks(report.results)),
    'fallback-reason': report.fallbackReason ?? '',
    latency: JSON.stringify(latencyOutput(report.results)),
    'p95-ms': worst ? String(worst.p95) : '',
    'p99-ms': worst ? String(worst.p99) : '',
  };
}

function budgetCell(r: CheckResult): string {
  const parts: string[] = [];
  if (r.check.latencyP95Ms !== undefined) parts.push(`p95 ≤ ${formatMs(r.check.latencyP95Ms)}`);
  if (r.check.latencyP99Ms !== undefined) parts.push(`p99 ≤ ${formatMs(r.check.latencyP99Ms)}`);
  return parts.join(', ') || '—';
}

export function summaryMarkdown(report: SmokeReport): string {
  const heading = `### Smoke test ${report.passed ? 'passed ✅' : 'failed ❌'}`;
  const via = report.mode === 'ingress' ? `through \`${report.url}\`` : `through \`kubectl port-forward\` (\`${report.url}\`)`;
  const lines = [heading, '', `${report.results.length} checks ${via} in ${(report.elapsedMs / 1000).toFixed(1)} s.`];
  if (report.fallbackReason) lines.push('', `Fell back to port-forward: ${report.fallbackReason}.`);
  const rows = report.results.map((r) => [
    r.check.name,
    r.passed ? '✅ pass' : '❌ fail',
    String(r.attempts),
    r.stats ? formatMs(r.stats.p50) : '—',
    r.stats ? formatMs(r.stats.p95) : '—',
    r.stats ? formatMs(r.stats.p99) : '—',
    budgetCell(r),
    r.passed ? (r.lastFailure ? `recovered from: ${r.lastFailure}` : '') : (r.reason ?? 'failed'),
  ]);
  lines.push('', markdownTable(['Check', 'Result', 'Attempts', 'p50', 'p95', 'p99', 'Budget', 'Detail'], rows), '');
  return lines.join('\n');
}

/** The failure message: which checks failed and how, one per line. */
export function failureMessage(report: SmokeReport): string {
  const failed = failedChecks(report.results);
  const where = report.mode === 'port-forward' ? ' (via port-forward)' : '';
  return [`Smoke test failed${where}: ${failed.length} of ${report.results.length} checks failed`, ...failed.map((f) => `  ${f.check}: ${f.reason}`)].join('\n');
}
