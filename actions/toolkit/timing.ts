// How long each step of an action took, for its summary: recorded also when the step throws.
import * as core from '@actions/core';
import { formatSeconds, markdownTable } from './summary.js';

export type Timings = [string, number][];

/** Runs `fn` and appends `[label, elapsed ms]` to `timings`, whether it succeeds or throws. */
export async function timed<T>(timings: Timings, label: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    timings.push([label, Date.now() - started]);
  }
}

/** A timed step in a log group of the same name. */
export function timedGroup(timings: Timings): <T>(label: string, fn: () => Promise<T>) => Promise<T> {
  return (label, fn) => timed(timings, label, () => core.group(label, fn));
}

/** The summary lines of a Step | Time table (with a blank line before it); none when nothing was timed. */
export function timingsMarkdown(timings: Timings): string[] {
  return timings.length ? ['', markdownTable(['Step', 'Time'], timings.map(([label, ms]) => [label, formatSeconds(ms)]))] : [];
}
