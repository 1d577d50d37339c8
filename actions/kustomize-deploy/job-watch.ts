// The Jobs' wait (the migrator) from watches, not polls (issue 21): `kubectl get jobs --watch` and
// `kubectl get pods --selector job-name in (…) --watch`, both `--output-watch-events --output json` through the
// toolkit's watchJson, each event judged at once. The wait ends on the event that decides it:
//   - every Job has its Complete condition True;
//   - a Job has its Failed condition True (BackoffLimitExceeded, DeadlineExceeded): the Job controller has already
//     counted the pods' failures against backoffLimit, so a crashing migrator is decided there, not here;
//   - a Job pod cannot pull its image (ErrImagePull / ImagePullBackOff, or a bad image name / config) on
//     `crash-checks` consecutive events of that container: the Job controller never fails such a pod itself;
//   - a Job is deleted while awaited.
// `kubectl wait --for=condition=complete` is not used: it waits out its timeout on a failed Job.
import * as core from '@actions/core';
import type { JsonWatch, Kubectl, WatchedPod } from '../toolkit/index.js';
import { CrashJudge, describeFailures, watchJson } from '../toolkit/index.js';
import type { JobItem, JobState } from './jobs.js';
import { jobState } from './jobs.js';

interface WatchedObject {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: string };
}

const jobOf = (o: WatchedObject): string | undefined => o.metadata?.labels?.['batch.kubernetes.io/job-name'] ?? o.metadata?.labels?.['job-name'];

/** Judges Job and Job-pod watch events one at a time (with or without kubectl's `{type, object}` envelope). */
export class JobWatchJudge {
  private readonly states = new Map<string, JobState>();
  private readonly pods: CrashJudge;

  constructor(private readonly names: readonly string[], crashChecks: number) {
    for (const name of names) this.states.set(name, { name, state: 'running', active: 0, failed: 0 });
    this.pods = new CrashJudge(crashChecks, new Set(), { pullChecks: crashChecks, crashes: false });
  }

  /** The states so far, in the order of the names. */
  current(): JobState[] {
    return this.names.map((n) => this.states.get(n)!);
  }

  /** Takes one event; returns the final states when it decides the wait, undefined to keep watching. */
  observe(doc: unknown): JobState[] | undefined {
    const event = doc as { type?: string; object?: WatchedObject } & WatchedObject;
    const type = event.object ? event.type : undefined;
    const object: WatchedObject = event.object ?? event;
    if (object.kind === 'Job') this.observeJob(object as JobItem & WatchedObject, type);
    else if (object.kind === 'Pod') this.observePod(object as WatchedPod & WatchedObject);
    return this.decided();
  }

  private observeJob(job: JobItem & WatchedObject, type: string | undefined): void {
    const name = job.metadata?.name ?? '';
    const before = this.states.get(name);
    if (!before || before.state !== 'running') return;
    const next: JobState = type === 'DELETED' ? { name, state: 'missing' } : job.metadata?.deletionTimestamp ? before : jobState(name, job);
    if (next.state !== 'running' || before.state !== next.state) core.info(`Job ${name}: ${next.state}${next.state === 'failed' ? ` (${next.reason})` : ''}`);
    this.states.set(name, next);
  }

  private observePod(pod: WatchedPod & WatchedObject): void {
    const name = jobOf(pod);
    if (!name || this.states.get(name)?.state !== 'running') return;
    const failures = this.pods.observe(pod);
    if (!failures.length) return;
    core.info(`Job ${name}: pod ${describeFailures(failures)}`);
    this.states.set(name, { name, state: 'failed', reason: failures[0].reason, message: failures[0].message || `pod ${failures[0].pod}, container ${failures[0].container}` });
  }

  private decided(): JobState[] | undefined {
    const all = this.current();
    if (all.some((s) => s.state === 'failed' || s.state === 'missing') || all.every((s) => s.state === 'complete')) return all;
    return undefined;
  }
}

/** Waits for the Jobs from watches until the judge decides or the deadline passes (states then as last seen). */
export function watchJobs(kubectl: Kubectl, namespace: string, names: readonly string[], crashChecks: number, deadline: number): Promise<JobState[]> {
  const judge = new JobWatchJudge(names, crashChecks);
  const watch = ['--namespace', namespace, '--watch', '--output-watch-events', '--output', 'json'];
  return new Promise((resolve) => {
    const watches: JsonWatch[] = [];
    let done = false;
    const finish = (states: JobState[]): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const w of watches) w.stop();
      resolve(states);
    };
    const timer = setTimeout(() => finish(judge.current()), Math.max(0, deadline - Date.now()));
    const onEvent = (doc: unknown): void => {
      const decided = judge.observe(doc);
      if (decided) finish(decided);
    };
    watches.push(watchJson(kubectl, ['get', 'jobs', ...watch], onEvent));
    watches.push(watchJson(kubectl, ['get', 'pods', '--selector', `job-name in (${names.join(',')})`, ...watch], onEvent));
  });
}
