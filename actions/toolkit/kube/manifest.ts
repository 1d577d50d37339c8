// A rendered manifest (`helm template`, `helm get manifest`, `kubectl kustomize`) → its resources and workloads.
import YAML from 'yaml';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

export interface ManifestResource {
  kind: string;
  name: string;
  namespace?: string;
}

export interface Workload extends ManifestResource {
  /** `k=v,k2=v2` from spec.selector.matchLabels, or undefined when the selector has none. */
  selector?: string;
}

interface K8sObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { selector?: { matchLabels?: Record<string, string> } };
}

export function parseManifest(text: string): ManifestResource[] {
  return objects(text).map((o) => ({ kind: String(o.kind), name: String(o.metadata?.name), ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}) }));
}

export function parseWorkloads(text: string): Workload[] {
  return objects(text)
    .filter((o) => WORKLOAD_KINDS.includes(String(o.kind)))
    .map((o) => {
      const labels = o.spec?.selector?.matchLabels;
      const selector = labels && Object.keys(labels).length ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') : undefined;
      return { kind: String(o.kind), name: String(o.metadata?.name), ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}), ...(selector ? { selector } : {}) };
    });
}

/** Label selectors to watch the pods with: one per workload, or the `app.kubernetes.io/instance` label of `instance`. */
export function podSelectors(workloads: Workload[], instance: string): string[] {
  const selectors = [...new Set(workloads.map((w) => w.selector).filter((s): s is string => Boolean(s)))];
  return selectors.length ? selectors : [`app.kubernetes.io/instance=${instance}`];
}

function objects(text: string): K8sObject[] {
  return YAML.parseAllDocuments(text)
    .map((doc) => doc.toJS() as unknown)
    .filter((o): o is K8sObject => typeof o === 'object' && o !== null && typeof (o as K8sObject).kind === 'string' && Boolean((o as K8sObject).metadata?.name));
}
