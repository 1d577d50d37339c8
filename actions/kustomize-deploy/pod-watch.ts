// A crash caught from a watch, not from polls: `kubectl get pods --watch --output json` streams every change of the
// rollout's pods, and the judge decides on each event. A CrashLoopBackOff, or a container that terminated non-zero
// and restarted twice, decides at once (the kubelet has already seen it fail repeatedly); an image that cannot be
// pulled (ErrImagePull / ImagePullBackOff, or a bad image name / config) decides after `crash-checks` consecutive
// events of that pod (default 2: ErrImagePull then ImagePullBackOff). A pod that is slow to become ready, with no
// restarts, never fails. Pods that existed before the rollout are not judged.
import * as core from '@actions/core';
import type { BackgroundCommand, Kubectl, PodFailure } from '../toolkit/index.js';
import { describeFailures, errorMessage, startCommand } from '../toolkit/index.js';

const AT_ONCE = ['CrashLoopBackOff'];
const PERSISTENT = ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError'];

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { exitCode?: number; reason?: string } };
  lastState?: { terminated?: { exitCode?: number; reason?: string } };
}

export interface WatchedPod {
  kind?: string;
  metadata?: { name?: string; uid?: string; deletionTimestamp?: string };
  status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
}

/** Judges pod events one at a time; remembers per pod how many consecutive events showed a pull failure. */
export class PodEventJudge {
  private readonly streaks = new Map<string, number>();
  constructor(
    private readonly crashChecks: number,
    private readonly ignoreUids: ReadonlySet<string> = new Set(),
  ) {}

  /** The failures this event decides (empty: keep waiting). */
  observe(pod: WatchedPod): PodFailure[] {
    const uid = pod.metadata?.uid ?? pod.metadata?.name ?? '';
    if (!uid || this.ignoreUids.has(uid) || pod.metadata?.deletionTimestamp) return [];
    const name = pod.metadata?.name ?? uid;
    const decisive: PodFailure[] = [];
    const persistent: PodFailure[] = [];
    for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const restarts = c.restartCount ?? 0;
      const waiting = c.state?.waiting?.reason ?? '';
      const exitCode = c.state?.terminated?.exitCode ?? c.lastState?.terminated?.exitCode;
      const failure = (reason: string, message = ''): PodFailure => ({ pod: name, container: c.name, reason, message, restarts });
      if (AT_ONCE.includes(waiting)) decisive.push(failure(waiting, c.state?.waiting?.message));
      else if (restarts >= 2 && exitCode !== undefined && exitCode !== 0) decisive.push(failure(`terminated with exit code ${exitCode}, restarted ${restarts} times`));
      else if (PERSISTENT.includes(waiting)) persistent.push(failure(waiting, c.state?.waiting?.message));
    }
    const streak = persistent.length ? (this.streaks.get(uid) ?? 0) + 1 : 0;
    this.streaks.set(uid, streak);
    if (persistent.length) core.info(`pod ${name}: ${describeFailures(persistent)} (event ${streak}/${this.crashChecks})`);
    return [...decisive, ...(streak >= this.crashChecks ? persistent : [])];
  }
}

/** Splits a stream of concatenated JSON documents (kubectl's `--watch --output json`) into documents. */
export class JsonStreamSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;

  push(chunk: string): string[] {
    const out: string[] = [];
    const base = this.buffer.length;
    this.buffer += chunk;
    for (let i = base; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') this.inString = true;
      else if (ch === '{') {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (ch === '}' && this.depth > 0) {
        this.depth--;
        if (this.depth === 0 && this.start >= 0) {
          out.push(this.buffer.slice(this.start, i + 1));
          this.start = -1;
        }
      }
    }
    if (this.depth === 0) this.buffer = '';
    else if (this.start > 0) {
      this.buffer = this.buffer.slice(this.start);
      this.start = 0;
    }
    return out;
  }
}

export interface PodWatchOptions {
  kubectl: Kubectl;
  namespace: string;
  selectors: string[];
  ignoreUids: ReadonlySet<string>;
  crashChecks: number;
}

export type WatchOutcome = { outcome: 'finished' } | { outcome: 'pods-failing'; failures: PodFailure[]; detectedAt: number };

/**
 * Waits for `cmd` (the rollouts) while watching the pods of `selectors`; kills it the moment the judge decides.
 * A watch that ends early (an API-server outage) is started again while the command runs.
 */
export async function watchRollout(cmd: BackgroundCommand, o: PodWatchOptions): Promise<WatchOutcome> {
  const judge = new PodEventJudge(o.crashChecks, o.ignoreUids);
  let finished = false;
  let decided: PodFailure[] | undefined;
  let wake: () => void = () => undefined;
  const watches: BackgroundCommand[] = [];
  const decide = (failures: PodFailure[]): void => {
    if (decided || finished) return;
    decided = failures;
    wake();
  };
  const startWatch = (selector: string): void => {
    const splitter = new JsonStreamSplitter();
    const w = startCommand(o.kubectl.bin, [...o.kubectl.globalArgs(), 'get', 'pods', '--namespace', o.namespace, '--selector', selector, '--watch', '--output', 'json'], {
      ...o.kubectl.execOptions(),
      allowFailure: true,
      onOutput: (chunk, stream) => {
        if (stream !== 'stdout') return;
        for (const doc of splitter.push(chunk)) {
          let parsed: WatchedPod & { items?: WatchedPod[] };
          try {
            parsed = JSON.parse(doc) as WatchedPod & { items?: WatchedPod[] };
          } catch {
            continue;
          }
          // One pod per event; a List (what a plain `get` prints) is judged pod by pod.
          for (const pod of Array.isArray(parsed.items) ? parsed.items : [parsed]) {
            const failures = judge.observe(pod);
            if (failures.length) decide(failures);
          }
        }
      },
    });
    watches.push(w);
    void w.result.then(async (r) => {
      if (finished || decided) return;
      core.debug(`pod watch ended (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}; watching again`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!finished && !decided) startWatch(selector);
    }).catch((err: unknown) => core.debug(`pod watch failed: ${errorMessage(err)}`));
  };
  for (const s of o.selectors) startWatch(s);
  const woken = new Promise<void>((resolve) => {
    wake = resolve;
  });
  try {
    await Promise.race([cmd.result.catch(() => undefined), woken]);
    if (decided) {
      const detectedAt = Date.now();
      core.warning(`Pods are failing (${describeFailures(decided)}): ending the wait now instead of waiting out the timeout`);
      cmd.kill('SIGKILL');
      await cmd.result.catch(() => undefined);
      return { outcome: 'pods-failing', failures: decided, detectedAt };
    }
    return { outcome: 'finished' };
  } finally {
    finished = true;
    for (const w of watches) w.kill('SIGKILL');
  }
}
