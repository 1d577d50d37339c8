// Kinds that hold the app itself (its namespace, its custom types, its data): applied like any object but kept
// out of the ApplySet, so that `--prune` can never delete them, unless the `prune-kinds` input names the kind.
import type { K8sObject } from './objects.js';

export const PROTECTED_KINDS = ['Namespace', 'CustomResourceDefinition', 'PersistentVolumeClaim'] as const;
export type ProtectedKind = (typeof PROTECTED_KINDS)[number];

/** `kubectl get` resource names of the protected kinds (cluster-scoped first). */
export const PROTECTED_RESOURCES: Record<ProtectedKind, { resource: string; namespaced: boolean }> = {
  Namespace: { resource: 'namespaces', namespaced: false },
  CustomResourceDefinition: { resource: 'customresourcedefinitions.apiextensions.k8s.io', namespaced: false },
  PersistentVolumeClaim: { resource: 'persistentvolumeclaims', namespaced: true },
};

export const isProtectedKind = (kind: string): kind is ProtectedKind => (PROTECTED_KINDS as readonly string[]).includes(kind);

/** Whether an object of the set stays out of the ApplySet (never pruned). */
export function keptOutOfApplySet(o: K8sObject, prunable: readonly string[]): boolean {
  return isProtectedKind(o.kind) && !prunable.includes(o.kind);
}

/** The protected kinds the prune must leave alone this time. */
export const protectedKinds = (prunable: readonly string[]): ProtectedKind[] => PROTECTED_KINDS.filter((k) => !prunable.includes(k));

/**
 * Objects of protected kinds that earlier deploys listed (the record) and this overlay no longer has: they are
 * left where they are and reported as no longer managed.
 */
export function noLongerManaged(previous: K8sObject[], current: K8sObject[], prunable: readonly string[]): string[] {
  const now = new Set(current.map((o) => `${o.kind}/${o.metadata.name}`));
  return previous.filter((o) => keptOutOfApplySet(o, prunable) && !now.has(`${o.kind}/${o.metadata.name}`)).map((o) => `${o.kind}/${o.metadata.name}`);
}
