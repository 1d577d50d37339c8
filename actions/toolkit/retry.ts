import * as core from '@actions/core';
import { errorMessage } from './errors.js';

export interface RetryOptions {
  /** Total attempts including the first (>= 1); unlimited when only a time budget bounds the retries. */
  attempts?: number;
  /** Delay before the 2nd attempt; doubles each time, capped by maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs?: number;
  /** Longest time to keep retrying, counted from the first attempt: no wait starts that would end after it. */
  budgetMs?: number;
  /** Absolute time (epoch ms) no wait may go past, e.g. the end of the action's `timeout`. */
  deadline?: number;
  /** Only errors this returns true for are retried; any other error is rethrown at once. */
  isTransient: (err: unknown) => boolean;
  /** Why the error is worth waiting for, for the log (e.g. "API server unreachable"). */
  reason?: (err: unknown) => string;
  /** What is being tried, for the log. */
  label: string;
  /** Where the retry lines go (default: the first as a warning, later ones as info, so an outage makes one annotation). */
  log?: (message: string, retry: number) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  // "Equal jitter": half fixed, half random, so delays grow but never collapse to zero.
  const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const defaultLog = (message: string, retry: number): void => (retry === 1 ? core.warning(message) : core.info(message));

/** Retries fn on transient errors only, with exponential backoff and jitter, within attempts and/or a time budget. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { baseDelayMs, isTransient, label } = options;
  const attempts = options.attempts ?? Number.POSITIVE_INFINITY;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const log = options.log ?? defaultLog;
  const started = now();
  const until = Math.min(options.budgetMs === undefined ? Number.POSITIVE_INFINITY : started + options.budgetMs, options.deadline ?? Number.POSITIVE_INFINITY);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= attempts || !isTransient(err)) throw err;
      const left = until - now();
      const delay = Math.min(backoffDelay(attempt, baseDelayMs, maxDelayMs, random), Math.max(0, left));
      if (left <= 0) throw err;
      const why = options.reason ? `${options.reason(err)}: ` : '';
      const budget = Number.isFinite(until)
        ? `; ${Math.round((now() - started) / 1000)}s of ${Math.round((until - started) / 1000)}s waited`
        : '';
      const count = Number.isFinite(attempts) ? `attempt ${attempt}/${attempts}` : `attempt ${attempt}`;
      log(`${label}: ${count} failed with a transient error, retrying in ${(delay / 1000).toFixed(1)}s (${why}${lastLine(errorMessage(err))}${budget})`, attempt);
      await wait(delay);
    }
  }
}

/** The most telling line of a multi-line error: the last non-empty one (Go tools print the cause last). */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(-1)[0] ?? text;
}
