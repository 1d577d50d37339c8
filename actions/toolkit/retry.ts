import * as core from '@actions/core';
import { errorMessage } from './errors.js';

export interface RetryOptions {
  /** Total attempts including the first (>= 1). */
  attempts: number;
  /** Delay before the 2nd attempt; doubles each time, capped by maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs?: number;
  /** Only errors this returns true for are retried; any other error is rethrown at once. */
  isTransient: (err: unknown) => boolean;
  /** What is being tried, for the log. */
  label: string;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  // "Equal jitter": half fixed, half random, so delays grow but never collapse to zero.
  const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries fn on transient errors only, with exponential backoff and jitter. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts, baseDelayMs, isTransient, label } = options;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= attempts || !isTransient(err)) throw err;
      const delay = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
      core.warning(`${label}: attempt ${attempt}/${attempts} failed with a transient error, retrying in ${(delay / 1000).toFixed(1)}s: ${firstLine(errorMessage(err))}`);
      await wait(delay);
    }
  }
}

function firstLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.slice(-1)[0] ?? text;
}
