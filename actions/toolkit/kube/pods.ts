// Early failure detection over `kubectl get pods -o json`: containers that will not become ready
// however long a rollout is waited for.

export const FAILING_REASONS = ['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'InvalidImageName'];

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string } };
}

export interface Pod {
  metadata: { name: string; uid?: string; creationTimestamp?: string; labels?: Record<string, string> };
  status?: { phase?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
}

export interface PodFailure {
  pod: string;
  container: string;
  reason: string;
  message: string;
  restarts: number;
}

export function parsePodList(json: string): Pod[] {
  const parsed = JSON.parse(json || '{}') as { items?: Pod[] };
  return parsed.items ?? [];
}

/** Containers of pods not in `ignoreUids` (pods that existed before the deploy) waiting for a failing reason. */
export function findPodFailures(pods: Pod[], ignoreUids: ReadonlySet<string> = new Set()): PodFailure[] {
  const failures: PodFailure[] = [];
  for (const pod of pods) {
    if (pod.metadata.uid && ignoreUids.has(pod.metadata.uid)) continue;
    for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const reason = c.state?.waiting?.reason;
      if (reason && FAILING_REASONS.includes(reason)) {
        failures.push({ pod: pod.metadata.name, container: c.name, reason, message: c.state?.waiting?.message ?? '', restarts: c.restartCount ?? 0 });
      }
    }
  }
  return failures;
}

/** Counts consecutive checks that saw a failing container; any clean check resets the count. */
export class FailureStreak {
  private count = 0;
  private readonly needed: number;
  last: PodFailure[] = [];

  constructor(needed: number) {
    this.needed = needed;
  }

  /** Records one check; true once `needed` consecutive checks have seen failures. */
  observe(failures: PodFailure[]): boolean {
    this.count = failures.length ? this.count + 1 : 0;
    this.last = failures;
    return this.count >= this.needed;
  }

  get streak(): number {
    return this.count;
  }
}

export function describeFailures(failures: PodFailure[]): string {
  return failures.map((f) => `${f.pod}/${f.container}: ${f.reason}${f.restarts ? ` (${f.restarts} restarts)` : ''}`).join(', ');
}
