// The deploy's own view of a rollout, next to the tool that waits for it (helm upgrade --wait): each workload's
// controller status says whether the new revision is fully rolled out. After an API-server outage a tool's
// watch may never recover (Helm 4's watcher was seen polling minutes after the rollout had finished); when
// this view has seen the rollout complete for a grace period after the outage, the wait is over.
import * as core from '@actions/core';
import type { BackgroundCommand, BackgroundResult } from '../background.js';
import { errorMessage } from '../errors.js';
import type { Kubectl } from './kubectl.js';
import type { Workload } from './manifest.js';

interface WorkloadObject {
  kind?: string;
  metadata?: { name?: string; generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

/** True when the controller has seen the latest spec and every replica runs it and is available (kubectl rollout status's rules). */
export function rolledOut(o: WorkloadObject): boolean {
  const s = o.status ?? {};
  if ((s.observedGeneration ?? 0) < (o.metadata?.generation ?? 0)) return false;
  const want = o.spec?.replicas ?? 1;
  switch (o.kind) {
    case 'Deployment':
      return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want;
    case 'StatefulSet':
      return (s.updatedReplicas ?? 0) === want && (s.readyReplicas ?? 0) === want && (!s.updateRevision || s.currentRevision === s.updateRevision);
    case 'DaemonSet':
      return (s.updatedNumberScheduled ?? 0) === (s.desiredNumberScheduled ?? 0) && (s.numberAvailable ?? 0) === (s.desiredNumberScheduled ?? 0);
    default:
      return true;
  }
}

/** One look at the workloads (no retry: a failed look is simply taken again); throws only when the API server does not answer. */
export async function workloadsRolledOut(kubectl: Kubectl, workloads: Workload[], namespace: string): Promise<boolean> {
  if (!workloads.length) return true;
  const byNamespace = new Map<string, Workload[]>();
  for (const w of workloads) byNamespace.set(w.namespace ?? namespace, [...(byNamespace.get(w.namespace ?? namespace) ?? []), w]);
  for (const [ns, list] of byNamespace) {
    const r = await kubectl.run(['get', ...list.map((w) => `${w.kind.toLowerCase()}/${w.name}`), '--namespace', ns, '--output', 'json'], { retry: false, allowFailure: true });
    if (r.exitCode !== 0) {
      // Only the API server being away is an outage; a workload not created yet is simply not rolled out.
      if (kubectl.retry.classify(`${r.stderr}\n${r.stdout}`).kind === 'transient') throw new Error(r.stderr.trim() || `exit ${r.exitCode}`);
      return false;
    }
    const parsed = JSON.parse(r.stdout) as { items?: WorkloadObject[] } & WorkloadObject;
    const items = parsed.items ?? [parsed];
    if (items.length < list.length || !items.every(rolledOut)) return false;
  }
  return true;
}

export interface LostWaitGuard {
  kubectl: Kubectl;
  namespace: string;
  workloads: Workload[];
  pollIntervalMs: number;
  /** How long the rollout must have been complete, after the outage, before the tool's wait counts as lost. */
  graceMs: number;
}

export interface GuardedResult {
  result: BackgroundResult;
  /** The command was stopped because its wait was lost: the rollout was complete for graceMs after an outage. */
  lostWait?: { completeSince: number; outageSeen: number };
}

/**
 * Waits for `cmd` while looking at the rollout. Only after this view itself met the API server away (an outage
 * the tool's watch may not have survived) and then saw the rollout complete for `graceMs` is `cmd` killed
 * (SIGKILL: a tool's own signal handling would roll the release back).
 */
export async function guardLostWait(cmd: BackgroundCommand, guard: LostWaitGuard | undefined): Promise<GuardedResult> {
  if (!guard) return { result: await cmd.result };
  let finished = false;
  const done = cmd.result.finally(() => {
    finished = true;
  });
  let outageSeen = 0;
  let completeSince = 0;
  while (!finished) {
    await Promise.race([done.catch(() => undefined), new Promise((r) => setTimeout(r, guard.pollIntervalMs))]);
    if (finished) break;
    try {
      const complete = await workloadsRolledOut(guard.kubectl, guard.workloads, guard.namespace);
      completeSince = complete ? completeSince || Date.now() : 0;
    } catch (err) {
      outageSeen = Date.now();
      completeSince = 0;
      core.debug(`rollout view: ${errorMessage(err).split('\n').slice(-1)[0]}`);
      continue;
    }
    if (outageSeen && completeSince && Date.now() - completeSince >= guard.graceMs && !finished) {
      core.warning(`The rollout has been complete for ${Math.round((Date.now() - completeSince) / 1000)}s since the API server came back, but the tool is still waiting (its watch was lost in the outage): ending its wait`);
      cmd.kill('SIGKILL');
      const result = await done;
      return result.signal ? { result, lostWait: { completeSince, outageSeen } } : { result };
    }
  }
  return { result: await done };
}
