import { setTimeout as sleep } from 'node:timers/promises';
import type { Check } from './checks.js';
import { evaluateLatency, evaluateResponse, formatMs, latencyBudgetLost, type ProbeResponse } from './evaluate.js';
import { classifyError, type Observation } from './fallback.js';
import { latencyStats, type LatencyStats } from './latency.js';
import { DEFAULT_SCHEDULE, pollDelay, type PollSchedule } from './schedule.js';

export interface CheckResult {
  check: Check;
  passed: boolean;
  /** Reached the required successes in a row before the deadline. */
  healthy: boolean;
  attempts: number;
  /** Why the check failed (undefined when it passed). */
  reason?: string;
  /** The last failed answer while waiting, even when the check later passed. */
  lastFailure?: string;
  stats?: LatencyStats;
  /** Time from the start of the loop to healthy. */
  healthyAfterMs?: number;
  sampleFailures: number;
}

export type Probe = (url: string, check: Check, timeoutMs: number, signal: AbortSignal) => Promise<ProbeResponse>;

export interface LoopOptions {
  checks: Check[];
  /** Base URL without a trailing slash; check paths are appended. */
  baseUrl: string;
  probe: Probe;
  /** Overall deadline (epoch ms). */
  deadline: number;
  requestTimeoutMs: number;
  consecutiveSuccesses: number;
  samples: number;
  schedule?: PollSchedule;
  /** Sees every answer while waiting; a returned reason stops all checks (to fall back). */
  onObservation?: (obs: Observation) => string | undefined;
  log?: (line: string) => void;
}

export interface LoopOutcome {
  results: CheckResult[];
  /** Set when onObservation stopped the loop. */
  abortedFor?: string;
}

interface Attempt {
  failure?: string;
  durationMs?: number;
  obs?: Observation;
  /** An error that retrying cannot fix (a redirect loop): the check fails at once. */
  permanent?: boolean;
  /** A timeout of a request the deadline cut shorter than request-timeout: it says nothing about the service. */
  cutShort?: boolean;
}

/** Probe error codes that no retry fixes: the service is configured to answer this way. */
const PERMANENT_CODES = new Set(['EREDIRECTLOOP', 'EREDIRECTPROTOCOL']);

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Polls every check in parallel until each has `consecutiveSuccesses` good answers in a row or the
 * deadline passes; any status or error is retried (a 404 from an Ingress not yet routed is not final).
 * Healthy checks then take `samples` more requests for latency figures.
 */
export async function runChecks(options: LoopOptions): Promise<LoopOutcome> {
  const controller = new AbortController();
  let abortedFor: string | undefined;
  const log = options.log ?? (() => undefined);
  const schedule = options.schedule ?? DEFAULT_SCHEDULE;
  const started = Date.now();

  const attempt = async (check: Check): Promise<Attempt> => {
    const remaining = options.deadline - Date.now();
    const timeoutMs = Math.max(1, Math.min(options.requestTimeoutMs, remaining));
    try {
      const response = await options.probe(`${options.baseUrl}${check.path}`, check, timeoutMs, controller.signal);
      return { failure: evaluateResponse(check, response), durationMs: response.durationMs, obs: { kind: 'response', status: response.status } };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const code = errorCode(err);
      const cutShort = timeoutMs < options.requestTimeoutMs && code === 'ETIMEDOUT';
      return { failure: message, obs: { kind: 'error', class: classifyError(code), message }, permanent: code !== undefined && PERMANENT_CODES.has(code), cutShort };
    }
  };

  /** Requests whose latencies make up the figures: the healthy streak plus the samples. */
  const planned = options.consecutiveSuccesses + options.samples;
  // A service turns healthy on all its paths at once: the first check to see it wakes the others from
  // their backoff, so the slowest poller does not set the pace (each still needs its own streak).
  const sleepers = new Set<() => void>();
  const wakeOthers = (): void => {
    for (const wake of [...sleepers]) wake();
  };
  const pause = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        sleepers.delete(done);
        controller.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
      controller.signal.addEventListener('abort', done);
    });

  const one = async (check: Check): Promise<CheckResult> => {
    const result: CheckResult = { check, passed: false, healthy: false, attempts: 0, sampleFailures: 0 };
    let streak: number[] = [];
    let failuresInARow = 0;
    let good = 0;
    let longestStreak = 0;
    let permanent = false;
    while (!controller.signal.aborted && Date.now() < options.deadline) {
      result.attempts++;
      const a = await attempt(check);
      // A request the deadline cut short got no answer: it is not counted as an attempt.
      if (a.cutShort) result.attempts--;
      if (controller.signal.aborted) break;
      const reason = a.obs && options.onObservation?.(a.obs);
      if (reason) {
        abortedFor = reason;
        controller.abort();
        break;
      }
      if (a.failure === undefined) {
        if (failuresInARow > 0) wakeOthers();
        streak.push(a.durationMs ?? 0);
        good++;
        longestStreak = Math.max(longestStreak, streak.length);
        failuresInARow = 0;
        if (streak.length >= options.consecutiveSuccesses) {
          result.healthy = true;
          result.healthyAfterMs = Date.now() - started;
          break;
        }
      } else {
        if (a.failure !== result.lastFailure) log(`${check.name}: ${a.failure} (attempt ${result.attempts})`);
        // The last real answer explains the failure better than a request the deadline cut off.
        if (!(a.cutShort && result.lastFailure !== undefined)) result.lastFailure = a.failure;
        streak = [];
        failuresInARow++;
        if (a.permanent) {
          permanent = true;
          break;
        }
      }
      const delay = Math.min(pollDelay(failuresInARow, schedule), options.deadline - Date.now());
      if (delay > 0) await (failuresInARow > 0 ? pause(delay) : sleep(delay, undefined, { signal: controller.signal }).catch(() => undefined));
    }
    if (!result.healthy) {
      result.reason = result.lastFailure ?? 'no answer before the deadline';
      if (permanent) result.reason = `${result.reason} (not retried: it does not fix itself)`;
      else if (result.attempts > 0 && !controller.signal.aborted) {
        const goodOnes = good > 0 ? `; ${good} of them good, at most ${longestStreak} in a row of the ${options.consecutiveSuccesses} needed` : '';
        result.reason = `${result.reason} (still failing after ${result.attempts} attempts${goodOnes})`;
      }
      return result;
    }
    log(`${check.name}: healthy after ${result.attempts} attempts (${formatMs(result.healthyAfterMs ?? 0)})`);

    const durations = [...streak];
    let lost = latencyBudgetLost(check, durations, planned);
    let lastSampleFailure: string | undefined;
    let taken = 0;
    for (; !lost && taken < options.samples && Date.now() < options.deadline && !controller.signal.aborted; taken++) {
      const a = await attempt(check);
      if (a.failure !== undefined) {
        result.sampleFailures++;
        lastSampleFailure = a.failure;
      } else {
        durations.push(a.durationMs ?? 0);
        lost = latencyBudgetLost(check, durations, planned);
      }
    }
    result.stats = latencyStats(durations);
    if (result.sampleFailures > 0) {
      result.reason = `${result.sampleFailures} of ${taken} latency samples failed after it turned healthy (last: ${lastSampleFailure})`;
    } else {
      result.reason = lost ?? evaluateLatency(check, result.stats);
    }
    result.passed = result.reason === undefined;
    return result;
  };

  const results = await Promise.all(options.checks.map((c) => one(c)));
  return { results, abortedFor };
}
