import type { ExecResult, WatchedCommand } from '../toolkit/index.js';
import { ActionError, ClusterRetry, describeFailures, runCommand, startCommand } from '../toolkit/index.js';
import type { BackgroundCommand } from '../toolkit/index.js';
import { helmRetryClassification } from './classify.js';
import type { HelmMajor } from './helm-args.js';
import { helmMajor, parseHelmVersion, rollbackArgs, uninstallArgs } from './helm-args.js';
import type { HistoryEntry } from './history.js';
import { parseHistory } from './history.js';

/** Watches a running `helm rollback` (its pods): ends it early when they fail. */
export type RollbackWatch = (cmd: BackgroundCommand) => Promise<WatchedCommand>;

export interface ReleaseStatus {
  status: string;
  revision: number;
  description: string;
}

export interface HelmOptions {
  env: Record<string, string | undefined>;
  context?: string;
  /** Retry policy of every cluster call (its classification is replaced by Helm's). */
  retry?: ClusterRetry;
  /** Values hidden from every captured or streamed output (`set` values the API server may echo). */
  secrets?: string[];
  /** The version already read from this binary (`helm version --short`), so it is not run twice. */
  version?: string;
}

/** A cluster call that failed after the retry policy gave up (or at once, for a permanent error). */
export class HelmCallError extends ActionError {
  readonly result: ExecResult;
  readonly transient: boolean;
  constructor(message: string, result: ExecResult, transient: boolean) {
    super(message);
    this.name = 'HelmCallError';
    this.result = result;
    this.transient = transient;
  }
}

/**
 * The Helm CLI. Cluster commands get --kube-context and the private KUBECONFIG through env only; every one of
 * them (history, status, get, rollback, uninstall) goes through the cluster retry policy.
 */
export class Helm {
  readonly bin: string;
  readonly retry: ClusterRetry;
  private readonly env: Record<string, string | undefined>;
  private readonly context: string;
  private readonly secrets: string[];
  private detected?: { version: string; major: HelmMajor };
  private readonly knownVersion?: string;

  constructor(bin: string, options: HelmOptions) {
    this.bin = bin;
    this.env = options.env;
    this.context = options.context ?? '';
    this.secrets = options.secrets ?? [];
    this.retry = new ClusterRetry({ ...(options.retry ?? new ClusterRetry()).options, classify: helmRetryClassification });
    this.knownVersion = options.version;
  }

  async version(): Promise<{ version: string; major: HelmMajor }> {
    if (!this.detected && this.knownVersion) this.detected = { version: this.knownVersion, major: helmMajor(this.knownVersion) };
    if (!this.detected) {
      const { stdout } = await runCommand(this.bin, ['version', '--short'], { env: this.env });
      const version = parseHelmVersion(stdout);
      if (!version) throw new ActionError(`could not read the Helm version from '${stdout.trim()}'`);
      this.detected = { version, major: helmMajor(version) };
    }
    return this.detected;
  }

  async major(): Promise<HelmMajor> {
    return (await this.version()).major;
  }

  /** Runs a Helm command that needs no cluster. */
  run(args: string[], allowFailure = false): Promise<ExecResult> {
    return runCommand(this.bin, args, { env: this.env, allowFailure, secrets: this.secrets });
  }

  /** One cluster call through the retry policy; the result carries any exit code. */
  cluster(args: string[]): Promise<ExecResult> {
    return this.retry.result(`helm ${args.slice(0, args[0] === 'get' ? 3 : 2).join(' ')}`, () => runCommand(this.bin, this.withContext(args), { env: this.env, allowFailure: true, secrets: this.secrets }));
  }

  startCluster(args: string[]): BackgroundCommand {
    return startCommand(this.bin, this.withContext(args), { env: this.env, stream: true, allowFailure: true, secrets: this.secrets });
  }

  /** Release history, oldest first; empty when the release does not exist. */
  async history(release: string, namespace: string): Promise<HistoryEntry[]> {
    const r = await this.cluster(['history', release, '--namespace', namespace, '--output', 'json', '--max', '100']);
    if (r.exitCode !== 0) {
      if (/release: not found/i.test(r.stderr)) return [];
      throw this.failure(`helm history ${release}`, r);
    }
    return parseHistory(r.stdout);
  }

  /** Status without values: `status -o json` carries the release config, which is read here and dropped. */
  async status(release: string, namespace: string): Promise<ReleaseStatus | undefined> {
    const r = await this.cluster(['status', release, '--namespace', namespace, '--output', 'json']);
    if (r.exitCode !== 0) {
      if (/release: not found/i.test(r.stderr)) return undefined;
      throw this.failure(`helm status ${release}`, r);
    }
    const parsed = JSON.parse(r.stdout) as { version?: number; info?: { status?: string; description?: string } };
    return { status: parsed.info?.status ?? 'unknown', revision: Number(parsed.version ?? 0), description: parsed.info?.description ?? '' };
  }

  /** Release labels of one revision (`helm get metadata`): Helm 4 prints them, Helm 3.17 does not (undefined). */
  async labels(release: string, namespace: string, revision: number): Promise<Record<string, string> | undefined> {
    const r = await this.cluster(['get', 'metadata', release, '--namespace', namespace, '--revision', String(revision), '--output', 'json']);
    if (r.exitCode !== 0) throw this.failure(`helm get metadata ${release}`, r);
    return (JSON.parse(r.stdout) as { labels?: Record<string, string> }).labels;
  }

  /** The manifest of the current revision, or of `revision`. */
  async manifest(release: string, namespace: string, revision?: number): Promise<string> {
    const r = await this.cluster(['get', 'manifest', release, '--namespace', namespace, ...(revision === undefined ? [] : ['--revision', String(revision)])]);
    if (r.exitCode !== 0) throw this.failure(`helm get manifest ${release}`, r);
    return r.stdout;
  }

  async rollback(release: string, namespace: string, revision: number, timeoutMs: number, historyMax: number, watch?: RollbackWatch): Promise<void> {
    const args = rollbackArgs(await this.major(), release, namespace, revision, timeoutMs, historyMax);
    if (watch) {
      const w = await watch(this.startCluster(args));
      if (w.outcome === 'pods-failing') throw new ActionError(`helm rollback ${release} ${revision}: the restored revision's pods are failing too (${describeFailures(w.failures)}); stopped its wait instead of waiting out the timeout`);
      // Done, or a failure a retry may get past (the policy below decides; a rollback can be run again).
      if (w.result.exitCode === 0) return;
      if (this.retry.classify(`${w.result.stderr}\n${w.result.stdout}`).kind !== 'transient') throw this.failure(`helm rollback ${release} ${revision}`, w.result);
    }
    const r = await this.cluster(args);
    if (r.exitCode !== 0) throw this.failure(`helm rollback ${release} ${revision}`, r);
  }

  /**
   * `helm rollback` without Helm's wait: done once Helm has applied the restored revision and recorded it; the
   * caller waits for its workloads. Through the retry policy (a rollback can be run again).
   */
  async rollbackRecorded(release: string, namespace: string, revision: number, timeoutMs: number, historyMax: number): Promise<void> {
    const r = await this.cluster(rollbackArgs(await this.major(), release, namespace, revision, timeoutMs, historyMax, false));
    if (r.exitCode !== 0) throw this.failure(`helm rollback ${release} ${revision}`, r);
  }

  async uninstall(release: string, namespace: string, timeoutMs: number): Promise<void> {
    const r = await this.cluster(uninstallArgs(release, namespace, timeoutMs));
    if (r.exitCode !== 0) throw this.failure(`helm uninstall ${release}`, r);
  }

  private failure(what: string, r: ExecResult): HelmCallError {
    const c = this.retry.classify(`${r.stderr}\n${r.stdout}`);
    const text = (r.stderr || r.stdout).trim().split('\n').slice(-3).join('\n');
    return new HelmCallError(`${what} failed (exit ${r.exitCode}${c.kind === 'transient' ? `, ${c.reason}, still failing after the retry budget` : ''}): ${text}`, r, c.kind === 'transient');
  }

  private withContext(args: string[]): string[] {
    return this.context ? [...args, '--kube-context', this.context] : args;
  }
}
