export interface PollSchedule {
  /** Delay after a success (confirming a streak) and after the first failure. */
  initialMs: number;
  /** Growth per failure in a row. */
  factor: number;
  /** Cap: a check is never polled less often than this. */
  maxMs: number;
  /** Fraction of the delay that is random (0: none), so parallel checks do not poll in lock-step. */
  jitter: number;
}

export const DEFAULT_SCHEDULE: PollSchedule = { initialMs: 100, factor: 1.5, maxMs: 1000, jitter: 0.2 };

/**
 * Delay before the next request of one check. Fast while a check is succeeding (consecutive successes
 * are confirmed quickly) and right after it starts failing; backs off geometrically to the cap.
 */
export function pollDelay(failuresInARow: number, schedule: PollSchedule = DEFAULT_SCHEDULE, random: () => number = Math.random): number {
  const steps = Math.max(0, failuresInARow - 1);
  const base = Math.min(schedule.maxMs, schedule.initialMs * schedule.factor ** steps);
  const jittered = base * (1 - schedule.jitter * random());
  return Math.max(1, Math.round(jittered));
}
