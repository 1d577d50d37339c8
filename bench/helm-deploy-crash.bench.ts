// Crash → last good release back, on the real control plane, Helm 3 and Helm 4: helm-deploy (the built bundle,
// a whole process as the runner starts it) vs `helm upgrade --atomic` (Helm 3) / `--rollback-on-failure` (Helm 4)
// `--wait --timeout 5m`, side by side in alternating rounds. The node stand-in writes kubelet statuses on a
// realistic schedule (first crash ~1 s after the container starts, back-off 10 s, 20 s, …). Prints medians and
// the ratio; no thresholds. BENCH_RUNS rounds (default 1: the baseline waits out its 5 min timeout),
// BENCH_BASELINE_TIMEOUT (Go duration, default 5m) for a quicker look, BENCH_LOG=1 for each run's log with
// per-line timestamps (bench/stamp-stdout.cjs preloaded).
import * as os from 'node:os';
import * as path from 'node:path';
import type { Cluster, NodeStandIn as StandIn } from '../test/support/cluster.js';
import { NodeStandIn, byImage, clusterSkip, createNamespace, kubectl, loadCluster } from '../test/support/cluster.js';
import { ROOT, runAction } from '../test/support/run-action.js';
import { loadStack } from '../test/support/stack.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const BASELINE_TIMEOUT = process.env.BENCH_BASELINE_TIMEOUT ?? '5m';
/** BENCH_LOG=1 prints each helm-deploy run's log, every line stamped with the seconds since its process started (a phase breakdown). */
const LOG = process.env.BENCH_LOG === '1';
const STAMP = path.join(ROOT, 'bench', 'stamp-stdout.cjs');
const CHART = path.join(ROOT, 'examples', 'chart');
const stack = loadStack();
const cluster = loadCluster();
const skip = clusterSkip(cluster) || (stack ? false : 'test stack not running');

async function helm(c: Cluster, bin: string, args: string[]): Promise<{ code: number; stderr: string }> {
  const r = await kubectl(c, args, { bin, timeoutMs: 900_000 });
  return { code: r.status ?? 1, stderr: r.stderr };
}

/** A namespace with revision 1 healthy, the node stand-in playing its pods; returns a cleanup. */
async function prepared(c: Cluster, node: StandIn, bin: string, name: string): Promise<{ ns: string; done: () => Promise<void> }> {
  const namespace = await createNamespace(c, `helm-bench-${name}`);
  const ns = namespace.name;
  await node.addNamespace(ns);
  const first = await helm(c, bin, ['upgrade', 'web', CHART, '--install', '--namespace', ns, '--set', 'image.tag=v1', '--wait', '--timeout', '2m']);
  if (first.code !== 0) throw new Error(`first install failed: ${first.stderr}`);
  return {
    ns,
    done: () => namespace.cleanup(),
  };
}

async function ours(c: Cluster, node: StandIn, bin: string, major: number, round: number): Promise<number> {
  const { ns, done } = await prepared(c, node, bin, `ours-${major}-${round}`);
  try {
    const run = await runAction('helm-deploy', {
      inputs: { release: 'web', namespace: ns, chart: 'examples/chart', set: 'image.repository=127.0.0.1:5000/app-crash\nimage.tag=v2', timeout: '5m' },
      env: { KUBECONFIG: c.kubeconfig, ...(LOG ? { NODE_OPTIONS: `--require ${STAMP}` } : {}) },
      pathPrepend: [path.dirname(bin)],
      timeoutMs: 400_000,
    });
    if (run.outputs['rolled-back'] !== 'true') throw new Error(`helm-deploy did not roll back:\n${run.main.stdout.slice(-3000)}`);
    if (LOG) console.log(`--- helm-deploy log (Helm ${major}, round ${round}) ---\n${run.main.stdout}\n--- end ---`);
    return run.main.durationMs ?? Number.NaN;
  } finally {
    await done();
  }
}

async function baseline(c: Cluster, node: StandIn, bin: string, major: number, round: number): Promise<number> {
  const { ns, done } = await prepared(c, node, bin, `base-${major}-${round}`);
  try {
    const started = performance.now();
    const r = await helm(c, bin, ['upgrade', 'web', CHART, '--install', '--namespace', ns, '--set', 'image.repository=127.0.0.1:5000/app-crash', '--set', 'image.tag=v2', major === 3 ? '--atomic' : '--rollback-on-failure', major === 3 ? '--wait' : '--wait=watcher', '--timeout', BASELINE_TIMEOUT]);
    if (r.code === 0) throw new Error('the crashing upgrade succeeded');
    return performance.now() - started;
  } finally {
    await done();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (skip) {
  console.log(`helm-deploy crash bench skipped: ${skip}`);
} else {
  const c = cluster!;
  // `…/app-crash` crash-loops on kubelet's back-off (first exit ~1 s after start); revision 1's image is ready after 1 s.
  const node = new NodeStandIn(c, { namespaces: [], name: 'helm-bench', behaviour: byImage({ '/app-crash:': { kind: 'crash' } }, { kind: 'ready', readyAfterMs: 1000 }) });
  await node.start();
  console.log(`helm-deploy: upgrade to a crash-looping image → last good release back (whole processes; ${RUNS} round(s); load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  for (const major of [3, 4] as const) {
    const bin = major === 3 ? stack!.helm3 : stack!.helm4;
    const a: number[] = [];
    const b: number[] = [];
    for (let round = 0; round < RUNS; round++) {
      a.push(await ours(c, node, bin, major, round));
      b.push(await baseline(c, node, bin, major, round));
    }
    const o = median(a);
    const base = median(b);
    console.log(`  Helm ${major}: helm-deploy ${(o / 1000).toFixed(1)} s (runs: ${a.map((x) => (x / 1000).toFixed(1)).join(', ')}) vs helm upgrade ${major === 3 ? '--atomic' : '--rollback-on-failure'} --timeout ${BASELINE_TIMEOUT} ${(base / 1000).toFixed(1)} s: ×${(o / base).toFixed(3)}`);
  }
  console.log(`  load after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await node.stop();
  c.api.close();
}
