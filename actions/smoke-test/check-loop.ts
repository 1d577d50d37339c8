import { setTimeout as sleep } from 'node:timers/promises';
import type { Check } from './checks.js';
import { evaluateLatency, evaluateResponse, formatMs, type ProbeResponse } from './evaluate.js';
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
}

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
      return { failure: message, obs: { kind: 'error', class: classifyError(errorCode(err)), message } };
    }
  };

  const one = async (check: Check): Promise<CheckResult> => {
    const result: CheckResult = { check, passed: false, healthy: false, attempts: 0, sampleFailures: 0 };
    let streak: number[] = [];
    let failuresInARow = 0;
    while (!controller.signal.aborted && Date.now() < options.deadline) {
      result.attempts++;
      const a = await attempt(check);
      if (controller.signal.aborted) break;
      const reason = a.obs && options.onObservation?.(a.obs);
      if (reason) {
        abortedFor = reason;
        controller.abort();
        break;
      }
      if (a.failure === undefined) {
        streak.push(a.durationMs ?? 0);
        failuresInARow = 0;
        if (streak.length >= options.consecutiveSuccesses) {
          result.healthy = true;
          result.healthyAfterMs = Date.now() - started;
          break;
        }
      } else {
        if (a.failure !== result.lastFailure) log(`${check.name}: ${a.failure} (attempt ${result.attempts})`);
        result.lastFailure = a.failure;
        streak = [];
        failuresInARow++;
      }
      const delay = Math.min(pollDelay(failuresInARow, schedule), options.deadline - Date.now());
      if (delay > 0) await sleep(delay, undefined, { signal: controller.signal }).catch(() => undefined);
    }
    if (!result.healthy) {
      result.reason = result.lastFailure ?? 'no answer before the deadline';
      if (result.attempts > 0 && !controller.signal.aborted) result.reason = `${result.reason} (still failing after ${result.attempts} attempts)`;
      return result;
    }
    log(`${check.name}: healthy after ${result.attempts} attempts (${formatMs(result.healthyAfterMs ?? 0)})`);

    const durations = [...streak];
    let lastSampleFailure: string | undefined;
    let taken = 0;
    for (; taken < options.samples && Date.now() < options.deadline && !controller.signal.aborted; taken++) {
      const a = await attempt(check);
      if (a.failure !== undefined) {
        result.sampleFailures++;
        lastSampleFailure = a.failure;
      } else {
        durations.push(a.durationMs ?? 0);
      }
    }
    result.stats = latencyStats(durations);
    if (result.sampleFailures > 0) {
      result.reason = `${result.sampleFailures} of ${taken} latency samples failed after it turned healthy (last: ${lastSampleFailure})`;
    } else {
      result.reason = evaluateLatency(check, result.stats);
    }
    result.passed = result.reason === undefined;
    return result;
  };

  const results = await Promise.all(options.checks.map((c) => one(c)));
  return { results, abortedFor };
}
