// kustomize-deploy's built bundle against the REAL control plane (../shared/kube/control-plane.sh: etcd,
// kube-apiserver v1.24, controllers; no kubelet) with the stack's real kubectl: the prune never deletes a
// Namespace, the record and the ApplySet parent survive 20 deploys of changing overlays, and objects made by
// `kubectl apply -k` (client-side and server-side) are taken over while another manager's fields still conflict.
// The Deployments here have `replicas: 0`, so they roll out without a node.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { applySetId } from '../../actions/kustomize-deploy/objects.js';
import type { ActionRun } from '../support/run-action.js';
import { runAction } from '../support/run-action.js';
import { loadStack } from '../support/stack.js';

const KUBECONFIG = process.env.KUBECONFIG_CONTROL_PLANE ?? '/tmp/kube-control-plane/admin.kubeconfig';
const stack = loadStack();
const kubectlBin = stack?.kubectl ?? 'kubectl';

function kc(args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(kubectlBin, args, { encoding: 'utf8', input, env: { ...process.env, KUBECONFIG } });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function controlPlaneSkip(): string | false {
  if (!stack) return 'test stack not running (npm run stack)';
  if (!fs.existsSync(KUBECONFIG)) return `no control plane (${KUBECONFIG}): ../shared/kube/control-plane.sh up`;
  return kc(['get', '--raw', '/readyz']).status === 0 ? false : 'control plane not ready';
}
const skip = controlPlaneSkip();
const namespaces: string[] = [];
const roots: string[] = [];

function newNamespace(label: string): string {
  const ns = `kustomize-${label}-${Math.random().toString(36).slice(2, 7)}`;
  namespaces.push(ns);
  return ns;
}

after(() => {
  for (const ns of namespaces) kc(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']);
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

interface OverlayShape {
  namespaceObject?: boolean;
  image?: string;
  cpu?: string;
  secret?: string;
  configMaps?: string[];
  pvc?: boolean;
  replicas?: number;
  /** Extra config literal (changes the generated ConfigMap's name hash). */
  level?: string;
}

/** A Kardon-shaped overlay (base + services + overlay, generators, NetworkPolicies) written to a fresh workspace. */
function writeOverlay(workspace: string, ns: string, o: OverlayShape): string {
  const dir = path.join(workspace, 'deploy');
  fs.rmSync(dir, { recursive: true, force: true });
  const put = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  const deployment = (name: string, port: number): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${o.replicas ?? 0}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: ${name}
          image: ${name === 'web' ? (o.image ?? 'ghcr.io/example-org/kardon/web:sha-1') : `ghcr.io/example-org/kardon/${name}:sha-1`}
          ports: [{containerPort: ${port}}]
          envFrom: [{configMapRef: {name: kardon-config}}, {secretRef: {name: kardon-env}}]
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: "${name === 'api' ? (o.cpu ?? '1') : '500m'}", memory: 512Mi}
`;
  const service = (name: string, port: number): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports: [{port: ${port}, targetPort: ${port}}]
`;
  for (const [name, port] of [['web', 3000], ['api', 8000]] as const) {
    put(`services/${name}/deployment.yaml`, deployment(name, port));
    put(`services/${name}/service.yaml`, service(name, port));
    put(`services/${name}/kustomization.yaml`, 'resources: [deployment.yaml, service.yaml]\n');
  }
  put('base/netpol.yaml', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all-ingress}
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web-to-api}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
`);
  put('base/secret.yaml', `apiVersion: v1
kind: Secret
metadata: {name: kardon-secrets}
type: Opaque
data:
  DATABASE_URL: ${Buffer.from(o.secret ?? 'postgresql://kardon:one@db:5432/kardon').toString('base64')}
`);
  put('base/namespace.yaml', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {app: kardon}\n`);
  const extra = (o.configMaps ?? []).map((c) => `  - name: ${c}\n    literals: [NAME=${c}]\n`).join('');
  const pvc = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: kardon-data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`;
  if (o.pvc) put('base/pvc.yaml', pvc);
  put('base/kustomization.yaml', `resources:
${o.namespaceObject === false ? '' : '  - namespace.yaml\n'}  - netpol.yaml
  - secret.yaml
${o.pvc ? '  - pvc.yaml\n' : ''}configMapGenerator:
  - name: kardon-config
    literals: [ENVIRONMENT=dev, LOG_LEVEL=${o.level ?? 'info'}]
${extra}secretGenerator:
  - name: kardon-env
    literals: [API_KEY=k-${o.level ?? 'info'}]
`);
  put('overlays/dev/kustomization.yaml', `namespace: ${ns}
resources: [../../base, ../../services/web, ../../services/api]
`);
  return 'deploy/overlays/dev';
}

export function git(dir: string, args: string[]): string {
  const r = spawnSync('git', ['-C', dir, '-c', 'user.name=Kardon Dev', '-c', 'user.email=dev@kardon.example', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

/** Commits everything in the work tree; returns the new commit's SHA. */
export function commit(dir: string, message: string): string {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']);
}

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-cluster-'));
  roots.push(dir);
  return dir;
}

function deploy(ws: string, overlay: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('kustomize-deploy', {
    inputs: { overlay, name: 'kardon', timeout: '60s', 'poll-interval': '500ms', ...inputs },
    env: { KUBECONFIG },
    context: { workspace: ws, repository: 'example-org/kardon' },
    pathPrepend: [path.dirname(kubectlBin)],
    timeoutMs: 180_000,
  });
}

const json = <T>(args: string[]): T => {
  const r = kc([...args, '--output', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
};

interface Meta {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string; uid?: string; managedFields?: { manager: string; operation: string; subresource?: string }[] };
  status?: { phase?: string };
}

const exists = (args: string[]): boolean => kc(['get', ...args, '--ignore-not-found', '--output', 'name']).stdout.trim() !== '';
const managers = (args: string[]): string[] => json<Meta>(['get', ...args, '--show-managed-fields']).metadata.managedFields?.filter((m) => !m.subresource).map((m) => m.manager) ?? [];

function assertNamespaceIntact(ns: string): void {
  const n = json<Meta>(['get', 'namespace', ns]);
  assert.equal(n.status?.phase, 'Active', `namespace ${ns} is ${n.status?.phase}`);
  assert.equal(n.metadata.deletionTimestamp, undefined);
  assert.equal(n.metadata.labels?.['applyset.kubernetes.io/part-of'], undefined, 'the Namespace is no ApplySet member');
  assert.ok(exists(['secret', 'kustomize-deploy.kardon', '--namespace', ns]), 'the record Secret survives');
  assert.ok(exists(['secret', 'kardon', '--namespace', ns]), 'the ApplySet parent Secret survives');
}

describe('kustomize-deploy on a real API server: the prune never deletes what holds the app', { skip, concurrency: false }, () => {
  it('keeps the Namespace when a later overlay stops listing it, and reports it no longer managed', async () => {
    const ns = newNamespace('ns');
    const ws = workspace();
    const first = await deploy(ws, writeOverlay(ws, ns, { namespaceObject: true }));
    assert.equal(first.main.exitCode, 0, first.main.stdout);
    assert.equal(first.outputs.status, 'deployed');
    assertNamespaceIntact(ns);
    const second = await deploy(ws, writeOverlay(ws, ns, { namespaceObject: false, configMaps: ['extra'] }));
    assert.equal(second.main.exitCode, 0, second.main.stdout);
    assert.equal(second.outputs.status, 'deployed');
    assert.ok(!(JSON.parse(second.outputs.pruned) as string[]).some((p) => p.startsWith('namespace/')), second.outputs.pruned);
    assert.match(second.summary, /No longer managed \(left in place\)[\s\S]*Namespace\/kustomize-ns-/);
    assertNamespaceIntact(ns);
  });

  it('takes a Namespace an older deploy made an ApplySet member out of the set before it prunes', async () => {
    const ns = newNamespace('legacy');
    const ws = workspace();
    const overlay = writeOverlay(ws, ns, { namespaceObject: true });
    // What the earlier version did: the Namespace applied as a member by `kubectl apply --applyset --prune`.
    const rendered = kc(['kustomize', path.join(ws, overlay)]);
    assert.equal(kc(['create', 'namespace', ns]).status, 0);
    const legacy = spawnSync(kubectlBin, ['apply', '--server-side', '--field-manager=platform-actions', `--applyset=kardon`, '--prune', '--namespace', ns, '--filename', '-'], { input: rendered.stdout, encoding: 'utf8', env: { ...process.env, KUBECONFIG, KUBECTL_APPLYSET: 'true' } });
    assert.equal(legacy.status, 0, legacy.stderr);
    assert.equal(json<Meta>(['get', 'namespace', ns]).metadata.labels?.['applyset.kubernetes.io/part-of'], applySetId('kardon', ns));
    const run = await deploy(ws, writeOverlay(ws, ns, { namespaceObject: false }));
    assert.equal(run.main.exitCode, 0, run.main.stdout);
    assert.deepEqual((JSON.parse(run.outputs.pruned) as string[]).filter((p) => p.startsWith('namespace/')), []);
    assert.match(run.summary, new RegExp(`Namespace/${ns}`));
    assertNamespaceIntact(ns);
  });

  it('keeps the record and the ApplySet parent through 20 consecutive deploys of changing overlays', async () => {
    const ns = newNamespace('twenty');
    const ws = workspace();
    // Each overlay change is a commit of the workspace's real history, so every deploy is newer than the live one.
    git(ws, ['init', '-q', '-b', 'main']);
    const pvcUid: string[] = [];
    let previousSha = '';
    for (let i = 1; i <= 20; i++) {
      const shape: OverlayShape = { namespaceObject: i % 3 !== 0, configMaps: i % 2 ? ['even'] : ['odd', `n${i}`], level: `l${i}`, secret: `postgresql://kardon:${i}@db/kardon`, pvc: i <= 5 || i % 4 === 0, image: `ghcr.io/example-org/kardon/web:sha-${i}` };
      const overlay = writeOverlay(ws, ns, shape);
      const sha = commit(ws, `overlay ${i}`);
      const run = await deploy(ws, overlay, { 'source-commit': sha });
      assert.equal(run.main.exitCode, 0, `deploy ${i}: ${run.main.stdout.slice(-3000)}`);
      assert.equal(run.outputs.status, 'deployed', `deploy ${i}`);
      assertNamespaceIntact(ns);
      const record = json<Meta>(['get', 'secret', 'kustomize-deploy.kardon', '--namespace', ns]);
      assert.equal(record.metadata.annotations?.['platform-actions/source-commit'], sha, `deploy ${i}: the record is this deploy's`);
      if (i > 1) assert.equal(run.outputs['live-commit'], previousSha, `deploy ${i}: the live commit read back`);
      previousSha = sha;
      assert.ok(exists(['persistentvolumeclaim', 'kardon-data', '--namespace', ns]), `deploy ${i}: the PVC is never pruned`);
      pvcUid.push(json<Meta>(['get', 'persistentvolumeclaim', 'kardon-data', '--namespace', ns]).metadata.uid ?? '');
      const pruned = JSON.parse(run.outputs.pruned) as string[];
      assert.ok(!pruned.some((p) => /^(namespace|persistentvolumeclaim)\//.test(p)), `deploy ${i} pruned ${pruned.join(', ')}`);
    }
    assert.equal(new Set(pvcUid).size, 1, 'the PVC is the same object all along');
  });

  it('prunes a PersistentVolumeClaim only when prune-kinds names the kind', async () => {
    const ns = newNamespace('pvc');
    const ws = workspace();
    assert.equal((await deploy(ws, writeOverlay(ws, ns, { pvc: true }))).main.exitCode, 0);
    const kept = await deploy(ws, writeOverlay(ws, ns, { pvc: false }));
    assert.equal(kept.main.exitCode, 0, kept.main.stdout);
    assert.ok(exists(['persistentvolumeclaim', 'kardon-data', '--namespace', ns]));
    assert.match(kept.summary, /PersistentVolumeClaim\/kardon-data/);
    assert.equal((await deploy(ws, writeOverlay(ws, ns, { pvc: true }), { 'prune-kinds': 'PersistentVolumeClaim' })).main.exitCode, 0);
    const pruned = await deploy(ws, writeOverlay(ws, ns, { pvc: false }), { 'prune-kinds': 'PersistentVolumeClaim' });
    assert.equal(pruned.main.exitCode, 0, pruned.main.stdout);
    assert.ok((JSON.parse(pruned.outputs.pruned) as string[]).includes('persistentvolumeclaim/kardon-data'), pruned.outputs.pruned);
  });
});

describe('kustomize-deploy on a real API server: adopting what kubectl apply -k made', { skip, concurrency: false }, () => {
  const changed: OverlayShape = { image: 'ghcr.io/example-org/kardon/web:sha-2', cpu: '1000m', secret: 'postgresql://kardon:two@db:5432/kardon' };

  for (const [how, args, manager] of [
    ['client-side (kubectl-client-side-apply)', ['apply', '-k'], 'kubectl-client-side-apply'],
    ["server-side with kubectl's default manager (kubectl)", ['apply', '--server-side', '-k'], 'kubectl'],
  ] as const) {
    it(`takes over an overlay applied ${how}: Secret data, image, a CPU limit stored as 1`, async () => {
      const ns = newNamespace(manager === 'kubectl' ? 'ssa' : 'csa');
      const ws = workspace();
      const overlay = writeOverlay(ws, ns, {});
      const made = kc([...args, path.join(ws, overlay)]);
      assert.equal(made.status, 0, made.stderr);
      assert.ok(managers(['deployment', 'api', '--namespace', ns]).includes(manager));
      const run = await deploy(ws, writeOverlay(ws, ns, changed));
      assert.equal(run.main.exitCode, 0, run.main.stdout.slice(-4000));
      assert.equal(run.outputs.status, 'deployed');
      const adopted = JSON.parse(run.outputs.adopted) as { object: string; managers: string[] }[];
      for (const o of ['Deployment/api', 'Deployment/web', 'Secret/kardon-secrets', 'NetworkPolicy/deny-all-ingress', 'Service/web']) {
        assert.deepEqual(adopted.find((a) => a.object === o)?.managers, [manager], `${o} taken over from ${manager}: ${run.outputs.adopted}`);
      }
      assert.match(run.summary, new RegExp(`\\| Deployment/api \\| ${manager} \\|`));
      for (const o of [['deployment', 'api'], ['secret', 'kardon-secrets'], ['networkpolicy', 'allow-web-to-api']]) {
        assert.deepEqual(managers([...o, '--namespace', ns]).filter((m) => m !== 'kube-controller-manager'), ['platform-actions'], `${o.join('/')} has one manager left`);
      }
      const api = json<{ spec: { template: { spec: { containers: { resources: { limits: { cpu: string } } }[] } } } }>(['get', 'deployment', 'api', '--namespace', ns]);
      assert.equal(api.spec.template.spec.containers[0].resources.limits.cpu, '1');
      const web = json<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(['get', 'deployment', 'web', '--namespace', ns]);
      assert.equal(web.spec.template.spec.containers[0].image, 'ghcr.io/example-org/kardon/web:sha-2');
      const secret = json<{ data: Record<string, string> }>(['get', 'secret', 'kardon-secrets', '--namespace', ns]);
      assert.equal(Buffer.from(secret.data.DATABASE_URL, 'base64').toString(), changed.secret);
      // Owned by the action alone now: a second deploy goes through without force and takes nothing over.
      const again = await deploy(ws, writeOverlay(ws, ns, { ...changed, image: 'ghcr.io/example-org/kardon/web:sha-3' }));
      assert.equal(again.main.exitCode, 0, again.main.stdout.slice(-3000));
      assert.deepEqual(JSON.parse(again.outputs.adopted), []);
    });
  }

  it('still fails the dry run on a field another manager owns (replicas set by an autoscaler), naming it, and changes nothing', async () => {
    const ns = newNamespace('hpa');
    const ws = workspace();
    const overlay = writeOverlay(ws, ns, {});
    assert.equal(kc(['apply', '-k', path.join(ws, overlay)]).status, 0);
    const scaled = kc(['apply', '--server-side', '--field-manager=hpa-controller', '--force-conflicts', '--validate=false', '--namespace', ns, '--filename', '-'], 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 2}\n');
    assert.equal(scaled.status, 0, scaled.stderr);
    const before = json<Meta>(['get', 'deployment', 'web', '--namespace', ns, '--show-managed-fields']);
    const run = await deploy(ws, writeOverlay(ws, ns, changed));
    assert.notEqual(run.main.exitCode, 0);
    assert.equal(run.outputs.status, 'failed');
    assert.match(run.main.stdout, /Deployment\/api: \d+ field\(s\) owned by field manager "hpa-controller": \.spec\.replicas/);
    assert.deepEqual(JSON.parse(run.outputs['applied-objects']), []);
    const after = json<Meta>(['get', 'deployment', 'web', '--namespace', ns, '--show-managed-fields']);
    assert.deepEqual(after.metadata.managedFields, before.metadata.managedFields, 'nothing was taken over before the dry run failed');
  });
});
