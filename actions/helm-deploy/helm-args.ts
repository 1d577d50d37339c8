// Pure argv builders for each Helm major: the flags differ (Helm 4 removed --atomic, made --wait a
// strategy, renamed --force), the behaviour asked for is the same.
import { formatDuration } from '../toolkit/index.js';
import type { ChartSource, ServerSide } from './inputs.js';

export type HelmMajor = 3 | 4;

export interface ChartArgs {
  chart: ChartSource;
  chartVersion: string;
  valuesFiles: string[];
}

export interface UpgradeArgs extends ChartArgs {
  release: string;
  namespace: string;
  timeoutMs: number;
  historyMax: number;
  /** Helm's own rollback (or uninstall of a first install) on failure. */
  rollbackOnFailure: boolean;
  serverSide: ServerSide;
  forceConflicts: boolean;
  forceReplace: boolean;
  createNamespace: boolean;
  /** Release description (`--description`): helm-deploy records the source commit there, shown by `helm history`. */
  description?: string;
  /** Release labels (`--labels k=v,…`, Helm 3.17+ and 4): shown by Helm 4's `helm get metadata`. */
  labels?: Record<string, string>;
}

export interface Built {
  args: string[];
  warnings: string[];
}

export function waitFlag(major: HelmMajor): string {
  return major === 3 ? '--wait' : '--wait=watcher';
}

export function chartArgs(c: ChartArgs): string[] {
  const args = [c.chart.ref];
  if (c.chart.kind === 'repo') args.push('--repo', c.chart.repo);
  if (c.chart.kind !== 'local' && c.chartVersion) args.push('--version', c.chartVersion);
  for (const file of c.valuesFiles) args.push('--values', file);
  return args;
}

export function upgradeArgs(major: HelmMajor, o: UpgradeArgs): Built {
  const warnings: string[] = [];
  const args = ['upgrade', o.release, ...chartArgs(o), '--install', '--namespace', o.namespace, '--timeout', formatDuration(o.timeoutMs), '--history-max', String(o.historyMax)];
  if (major === 3) {
    if (o.rollbackOnFailure) args.push('--atomic');
    args.push('--wait');
    if (o.forceReplace) args.push('--force');
    if (o.serverSide !== 'auto') warnings.push(`server-side: '${o.serverSide}' is ignored: Helm 3 has no server-side apply`);
    if (o.forceConflicts) warnings.push('force-conflicts is ignored: Helm 3 has no server-side apply');
  } else {
    if (o.rollbackOnFailure) args.push('--rollback-on-failure');
    args.push('--wait=watcher');
    if (o.forceReplace) args.push('--force-replace');
    if (o.serverSide !== 'auto') args.push(`--server-side=${o.serverSide}`);
    if (o.forceConflicts) args.push('--force-conflicts');
  }
  if (o.createNamespace) args.push('--create-namespace');
  if (o.description) args.push('--description', o.description);
  const labels = Object.entries(o.labels ?? {});
  if (labels.length) args.push('--labels', labels.map(([k, v]) => `${k}=${v}`).join(','));
  return { args, warnings };
}

export function templateArgs(release: string, namespace: string, c: ChartArgs): string[] {
  return ['template', release, ...chartArgs(c), '--namespace', namespace];
}

export function lintArgs(chartDir: string, namespace: string, valuesFiles: string[]): string[] {
  return ['lint', chartDir, '--strict', '--namespace', namespace, ...valuesFiles.flatMap((f) => ['--values', f])];
}

/**
 * `wait: false` leaves out Helm's own wait (Helm 4's default is then hookOnly: hooks are still waited for): the
 * caller waits for the restored workloads itself.
 */
export function rollbackArgs(major: HelmMajor, release: string, namespace: string, revision: number, timeoutMs: number, historyMax: number, wait = true): string[] {
  return ['rollback', release, String(revision), '--namespace', namespace, ...(wait ? [waitFlag(major)] : []), '--timeout', formatDuration(timeoutMs), '--history-max', String(historyMax)];
}

export function uninstallArgs(release: string, namespace: string, timeoutMs: number): string[] {
  return ['uninstall', release, '--namespace', namespace, '--timeout', formatDuration(timeoutMs)];
}

/** `v3.17.3+ge4da497` → '3.17.3'. */
export function parseHelmVersion(text: string): string | undefined {
  return /v?(\d+\.\d+\.\d+(?:-[\w.]+)?)/.exec(text.trim())?.[1];
}

export function helmMajor(version: string): HelmMajor {
  const major = Number(version.split('.')[0]);
  if (major !== 3 && major !== 4) throw new Error(`Helm ${version} is not supported (Helm 3 or 4 is)`);
  return major;
}
