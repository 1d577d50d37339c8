// Job progress from a Job object (watched: job-watch.ts) or `kubectl get jobs,pods -o json`: a Job is done when its
// Complete or Failed condition is True. `kubectl wait --for=condition=complete` would wait out its timeout on a
// failed Job (it does not stop on Failed: see 05-wait-job-failing-complete), so the action reads the conditions itself.
import { createHash } from 'node:crypto';
import type { Pod } from '../toolkit/index.js';

interface JobCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

export interface JobItem {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  status?: { conditions?: JobCondition[]; succeeded?: number; failed?: number; active?: number };
}

export type JobState =
  | { name: string; state: 'complete' }
  | { name: string; state: 'failed'; reason: string; message: string }
  | { name: string; state: 'running'; active: number; failed: number }
  | { name: string; state: 'missing' };

export function jobStates(listJson: string, names: string[]): JobState[] {
  const items = ((JSON.parse(listJson || '{}') as { items?: JobItem[] }).items ?? []).filter((i) => i.kind === 'Job');
  return names.map((name): JobState => jobState(name, items.find((i) => i.metadata?.name === name)));
}

/** One Job's state from its conditions (undefined: not there). */
export function jobState(name: string, job: JobItem | undefined): JobState {
  if (!job) return { name, state: 'missing' };
  const conditions = job.status?.conditions ?? [];
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) return { name, state: 'failed', reason: failed.reason ?? 'Failed', message: failed.message ?? '' };
  if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { name, state: 'complete' };
  return { name, state: 'running', active: job.status?.active ?? 0, failed: job.status?.failed ?? 0 };
}

const jobOf = (p: Pod): string | undefined => p.metadata.labels?.['batch.kubernetes.io/job-name'] ?? p.metadata.labels?.['job-name'];

/** The pods of these Jobs in a list (other pods and other kinds left out). */
export function jobPods(listJson: string, names: string[]): Pod[] {
  const items = (JSON.parse(listJson || '{}') as { items?: (Pod & { kind?: string })[] }).items ?? [];
  return items.filter((i) => i.kind === 'Pod' && names.includes(jobOf(i) ?? ''));
}

export type JobsMode = 'changed' | 'always' | 'never';
export const JOBS_MODES: readonly JobsMode[] = ['changed', 'always', 'never'];

interface JobObject {
  kind: string;
  metadata: { name: string };
  spec?: unknown;
}

/** JSON with keys sorted at every level, so that equal specs hash alike whatever the YAML's key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** sha256 of a Job's rendered spec (what decides whether `jobs: changed` runs it again). */
export function jobHash(job: JobObject): string {
  return createHash('sha256').update(canonical(job.spec ?? {})).digest('hex');
}

export interface JobPlan<T extends JobObject> {
  /** Jobs applied and awaited this time. */
  run: T[];
  /** Existing Jobs deleted first so that they run again (their spec changed, or `always`). */
  recreate: string[];
  /** Jobs not run, with why. */
  skipped: { name: string; reason: string }[];
  /** For skipped Jobs that exist: the version last deployed, kept in the set so the prune leaves them. */
  keep: T[];
  /** Job name → spec hash for the record (skipped Jobs keep the hash of the version that last ran). */
  hashes: Record<string, string>;
}

/**
 * Which Jobs run: `always` every one (existing ones deleted and created again); `never` none; `changed` those
 * whose spec differs from the last good deploy's (existing ones re-created), and, with no hash recorded for a
 * Job, whatever applying it does (a Job that exists unchanged does not run again).
 */
export function planJobs<T extends JobObject>(jobs: T[], mode: JobsMode, previous: { hashes: Record<string, string>; jobs: T[] } | undefined, liveJobs: ReadonlySet<string>): JobPlan<T> {
  const plan: JobPlan<T> = { run: [], recreate: [], skipped: [], keep: [], hashes: {} };
  const skip = (job: T, reason: string): void => {
    plan.skipped.push({ name: job.metadata.name, reason });
    const before = previous?.jobs.find((j) => j.metadata.name === job.metadata.name);
    const hash = previous?.hashes[job.metadata.name];
    if (hash) plan.hashes[job.metadata.name] = hash;
    if (before && liveJobs.has(job.metadata.name)) plan.keep.push(before);
  };
  for (const job of jobs) {
    const name = job.metadata.name;
    const hash = jobHash(job);
    if (mode === 'never') {
      skip(job, 'jobs: never');
      continue;
    }
    const recorded = previous?.hashes[name];
    if (mode === 'changed' && recorded === hash) {
      skip(job, 'unchanged since the last good deploy');
      continue;
    }
    plan.run.push(job);
    plan.hashes[name] = hash;
    if (liveJobs.has(name) && (mode === 'always' || recorded !== undefined)) plan.recreate.push(name);
  }
  return plan;
}
