// The kubectl calls kustomize-deploy adds to the toolkit's Kubectl (rendering, server-side apply, Jobs, undo).
// Every cluster call goes through Kubectl.run, so transient API errors are retried by the one ClusterRetry policy.
import type { BackgroundCommand, BackgroundResult, ExecResult, Kubectl, Workload } from '../toolkit/index.js';
import { formatDuration } from '../toolkit/index.js';

export interface ApplyOptions {
  fieldManager: string;
  dryRun?: boolean;
  /** `--applyset=<name> --prune` (needs KUBECTL_APPLYSET=true in kubectl's environment). */
  applySet?: string;
  namespace: string;
  forceConflicts?: boolean;
  /** `--output json --show-managed-fields`: the objects as the server answered (a List). */
  json?: boolean;
  /**
   * Every object passed this run's server dry run with strict validation (or, for the record, when it was recorded):
   * `--validate=false` skips kubectl's client-side schema check, which against an API server without field
   * validation downloads and parses the whole OpenAPI v2 document (~0.7 s per apply on a 1.24 control plane).
   */
  validated?: boolean;
}

/** `kubectl kustomize <dir>`: no API server involved, so no retry. */
export function kustomize(kubectl: Kubectl, dir: string): Promise<ExecResult> {
  return kubectl.exec(['kustomize', dir], { allowFailure: true });
}

export function applyArgs(file: string, o: ApplyOptions): string[] {
  return [
    'apply',
    '--server-side',
    `--field-manager=${o.fieldManager}`,
    ...(o.forceConflicts ? ['--force-conflicts'] : []),
    ...(o.dryRun ? ['--dry-run=server'] : []),
    ...(o.applySet ? [`--applyset=${o.applySet}`, '--prune'] : []),
    ...(o.json ? ['--output', 'json', '--show-managed-fields'] : []),
    ...(o.validated ? ['--validate=false'] : []),
    '--namespace',
    o.namespace,
    '--filename',
    file,
  ];
}

/** Server-side apply of a file; the result carries the exit code (kubectl goes on past a failing object). */
export function apply(kubectl: Kubectl, file: string, o: ApplyOptions): Promise<ExecResult> {
  return kubectl.run(applyArgs(file, o), { allowFailure: true });
}

/** The live objects of a file with their managed fields (a List; missing ones left out). Never printed: it holds Secrets. */
export async function liveObjectsJson(kubectl: Kubectl, file: string, namespace: string): Promise<string> {
  return (await kubectl.run(['get', '--filename', file, '--namespace', namespace, '--ignore-not-found', '--output', 'json', '--show-managed-fields'])).stdout;
}

/** Replaces an object's managed fields by a JSON patch (which tests the resourceVersion first). */
export function patchManagedFields(kubectl: Kubectl, target: string, namespace: string | undefined, patch: unknown): Promise<ExecResult> {
  return kubectl.run(['patch', target, ...(namespace ? ['--namespace', namespace] : []), '--type', 'json', '--patch', JSON.stringify(patch)], { allowFailure: true });
}

/** `<resource>/<name>` of the objects of one resource carrying a label selector (cluster-wide when namespace is empty). */
export async function labelledObjects(kubectl: Kubectl, resource: string, selector: string, namespace: string | undefined): Promise<string[]> {
  const r = await kubectl.run(['get', resource, ...(namespace ? ['--namespace', namespace] : []), '--selector', selector, '--output', 'name']);
  return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Removes a label from one object (`kubectl label <obj> key-`). */
export async function removeLabel(kubectl: Kubectl, object: string, key: string, namespace: string | undefined): Promise<void> {
  await kubectl.run(['label', object, `${key}-`, ...(namespace ? ['--namespace', namespace] : [])]);
}

export async function createNamespace(kubectl: Kubectl, namespace: string): Promise<void> {
  await kubectl.run(['create', 'namespace', namespace]);
}

export async function liveWorkloadsJson(kubectl: Kubectl, namespace: string): Promise<string> {
  return (await kubectl.run(['get', 'deployments,statefulsets,daemonsets,jobs', '--namespace', namespace, '--output', 'json'])).stdout;
}

/**
 * The namespace's workloads, ReplicaSets (the revisions a rollback without a record can go back to) and pods (those
 * there before the deploy) in one call; an empty List when the namespace does not exist.
 */
export async function workloadsRevisionsPodsJson(kubectl: Kubectl, namespace: string): Promise<string> {
  return (await kubectl.run(['get', 'deployments,statefulsets,daemonsets,jobs,replicasets,pods', '--namespace', namespace, '--output', 'json'])).stdout;
}

/** One poll of Jobs and pods (no retry: a failed poll is simply taken again). */
export async function jobsAndPodsJson(kubectl: Kubectl, namespace: string): Promise<string> {
  return (await kubectl.run(['get', 'jobs,pods', '--namespace', namespace, '--output', 'json'], { retry: false })).stdout;
}

/** Deletes a Job and its pods before it is re-created (foreground: the old pods go first). */
export async function deleteJob(kubectl: Kubectl, namespace: string, name: string): Promise<void> {
  await kubectl.run(['delete', 'job', name, '--namespace', namespace, '--cascade=foreground', '--ignore-not-found']);
}

export function rolloutUndo(kubectl: Kubectl, kind: string, name: string, namespace: string, toRevision: number): Promise<ExecResult> {
  return kubectl.run(['rollout', 'undo', `${kind.toLowerCase()}/${name}`, '--namespace', namespace, `--to-revision=${toRevision}`], { allowFailure: true });
}

/**
 * `kubectl rollout status` of every workload at once, as one background command for the toolkit's pod watch:
 * it ends when all have ended, or at the first failure (the others are stopped); kill() stops them all.
 */
export function rolloutsInBackground(kubectl: Kubectl, workloads: Workload[], namespace: string, deadline: number): { command: BackgroundCommand; results: Map<string, BackgroundResult> } {
  const results = new Map<string, BackgroundResult>();
  const timeout = formatDuration(Math.max(1000, deadline - Date.now()));
  const children = workloads.map((w) => ({ w, cmd: kubectl.start(['rollout', 'status', `${w.kind.toLowerCase()}/${w.name}`, '--namespace', w.namespace ?? namespace, '--timeout', timeout], { allowFailure: true }) }));
  let killed = false;
  const killAll = (signal?: NodeJS.Signals): void => {
    for (const c of children) c.cmd.kill(signal);
  };
  const result = new Promise<BackgroundResult>((resolve) => {
    let pending = children.length;
    let first: BackgroundResult | undefined;
    if (!pending) resolve({ exitCode: 0, stdout: '', stderr: '', signal: null });
    for (const { w, cmd } of children) {
      void cmd.result
        .catch((err: unknown): BackgroundResult => ({ exitCode: 127, stdout: '', stderr: err instanceof Error ? err.message : String(err), signal: null }))
        .then((r) => {
          results.set(`${w.kind}/${w.name}`, r);
          if (r.exitCode !== 0 && !r.signal && !first) {
            first = r;
            killAll('SIGTERM');
          }
          if (--pending === 0) {
            const all = [...results.values()];
            resolve({ exitCode: first?.exitCode ?? (all.find((x) => x.exitCode !== 0)?.exitCode ?? 0), stdout: all.map((x) => x.stdout).join(''), stderr: all.map((x) => x.stderr).join(''), signal: killed ? 'SIGKILL' : null });
          }
        });
    }
  });
  return {
    results,
    command: {
      result,
      kill(signal: NodeJS.Signals = 'SIGKILL') {
        killed = true;
        killAll(signal);
      },
      async stop(graceMs?: number) {
        killed = true;
        await Promise.all(children.map((c) => c.cmd.stop(graceMs)));
      },
      get killed() {
        return killed;
      },
      // Several processes, so no single one to name.
      get pid() {
        return undefined;
      },
    },
  };
}
