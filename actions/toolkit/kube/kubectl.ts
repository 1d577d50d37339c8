// The kubectl CLI for every action: argv arrays over the toolkit's exec helper, the context and a private
// KUBECONFIG passed the same way on every call, and every cluster call through one ClusterRetry policy.
import type { BackgroundCommand } from '../background.js';
import { startCommand } from '../background.js';
import type { ExecOptions, ExecResult } from '../exec.js';
import { formatCommand, redact, runCommand } from '../exec.js';
import { CommandError } from '../errors.js';
import { formatDuration } from '../inputs.js';
import { HIDDEN, redactDescribeEnv } from './describe.js';
import type { EventLine } from './events.js';
import { sortEvents } from './events.js';
import type { Pod } from './pods.js';
import { parsePodList } from './pods.js';
import { ClusterRetry } from './policy.js';

export interface KubectlOptions {
  /** kubectl executable (default: `kubectl` on PATH). */
  bin?: string;
  /** Extra environment for every call (merged over process.env). */
  env?: Record<string, string | undefined>;
  /** Kubeconfig file for every call (KUBECONFIG of the child); undefined: the ambient one. */
  kubeconfig?: string;
  /** `--context` for every call; empty: the kubeconfig's current context. */
  context?: string;
  /** Retry policy of cluster calls (default: ClusterRetry's 60 s budget). */
  retry?: ClusterRetry;
  /** Replaces literal env values in `describe` output. */
  hiddenValue?: string;
  /** Values hidden from every output of every call (on top of the registered secrets). */
  secrets?: string[];
}

export interface CallOptions {
  /** Return a failed result instead of throwing CommandError. */
  allowFailure?: boolean;
  /** false: one attempt only (a poll whose failure proves nothing and is simply taken again later). */
  retry?: boolean;
}

/**
 * One instance per action run; long-running children (watches, port-forwards) through start(). run() is silent
 * (output returned to the caller, never logged), so the only Secret read through it is one an action writes for
 * itself (kustomize-deploy's record of the last good set, through run()), whose data no caller prints.
 */
export class Kubectl {
  readonly bin: string;
  readonly retry: ClusterRetry;
  private readonly options: KubectlOptions;

  constructor(options: KubectlOptions = {}) {
    this.options = options;
    this.bin = options.bin ?? 'kubectl';
    this.retry = options.retry ?? new ClusterRetry();
  }

  /** Flags every call carries (before the subcommand's own). */
  globalArgs(): string[] {
    return this.options.context ? ['--context', this.options.context] : [];
  }

  /** Environment and options of every child. */
  execOptions(extra: ExecOptions = {}): ExecOptions {
    const env = { ...this.options.env, ...(this.options.kubeconfig ? { KUBECONFIG: this.options.kubeconfig } : {}), ...extra.env };
    return { ...extra, env, secrets: [...(this.options.secrets ?? []), ...(extra.secrets ?? [])] };
  }

  /** One kubectl call (no cluster retry): for commands that need no API server, like `kubectl kustomize`. */
  exec(args: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return runCommand(this.bin, [...this.globalArgs(), ...args], this.execOptions(options));
  }

  /** A cluster call, retried on transient errors by the policy; the log names it by its first arguments. */
  async run(args: string[], options: CallOptions = {}): Promise<ExecResult> {
    const call = (): Promise<ExecResult> => this.exec(args, { allowFailure: true });
    const words = args.findIndex((a) => a.startsWith('-'));
    const label = `kubectl ${args.slice(0, Math.min(3, words < 0 ? args.length : words)).join(' ')}`;
    const r = options.retry === false ? await call() : await this.retry.result(label, call);
    if (r.exitCode !== 0 && !options.allowFailure) throw new CommandError(redact(formatCommand(this.bin, [...this.globalArgs(), ...args])), r.exitCode, r.stdout, r.stderr);
    return r;
  }

  /** Starts a long-running kubectl (a watch, a port-forward) with the same flags and environment. */
  start(args: string[], options: ExecOptions = {}): BackgroundCommand {
    return startCommand(this.bin, [...this.globalArgs(), ...args], this.execOptions(options));
  }

  async pods(namespace: string, selector: string, options: CallOptions = {}): Promise<Pod[]> {
    return parsePodList((await this.run(['get', 'pods', '--namespace', namespace, '--selector', selector, '--output', 'json'], options)).stdout);
  }

  async eventsJson(namespace: string): Promise<string> {
    return (await this.run(['get', 'events', '--namespace', namespace, '--output', 'json'])).stdout;
  }

  /** Namespace events, oldest first. */
  async events(namespace: string): Promise<EventLine[]> {
    return sortEvents(await this.eventsJson(namespace));
  }

  /**
   * `kubectl rollout status` until `deadline` (epoch ms, at least minMs from now on each attempt); a watch
   * cut by an outage is taken up again by the retry policy. The result carries the verdict (allowFailure).
   */
  rolloutStatus(kind: string, name: string, namespace: string, deadline: number, minMs = 5000): Promise<ExecResult> {
    const call = (): Promise<ExecResult> =>
      this.exec(['rollout', 'status', `${kind.toLowerCase()}/${name}`, '--namespace', namespace, '--timeout', formatDuration(Math.max(minMs, deadline - Date.now()))], { allowFailure: true });
    return this.retry.result(`kubectl rollout status ${kind.toLowerCase()}/${name}`, call);
  }

  /** `kubectl describe pod` with every literal env value replaced (names and secret/config map sources kept). */
  async describePod(namespace: string, pod: string): Promise<ExecResult> {
    const r = await this.run(['describe', 'pod', pod, '--namespace', namespace], { allowFailure: true });
    return { ...r, stdout: redactDescribeEnv(r.stdout, this.options.hiddenValue ?? HIDDEN) };
  }

  logs(namespace: string, pod: string, previous: boolean): Promise<ExecResult> {
    return this.run(['logs', pod, '--namespace', namespace, '--all-containers', '--tail', '200', ...(previous ? ['--previous'] : [])], { allowFailure: true });
  }
}
