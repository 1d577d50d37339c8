// Crash → old revision available again, on the REAL control plane with the tests' node stand-in (kubelet-like
// schedule: first crash at ~1 s, CrashLoopBackOff at ~2.5 s, back-off 10 s, 20 s, …): kustomize-deploy's built
// bundle (whole process, as the runner starts it) deploying a crash-looping image over a good one, against the
// script a team writes by hand: `kubectl apply -k … && kubectl rollout status --timeout <t> || kubectl rollout undo`.
// Both timed from the start of the bad deploy to the moment the Deployment serves the old image with an available
// pod (read from the API every 100 ms). Rounds alternate; medians and the machine's load are printed. No thresholds.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeObject } from '../test/support/cluster.js';
import { NodeStandIn, byImage, createNamespace, loadCluster } from '../test/support/cluster.js';
import { runAction } from '../test/support/run-action.js';

const ROUNDS = Number(process.env.BENCH_RUNS ?? 2);
const BASELINE_TIMEOUT = process.env.BENCH_BASELINE_TIMEOUT ?? '60s';
const REPO = 'ghcr.io/example-org/kardon';

interface Deployment extends KubeObject {
  spec: { template: { spec: { containers: { image: string }[] } } };
  status?: { availableReplicas?: number; updatedReplicas?: number; replicas?: number; unavailableReplicas?: number };
}

function overlay(dir: string, ns: string, tag: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'web.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "${REPO}/web:${tag}"}]
`);
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `namespace: ${ns}\nresources: [web.yaml]\n`);
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env, stdio: 'ignore' });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const cluster = loadCluster();
  if (!cluster?.kubectl) {
    console.log('skipped: no control plane or no test stack');
    return;
  }
  const kubectl = cluster.kubectl;
  const standIn = new NodeStandIn(cluster, { namespaces: [], name: 'bench-kustomize', behaviour: byImage({ ':crash': { kind: 'crash' } }) });
  await standIn.start();
  const web = (ns: string): Promise<Deployment> => cluster.api.get<Deployment>(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
  /** Resolves with the time the Deployment serves `image` again with an available pod and no unavailable one. */
  const oldAvailable = async (ns: string, image: string, since: number, limitMs: number): Promise<number> => {
    for (;;) {
      const d = await web(ns).catch(() => undefined);
      const s = d?.status ?? {};
      if (d && d.spec.template.spec.containers[0].image === image && (s.availableReplicas ?? 0) >= 1 && !s.unavailableReplicas && (s.updatedReplicas ?? 0) === (s.replicas ?? 0)) return Date.now();
      if (Date.now() - since > limitMs) return NaN;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const action: number[] = [];
  const baseline: number[] = [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-kustomize-'));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 ? (['baseline', 'action'] as const) : (['action', 'baseline'] as const)) {
        const ns = await createNamespace(cluster, `kustomize-bench-${side}`);
        await standIn.addNamespace(ns.name);
        const ws = path.join(root, `${side}-${round}`);
        const dir = path.join(ws, 'deploy');
        try {
          overlay(dir, ns.name, 'ok-1');
          const deploy = (): ReturnType<typeof runAction> =>
            runAction('kustomize-deploy', {
              inputs: { overlay: 'deploy', name: 'bench', timeout: '5m' },
              env: { KUBECONFIG: cluster.kubeconfig },
              context: { workspace: ws, repository: 'example-org/kardon' },
              pathPrepend: [path.dirname(kubectl)],
              timeoutMs: 600_000,
            });
          if (side === 'action') {
            if ((await deploy()).main.exitCode !== 0) throw new Error('the good deploy failed');
          } else if ((await run(kubectl, ['apply', '-k', dir], cluster.env)) !== 0) throw new Error('kubectl apply -k failed');
          await oldAvailable(ns.name, `${REPO}/web:ok-1`, Date.now(), 120_000);
          overlay(dir, ns.name, 'crash-2');
          const start = Date.now();
          // "Old available" counts only once the bad revision has been applied.
          const restored = (async () => {
            while ((await web(ns.name).catch(() => undefined))?.spec.template.spec.containers[0].image !== `${REPO}/web:crash-2`) await new Promise((r) => setTimeout(r, 50));
            return oldAvailable(ns.name, `${REPO}/web:ok-1`, start, 900_000);
          })();
          if (side === 'action') await deploy();
          else if ((await run('sh', ['-c', `"$0" apply -k "$1" && "$0" rollout status deployment/web --namespace "$2" --timeout ${BASELINE_TIMEOUT} || "$0" rollout undo deployment/web --namespace "$2"`, kubectl, dir, ns.name], cluster.env)) !== 0) throw new Error('the baseline script failed');
          const ms = (await restored) - start;
          (side === 'action' ? action : baseline).push(ms);
          console.log(`round ${round + 1} ${side}: ${(ms / 1000).toFixed(1)} s crash → old available`);
        } finally {
          await ns.cleanup().catch(() => undefined);
        }
      }
    }
  } finally {
    await standIn.stop();
    cluster.api.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  const a = median(action);
  const b = median(baseline);
  console.log(`kustomize-deploy crash → old available: median ${(a / 1000).toFixed(1)} s (goal ≤ 10 s) vs kubectl apply -k && rollout status --timeout ${BASELINE_TIMEOUT} || rollout undo: ${(b / 1000).toFixed(1)} s; ratio ×${(a / b).toFixed(2)}`);
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores; ${ROUNDS} alternating rounds`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
