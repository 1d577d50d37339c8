export interface PollSchedule {
  /** Delay after a success, while confirming a streak (a pass still needs every answer of it). */
  confirmMs: number;
  /** Delay after the first failure. */
  initialMs: number;
  /** Growth per failure in a row. */
  factor: number;
  /** Cap: a check is never polled less often than this. */
  maxMs: number;
  /** Fraction of the delay that is random (0: none), so parallel checks do not poll in lock-step. */
  jitter: number;
}

/**
 * A service turning healthy is noticed within maxMs (half of it on average): 250 ms is 4 requests a second
 * per check while it is not, light for any HTTP service and well under a 1 s retry loop's reaction.
 */
export const DEFAULT_SCHEDULE: PollSchedule = { confirmMs: 20, initialMs: 100, factor: 1.5, maxMs: 250, jitter: 0.2 };

/**
 * Delay before the next request of one check. Short while a check is succeeding (consecutive successes
 * are confirmed quickly) and right after it starts failing; backs off geometrically to the cap.
 */
export function pollDelay(failuresInARow: number, schedule: PollSchedule = DEFAULT_SCHEDULE, random: () => number = Math.random): number {
  if (failuresInARow === 0) return Math.max(1, Math.round(schedule.confirmMs * (1 - schedule.jitter * random())));
  const steps = failuresInARow - 1;
  const base = Math.min(schedule.maxMs, schedule.initialMs * schedule.factor ** steps);
  const jittered = base * (1 - schedule.jitter * random());
  return Math.max(1, Math.round(jittered));
}
