// What runs in the namespace before and after an apply, from `kubectl get deployments,statefulsets,daemonsets,jobs -o json`
// (other kinds in the list are left out): each workload's images and Deployment revision (what a `rollout undo
// --to-revision` goes back to), and the pods of the rollout's selectors there before the deploy.

const LIVE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

interface LiveItem {
  kind?: string;
  metadata?: { name?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { template?: { spec?: { containers?: { name: string; image?: string }[]; initContainers?: { name: string; image?: string }[] } } };
}

export interface LiveWorkload {
  kind: string;
  name: string;
  /** `deployment.kubernetes.io/revision` (Deployments only). */
  revision?: number;
  /** container name → image */
  images: Record<string, string>;
}

export function parseLive(listJson: string): Map<string, LiveWorkload> {
  const items = (JSON.parse(listJson || '{}') as { items?: LiveItem[] }).items ?? [];
  const live = new Map<string, LiveWorkload>();
  for (const i of items) {
    if (!i.kind || !LIVE_KINDS.includes(i.kind) || !i.metadata?.name) continue;
    const spec = i.spec?.template?.spec;
    const images: Record<string, string> = {};
    for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) if (c.image) images[c.name] = c.image;
    const rev = Number(i.metadata.annotations?.['deployment.kubernetes.io/revision']);
    live.set(`${i.kind}/${i.metadata.name}`, { kind: i.kind, name: i.metadata.name, ...(Number.isInteger(rev) && rev > 0 ? { revision: rev } : {}), images });
  }
  return live;
}

/** `{"web": "ghcr.io/…"}` (or `web/<container>` for a workload with several containers), for outputs. */
export function imageMap(workloads: Iterable<{ name: string; images: Record<string, string> }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of workloads) {
    const entries = Object.entries(w.images);
    for (const [container, image] of entries) out[entries.length === 1 ? w.name : `${w.name}/${container}`] = image;
  }
  return out;
}

/** Whether labels satisfy a `k=v,k2=v2` selector (the form podSelectors builds from matchLabels). */
export function matchesSelector(labels: Record<string, string> | undefined, selector: string): boolean {
  return selector.split(',').every((term) => {
    const eq = term.indexOf('=');
    return eq > 0 && labels?.[term.slice(0, eq)] === term.slice(eq + 1);
  });
}

/** UIDs of the pods in a list that one of the selectors matches. */
export function podUids(listJson: string, selectors: string[]): Set<string> {
  const items = (JSON.parse(listJson || '{}') as { items?: LiveItem[] }).items ?? [];
  return new Set(items.filter((i) => i.kind === 'Pod' && i.metadata?.uid && selectors.some((s) => matchesSelector(i.metadata?.labels, s))).map((i) => i.metadata!.uid!));
}
