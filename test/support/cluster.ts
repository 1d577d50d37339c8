// Test support for the REAL Kubernetes control plane of /work/shared/kube/control-plane.sh (etcd, kube-apiserver,
// controller manager, scheduler; no kubelet), or any cluster a kubeconfig names (e.g. kind on GitHub runners).
//
// - loadCluster()/clusterSkip(): find it (like loadStack/stackSkip: REQUIRE_STACK=1 makes a missing one throw).
// - KubeClient: a small REST client over node:https with the kubeconfig's CA, client cert/key or token.
// - createNamespace(): one namespace per test (random suffix); its cleanup force-deletes the pods and waits,
//   bounded, for the namespace to be gone.
// - NodeStandIn: plays the kubelet, envtest-style. DESIGN (concurrent test files stay independent):
//   each stand-in registers its OWN node (`<prefix>-<random>`), marked `spec.unschedulable`, so the real
//   scheduler never binds anything to it (the node-lifecycle controller adds only the NoSchedule
//   `node.kubernetes.io/unschedulable` taint; no NoExecute taint, nothing is evicted). The stand-in manages
//   exactly the pods of the namespaces it was given (constructor `namespaces`, or addNamespace()): it binds
//   each unbound pod there to its node through the pods/binding subresource, writes kubelet-like statuses
//   through pods/status on the schedule of the pod's Behaviour, and deletes pods that carry a
//   deletionTimestamp with gracePeriodSeconds=0 (the kubelet's part), so rollouts, scale-downs and namespace
//   deletion complete. Pods in other namespaces stay Pending, as they would with no node. (A pod of its
//   namespaces bound elsewhere, e.g. by the scheduler to some schedulable node, is run by it all the same.) Tests need no
//   nodeSelector and no manifest change. One watch stream over all pods (filtered by namespace), resumed from
//   the last resourceVersion, re-listed after 410 Gone or errors. Lease (kube-node-lease) and node status
//   heartbeat every 10 s keep the node Ready. stop() ends timers and sockets and deletes node and lease.
//
// USE (one stand-in per test file; one namespace per test):
//   const cluster = loadCluster();                       // describe(…, { skip: clusterSkip(cluster) }, …)
//   const standIn = new NodeStandIn(cluster, { namespaces: [], behaviour: byImage({ '/crash:': { kind: 'crash' } }) });
//   before: await standIn.start();   per test: const ns = await createNamespace(cluster, 'helm'); await standIn.addNamespace(ns.name);
//   after:  await ns.cleanup(); await standIn.stop(); cluster.api.close();
//   kubectl/helm: spawn with env cluster.env (KUBECONFIG set), asynchronously (kubectl() here): a spawnSync blocks
//   the stand-in's timers and watch in the same process.
// TIMES (from the pod's binding, default options): `ready` → Ready after 0.3 s; `crash` → Error at ~1.1 s,
//   restart at once (restartCount 1), Error at ~2.3 s, CrashLoopBackOff (restartCount 1, back-off 10 s) at
//   ~2.5 s, restartCount 2 at ~12.5 s, CrashLoopBackOff with restartCount 2 (back-off 20 s) at ~13.7 s;
//   `image-pull-fail` → ErrImagePull at 0.5 s, ImagePullBackOff at 1.5 s, ErrImagePull again 10 s later, ….
//   Pass smaller backoffMs/runMs to go faster. Pod statuses are patched whole (merge patch of `status`).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import YAML from 'yaml';
import { loadStack } from './stack.js';

// ---------- types (only the fields the tests and the stand-in use) ----------
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  creationTimestamp?: string;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string }[];
  [key: string]: unknown;
}
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}
export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}
export interface ContainerState {
  running?: { startedAt: string };
  waiting?: { reason: string; message?: string };
  terminated?: { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt: string; containerID?: string };
}
export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
}
export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
}
export interface Pod extends KubeObject {
  spec: {
    nodeName?: string;
    restartPolicy?: 'Always' | 'OnFailure' | 'Never';
    containers: { name: string; image: string }[];
    initContainers?: { name: string; image: string }[];
    [key: string]: unknown;
  };
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    hostIP?: string;
    podIP?: string;
    startTime?: string;
    [key: string]: unknown;
  };
}
export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}
export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly apiPath: string,
    readonly body: string,
  ) {
    super(`${method} ${apiPath}: HTTP ${status}: ${KubeApiError.reason(body)}`);
  }
  private static reason(body: string): string {
    try {
      const s = JSON.parse(body) as { message?: string };
      return s.message ?? body.slice(0, 300);
    } catch {
      return body.slice(0, 300);
    }
  }
}

// ---------- kubeconfig ----------
export interface Credentials {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecure: boolean;
}

/** Reads the current context's server and credentials (files or *-data fields, paths relative to the file). */
export function readKubeconfig(file: string): Credentials {
  interface Named<T> { name: string; cluster?: T; user?: T; context?: T }
  type Fields = Record<string, string | boolean | undefined>;
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as {
    'current-context'?: string;
    contexts?: Named<{ cluster: string; user: string }>[];
    clusters?: Named<Fields>[];
    users?: Named<Fields>[];
  };
  const ctx = doc.contexts?.find((c) => c.name === doc['current-context'])?.context ?? doc.contexts?.[0]?.context;
  const cl = (ctx ? doc.clusters?.find((c) => c.name === ctx.cluster) : doc.clusters?.[0])?.cluster;
  const us = (ctx ? doc.users?.find((u) => u.name === ctx.user) : doc.users?.[0])?.user ?? {};
  if (!cl || typeof cl.server !== 'string') throw new Error(`${file}: no cluster server in the current context`);
  const bytes = (f: Fields, key: string): Buffer | undefined => {
    const data = f[`${key}-data`];
    if (typeof data === 'string') return Buffer.from(data, 'base64');
    const p = f[key];
    return typeof p === 'string' ? fs.readFileSync(path.resolve(path.dirname(file), p)) : undefined;
  };
  return {
    server: cl.server.replace(/\/+$/, ''),
    ca: bytes(cl, 'certificate-authority'),
    cert: bytes(us, 'client-certificate'),
    key: bytes(us, 'client-key'),
    token: typeof us.token === 'string' ? us.token : undefined,
    insecure: cl['insecure-skip-tls-verify'] === true,
  };
}

// ---------- REST client ----------
const CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export type Query = Record<string, string | number | boolean | undefined>;

export interface WatchHandle {
  /** Resolves once the server answered 2xx; rejects (KubeApiError, socket error) when the watch could not start. */
  opened: Promise<void>;
  /** Resolves when the stream ends, whatever the cause (server timeout, error, stop()); never rejects. */
  done: Promise<void>;
  stop(): void;
}

/** Paths are the API's own: `/api/v1/namespaces/x/pods`, `/apis/apps/v1/namespaces/x/deployments/y`. */
export class KubeClient {
  private readonly agent: https.Agent;
  private readonly base: URL;

  constructor(private readonly creds: Credentials) {
    this.base = new URL(creds.server);
    this.agent = new https.Agent({
      keepAlive: true,
      ca: creds.ca,
      cert: creds.cert,
      key: creds.key,
      rejectUnauthorized: !creds.insecure,
    });
  }

  get server(): string {
    return this.creds.server;
  }

  get<T extends KubeObject = KubeObject>(apiPath: string, query?: Query): Promise<T> {
    return this.json<T>('GET', apiPath, query);
  }

  /** GET, or undefined on 404. */
  async tryGet<T extends KubeObject = KubeObject>(apiPath: string, query?: Query): Promise<T | undefined> {
    try {
      return await this.get<T>(apiPath, query);
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return undefined;
      throw e;
    }
  }

  list<T extends KubeObject = KubeObject>(apiPath: string, query?: Query): Promise<KubeList<T>> {
    return this.json<KubeList<T>>('GET', apiPath, query);
  }

  create<T extends KubeObject = KubeObject>(apiPath: string, body: unknown, query?: Query): Promise<T> {
    return this.json<T>('POST', apiPath, query, JSON.stringify(body), 'application/json');
  }

  /** `apply` is server-side apply: give `fieldManager` (and `force`) in query; the body may be an object. */
  patch<T extends KubeObject = KubeObject>(apiPath: string, type: PatchType, body: unknown, query?: Query): Promise<T> {
    if (type === 'apply' && !query?.fieldManager) throw new Error('server-side apply needs query.fieldManager');
    return this.json<T>('PATCH', apiPath, query, JSON.stringify(body), CONTENT_TYPES[type]);
  }

  /** DELETE; resolves undefined when already gone (404). */
  async delete(apiPath: string, options: { gracePeriodSeconds?: number; propagationPolicy?: string; preconditions?: { uid?: string } } = {}, query?: Query): Promise<KubeObject | undefined> {
    try {
      return await this.json<KubeObject>('DELETE', apiPath, query, JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...options }), 'application/json');
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) return undefined;
      throw e;
    }
  }

  /** DELETE on a collection (e.g. every pod of a namespace), with the given DeleteOptions. */
  async deleteCollection(apiPath: string, options: { gracePeriodSeconds?: number; propagationPolicy?: string } = {}, query?: Query): Promise<void> {
    await this.json<KubeObject>('DELETE', apiPath, query, JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...options }), 'application/json');
  }

  /** One watch stream; onEvent gets each event in order (ERROR events too, e.g. 410 Gone). */
  watch<T extends KubeObject = KubeObject>(apiPath: string, query: Query, onEvent: (ev: WatchEvent<T>) => void): WatchHandle {
    let stopped = false;
    let opened!: (ok: boolean, e?: unknown) => void;
    const openedP = new Promise<void>((res, rej) => (opened = (ok, e) => (ok ? res() : rej(e))));
    openedP.catch(() => undefined);
    let ended!: () => void;
    const done = new Promise<void>((res) => (ended = res));
    const req = this.request('GET', apiPath, { ...query, watch: 1 }, undefined, undefined, (res) => {
      res.setEncoding('utf8');
      res.on('end', ended);
      res.on('error', ended);
      res.on('close', ended);
      if ((res.statusCode ?? 0) >= 300) {
        let body = '';
        res.on('data', (c: string) => (body += c));
        res.on('end', () => opened(false, new KubeApiError(res.statusCode ?? 0, 'WATCH', apiPath, body)));
        return;
      }
      opened(true);
      let buf = '';
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line && !stopped) onEvent(JSON.parse(line) as WatchEvent<T>);
        }
      });
    });
    req.on('error', (e) => {
      opened(false, e);
      ended();
    });
    req.end();
    return {
      opened: openedP,
      done,
      stop: () => {
        stopped = true;
        req.destroy();
      },
    };
  }

  /** Closes the kept-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  private request(method: string, apiPath: string, query: Query | undefined, body: string | undefined, contentType: string | undefined, onResponse: (res: IncomingMessage) => void): ReturnType<typeof https.request> {
    const url = new URL(apiPath, this.base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (contentType) headers['Content-Type'] = contentType;
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    if (this.creds.token) headers.Authorization = `Bearer ${this.creds.token}`;
    const req = https.request(url, { method, agent: this.agent, headers }, onResponse);
    if (body !== undefined) req.write(body);
    return req;
  }

  private json<T>(method: string, apiPath: string, query?: Query, body?: string, contentType?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const req = this.request(method, apiPath, query, body, contentType, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 300) reject(new KubeApiError(status, method, apiPath, text));
          else resolve(JSON.parse(text) as T);
        });
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${apiPath}: no answer in 30 s`)));
      req.on('error', reject);
      req.end();
    });
  }
}

// ---------- finding the cluster ----------
export interface Cluster {
  /** Path of the kubeconfig (pass as KUBECONFIG / --kubeconfig; never print its content). */
  kubeconfig: string;
  server: string;
  api: KubeClient;
  /** kubectl of the stack (KUBECTL_BIN, 1.33) and both versions by name; undefined without the test stack. */
  kubectl?: string;
  kubectls: { v131?: string; v133?: string };
  /** process.env plus KUBECONFIG, for spawning kubectl/helm. */
  env: NodeJS.ProcessEnv;
}

const READYZ = `
const https = require('node:https');
const c = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const b = (s) => (s ? Buffer.from(s, 'base64') : undefined);
const h = c.token ? { Authorization: 'Bearer ' + c.token } : {};
const r = https.get(c.server + '/readyz', { ca: b(c.ca), cert: b(c.cert), key: b(c.key), rejectUnauthorized: !c.insecure, headers: h, timeout: 4000 }, (res) => {
  res.resume(); res.on('end', () => process.exit(res.statusCode === 200 ? 0 : 1));
});
r.on('timeout', () => r.destroy()); r.on('error', () => process.exit(1));`;

function apiReady(creds: Credentials): boolean {
  const input = JSON.stringify({ ...creds, ca: creds.ca?.toString('base64'), cert: creds.cert?.toString('base64'), key: creds.key?.toString('base64') });
  return spawnSync(process.execPath, ['-e', READYZ], { input, timeout: 8000, stdio: ['pipe', 'ignore', 'ignore'] }).status === 0;
}

/**
 * The control plane: KUBE_CONTROL_PLANE_KUBECONFIG or CONTROL_PLANE_KUBECONFIG, else
 * `${KUBE_DIR:-/tmp/kube-control-plane}/admin.kubeconfig`, when its API answers /readyz.
 * Undefined when absent; throws when absent and REQUIRE_STACK=1 (CI never skips).
 */
export function loadCluster(): Cluster | undefined {
  const kubeconfig =
    process.env.KUBE_CONTROL_PLANE_KUBECONFIG || process.env.CONTROL_PLANE_KUBECONFIG || path.join(process.env.KUBE_DIR || '/tmp/kube-control-plane', 'admin.kubeconfig');
  const missing = (why: string): undefined => {
    if (process.env.REQUIRE_STACK === '1') throw new Error(`REQUIRE_STACK=1 but the Kubernetes control plane is not available: ${why} (start it: bash ../shared/kube/control-plane.sh up)`);
    return undefined;
  };
  if (!fs.existsSync(kubeconfig)) return missing(`${kubeconfig} does not exist`);
  const creds = readKubeconfig(kubeconfig);
  if (!apiReady(creds)) return missing(`${creds.server}/readyz does not answer 200`);
  let stack: ReturnType<typeof loadStack>;
  try {
    stack = loadStack();
  } catch {
    stack = undefined;
  }
  const beside = (bin: string | undefined): string | undefined => {
    const k = bin && path.join(path.dirname(bin), 'kubectl');
    return k && fs.existsSync(k) ? k : undefined;
  };
  return {
    kubeconfig,
    server: creds.server,
    api: new KubeClient(creds),
    kubectl: stack?.kubectl,
    kubectls: { v131: beside(stack?.helm3), v133: beside(stack?.helm4) },
    env: { ...process.env, KUBECONFIG: kubeconfig },
  };
}

/** Skip reason for node:test when there is no control plane (never in CI: loadCluster throws there). */
export function clusterSkip(cluster: Cluster | undefined): string | false {
  return cluster ? false : 'Kubernetes control plane not running (bash ../shared/kube/control-plane.sh up)';
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const rand = (n = 5): string => randomBytes(8).toString('hex').slice(0, n);

export interface TestNamespace {
  name: string;
  /** Force-deletes its pods, deletes the namespace and waits (at most timeoutMs, default 90 s) until it is gone. */
  cleanup(timeoutMs?: number): Promise<void>;
}

/** A fresh namespace `<prefix>-<random>` (prefix it with your helper/test name). */
export async function createNamespace(cluster: Cluster, prefix: string, labels: Record<string, string> = {}): Promise<TestNamespace> {
  const name = `${prefix}-${rand(6)}`.toLowerCase().slice(0, 63);
  await cluster.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'platform-actions.test/owner': prefix, ...labels } } });
  return {
    name,
    cleanup: async (timeoutMs = 90_000) => {
      const end = Date.now() + timeoutMs;
      // Bound pods wait for a kubelet to confirm their end: delete them at once (what a stand-in would do).
      await cluster.api.deleteCollection(`/api/v1/namespaces/${name}/pods`, { gracePeriodSeconds: 0 });
      await cluster.api.delete(`/api/v1/namespaces/${name}`);
      while (await cluster.api.tryGet(`/api/v1/namespaces/${name}`)) {
        if (Date.now() > end) throw new Error(`namespace ${name} still exists after ${timeoutMs} ms`);
        await cluster.api.deleteCollection(`/api/v1/namespaces/${name}/pods`, { gracePeriodSeconds: 0 });
        await sleep(500);
      }
    },
  };
}

/** Polls `probe` (every intervalMs, default 250) until it returns a value other than undefined/false; throws after timeoutMs naming `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await sleep(intervalMs);
  }
}

// ---------- the node stand-in ----------
/** What the stand-in makes of a pod. Times are from the pod's binding; back-offs double up to maxBackoffMs (300 s). */
export type Behaviour =
  | { kind: 'ready'; readyAfterMs?: number }
  /** Runs runMs (1 s), exits exitCode (1, reason Error); kubelet schedule: restart at once, then CrashLoopBackOff 10 s, 20 s, 40 s … */
  | { kind: 'crash'; runMs?: number; exitCode?: number; backoffMs?: number; maxBackoffMs?: number; readyWhileRunning?: boolean }
  /** Ready for afterMs, then crashes as `crash` (later runs last runMs). */
  | { kind: 'crash-after'; afterMs: number; runMs?: number; exitCode?: number; backoffMs?: number; maxBackoffMs?: number; readyWhileRunning?: boolean }
  /** Pending: ErrImagePull, then ImagePullBackOff for 10 s, 20 s, …, alternating. */
  | { kind: 'image-pull-fail'; backoffMs?: number; maxBackoffMs?: number }
  /** Runs afterMs (1 s), exits 0 (Completed): phase Succeeded (restartPolicy Always: restarts, as a kubelet would). */
  | { kind: 'job-succeed'; afterMs?: number }
  /** Runs afterMs (1 s), exits exitCode (1, Error): phase Failed with restartPolicy Never; OnFailure/Always crash-loop. */
  | { kind: 'job-fail'; afterMs?: number; exitCode?: number; backoffMs?: number; maxBackoffMs?: number }
  /** Bound, never started: waiting ContainerCreating forever. */
  | { kind: 'pending' };

/** Behaviour by image: the first key that is a substring of any container's image wins. */
export function byImage(map: Record<string, Behaviour>, fallback: Behaviour = { kind: 'ready' }): (pod: Pod) => Behaviour {
  return (pod) => {
    for (const [needle, b] of Object.entries(map)) if (pod.spec.containers.some((c) => c.image.includes(needle))) return b;
    return fallback;
  };
}

export interface StandInEvent {
  at: string;
  namespace: string;
  pod: string;
  action: 'bound' | 'status' | 'deleted' | 'error';
  /** For status: the phase, the container state's reason (Running, Error, CrashLoopBackOff, …), restarts and readiness. */
  phase?: string;
  reason?: string;
  restartCount?: number;
  ready?: boolean;
  detail?: string;
}

export interface NodeStandInOptions {
  /** Namespaces whose pods this stand-in binds to its node and runs (more with addNamespace()). */
  namespaces: string[];
  behaviour?: (pod: Pod) => Behaviour;
  /** Node name prefix (a random suffix is added); default `standin`. */
  name?: string;
}

type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';
interface LastRun { exitCode: number; startedAt: string; finishedAt: string; cid: string }
interface Snap {
  phase: Phase;
  c: 'creating' | 'running' | 'terminated' | 'crash-loop' | 'err-image-pull' | 'image-pull-back-off';
  ready: boolean;
  restartCount: number;
  run?: { startedAt: string; cid: string; exitCode?: number; finishedAt?: string };
  last?: LastRun;
  backoffS?: number;
}
/** A behaviour's schedule: a number is a pause (ms), a Snap is a status to write now. */
type Schedule = Generator<number | Snap, void, void>;

interface Tracked {
  pod: Pod;
  schedule: Schedule;
  timer?: NodeJS.Timeout;
  chain: Promise<void>;
  done: boolean;
  boundAt: string;
  startTime: string;
  podIP: string;
  ready: { value: boolean; since: string };
  last?: NonNullable<Pod['status']>;
}

const iso = (): string => new Date().toISOString();
const hex = (s: string): string => Buffer.from(s).toString('hex').padEnd(64, '0').slice(0, 64);

function* schedule(b: Behaviour, restartPolicy: 'Always' | 'OnFailure' | 'Never'): Schedule {
  const creating: Snap = { phase: 'Pending', c: 'creating', ready: false, restartCount: 0 };
  yield creating;
  if (b.kind === 'pending') return;
  if (b.kind === 'image-pull-fail') {
    let backoff = b.backoffMs ?? 10_000;
    for (;;) {
      yield 500;
      yield { ...creating, c: 'err-image-pull' };
      yield 1000;
      yield { ...creating, c: 'image-pull-back-off', backoffS: Math.round(backoff / 1000) };
      yield backoff;
      backoff = Math.min(backoff * 2, b.maxBackoffMs ?? 300_000);
    }
  }
  if (b.kind === 'ready') {
    const after = b.readyAfterMs ?? 300;
    yield Math.min(100, after);
    const run = { startedAt: iso(), cid: randomBytes(32).toString('hex') };
    yield { phase: 'Running', c: 'running', ready: false, restartCount: 0, run };
    yield Math.max(0, after - 100);
    yield { phase: 'Running', c: 'running', ready: true, restartCount: 0, run };
    return;
  }
  const exitCode = b.kind === 'job-succeed' ? 0 : (b.exitCode ?? 1);
  const firstRun = b.kind === 'crash-after' ? b.afterMs : b.kind === 'crash' ? (b.runMs ?? 1000) : (b.afterMs ?? 1000);
  const laterRun = b.kind === 'crash' || b.kind === 'crash-after' ? (b.runMs ?? 1000) : firstRun;
  const readyWhileRunning = b.kind === 'crash' || b.kind === 'crash-after' ? (b.readyWhileRunning ?? false) : true;
  const backoffMs = b.kind === 'job-succeed' ? 10_000 : (b.backoffMs ?? 10_000);
  const maxBackoffMs = b.kind === 'job-succeed' ? 300_000 : (b.maxBackoffMs ?? 300_000);
  let restarts = 0;
  let last: LastRun | undefined;
  let backoff = backoffMs;
  yield 100;
  for (;;) {
    const run = { startedAt: iso(), cid: randomBytes(32).toString('hex') };
    const ready = restarts === 0 && b.kind === 'crash-after' ? true : readyWhileRunning;
    yield { phase: 'Running', c: 'running', ready, restartCount: restarts, run, last };
    yield restarts === 0 ? firstRun : laterRun;
    const ended = { ...run, exitCode, finishedAt: iso() };
    const restart = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && exitCode !== 0);
    if (!restart) {
      yield { phase: exitCode === 0 ? 'Succeeded' : 'Failed', c: 'terminated', ready: false, restartCount: restarts, run: ended, last };
      return;
    }
    yield { phase: 'Running', c: 'terminated', ready: false, restartCount: restarts, run: ended, last };
    last = { exitCode, startedAt: ended.startedAt, finishedAt: ended.finishedAt, cid: run.cid };
    // The kubelet restarts a container's first exit at once; later exits wait out a doubling back-off.
    if (restarts > 0) {
      yield 200;
      yield { phase: 'Running', c: 'crash-loop', ready: false, restartCount: restarts, last, backoffS: Math.round(backoff / 1000) };
      yield backoff;
      backoff = Math.min(backoff * 2, maxBackoffMs);
    } else {
      yield 200;
    }
    restarts++;
  }
}

function containerState(pod: Pod, image: string, name: string, s: Snap): ContainerState {
  const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
  switch (s.c) {
    case 'creating':
      return { waiting: { reason: 'ContainerCreating' } };
    case 'running':
      return { running: { startedAt: s.run?.startedAt ?? iso() } };
    case 'terminated': {
      const r = s.run;
      const code = r?.exitCode ?? 0;
      return { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: r?.startedAt, finishedAt: r?.finishedAt ?? iso(), containerID: `containerd://${r?.cid}` } };
    }
    case 'crash-loop':
      return { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${s.backoffS}s restarting failed container=${name} pod=${podRef}` } };
    case 'err-image-pull':
      return { waiting: { reason: 'ErrImagePull', message: `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found` } };
    case 'image-pull-back-off':
      return { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } };
  }
}

/** Plays the kubelet for the pods of its namespaces (see the file header). */
export class NodeStandIn {
  readonly nodeName: string;
  /** What it did, in order (bindings, every status written, deletions, errors). */
  readonly events: StandInEvent[] = [];
  private readonly namespaces: Set<string>;
  private readonly behaviour: (pod: Pod) => Behaviour;
  private readonly tracked = new Map<string, Tracked>();
  private readonly handled = new Set<string>(); // uids bound or deleted by us
  private heartbeat?: NodeJS.Timeout;
  private watch?: WatchHandle;
  private loop?: Promise<void>;
  private stopped = false;
  private ipBase = `10.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 250)}`;
  private ipNext = 2;

  constructor(
    private readonly cluster: Cluster,
    opts: NodeStandInOptions,
  ) {
    this.nodeName = `${opts.name ?? 'standin'}-${rand(6)}`;
    this.namespaces = new Set(opts.namespaces);
    this.behaviour = opts.behaviour ?? (() => ({ kind: 'ready' }));
  }

  /** Registers the node (Ready, unschedulable) and its Lease, lists and watches pods. */
  async start(): Promise<void> {
    const api = this.cluster.api;
    const node = await api.create<KubeObject>('/api/v1/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: this.nodeName, labels: { 'kubernetes.io/hostname': this.nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'platform-actions.test/node-stand-in': 'true' } },
      spec: { unschedulable: true },
      status: this.nodeStatus(),
    });
    const micro = (): string => new Date().toISOString().replace('Z', '000Z');
    const lease = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases`;
    await api.create(lease, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.nodeName, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: node.metadata.uid }] },
      spec: { holderIdentity: this.nodeName, leaseDurationSeconds: 40, renewTime: micro() },
    });
    this.heartbeat = setInterval(() => {
      void Promise.all([
        api.patch(`${lease}/${this.nodeName}`, 'merge', { spec: { renewTime: micro() } }),
        api.patch(`/api/v1/nodes/${this.nodeName}/status`, 'merge', { status: { conditions: this.nodeStatus().conditions } }),
      ]).catch((e: unknown) => this.note({ namespace: '', pod: '', action: 'error', detail: `heartbeat: ${String(e)}` }));
    }, 10_000);
    this.heartbeat.unref();
    let up!: () => void;
    let failed!: (e: unknown) => void;
    const watching = new Promise<void>((res, rej) => ((up = res), (failed = rej)));
    this.loop = this.watchLoop(up, failed);
    await watching;
  }

  /** Adds a namespace; its existing pods are picked up at once. */
  async addNamespace(ns: string): Promise<void> {
    this.namespaces.add(ns);
    const pods = await this.cluster.api.list<Pod>(`/api/v1/namespaces/${ns}/pods`);
    for (const p of pods.items) this.onPod(p);
  }

  /** Events of one pod, or of pods whose name starts with `prefix`. */
  eventsFor(namespace: string, prefix = ''): StandInEvent[] {
    return this.events.filter((e) => e.namespace === namespace && e.pod.startsWith(prefix));
  }

  /** Stops timers and the watch, waits for writes in flight, deletes the Lease and the Node. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.watch?.stop();
    for (const t of this.tracked.values()) {
      t.done = true;
      clearTimeout(t.timer);
    }
    await this.loop;
    await Promise.all([...this.tracked.values()].map((t) => t.chain));
    await this.cluster.api.delete(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${this.nodeName}`);
    await this.cluster.api.delete(`/api/v1/nodes/${this.nodeName}`);
  }

  private nodeStatus(): Record<string, unknown> {
    const now = iso();
    const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: this.since ?? now });
    this.since ??= now;
    const res = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };
    return {
      capacity: res,
      allocatable: res,
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status (node stand-in)'),
      ],
      // InternalIP only: the API server tries Hostname first (--kubelet-preferred-address-types), and a node name
      // would be looked up in DNS; 127.0.0.1:10250 has no kubelet, so logs/exec/port-forward get a real refusal.
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { kubeletVersion: 'v1.24.0', kubeProxyVersion: 'v1.24.0', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'containerd://1.7.0', osImage: 'node stand-in', kernelVersion: '', machineID: '', systemUUID: '', bootID: '' },
    };
  }
  private since?: string;

  private note(e: Omit<StandInEvent, 'at'>): void {
    this.events.push({ at: iso(), ...e });
  }

  /** One watch over all pods; resumes from the last resourceVersion, re-lists after 410 Gone or an error. */
  private async watchLoop(up: () => void, failed: (e: unknown) => void): Promise<void> {
    let rv: string | undefined;
    let first = true;
    while (!this.stopped) {
      try {
        if (!rv) {
          const list = await this.cluster.api.list<Pod>('/api/v1/pods');
          rv = list.metadata.resourceVersion;
          const seen = new Set(list.items.map((p) => p.metadata.uid));
          for (const [uid, t] of this.tracked) if (!seen.has(uid)) this.forget(uid, t);
          for (const p of list.items) this.onPod(p);
        }
        let gone = false;
        this.watch = this.cluster.api.watch<Pod>('/api/v1/pods', { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 240 }, (ev) => {
          if (ev.type === 'ERROR') {
            gone = true;
            return;
          }
          rv = ev.object.metadata.resourceVersion ?? rv;
          if (ev.type === 'DELETED') {
            const t = this.tracked.get(ev.object.metadata.uid ?? '');
            if (t) this.forget(ev.object.metadata.uid ?? '', t);
          } else if (ev.type !== 'BOOKMARK') this.onPod(ev.object);
        });
        await this.watch.opened;
        if (first) {
          first = false;
          up();
        }
        await this.watch.done;
        if (gone) rv = undefined;
      } catch (e) {
        if (first) {
          failed(e);
          return;
        }
        if (this.stopped) return;
        this.note({ namespace: '', pod: '', action: 'error', detail: `watch: ${String(e)}` });
        rv = undefined;
        await sleep(500);
      }
    }
  }

  private forget(uid: string, t: Tracked): void {
    t.done = true;
    clearTimeout(t.timer);
    this.tracked.delete(uid);
  }

  private onPod(pod: Pod): void {
    const { namespace = '', name = '', uid = '' } = pod.metadata;
    if (this.stopped || !this.namespaces.has(namespace)) return;
    const podPath = `/api/v1/namespaces/${namespace}/pods/${name}`;
    if (pod.metadata.deletionTimestamp) {
      if (!pod.spec.nodeName || this.handled.has(`delete:${uid}`)) return;
      this.handled.add(`delete:${uid}`);
      const t = this.tracked.get(uid);
      if (t) this.forget(uid, t);
      void this.cluster.api
        .delete(podPath, { gracePeriodSeconds: 0, preconditions: { uid } })
        .then(() => this.note({ namespace, pod: name, action: 'deleted' }))
        .catch((e: unknown) => this.note({ namespace, pod: name, action: 'error', detail: `delete: ${String(e)}` }));
      return;
    }
    if (!pod.spec.nodeName) {
      if (this.handled.has(`bind:${uid}`)) return;
      this.handled.add(`bind:${uid}`);
      void this.cluster.api
        .create(`${podPath}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name, uid }, target: { apiVersion: 'v1', kind: 'Node', name: this.nodeName } })
        .then(() => this.note({ namespace, pod: name, action: 'bound', detail: this.nodeName }))
        .catch((e: unknown) => this.note({ namespace, pod: name, action: 'error', detail: `bind: ${String(e)}` }));
      return;
    }
    // Its namespaces' pods are its own even when something else bound them (a schedulable node of another kind).
    const t = this.tracked.get(uid);
    if (t) {
      t.pod = pod;
      // Another writer (the scheduler's late "Unschedulable" condition) changed what we reported: report again.
      const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status === 'True';
      if (t.last && !scheduled && !t.done) this.write(t, t.last, undefined);
      return;
    }
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    const now = iso();
    const tr: Tracked = {
      pod,
      schedule: schedule(this.behaviour(pod), pod.spec.restartPolicy ?? 'Always'),
      chain: Promise.resolve(),
      done: false,
      boundAt: now,
      startTime: now,
      podIP: `${this.ipBase}.${this.ipNext++ % 250}`,
      ready: { value: false, since: now },
    };
    this.tracked.set(uid, tr);
    this.advance(tr);
  }

  private advance(t: Tracked): void {
    while (!t.done && !this.stopped) {
      const step = t.schedule.next();
      if (step.done) return;
      if (typeof step.value === 'number') {
        t.timer = setTimeout(() => this.advance(t), step.value);
        t.timer.unref();
        return;
      }
      this.write(t, this.status(t, step.value), step.value);
    }
  }

  private status(t: Tracked, s: Snap): NonNullable<Pod['status']> {
    const pod = t.pod;
    const now = iso();
    if (s.ready !== t.ready.value) t.ready = { value: s.ready, since: now };
    const terminal = s.phase === 'Succeeded' || s.phase === 'Failed';
    const names = pod.spec.containers.map((c) => c.name).join(' ');
    const readyCond = (type: string): PodCondition =>
      s.ready
        ? { type, status: 'True', lastProbeTime: null, lastTransitionTime: t.ready.since }
        : { type, status: 'False', reason: terminal ? 'PodCompleted' : 'ContainersNotReady', message: terminal ? undefined : `containers with unready status: [${names}]`, lastProbeTime: null, lastTransitionTime: t.ready.since };
    const pulled = s.c !== 'err-image-pull' && s.c !== 'image-pull-back-off' && s.c !== 'creating';
    const imageID = (image: string): string => (pulled ? `${image.split('@')[0].replace(/:[^/:]+$/, '')}@sha256:${hex(image)}` : '');
    const last: ContainerState = s.last ? { terminated: { exitCode: s.last.exitCode, reason: s.last.exitCode === 0 ? 'Completed' : 'Error', startedAt: s.last.startedAt, finishedAt: s.last.finishedAt, containerID: `containerd://${s.last.cid}` } } : {};
    return {
      phase: s.phase,
      conditions: [
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t.startTime },
        readyCond('Ready'),
        readyCond('ContainersReady'),
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t.boundAt },
      ],
      hostIP: '127.0.0.1',
      podIP: t.podIP,
      podIPs: [{ ip: t.podIP }],
      startTime: t.startTime,
      initContainerStatuses: pod.spec.initContainers?.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: imageID(c.image),
        ready: true,
        started: false,
        restartCount: 0,
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: t.startTime, finishedAt: t.startTime } },
        lastState: {},
      })),
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: imageID(c.image),
        ...(s.run && (s.c === 'running' || s.c === 'terminated') ? { containerID: `containerd://${s.run.cid}` } : {}),
        ready: s.ready && s.c === 'running',
        started: s.c === 'running',
        restartCount: s.restartCount,
        state: containerState(pod, c.image, c.name, s),
        lastState: last,
      })),
    };
  }

  private write(t: Tracked, status: NonNullable<Pod['status']>, s: Snap | undefined): void {
    t.last = status;
    const { namespace = '', name = '' } = t.pod.metadata;
    t.chain = t.chain.then(async () => {
      if (t.done || this.stopped) return;
      try {
        await this.cluster.api.patch(`/api/v1/namespaces/${namespace}/pods/${name}/status`, 'merge', { status });
        const cs = status.containerStatuses?.[0];
        const st = cs?.state;
        this.note({ namespace, pod: name, action: 'status', phase: status.phase, reason: st?.waiting?.reason ?? st?.terminated?.reason ?? (st?.running ? 'Running' : undefined), restartCount: cs?.restartCount, ready: cs?.ready, detail: s ? s.c : 'rewrite' });
      } catch (e) {
        if (e instanceof KubeApiError && e.status === 404) t.done = true;
        else this.note({ namespace, pod: name, action: 'error', detail: `status: ${String(e)}` });
      }
    });
  }
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs kubectl (cluster.kubectl unless `bin` is given) against the cluster, asynchronously (a stand-in keeps running meanwhile). */
export function kubectl(cluster: Cluster, args: string[], opts: { input?: string; bin?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const bin = opts.bin ?? cluster.kubectl;
  if (!bin) return Promise.reject(new Error('no kubectl: the test stack is not up (npm run stack)'));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: cluster.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
