import type { ExecResult } from '../toolkit/index.js';
import { ActionError, runCommand, startCommand } from '../toolkit/index.js';
import type { BackgroundCommand } from '../toolkit/index.js';
import type { HelmMajor } from './helm-args.js';
import { helmMajor, parseHelmVersion, rollbackArgs, uninstallArgs } from './helm-args.js';
import type { HistoryEntry } from './history.js';
import { parseHistory } from './history.js';

export interface ReleaseStatus {
  status: string;
  revision: number;
  description: string;
}

/** The Helm CLI. Cluster commands get --kube-context and the private KUBECONFIG through env only. */
export class Helm {
  readonly bin: string;
  private readonly env: Record<string, string | undefined>;
  private readonly context: string;
  private detected?: { version: string; major: HelmMajor };

  constructor(bin: string, env: Record<string, string | undefined>, context = '') {
    this.bin = bin;
    this.env = env;
    this.context = context;
  }

  async version(): Promise<{ version: string; major: HelmMajor }> {
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
    return runCommand(this.bin, args, { env: this.env, allowFailure });
  }

  cluster(args: string[], allowFailure = false): Promise<ExecResult> {
    return runCommand(this.bin, this.withContext(args), { env: this.env, allowFailure });
  }

  startCluster(args: string[]): BackgroundCommand {
    return startCommand(this.bin, this.withContext(args), { env: this.env, stream: true, allowFailure: true });
  }

  /** Release history, oldest first; empty when the release does not exist. */
  async history(release: string, namespace: string): Promise<HistoryEntry[]> {
    const r = await this.cluster(['history', release, '--namespace', namespace, '--output', 'json', '--max', '100'], true);
    if (r.exitCode !== 0) {
      if (/release: not found/i.test(r.stderr)) return [];
      throw new ActionError(`helm history ${release} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
    }
    return parseHistory(r.stdout);
  }

  /** Status without values: `status -o json` carries the release config, which is read here and dropped. */
  async status(release: string, namespace: string): Promise<ReleaseStatus | undefined> {
    const r = await this.cluster(['status', release, '--namespace', namespace, '--output', 'json'], true);
    if (r.exitCode !== 0) {
      if (/release: not found/i.test(r.stderr)) return undefined;
      throw new ActionError(`helm status ${release} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
    }
    const parsed = JSON.parse(r.stdout) as { version?: number; info?: { status?: string; description?: string } };
    return { status: parsed.info?.status ?? 'unknown', revision: Number(parsed.version ?? 0), description: parsed.info?.description ?? '' };
  }

  async manifest(release: string, namespace: string): Promise<string> {
    return (await this.cluster(['get', 'manifest', release, '--namespace', namespace])).stdout;
  }

  async rollback(release: string, namespace: string, revision: number, timeoutMs: number, historyMax: number): Promise<void> {
    await this.cluster(rollbackArgs(await this.major(), release, namespace, revision, timeoutMs, historyMax));
  }

  async uninstall(release: string, namespace: string, timeoutMs: number): Promise<void> {
    await this.cluster(uninstallArgs(release, namespace, timeoutMs));
  }

  private withContext(args: string[]): string[] {
    return this.context ? [...args, '--kube-context', this.context] : args;
  }
}
