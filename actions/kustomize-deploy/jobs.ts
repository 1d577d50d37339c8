// Job progress from `kubectl get jobs,pods -o json`: a Job is done when its Complete or Failed condition is
// True. `kubectl wait --for=condition=complete` would wait out its timeout on a failed Job (it does not stop on
// Failed: see 05-wait-job-failing-complete), so the action reads the conditions itself.
import type { Pod, PodFailure } from '../toolkit/index.js';
import { findPodFailures } from '../toolkit/index.js';

interface JobCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

interface ListItem {
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
  const items = ((JSON.parse(listJson || '{}') as { items?: ListItem[] }).items ?? []).filter((i) => i.kind === 'Job');
  return names.map((name): JobState => {
    const job = items.find((i) => i.metadata?.name === name);
    if (!job) return { name, state: 'missing' };
    const conditions = job.status?.conditions ?? [];
    const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
    if (failed) return { name, state: 'failed', reason: failed.reason ?? 'Failed', message: failed.message ?? '' };
    if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { name, state: 'complete' };
    return { name, state: 'running', active: job.status?.active ?? 0, failed: job.status?.failed ?? 0 };
  });
}

const jobOf = (p: Pod): string | undefined => p.metadata.labels?.['batch.kubernetes.io/job-name'] ?? p.metadata.labels?.['job-name'];

/** The pods of these Jobs in a list (other pods and other kinds left out). */
export function jobPods(listJson: string, names: string[]): Pod[] {
  const items = (JSON.parse(listJson || '{}') as { items?: (Pod & { kind?: string })[] }).items ?? [];
  return items.filter((i) => i.kind === 'Pod' && names.includes(jobOf(i) ?? ''));
}

/** Containers of Job pods that will not start however long one waits (image pull errors, bad config). */
export function failingJobPods(listJson: string, names: string[]): PodFailure[] {
  return findPodFailures(jobPods(listJson, names));
}
