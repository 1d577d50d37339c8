// One retry policy for every call against the API server (reads and writes, kubectl and Helm alike): a
// transient error is retried with backoff until a time budget that outlasts an API-server restart is used up.
import * as core from '@actions/core';
import { CommandError } from '../errors.js';
import type { ExecResult } from '../exec.js';
import { retry } from '../retry.js';
import { classifyClusterError } from './classify.js';
import type { ClusterClassification } from './classify.js';

export interface ClusterRetryOptions {
  /** Longest time one call keeps retrying (default 60 s: a control-plane restart). */
  budgetMs?: number;
  /** Absolute time (epoch ms) no retry may wait past. */
  deadline?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Decides what is transient (default: classifyClusterError); a tool may add its own permanent outcomes first. */
  classify?: (text: string) => ClusterClassification;
  log?: (message: string, retry: number) => void;
  /**
   * Shared by every copy of one policy: set once a call has failed for the whole budget, so the next calls
   * (diagnostics, a final read) try once instead of waiting the budget out again; cleared by any success.
   */
  circuit?: { down: boolean };
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export const DEFAULT_CLUSTER_RETRY_BUDGET_MS = 60_000;

/** A failed call's result carried through retry(); never escapes ClusterRetry. */
class TransientResult extends Error {
  readonly result: ExecResult;
  readonly classification: ClusterClassification;
  constructor(result: ExecResult, classification: ClusterClassification) {
    super(result.stderr.trim() || result.stdout.trim() || `exit code ${result.exitCode}`);
    this.result = result;
    this.classification = classification;
  }
}

export class ClusterRetry {
  readonly options: Readonly<ClusterRetryOptions>;

  constructor(options: ClusterRetryOptions = {}) {
    this.options = { ...options, circuit: options.circuit ?? { down: false } };
  }

  get budgetMs(): number {
    return this.options.budgetMs ?? DEFAULT_CLUSTER_RETRY_BUDGET_MS;
  }

  /** No retries at all (for tests, or a call that must not wait). */
  static none(): ClusterRetry {
    return new ClusterRetry({ budgetMs: 0 });
  }

  classify(text: string): ClusterClassification {
    return (this.options.classify ?? classifyClusterError)(text);
  }

  /**
   * Runs a call that returns its result with any exit code (allowFailure) and retries it while it fails with
   * a transient error; returns the last result (success, permanent failure, or the transient one once the
   * budget is spent): the caller decides what a failure means.
   */
  async result(label: string, call: () => Promise<ExecResult>): Promise<ExecResult> {
    const o = this.options;
    const circuit = o.circuit ?? { down: false };
    const wasDown = circuit.down;
    try {
      return await retry(
        async () => {
          const r = await call();
          if (r.exitCode === 0) {
            circuit.down = false;
            return r;
          }
          const c = this.classify(`${r.stderr}\n${r.stdout}`);
          if (c.kind === 'transient') throw new TransientResult(r, c);
          return r;
        },
        {
          budgetMs: circuit.down ? 0 : this.budgetMs,
          deadline: o.deadline,
          baseDelayMs: o.baseDelayMs ?? 1000,
          maxDelayMs: o.maxDelayMs ?? 8000,
          isTransient: (err) => err instanceof TransientResult,
          reason: (err) => (err instanceof TransientResult ? err.classification.reason : ''),
          label: `${label}: waiting for the cluster`,
          log: o.log,
          sleep: o.sleep,
          now: o.now,
          random: o.random,
        },
      );
    } catch (err) {
      if (err instanceof TransientResult) {
        if (wasDown) core.info(`${label}: not retried: the cluster stayed unreachable for the whole retry budget of an earlier call`);
        else if (this.budgetMs > 0) circuit.down = true;
        return err.result;
      }
      throw err;
    }
  }

  /** Like result(), but a failure (after the retries) throws CommandError. */
  async run(label: string, call: () => Promise<ExecResult>): Promise<ExecResult> {
    const r = await this.result(label, call);
    if (r.exitCode !== 0) throw new CommandError(label, r.exitCode, r.stdout, r.stderr);
    return r;
  }

  /** The same policy with another deadline (e.g. the end of the action's timeout). */
  withDeadline(deadline: number | undefined): ClusterRetry {
    return new ClusterRetry({ ...this.options, deadline });
  }
}
