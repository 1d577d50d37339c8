// One watch of the rollout's pods for the whole run (issue 21): started with the apply (so kubectl's start-up is
// not on the wait), judged by the toolkit's CrashJudge event by event, and kept through the rollback, whose own
// wait judges only pods the watch had not seen when the rollback was issued (the failed revision's pods, and those
// there before the deploy, are not the rollback's fault). No list of pods is taken between decision and rollback.
import * as core from '@actions/core';
import type { BackgroundCommand, BackgroundResult, JsonWatch, Kubectl, PodFailure, WatchedCommand, WatchedPod } from '../toolkit/index.js';
import { CrashJudge, describeFailures, watchJson } from '../toolkit/index.js';

export interface RolloutWatchOptions {
  kubectl: Kubectl;
  namespace: string;
  selectors: string[];
  /** Pods there before the deploy. */
  ignoreUids: ReadonlySet<string>;
  crashChecks: number;
}

/** Watches the pods of `selectors`; `failing()` resolves on the event that proves a container failing. */
export class RolloutWatch {
  private readonly seen = new Set<string>();
  private judge: CrashJudge;
  private decided?: PodFailure[];
  private wake: (failures: PodFailure[]) => void = () => undefined;
  private readonly watches: JsonWatch[];

  constructor(private readonly o: RolloutWatchOptions) {
    this.judge = this.newJudge(o.ignoreUids);
    this.watches = o.selectors.map((s) => watchJson(o.kubectl, ['get', 'pods', '--namespace', o.namespace, '--selector', s, '--watch', '--output', 'json'], (doc) => this.observe(doc as WatchedPod)));
  }

  private newJudge(ignore: ReadonlySet<string>): CrashJudge {
    return new CrashJudge(this.o.crashChecks, ignore, { pullChecks: this.o.crashChecks });
  }

  private observe(pod: WatchedPod): void {
    if (pod.metadata?.uid) this.seen.add(pod.metadata.uid);
    if (this.decided) return;
    const failures = this.judge.observe(pod);
    if (!failures.length) return;
    this.decided = failures;
    this.wake(failures);
  }

  /** The failures once decided (the promise stays pending until then). */
  failing(): Promise<PodFailure[]> {
    return this.decided ? Promise.resolve(this.decided) : new Promise((resolve) => (this.wake = resolve));
  }

  /** From now on only pods not seen so far are judged (call just before the rollback is issued). */
  judgeOnlyNewPods(): void {
    this.judge = this.newJudge(new Set([...this.o.ignoreUids, ...this.seen]));
    this.decided = undefined;
  }

  stop(): void {
    for (const w of this.watches) w.stop();
  }
}

/**
 * Waits for `cmd` (the rollouts' `kubectl rollout status`) unless the watch decides first: then `cmd` is killed
 * (SIGKILL) long before its own timeout. The same result as the toolkit's watchCommandStream.
 */
export async function waitUnlessFailing(cmd: BackgroundCommand, watch: RolloutWatch): Promise<WatchedCommand> {
  let finished = false;
  const done = cmd.result.finally(() => {
    finished = true;
  });
  const first = await Promise.race([done.then((result) => ({ result }), (): { result?: BackgroundResult } => ({})), watch.failing().then((failures) => ({ failures, at: Date.now() }))]);
  if ('failures' in first && !finished) {
    core.warning(`Pods are failing (${describeFailures(first.failures)}): ending the wait now instead of waiting out the timeout`);
    cmd.kill('SIGKILL');
    const result = await done;
    if (result.signal) return { outcome: 'pods-failing', failures: first.failures, firstSeenAt: first.at, detectedAt: first.at, result };
    return { outcome: 'finished', result };
  }
  return { outcome: 'finished', result: await done };
}
