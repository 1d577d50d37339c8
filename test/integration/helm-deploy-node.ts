// The node for helm-deploy's control-plane tests: the control plane has no kubelet, so this plays one for the
// pods of one namespace, talking straight to the API server (not through a test's proxy: a kubelet keeps
// running through an outage of the client's path). It binds each pod to a registered, unschedulable Node
// (so no one else's pod lands there) and writes the statuses a kubelet would: ready after `readyAfterMs`, or,
// for an image whose name says so, a crash loop on kubelet's back-off (first crash after ~1 s, then 10 s,
// 20 s, …) or an image pull failure (ErrImagePull, then ImagePullBackOff).
import * as fs from 'node:fs';
import * as https from 'node:https';
import YAML from 'yaml';

export const KUBECONFIG = process.env.KUBE_TEST_KUBECONFIG ?? '/tmp/kube-control-plane/admin.kubeconfig';

export function controlPlaneSkip(): string | false {
  return fs.existsSync(KUBECONFIG) ? false : `no control plane (${KUBECONFIG} missing: ../shared/kube/control-plane.sh up)`;
}

interface KubeconfigFile {
  clusters: { cluster: { server: string; 'certificate-authority': string } }[];
  users: { user: { 'client-certificate': string; 'client-key': string } }[];
}

export class Api {
  readonly server: URL;
  private readonly agent: https.Agent;

  constructor(kubeconfig = KUBECONFIG) {
    const kc = YAML.parse(fs.readFileSync(kubeconfig, 'utf8')) as KubeconfigFile;
    this.server = new URL(kc.clusters[0].cluster.server);
    this.agent = new https.Agent({
      ca: fs.readFileSync(kc.clusters[0].cluster['certificate-authority']),
      cert: fs.readFileSync(kc.users[0].user['client-certificate']),
      key: fs.readFileSync(kc.users[0].user['client-key']),
      keepAlive: true,
    });
  }

  request<T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: T }> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        { host: this.server.hostname, port: this.server.port, path, method, agent: this.agent, headers: body === undefined ? {} : { 'content-type': contentType } },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => {
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : {};
            } catch {
              parsed = { text };
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T });
          });
        },
      );
      // A request that never answers must not stall the node's ticks (the next tick asks again).
      req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
      req.on('error', reject);
      if (body !== undefined) req.write(JSON.stringify(body));
      req.end();
    });
  }

  async createNamespace(name: string): Promise<void> {
    const r = await this.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    if (r.status !== 201) throw new Error(`namespace ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  }

  /** Deletes the namespace and, with no kubelet to confirm it, force-deletes its pods so it can finish (bounded). */
  async deleteNamespace(name: string): Promise<void> {
    await this.request('DELETE', `/api/v1/namespaces/${name}`);
    for (let i = 0; i < 20; i++) {
      await this.request('DELETE', `/api/v1/namespaces/${name}/pods`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
      if ((await this.request('GET', `/api/v1/namespaces/${name}`)).status === 404) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

interface PodContainer {
  name: string;
  image: string;
}

interface PodObject {
  metadata: { name: string; uid: string; creationTimestamp: string; deletionTimestamp?: string };
  spec: { nodeName?: string; containers: PodContainer[] };
  status?: { phase?: string };
}

export type Behaviour = 'ready' | 'crash' | 'pull-fail' | 'slow' | 'crash-after';

/** Ready after 20 s (a slow but healthy start); `crash-after`: ready after 1 s, crashes 30 s later. */
export const SLOW_READY_MS = 20_000;
export const CRASH_AFTER_MS = 30_000;

/**
 * What the image name asks for: `…crash-after…` runs ready for 30 s then crash-loops, `…crash…` crash-loops,
 * `…pull-fail…` cannot be pulled, `…slow…` becomes ready after 20 s, anything else starts.
 */
export function behaviourOf(image: string): Behaviour {
  if (/crash-after/.test(image)) return 'crash-after';
  if (/slow/.test(image)) return 'slow';
  if (/crash/.test(image)) return 'crash';
  if (/pull-fail/.test(image)) return 'pull-fail';
  return 'ready';
}

/** Crash loop timeline: crash n (1-based) happens at this many ms after the pod started (kubelet back-off 10 s, 20 s, 40 s…). */
export function crashAt(n: number): number {
  let t = 1000;
  for (let i = 1; i < n; i++) t += 1000 + Math.min(300_000, 10_000 * 2 ** (i - 1));
  return t;
}

const NODE = 'helm-deploy-node';

export interface NodeOptions {
  readyAfterMs?: number;
  tickMs?: number;
}

export class NodePlayer {
  private readonly api: Api;
  private readonly namespace: string;
  private readonly readyAfterMs: number;
  private readonly tickMs: number;
  private readonly started = new Map<string, number>();
  private readonly written = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(api: Api, namespace: string, options: NodeOptions = {}) {
    this.api = api;
    this.namespace = namespace;
    this.readyAfterMs = options.readyAfterMs ?? 1000;
    this.tickMs = options.tickMs ?? 250;
  }

  async start(): Promise<void> {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: NODE },
      spec: { unschedulable: true },
    };
    const r = await this.api.request('POST', '/api/v1/nodes', node);
    if (r.status !== 201 && r.status !== 409) throw new Error(`node: ${r.status} ${JSON.stringify(r.body)}`);
    this.timer = setInterval(() => void this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const list = await this.api.request<{ items: PodObject[] }>('GET', `/api/v1/namespaces/${this.namespace}/pods`);
      for (const pod of list.body.items ?? []) {
        if (pod.metadata.deletionTimestamp) {
          await this.api.request('DELETE', `/api/v1/namespaces/${this.namespace}/pods/${pod.metadata.name}`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
          continue;
        }
        if (!pod.spec.nodeName) {
          await this.api.request('POST', `/api/v1/namespaces/${this.namespace}/pods/${pod.metadata.name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name }, target: { apiVersion: 'v1', kind: 'Node', name: NODE } });
          this.started.set(pod.metadata.uid, Date.now());
          continue;
        }
        const since = this.started.get(pod.metadata.uid) ?? Date.now();
        if (!this.started.has(pod.metadata.uid)) this.started.set(pod.metadata.uid, since);
        const status = this.statusOf(pod, Date.now() - since, new Date(since).toISOString());
        const key = JSON.stringify(status);
        if (this.written.get(pod.metadata.uid) === key) continue;
        const r = await this.api.request('PATCH', `/api/v1/namespaces/${this.namespace}/pods/${pod.metadata.name}/status`, { status }, 'application/merge-patch+json');
        if (r.status === 200) this.written.set(pod.metadata.uid, key);
      }
    } catch {
      // The next tick tries again.
    } finally {
      this.busy = false;
    }
  }

  private statusOf(pod: PodObject, age: number, startedAt: string): Record<string, unknown> {
    const behaviours = pod.spec.containers.map((c) => behaviourOf(c.image));
    const containers = pod.spec.containers.map((c, i) => containerStatus(c, behaviours[i], age, this.readyAfterMs, startedAt));
    const ready = containers.every((c) => c.ready);
    const cond = (type: string, ok: boolean): Record<string, string> => ({ type, status: ok ? 'True' : 'False', lastTransitionTime: startedAt });
    return {
      phase: 'Running',
      hostIP: '127.0.0.1',
      podIP: '10.0.0.1',
      startTime: startedAt,
      conditions: [cond('Initialized', true), cond('PodScheduled', true), cond('ContainersReady', ready), cond('Ready', ready)],
      containerStatuses: containers,
    };
  }
}

interface ContainerStatusOut {
  name: string;
  image: string;
  imageID: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: Record<string, unknown>;
  lastState: Record<string, unknown>;
}

function containerStatus(c: PodContainer, behaviour: Behaviour, ageMs: number, readyAfterMs: number, startedAt: string): ContainerStatusOut {
  let age = ageMs;
  const base = { name: c.name, image: c.image, imageID: '', ready: false, started: false, restartCount: 0, state: {}, lastState: {} };
  if (behaviour === 'pull-fail') {
    const reason = Math.floor(age / 2000) % 2 === 0 ? 'ErrImagePull' : 'ImagePullBackOff';
    return { ...base, state: { waiting: { reason, message: `rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found` } } };
  }
  if (behaviour === 'crash-after' && age < 1000 + CRASH_AFTER_MS) return { ...base, ready: age >= 1000, started: true, state: { running: { startedAt } } };
  if (behaviour === 'crash' || behaviour === 'crash-after') {
    // crash-after: the same crash loop, shifted by its healthy time.
    if (behaviour === 'crash-after') age -= CRASH_AFTER_MS;
    let crashes = 0;
    while (crashAt(crashes + 1) <= age) crashes++;
    const terminated = { exitCode: 1, reason: 'Error', startedAt, finishedAt: startedAt };
    if (crashes === 0) return { ...base, started: true, state: { running: { startedAt } } };
    // Between a crash and the restart after the back-off, kubelet reports CrashLoopBackOff.
    const backoffEnd = crashAt(crashes) + Math.min(300_000, 10_000 * 2 ** (crashes - 1));
    if (age < backoffEnd) return { ...base, restartCount: crashes, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.min(300, 10 * 2 ** (crashes - 1))}s restarting failed container=${c.name}` } }, lastState: { terminated } };
    return { ...base, restartCount: crashes, started: true, state: { running: { startedAt } }, lastState: { terminated } };
  }
  const ready = age >= (behaviour === 'slow' ? SLOW_READY_MS : readyAfterMs);
  return { ...base, ready, started: true, state: { running: { startedAt } } };
}
