// Crash detection from a watch instead of polls: `kubectl get pods --watch --output json` streams every change
// of the rollout's pods as the API server reports it, and each change is judged at once:
//   - a container in CrashLoopBackOff, or terminated with a non-zero exit code after restarting at least twice:
//     the kubelet itself has seen it fail repeatedly, so one observation decides;
//   - ErrImagePull / ImagePullBackOff: decides on the second consecutive observation of that container (a pull
//     can fail once and then succeed), or on the first when crash-checks is 1 (`pullChecks` sets another count:
//     kustomize-deploy asks for `crash-checks` observations);
//   - any other failing reason (CreateContainerConfigError, InvalidImageName): `crashChecks` consecutive
//     observations of that container.
// A container seen healthy (running or ready) resets its count. A healthy pod that is merely slow to become
// ready never matches any of these. `crashes: false` leaves the first two to someone else (a Job's backoffLimit).
// The watch is started again when it ends (an API-server outage cuts it): watchJson, also used for other kinds.
import * as core from '@actions/core';
import type { BackgroundCommand, BackgroundResult } from '../background.js';
import { startCommand } from '../background.js';
import { errorMessage } from '../errors.js';
import type { Kubectl } from './kubectl.js';
import type { PodFailure } from './pods.js';
import { describeFailures } from './pods.js';
import type { WatchedCommand } from './watch.js';

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  terminated?: { exitCode?: number; reason?: string };
  running?: object;
}

interface WatchedContainer {
  name: string;
  restartCount?: number;
  ready?: boolean;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface WatchedPod {
  metadata: { name: string; uid?: string; deletionTimestamp?: string };
  status?: { containerStatuses?: WatchedContainer[]; initContainerStatuses?: WatchedContainer[] };
}

const PULL_REASONS = ['ErrImagePull', 'ImagePullBackOff'];
const OTHER_REASONS = ['CreateContainerConfigError', 'InvalidImageName'];

export interface JudgeOptions {
  /** Consecutive observations that decide an image pull failure (default: 2, or 1 when crash-checks is 1). */
  pullChecks?: number;
  /** Decide on CrashLoopBackOff and repeated non-zero exits (default true). */
  crashes?: boolean;
}

/** Judges each observation of a pod; remembers consecutive failing observations per container. */
export class CrashJudge {
  private readonly streaks = new Map<string, number>();
  private readonly crashChecks: number;
  private readonly pullChecks: number;
  private readonly crashes: boolean;
  private readonly ignoreUids: ReadonlySet<string>;

  constructor(crashChecks: number, ignoreUids: ReadonlySet<string> = new Set(), options: JudgeOptions = {}) {
    this.crashChecks = crashChecks;
    this.pullChecks = options.pullChecks ?? Math.min(2, crashChecks);
    this.crashes = options.crashes ?? true;
    this.ignoreUids = ignoreUids;
  }

  /** The containers this observation proves failing (empty: not decided yet). */
  observe(pod: WatchedPod): PodFailure[] {
    if (pod.metadata.deletionTimestamp || (pod.metadata.uid && this.ignoreUids.has(pod.metadata.uid))) return [];
    const decided: PodFailure[] = [];
    for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const key = `${pod.metadata.uid ?? pod.metadata.name}/${c.name}`;
      const restarts = c.restartCount ?? 0;
      const waiting = c.state?.waiting?.reason;
      const terminated = c.state?.terminated ?? c.lastState?.terminated;
      const failure = (reason: string, message = ''): PodFailure => ({ pod: pod.metadata.name, container: c.name, reason, message, restarts });
      if (waiting === 'CrashLoopBackOff' && this.crashes) {
        decided.push(failure(waiting, c.state?.waiting?.message));
        continue;
      }
      if (terminated && (terminated.exitCode ?? 0) !== 0 && restarts >= 2 && this.crashes) {
        decided.push(failure(`terminated with exit code ${terminated.exitCode} after ${restarts} restarts`, terminated.reason));
        continue;
      }
      const needed = waiting && PULL_REASONS.includes(waiting) ? this.pullChecks : waiting && OTHER_REASONS.includes(waiting) ? this.crashChecks : 0;
      if (!needed) {
        if (c.ready || c.state?.running) this.streaks.delete(key);
        continue;
      }
      const streak = (this.streaks.get(key) ?? 0) + 1;
      this.streaks.set(key, streak);
      if (streak >= needed) decided.push(failure(waiting!, c.state?.waiting?.message));
    }
    return decided;
  }
}

/** Splits a stream of concatenated JSON documents (kubectl's `--watch -o json`) into whole documents. */
export class JsonDocuments {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;

  push(chunk: string): unknown[] {
    const out: unknown[] = [];
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
        if (this.depth++ === 0) this.start = i;
      } else if (ch === '}' && this.depth > 0 && --this.depth === 0) {
        out.push(JSON.parse(this.buffer.slice(this.start, i + 1)));
        this.buffer = this.buffer.slice(i + 1);
        i = -1;
        this.start = -1;
      }
    }
    if (this.depth === 0) this.buffer = '';
    return out;
  }
}

export interface StreamWatch {
  kubectl: Kubectl;
  namespace: string;
  selectors: string[];
  ignoreUids: ReadonlySet<string>;
  crashChecks: number;
  /** See JudgeOptions.pullChecks. */
  pullChecks?: number;
}

export interface JsonWatch {
  /** Stops the watch for good (kills kubectl; no restart). */
  stop(): void;
}

/**
 * `kubectl <args>` (a `get … --watch --output json`), each whole JSON document handed to `onDocument` as it arrives;
 * a List (the initial state, as some kubectl versions print it) is handed over item by item. A watch that ends
 * (an API-server outage, the server's watch timeout) is started again after a second, until stop().
 */
export function watchJson(kubectl: Kubectl, args: readonly string[], onDocument: (doc: unknown) => void): JsonWatch {
  let stopped = false;
  let current: BackgroundCommand | undefined;
  const start = (): void => {
    if (stopped) return;
    const docs = new JsonDocuments();
    const w = startCommand(kubectl.bin, [...kubectl.globalArgs(), ...args], {
      ...kubectl.execOptions(),
      allowFailure: true,
      onOutput: (chunk, stream) => {
        if (stream !== 'stdout' || stopped) return;
        let parsed: unknown[];
        try {
          parsed = docs.push(chunk);
        } catch (err) {
          core.debug(`watch: unreadable output: ${errorMessage(err)}`);
          return;
        }
        for (const doc of parsed.flatMap((d) => ((d as { items?: unknown[] }).items ?? [d]))) {
          if (stopped) return;
          onDocument(doc);
        }
      },
    });
    current = w;
    const again = (): void => {
      if (!stopped) setTimeout(start, 1000);
    };
    void w.result.then(again, again);
  };
  start();
  return {
    stop() {
      stopped = true;
      current?.kill('SIGKILL');
    },
  };
}

/**
 * Waits for `cmd` while watching the pods; kills it (SIGKILL) as soon as the judge decides, long before the
 * command's own timeout. Same result as watchCommand, so a deploy can use either.
 */
export async function watchCommandStream(cmd: BackgroundCommand, watch: StreamWatch | undefined): Promise<WatchedCommand> {
  if (!watch) return { outcome: 'finished', result: await cmd.result };
  let finished = false;
  const done = cmd.result.finally(() => {
    finished = true;
  });
  const judge = new CrashJudge(watch.crashChecks, watch.ignoreUids, { pullChecks: watch.pullChecks });
  let decided: { failures: PodFailure[]; at: number } | undefined;
  let wake: () => void = () => undefined;
  const watchers: JsonWatch[] = [];
  const startWatch = (selector: string): void => {
    if (finished || decided) return;
    watchers.push(watchJson(watch.kubectl, ['get', 'pods', '--namespace', watch.namespace, '--selector', selector, '--watch', '--output', 'json'], (pod) => {
      if (decided) return;
      const failures = judge.observe(pod as WatchedPod);
      if (failures.length) {
        decided = { failures, at: Date.now() };
        wake();
      }
    }));
  };
  for (const s of watch.selectors) startWatch(s);
  try {
    await Promise.race([done.catch(() => undefined), new Promise<void>((resolve) => (wake = resolve))]);
  } finally {
    for (const w of watchers) w.stop();
  }
  if (decided && !finished) {
    core.warning(`Pods are failing (${describeFailures(decided.failures)}): ending the wait now instead of waiting out the timeout`);
    cmd.kill('SIGKILL');
    const result: BackgroundResult = await done;
    if (result.signal) return { outcome: 'pods-failing', failures: decided.failures, firstSeenAt: decided.at, detectedAt: decided.at, result };
    return { outcome: 'finished', result };
  }
  return { outcome: 'finished', result: await done };
}
