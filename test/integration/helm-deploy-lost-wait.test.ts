// helm-deploy (the built bundle) on real Helm 4 (and Helm 3) against the real API server, reached through a TCP
// proxy, with the node stand-in playing the pods: Helm 4's watcher loses its wait and the action's own view of the
// rollout ends it.
//
// How Helm 4 (v4.1.x, kstatus watcher) loses its wait, as observed on this control plane: each watch event of the
// Deployment makes the watcher compute the Deployment's status, which lists its ReplicaSets and pods with fresh API
// calls. When those calls fail because the API server went away, the status becomes Unknown; after the outage the
// reflector re-opens its watch from the last resource version (a connection refused is retried without a re-list),
// so nothing recomputes the status unless the Deployment changes again. A rollout that completed just as the outage
// began therefore stays Unknown to Helm until `--timeout` (a plain Helm 4 run was still waiting 60 s after the
// outage, with the rollout complete). A plain 20 s outage rarely lands in that window — the status calls take
// milliseconds — so this test opens it on purpose: the proxy first stops passing on what the client sends (the
// server's watch events still arrive: the Deployment's last updates reach Helm, its status calls do not reach the
// server), and once the rollout is complete the connections are reset for 20 s, failing those calls. Helm 3's
// wait polls, so the same outage is ridden out by Helm itself: no lost wait, deployed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeStandIn, byImage, clusterSkip, createNamespace, kubectl, loadCluster, waitFor } from '../support/cluster.js';
import type { KubeObject, Pod } from '../support/cluster.js';
import { ROOT, runAction } from '../support/run-action.js';
import { loadStack } from '../support/stack.js';
import { TcpProxy, kubeconfigThroughProxy } from '../support/tcp-proxy.js';

const stack = loadStack();
const cluster = loadCluster();
const skip = clusterSkip(cluster) || (stack ? false : 'test stack not running (npm run stack)');
const OUTAGE_MS = 20_000;
const ROLLOUT_MS = 4_000;
const RETRY_BUDGET_MS = 60_000;
const CHART = path.join(ROOT, 'examples', 'chart');

interface HistoryEntry {
  revision: number;
  status: string;
  description: string;
}

interface Deployment extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number };
  spec: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

/** Rolled out as kstatus counts it: the new generation observed, every replica updated and available, no old one left. */
function rolledOut(d: Deployment): boolean {
  const want = d.spec.replicas ?? 1;
  const s = d.status ?? {};
  return s.observedGeneration === d.metadata.generation && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
}

describe('helm-deploy when an API-server outage makes Helm 4 lose its wait', { skip, concurrency: 1 }, () => {
  const standIn = cluster ? new NodeStandIn(cluster, { namespaces: [], name: 'helm-lost-wait', behaviour: byImage({}, { kind: 'ready', readyAfterMs: ROLLOUT_MS }) }) : undefined;
  before(async () => {
    await standIn?.start();
  });
  after(async () => {
    await standIn?.stop();
    cluster?.api.close();
  });

  for (const major of [4, 3] as const) {
    const title = major === 4
      ? 'Helm 4: the lost wait is ended from the action\'s own view of the rollout, the revision recorded deployed; exit, outputs and helm history agree'
      : 'Helm 3 (polling wait) rides the same outage out by itself: deployed, no lost wait; exit, outputs and helm history agree';
    it(title, async (t) => {
      const helmBin = major === 4 ? stack!.helm4 : stack!.helm3;
      const namespace = await createNamespace(cluster!, 'helm-lost-wait');
      const ns = namespace.name;
      await standIn!.addNamespace(ns);
      const proxy = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(cluster!.server).port) });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-lost-wait-'));
      try {
        await proxy.start();
        const kubeconfig = path.join(dir, 'kubeconfig');
        kubeconfigThroughProxy(cluster!.kubeconfig, kubeconfig, proxy);
        const bin = path.join(dir, 'bin');
        fs.mkdirSync(bin);
        fs.symlinkSync(helmBin, path.join(bin, 'helm'));
        fs.symlinkSync(path.join(path.dirname(helmBin), 'kubectl'), path.join(bin, 'kubectl'));
        const first = await kubectl(cluster!, ['upgrade', 'web', CHART, '--install', '--namespace', ns, '--set', 'image.tag=v1,replicaCount=1', '--wait', '--timeout', '2m'], { bin: helmBin, timeoutMs: 180_000 });
        assert.equal(first.status, 0, first.stderr);

        // Helm's own --timeout (5m) is far beyond the kill switch: only the action's view of the rollout can end it in time.
        const killSwitch = ROLLOUT_MS + OUTAGE_MS + RETRY_BUDGET_MS + 60_000;
        const started = Date.now();
        const running = runAction('helm-deploy', {
          inputs: { release: 'web', namespace: ns, chart: 'examples/chart', set: 'image.tag=v2\nreplicaCount=1', timeout: '5m', 'retry-budget': `${RETRY_BUDGET_MS / 1000}s`, 'poll-interval': '1s' },
          env: { KUBECONFIG: kubeconfig },
          pathPrepend: [bin],
          timeoutMs: killSwitch,
        });
        let ended = false;
        void running.finally(() => (ended = true));

        // The new pod is bound; a second before the stand-in makes it ready, the request path goes dark.
        await waitFor(
          'the v2 pod bound to the node',
          async () => (await cluster!.api.list<Pod>(`/api/v1/namespaces/${ns}/pods`)).items.find((p) => p.spec.nodeName && p.spec.containers.some((c) => c.image.endsWith(':v2'))),
          90_000,
          100,
        );
        const boundAt = Date.now();
        assert.ok(!ended, 'the action is still waiting for the rollout');
        await new Promise((r) => setTimeout(r, ROLLOUT_MS - 1000));
        proxy.holdRequests();
        // Once the rollout is complete (and has stayed so for a moment: the Deployment's last updates reached Helm's
        // watch), the outage: every connection reset, none accepted for 20 s.
        let completeSince = 0;
        await waitFor(
          'the rollout complete in the API server',
          async () => {
            const d = await cluster!.api.get<Deployment>(`/apis/apps/v1/namespaces/${ns}/deployments/web-app`);
            completeSince = rolledOut(d) ? completeSince || Date.now() : 0;
            return completeSince > 0 && Date.now() - completeSince >= 1500;
          },
          60_000,
          100,
        );
        await proxy.stop();
        const outageFrom = Date.now();
        await new Promise((r) => setTimeout(r, OUTAGE_MS));
        await proxy.start();
        const outageTo = Date.now();
        const result = await running;
        const endedAt = Date.now();
        await proxy.close();
        const log = result.main.stdout;
        t.diagnostic(
          `v2 pod bound ${((boundAt - started) / 1000).toFixed(1)} s after the start; outage ${((outageFrom - started) / 1000).toFixed(1)}–${((outageTo - started) / 1000).toFixed(1)} s; action exit ${result.main.exitCode} at ${((endedAt - started) / 1000).toFixed(1)} s (${((endedAt - outageTo) / 1000).toFixed(1)} s after the outage)`,
        );

        assert.equal(result.main.exitCode, 0, log.slice(-4000));
        if (major === 4) {
          // The lost-wait path was taken: the guard ended Helm's wait, then the revision Helm left pending was finished.
          assert.match(log, /the tool is still waiting \(its watch was lost in the outage\): ending its wait/);
          assert.match(log, /Revision 2 is rolled out but Helm left it pending-upgrade: recording it as deployed \(helm rollback web 2\)/);
        } else {
          assert.doesNotMatch(log, /its watch was lost in the outage/);
        }

        const h = await kubectl(cluster!, ['history', 'web', '--namespace', ns, '--output', 'json'], { bin: helmBin });
        assert.equal(h.status, 0, h.stderr);
        const history = (JSON.parse(h.stdout) as HistoryEntry[]).sort((a, b) => a.revision - b.revision);
        const latest = history[history.length - 1];
        if (major === 4) {
          // Helm's rollback supersedes only deployed revisions: revision 2 keeps the status Helm's killed upgrade left,
          // revision 3 (its manifest, recorded by `helm rollback web 2`) is what runs.
          assert.deepEqual(
            history.map((e) => `${e.revision}:${e.status}`),
            ['1:superseded', '2:pending-upgrade', '3:deployed'],
          );
          assert.match(latest.description, /^Rollback to 2/);
        } else {
          assert.deepEqual(
            history.map((e) => `${e.revision}:${e.status}`),
            ['1:superseded', '2:deployed'],
          );
        }
        // Outputs are what helm history shows at the end, and the exit agrees with them.
        assert.equal(result.outputs.status, 'deployed');
        assert.equal(result.outputs.revision, String(latest.revision));
        assert.equal(result.outputs['previous-revision'], '1');
        assert.equal(result.outputs['rolled-back'], 'false');
        const manifest = await kubectl(cluster!, ['get', 'manifest', 'web', '--namespace', ns], { bin: helmBin });
        assert.match(manifest.stdout, /image: "?ghcr\.io\/acme\/app:v2"?/);

        // The release is not left blocked: the next deploy, with the API server up, is an ordinary upgrade.
        const next = await runAction('helm-deploy', {
          inputs: { release: 'web', namespace: ns, chart: 'examples/chart', set: 'image.tag=v3\nreplicaCount=1', timeout: '2m', 'poll-interval': '1s' },
          env: { KUBECONFIG: cluster!.kubeconfig },
          pathPrepend: [bin],
        });
        assert.equal(next.main.exitCode, 0, next.main.stdout.slice(-3000));
        assert.equal(next.outputs.status, 'deployed');
        assert.equal(next.outputs.revision, String(latest.revision + 1));
        assert.equal(next.outputs['previous-revision'], String(latest.revision));
      } finally {
        await proxy.close();
        await namespace.cleanup();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
