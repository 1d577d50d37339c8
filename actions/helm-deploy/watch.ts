// Runs the waiting `helm upgrade` and, at the same time, polls the release's pods; a container that
// keeps failing for `crashChecks` consecutive polls ends the wait (the Helm process is killed).
import * as core from '@actions/core';
import type { BackgroundResult } from '../toolkit/index.js';
import { errorMessage } from '../toolkit/index.js';
import type { Helm } from './helm.js';
import type { Kubectl } from './kubectl.js';
import type { PodFailure } from './pods.js';
import { FailureStreak, describeFailures, findPodFailures } from './pods.js';

export interface PodWatch {
  kubectl: Kubectl;
  namespace: string;
  selectors: string[];
  ignoreUids: ReadonlySet<string>;
  crashChecks: number;
  pollIntervalMs: number;
}

export type WatchedUpgrade =
  | { outcome: 'finished'; result: BackgroundResult }
  | { outcome: 'pods-failing'; failures: PodFailure[]; firstSeenAt: number; detectedAt: number; result: BackgroundResult };

export async function failingPods(watch: PodWatch): Promise<PodFailure[]> {
  const lists = await Promise.all(watch.selectors.map((s) => watch.kubectl.pods(watch.namespace, s)));
  const seen = new Set<string>();
  const pods = lists.flat().filter((p) => {
    const key = p.metadata.uid ?? p.metadata.name;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return findPodFailures(pods, watch.ignoreUids);
}

export async function upgradeWatchingPods(helm: Helm, args: string[], watch: PodWatch | undefined): Promise<WatchedUpgrade> {
  const cmd = helm.startCluster(args);
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
      // A failed poll proves nothing either way: Helm's own wait still decides.
      core.debug(`pod check failed: ${errorMessage(err)}`);
      continue;
    }
    if (failures.length && !firstSeenAt) firstSeenAt = Date.now();
    if (!failures.length) firstSeenAt = 0;
    if (failures.length) core.info(`pod check ${streak.streak + 1}/${watch.crashChecks}: ${describeFailures(failures)}`);
    if (streak.observe(failures) && !finished) {
      const detectedAt = Date.now();
      core.warning(`Pods of the release are failing (${describeFailures(failures)}) for ${watch.crashChecks} consecutive checks: ending the wait now instead of waiting out the timeout`);
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
