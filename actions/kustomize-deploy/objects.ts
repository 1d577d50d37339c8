// The rendered overlay (`kubectl kustomize` output) as objects: client-side checks before the cluster is
// touched, the Jobs-first split, ApplySet membership labels and the workloads to watch. No I/O.
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import type { Workload } from '../toolkit/index.js';
import { WORKLOAD_KINDS } from '../toolkit/index.js';
import type { ImageOverride } from './images.js';
import { expectedImage } from './images.js';

export const APPLYSET_PART_OF = 'applyset.kubernetes.io/part-of';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

export interface Container {
  name: string;
  image?: string;
}

// Kinds with no namespace that an overlay commonly carries; anything else is treated as namespaced.
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass', 'IngressClass', 'PersistentVolume', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'RuntimeClass']);

export const isClusterScoped = (kind: string): boolean => CLUSTER_SCOPED.has(kind);
export const refOf = (o: K8sObject): ObjectRef => ({ kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) });
export const describeRef = (r: ObjectRef): string => `${r.kind}/${r.name}`;

/** Parses multi-document YAML; returns the objects or the problems found (never the content: it may hold Secret data). */
export function parseObjects(text: string): { objects: K8sObject[]; problems: string[] } {
  const objects: K8sObject[] = [];
  const problems: string[] = [];
  YAML.parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length) {
      problems.push(`document ${i + 1}: ${doc.errors[0].message.split('\n')[0]}`);
      return;
    }
    const o = doc.toJS() as unknown;
    if (o === null || o === undefined) return;
    const obj = o as Partial<K8sObject>;
    if (typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof obj.metadata?.name !== 'string' || !obj.metadata.name) {
      problems.push(`document ${i + 1}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
      return;
    }
    objects.push(obj as K8sObject);
  });
  return { objects, problems };
}

export function podSpecOf(o: K8sObject): { containers?: Container[]; initContainers?: Container[] } | undefined {
  const template = (o.spec as { template?: { spec?: { containers?: Container[]; initContainers?: Container[] } } } | undefined)?.template;
  if (template?.spec) return template.spec;
  if (o.kind === 'CronJob') return (o.spec as { jobTemplate?: { spec?: { template?: { spec?: { containers?: Container[] } } } } }).jobTemplate?.spec?.template?.spec;
  if (o.kind === 'Pod') return o.spec as { containers?: Container[] };
  return undefined;
}

/** Every container image of the set, with where it is used. */
export function imagesOf(objects: K8sObject[]): { object: string; container: string; image: string }[] {
  return objects.flatMap((o) => {
    const spec = podSpecOf(o);
    return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].filter((c) => c.image).map((c) => ({ object: `${o.kind}/${o.metadata.name}`, container: c.name, image: String(c.image) }));
  });
}

export interface CheckedSet {
  namespace: string;
  problems: string[];
  /** Overrides that no container of the rendered set uses (a misspelt name would deploy nothing new). */
  unusedImages: ImageOverride[];
}

/**
 * Client checks of the rendered set: one namespace for its namespaced objects (the input's, when given),
 * no object twice, every image override used by some container.
 */
export function checkSet(objects: K8sObject[], namespaceInput: string, overrides: ImageOverride[]): CheckedSet {
  const problems: string[] = [];
  const namespaces = [...new Set(objects.filter((o) => !isClusterScoped(o.kind) && o.metadata.namespace).map((o) => String(o.metadata.namespace)))];
  if (namespaces.length > 1) problems.push(`the overlay puts objects in ${namespaces.length} namespaces (${namespaces.join(', ')}); one deploy handles one namespace`);
  if (namespaceInput && namespaces.length === 1 && namespaces[0] !== namespaceInput) problems.push(`the overlay sets namespace '${namespaces[0]}' but the namespace input is '${namespaceInput}'`);
  const namespace = namespaceInput || namespaces[0] || '';
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(key)) problems.push(`${o.kind}/${o.metadata.name} appears twice`);
    seen.add(key);
  }
  if (!objects.length) problems.push('the overlay renders no objects');
  const rendered = new Set(imagesOf(objects).map((i) => i.image));
  const unusedImages = overrides.filter((o) => !rendered.has(expectedImage(o)));
  return { namespace, problems, unusedImages };
}

/** The objects with the namespace filled in where the overlay left it out (what `kubectl apply -n` would do). */
export function withNamespace(objects: K8sObject[], namespace: string): K8sObject[] {
  return objects.map((o) => (isClusterScoped(o.kind) || o.metadata.namespace ? o : { ...o, metadata: { ...o.metadata, namespace } }));
}

/** Jobs run first (with what they need: everything that is not a long-running workload), workloads after. */
export function splitJobsFirst(objects: K8sObject[]): { first: K8sObject[]; jobs: K8sObject[]; workloads: K8sObject[] } {
  return {
    first: objects.filter((o) => !WORKLOAD_KINDS.includes(o.kind)),
    jobs: objects.filter((o) => o.kind === 'Job'),
    workloads: objects.filter((o) => WORKLOAD_KINDS.includes(o.kind)),
  };
}

/** kubectl's ApplySet id for a Secret parent: applyset-<base64url(sha256(name.namespace.Secret.))>-v1 (KEP-3659). */
export function applySetId(name: string, namespace: string): string {
  return `applyset-${createHash('sha256').update(`${name}.${namespace}.Secret.`).digest('base64url')}-v1`;
}

/**
 * The objects labelled as members of the ApplySet, as `kubectl apply --applyset` labels them, so that an
 * apply of a subset (the Jobs first) sends the same labels as the full apply: no label churn, and no
 * object dropped from the set if the run stops between the two.
 */
export function labelMembers(objects: K8sObject[], id: string): K8sObject[] {
  return objects.map((o) => ({ ...o, metadata: { ...o.metadata, labels: { ...(o.metadata.labels ?? {}), [APPLYSET_PART_OF]: id } } }));
}

export function toYaml(objects: K8sObject[]): string {
  return objects.map((o) => YAML.stringify(o)).join('---\n');
}

export function workloadsOf(objects: K8sObject[]): Workload[] {
  return objects
    .filter((o) => WORKLOAD_KINDS.includes(o.kind))
    .map((o) => {
      const labels = (o.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels;
      const selector = labels && Object.keys(labels).length ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') : undefined;
      return { ...refOf(o), ...(selector ? { selector } : {}) };
    });
}
