// Which Deployment revision a rollback without a record may go back to: the newest one known to have been
// available when the deploy started (not merely the previous one, which may itself have been crash-looping).
// From `kubectl get deployments,replicasets -o json`. No I/O.

interface Owner {
  uid?: string;
  kind?: string;
}

interface Item {
  kind?: string;
  metadata?: { name?: string; uid?: string; generation?: number; annotations?: Record<string, string>; ownerReferences?: Owner[] };
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; readyReplicas?: number };
}

export interface DeploymentHealth {
  name: string;
  /** The revision live when read. */
  current?: number;
  /** The newest revision that was available then; undefined: none was. */
  healthy?: number;
  /** Why `healthy` is what it is, for the summary. */
  reason: string;
}

const revisionOf = (i: Item): number | undefined => {
  const n = Number(i.metadata?.annotations?.['deployment.kubernetes.io/revision']);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

export function deploymentHealth(listJson: string): Map<string, DeploymentHealth> {
  const items = (JSON.parse(listJson || '{}') as { items?: Item[] }).items ?? [];
  const out = new Map<string, DeploymentHealth>();
  for (const d of items.filter((i) => i.kind === 'Deployment' && i.metadata?.name)) {
    const name = d.metadata?.name as string;
    const current = revisionOf(d);
    const want = d.spec?.replicas ?? 1;
    const s = d.status ?? {};
    const settled = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
    if (settled && (want === 0 || ((s.updatedReplicas ?? 0) >= want && (s.availableReplicas ?? 0) >= want && (s.replicas ?? 0) === (s.updatedReplicas ?? 0)))) {
      out.set(name, { name, current, healthy: current, reason: want === 0 ? 'scaled to zero' : `revision ${current} was available` });
      continue;
    }
    const sets = items
      .filter((i) => i.kind === 'ReplicaSet' && i.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.uid === d.metadata?.uid))
      .map((rs) => ({ revision: revisionOf(rs), available: rs.status?.availableReplicas ?? 0 }))
      .filter((rs): rs is { revision: number; available: number } => rs.revision !== undefined && rs.available > 0)
      .sort((a, b) => b.revision - a.revision);
    out.set(name, sets.length
      ? { name, current, healthy: sets[0].revision, reason: `revision ${current ?? '?'} was not available; revision ${sets[0].revision} still had ${sets[0].available} available pod(s)` }
      : { name, current, reason: `no revision of it had an available pod when the deploy started` });
  }
  return out;
}
