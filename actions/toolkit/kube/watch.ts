// Runs a waiting command (helm upgrade --wait, kubectl apply + wait…) and, at the same time, polls the pods it
// rolls out; a container that keeps failing for `crashChecks` consecutive polls ends the wait (the command is
// killed), long before the command's own timeout.
import * as core from '@actions/core';
import type { BackgroundCommand, BackgroundResult } from '../background.js';
import { errorMessage } from '../errors.js';
import type { Kubectl } from './kubectl.js';
import type { PodFailure } from './pods.js';
import { FailureStreak, describeFailures, findPodFailures } from './pods.js';

export interface PodWatch {
  kubectl: Kubectl;
  namespace: string;
  selectors: string[];
  /** Pods that existed before the rollout are not its fault (they are replaced as it rolls out). */
  ignoreUids: ReadonlySet<string>;
  crashChecks: number;
  pollIntervalMs: number;
}

export type WatchedCommand =
  | { outcome: 'finished'; result: BackgroundResult }
  | { outcome: 'pods-failing'; failures: PodFailure[]; firstSeenAt: number; detectedAt: number; result: BackgroundResult };

/** Failing containers of the watched pods (one poll, no retry: a failed poll is simply taken again). */
export async function failingPods(watch: Pick<PodWatch, 'kubectl' | 'namespace' | 'selectors' | 'ignoreUids'>, retry = false): Promise<PodFailure[]> {
  const lists = await Promise.all(watch.selectors.map((s) => watch.kubectl.pods(watch.namespace, s, { retry })));
  const seen = new Set<string>();
  const pods = lists.flat().filter((p) => {
    const key = p.metadata.uid ?? p.metadata.name;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return findPodFailures(pods, watch.ignoreUids);
}

/** UIDs of the pods there now, for PodWatch.ignoreUids; empty when they cannot be listed. */
export async function existingPodUids(kubectl: Kubectl, namespace: string, selectors: string[]): Promise<Set<string>> {
  const uids = new Set<string>();
  try {
    for (const s of selectors) for (const p of await kubectl.pods(namespace, s)) if (p.metadata.uid) uids.add(p.metadata.uid);
  } catch (err) {
    core.debug(`could not list existing pods: ${errorMessage(err)}`);
  }
  return uids;
}

/** Waits for `cmd` while polling the pods; kills it once they have been failing for `crashChecks` polls. */
export async function watchCommand(cmd: BackgroundCommand, watch: PodWatch | undefined): Promise<WatchedCommand> {
  if (!watch) return { outcome: 'finished', result: await cmd.result };
  let finished = false;
  const done = cmd.result.finally(() => {
    finished = true;
  });
  const streak = new FailureStreak(watch.crashChecks);
  let firstSeenAt = 0;
  while (!finished) {
    await Promise.race([done.catch(() => undefined), delay(watch.pollIntervalMs)]);
    if (finished) break;
    let failures: PodFailure[];
    try {
      failures = await failingPods(watch);
    } catch (err) {
      // A failed poll proves nothing either way: the command's own wait still decides.
      core.debug(`pod check failed: ${errorMessage(err)}`);
      continue;
    }
    if (failures.length && !firstSeenAt) firstSeenAt = Date.now();
    if (!failures.length) firstSeenAt = 0;
    if (failures.length) core.info(`pod check ${streak.streak + 1}/${watch.crashChecks}: ${describeFailures(failures)}`);
    if (streak.observe(failures) && !finished) {
      const detectedAt = Date.now();
      core.warning(`Pods are failing (${describeFailures(failures)}) for ${watch.crashChecks} consecutive checks: ending the wait now instead of waiting out the timeout`);
      cmd.kill('SIGKILL');
      const result = await done;
      if (result.signal) return { outcome: 'pods-failing', failures, firstSeenAt, detectedAt, result };
      return { outcome: 'finished', result };
    }
  }
  return { outcome: 'finished', result: await done };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
