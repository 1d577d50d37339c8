// Crash → last good release back, on the real control plane, Helm 3 and Helm 4: helm-deploy (the built bundle,
// a whole process as the runner starts it) vs `helm upgrade --atomic` (Helm 3) / `--rollback-on-failure` (Helm 4)
// `--wait --timeout 5m`, side by side in alternating rounds. The node stand-in writes kubelet statuses on a
// realistic schedule (first crash ~1 s after the container starts, back-off 10 s, 20 s, …). Prints medians and
// the ratio; no thresholds. BENCH_RUNS rounds (default 1: the baseline waits out its 5 min timeout),
// BENCH_BASELINE_TIMEOUT (Go duration, default 5m) for a quicker look.
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, runAction } from '../test/support/run-action.js';
import { loadStack } from '../test/support/stack.js';
import { Api, KUBECONFIG, NodePlayer, controlPlaneSkip } from '../test/integration/helm-deploy-node.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const BASELINE_TIMEOUT = process.env.BENCH_BASELINE_TIMEOUT ?? '5m';
const CHART = path.join(ROOT, 'examples', 'chart');
const stack = loadStack();
const skip = stack ? controlPlaneSkip() : 'test stack not running';

function helm(bin: string, args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, KUBECONFIG } }, (err, _stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }));
  });
}

/** A namespace with revision 1 healthy, the node stand-in playing; returns a cleanup. */
async function prepared(api: Api, bin: string, name: string): Promise<{ ns: string; done: () => Promise<void> }> {
  const ns = `helm-bench-${name}-${process.pid % 10000}`;
  await api.createNamespace(ns);
  const node = new NodePlayer(api, ns, { readyAfterMs: 1000, tickMs: 200 });
  await node.start();
  const first = await helm(bin, ['upgrade', 'web', CHART, '--install', '--namespace', ns, '--set', 'image.tag=v1', '--wait', '--timeout', '2m']);
  if (first.code !== 0) throw new Error(`first install failed: ${first.stderr}`);
  return {
    ns,
    done: async () => {
      node.stop();
      await api.deleteNamespace(ns);
    },
  };
}

async function ours(api: Api, bin: string, major: number, round: number): Promise<number> {
  const { ns, done } = await prepared(api, bin, `ours-${major}-${round}`);
  try {
    const run = await runAction('helm-deploy', {
      inputs: { release: 'web', namespace: ns, chart: 'examples/chart', set: 'image.repository=127.0.0.1:5000/app-crash\nimage.tag=v2', timeout: '5m' },
      env: { KUBECONFIG },
      pathPrepend: [path.dirname(bin)],
      timeoutMs: 400_000,
    });
    if (run.outputs['rolled-back'] !== 'true') throw new Error(`helm-deploy did not roll back:\n${run.main.stdout.slice(-3000)}`);
    return run.main.durationMs ?? Number.NaN;
  } finally {
    await done();
  }
}

async function baseline(api: Api, bin: string, major: number, round: number): Promise<number> {
  const { ns, done } = await prepared(api, bin, `base-${major}-${round}`);
  try {
    const started = performance.now();
    const r = await helm(bin, ['upgrade', 'web', CHART, '--install', '--namespace', ns, '--set', 'image.repository=127.0.0.1:5000/app-crash', '--set', 'image.tag=v2', major === 3 ? '--atomic' : '--rollback-on-failure', major === 3 ? '--wait' : '--wait=watcher', '--timeout', BASELINE_TIMEOUT]);
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
  const api = new Api();
  console.log(`helm-deploy: upgrade to a crash-looping image → last good release back (whole processes; ${RUNS} round(s); load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  for (const major of [3, 4] as const) {
    const bin = major === 3 ? stack!.helm3 : stack!.helm4;
    const a: number[] = [];
    const b: number[] = [];
    for (let round = 0; round < RUNS; round++) {
      a.push(await ours(api, bin, major, round));
      b.push(await baseline(api, bin, major, round));
    }
    const o = median(a);
    const base = median(b);
    console.log(`  Helm ${major}: helm-deploy ${(o / 1000).toFixed(1)} s (runs: ${a.map((x) => (x / 1000).toFixed(1)).join(', ')}) vs helm upgrade ${major === 3 ? '--atomic' : '--rollback-on-failure'} --timeout ${BASELINE_TIMEOUT} ${(base / 1000).toFixed(1)} s: ×${(o / base).toFixed(3)}`);
  }
  console.log(`  load after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  api.close();
}
