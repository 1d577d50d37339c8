// Taking over objects that `kubectl apply -k` (client-side: manager `kubectl-client-side-apply`; server-side:
// `kubectl`), `kubectl edit` or Helm made, the way `kubectl apply --server-side` upgrades client-side-applied
// objects (k8s.io/client-go/util/csaupgrade): the fields those managers own move into this action's Apply
// entry, so that the next apply owns exactly them (and drops those the overlay no longer sets). Any other
// manager (an HPA on `replicas`, an operator) keeps its fields: a conflict with it fails the dry run. No I/O.

/** Field managers whose fields a deploy takes over without `force-conflicts`. */
export const ADOPTABLE_MANAGERS: readonly string[] = ['kubectl-client-side-apply', 'kubectl', 'kubectl-edit', 'helm'];

export type FieldSet = { [key: string]: FieldSet };

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldSet;
  subresource?: string;
}

export interface LiveObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; managedFields?: ManagedFieldsEntry[] };
}

export const objectKey = (o: Pick<LiveObject, 'kind' | 'metadata'>): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
export const objectName = (o: Pick<LiveObject, 'kind' | 'metadata'>): string => `${o.kind}/${o.metadata.name}`;

/** `kubectl get -f … -o json` / `apply -o json`: a List, or one object. */
export function parseObjectList(json: string): LiveObject[] {
  if (!json.trim()) return [];
  const parsed = JSON.parse(json) as { kind?: string; items?: LiveObject[] } & Partial<LiveObject>;
  if (Array.isArray(parsed.items)) return parsed.items.filter((i) => i?.kind && i.metadata?.name);
  return parsed.kind && parsed.metadata?.name ? [parsed as LiveObject] : [];
}

/** One FieldsV1 key as kubectl prints a field path: `f:spec` → `.spec`, `k:{"name":"web"}` → `[name="web"]`. */
function step(key: string): string {
  if (key.startsWith('f:')) return `.${key.slice(2)}`;
  if (key.startsWith('k:')) {
    try {
      const k = JSON.parse(key.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(k).map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(',')}]`;
    } catch {
      return `[${key.slice(2)}]`;
    }
  }
  if (key.startsWith('v:')) return `[=${key.slice(2)}]`;
  if (key.startsWith('i:')) return `[${key.slice(2)}]`;
  return key;
}

/** Every field a set owns, as readable paths (a `.` entry, the map itself, is named by the map's path). */
export function fieldPaths(set: FieldSet | undefined, prefix = ''): string[] {
  if (!set) return [];
  const keys = Object.keys(set);
  if (!keys.length) return prefix ? [prefix] : [];
  return [...new Set(keys.flatMap((k) => (k === '.' ? (prefix ? [prefix] : []) : fieldPaths(set[k], prefix + step(k)))))];
}

const entryKey = (e: ManagedFieldsEntry): string => `${e.manager ?? ''}\u0000${e.operation ?? ''}\u0000${e.subresource ?? ''}`;

export interface FieldLoss {
  object: string;
  manager: string;
  fields: string[];
}

/**
 * The fields each other manager would lose to a forced apply: the live object's managed fields against the
 * server's dry-run answer (`apply --server-side --dry-run=server --force-conflicts -o json`). A loss is a
 * conflict the apply would have without force.
 */
export function fieldLosses(live: LiveObject[], after: LiveObject[], fieldManager: string): FieldLoss[] {
  const byKey = new Map(live.map((o) => [objectKey(o), o]));
  const losses: FieldLoss[] = [];
  for (const next of after) {
    const before = byKey.get(objectKey(next));
    if (!before) continue;
    const nextEntries = new Map((next.metadata.managedFields ?? []).map((e) => [entryKey(e), e]));
    for (const e of before.metadata.managedFields ?? []) {
      if (e.manager === fieldManager) continue;
      const kept = new Set(fieldPaths(nextEntries.get(entryKey(e))?.fieldsV1));
      const lost = fieldPaths(e.fieldsV1).filter((p) => !kept.has(p));
      if (lost.length) losses.push({ object: objectName(next), manager: e.manager ?? '(no manager)', fields: lost });
    }
  }
  return losses;
}

export const isAdoptable = (manager: string): boolean => ADOPTABLE_MANAGERS.includes(manager);

/** Deep union of field sets. */
export function mergeFieldSets(...sets: (FieldSet | undefined)[]): FieldSet {
  const out: FieldSet = {};
  for (const s of sets) {
    if (!s) continue;
    for (const [k, v] of Object.entries(s)) out[k] = mergeFieldSets(out[k], v);
  }
  return out;
}

export interface Migration {
  object: string;
  /** What `kubectl patch` takes: `deployment.v1.apps/web`, `secret.v1./kardon-secrets`. */
  target: string;
  namespace?: string;
  /** Managers whose fields move to the field manager. */
  managers: string[];
  /** JSON patch: the resourceVersion tested (no lost update), the managed fields replaced. */
  patch: { op: 'test' | 'replace'; path: string; value: unknown }[];
}

/**
 * The managed-fields migration of one live object: every entry of an adoptable manager (main resource only,
 * same API version) merged into the field manager's Apply entry. Undefined when there is nothing to take over.
 */
export function migrationOf(o: LiveObject, fieldManager: string, now: string, adoptable: readonly string[] = ADOPTABLE_MANAGERS): Migration | undefined {
  const entries = o.metadata.managedFields ?? [];
  const own = entries.find((e) => e.manager === fieldManager && e.operation === 'Apply' && !e.subresource);
  const apiVersion = own?.apiVersion ?? o.apiVersion;
  const taken = entries.filter((e) => e.manager && e.manager !== fieldManager && adoptable.includes(e.manager) && !e.subresource && (e.apiVersion ?? apiVersion) === apiVersion && e.fieldsType !== undefined);
  if (!taken.length) return undefined;
  const merged: ManagedFieldsEntry = { manager: fieldManager, operation: 'Apply', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: mergeFieldSets(own?.fieldsV1, ...taken.map((e) => e.fieldsV1)) };
  const managedFields: ManagedFieldsEntry[] = [];
  let placed = false;
  for (const e of entries) {
    if (taken.includes(e)) continue;
    if (e === own) {
      managedFields.push(merged);
      placed = true;
    } else managedFields.push(e);
  }
  if (!placed) managedFields.unshift(merged);
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  return {
    object: objectName(o),
    target: `${o.kind.toLowerCase()}.${version}.${group}/${o.metadata.name}`,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    managers: [...new Set(taken.map((e) => e.manager as string))],
    patch: [
      { op: 'test', path: '/metadata/resourceVersion', value: o.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/managedFields', value: managedFields },
    ],
  };
}

/** The dry run's conflicts with managers not taken over, as an error text naming each manager and its fields. */
export function conflictText(losses: FieldLoss[]): string {
  return losses.map((l) => `${l.object}: ${l.fields.length} field(s) owned by field manager "${l.manager}": ${l.fields.slice(0, 5).join(', ')}${l.fields.length > 5 ? ', …' : ''}`).join('\n');
}
