// Rollout checks of the workloads a deploy applied: each one until the deploy's deadline.
import * as core from '@actions/core';
import type { ClusterClassification } from './classify.js';
import type { Kubectl } from './kubectl.js';
import type { Workload } from './manifest.js';

export type RolloutVerdict =
  | { ok: true }
  /** `unreachable`: the check itself could not reach the API server (after the retries): the rollout state is unknown. */
  | { ok: false; workload: Workload; message: string; unreachable: boolean; classification: ClusterClassification };

/** `kubectl rollout status` of each workload in turn; the first that does not roll out decides. */
export async function verifyRollouts(kubectl: Kubectl, workloads: Workload[], namespace: string, deadline: number): Promise<RolloutVerdict> {
  for (const w of workloads) {
    const r = await kubectl.rolloutStatus(w.kind, w.name, w.namespace ?? namespace, deadline);
    const output = (r.stdout + r.stderr).trim();
    if (output) core.info(output);
    if (r.exitCode !== 0) {
      const classification = kubectl.retry.classify(`${r.stderr}\n${r.stdout}`);
      return { ok: false, workload: w, message: (r.stderr || r.stdout).trim(), unreachable: classification.kind === 'transient', classification };
    }
  }
  return { ok: true };
}
