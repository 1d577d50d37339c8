// helm-deploy (the built bundle) on real Helm 3 and Helm 4 against the real API server, with the node stand-in
// playing the kubelet for examples/chart: what used to be replayed by stand-in `helm`/`kubectl` (rollouts, crash
// loops, image pulls that fail, rollbacks, history, failed first installs, releases left pending) now happens on
// the control plane, and every check reads the real end state back (`helm history`, `helm get manifest`, pods).
// The stand-in's behaviour is chosen by image tag (`app:<tag>`): crash…, pull-fail…, stuck… (never starts), else ready.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Behaviour, Pod } from '../support/cluster.js';
import { NodeStandIn, clusterSkip, createNamespace, kubectl, loadCluster, waitFor } from '../support/cluster.js';
import type { ActionRun } from '../support/run-action.js';
import { ROOT, runAction } from '../support/run-action.js';
import { loadStack } from '../support/stack.js';

const stack = loadStack();
const cluster = loadCluster();
const skip = clusterSkip(cluster) || (stack ? false : 'test stack not running (npm run stack)');
const CHART = path.join(ROOT, 'examples', 'chart');
const SECRET_ENV = 's3cr3t-from-values';

const behaviour = (pod: Pod): Behaviour => {
  const tag = pod.spec.containers[0]?.image.split(':').pop() ?? '';
  if (tag.startsWith('crash')) return { kind: 'crash', runMs: 500, backoffMs: 2000 };
  if (tag.startsWith('pull-fail')) return { kind: 'image-pull-fail', backoffMs: 2000 };
  if (tag.startsWith('stuck')) return { kind: 'pending' };
  return { kind: 'ready', readyAfterMs: 500 };
};
const standIn = cluster ? new NodeStandIn(cluster, { namespaces: [], name: 'helm-cluster', behaviour }) : undefined;

interface HistoryEntry {
  revision: number;
  status: string;
  description: string;
}

before(async () => {
  if (!skip) await standIn?.start();
});
after(async () => {
  await standIn?.stop();
  cluster?.api.close();
});

/**
 * Until a pod of `tag` waits in CrashLoopBackOff after its third restart: its back-off (8 s, doubling) outlasts
 * the action's start, so a mode-rollback run that looks at the pods once still finds it failing.
 */
async function inBackOff(ns: string, tag: string): Promise<void> {
  const backingOff = (p: Pod): boolean => p.spec.containers[0].image.endsWith(`:${tag}`) && p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' && (p.status.containerStatuses[0].restartCount ?? 0) >= 3;
  await waitFor(`a ${tag} pod in CrashLoopBackOff`, async () => (await cluster!.api.list<Pod>(`/api/v1/namespaces/${ns}/pods`)).items.some(backingOff), 90_000, 250);
}

const states = (h: HistoryEntry[]): string[] => h.map((e) => `${e.revision}:${e.status}`);

describe('helm-deploy on the control plane', { skip, concurrency: 2 }, () => {
  for (const major of [3, 4] as const) {
    const bin = (): string => (major === 3 ? stack!.helm3 : stack!.helm4);
    interface Env {
      ns: string;
      deploy: (inputs?: Record<string, string>) => Promise<ActionRun>;
      helm: (args: string[]) => Promise<{ status: number; stdout: string; stderr: string }>;
      history: () => Promise<HistoryEntry[]>;
      image: () => Promise<string | undefined>;
    }
    const withRelease = async (name: string, body: (e: Env) => Promise<void>): Promise<void> => {
      const namespace = await createNamespace(cluster!, `helm-cluster-${name}-${major}`);
      const ns = namespace.name;
      await standIn!.addNamespace(ns);
      const helm = async (args: string[]): Promise<{ status: number; stdout: string; stderr: string }> => {
        const r = await kubectl(cluster!, [...args, '--namespace', ns], { bin: bin(), timeoutMs: 180_000 });
        return { ...r, status: r.status ?? 1 };
      };
      const e: Env = {
        ns,
        deploy: (inputs = {}) =>
          runAction('helm-deploy', {
            inputs: { release: 'web', namespace: ns, chart: 'examples/chart', timeout: '3m', 'poll-interval': '500ms', ...inputs, set: ['replicaCount=1', `env.DATABASE_URL=${SECRET_ENV}`, ...(inputs.set ? [inputs.set] : [])].join('\n') },
            env: { KUBECONFIG: cluster!.kubeconfig },
            pathPrepend: [path.dirname(bin())],
            timeoutMs: 240_000,
          }),
        helm,
        history: async () => {
          const r = await helm(['history', 'web', '--output', 'json']);
          if (r.status !== 0 && /not found/.test(r.stderr)) return [];
          assert.equal(r.status, 0, r.stderr);
          return (JSON.parse(r.stdout) as HistoryEntry[]).sort((a, b) => a.revision - b.revision);
        },
        image: async () => /image: "?(ghcr\.io\/acme\/app:[\w.-]+)"?/.exec((await helm(['get', 'manifest', 'web'])).stdout)?.[1],
      };
      try {
        await body(e);
      } finally {
        await namespace.cleanup();
      }
    };
    /** Plain `helm upgrade --install` without waiting: a revision recorded deployed whatever its pods do. */
    const helmUpgrade = async (e: Env, tag: string): Promise<void> => {
      const r = await e.helm(['upgrade', 'web', CHART, '--install', '--set', `image.tag=${tag},replicaCount=1,env.DATABASE_URL=${SECRET_ENV}`]);
      assert.equal(r.status, 0, r.stderr);
    };

    it(`Helm ${major}: installs a release and reports it healthy, printing no value`, async () => {
      await withRelease('install', async (e) => {
        const run = await e.deploy({ set: 'image.tag=v1', 'set-sensitive': 'apiToken=hunter2-value' });
        assert.equal(run.main.exitCode, 0, run.main.stdout);
        assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['previous-revision'], run.outputs['rolled-back']], ['deployed', '1', '', 'false']);
        assert.equal(run.outputs['helm-version'], major === 3 ? 'v3.17.3' : 'v4.1.4');
        assert.deepEqual(states(await e.history()), ['1:deployed']);
        assert.equal(await e.image(), 'ghcr.io/acme/app:v1');
        assert.match(run.summary, /helm-deploy deploy: `web`/);
        assert.match(run.summary, /Deployment \| web-app/);
        assert.ok(!run.visibleOutput.includes('hunter2-value'), 'a set-sensitive value is never printed (only masked)');
        assert.ok(!run.allOutput.includes(SECRET_ENV), 'a set value is never printed');
      });
    });

    it(`Helm ${major}: rolls back crash-looping pods without waiting out the timeout, with diagnostics, env values hidden`, async () => {
      await withRelease('crash', async (e) => {
        assert.equal((await e.deploy({ set: 'image.tag=v1' })).main.exitCode, 0);
        const diagnostics = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-cluster-diag-'));
        const run = await e.deploy({ set: 'image.tag=crash-v2', timeout: '5m', 'crash-checks': '2', 'diagnostics-path': path.relative(ROOT, diagnostics) });
        assert.equal(run.main.exitCode, 1, run.main.stdout);
        assert.match(run.main.stdout, /ending the wait now instead of waiting out the timeout/);
        assert.match(run.main.stdout, /::error::Pods failing .*(CrashLoopBackOff|Error).*; rolled back to revision 1 \(live as revision 3\)/);
        assert.equal(run.main.stdout.match(/^::error/gm)?.length, 1);
        const history = await e.history();
        assert.deepEqual([history.at(-1)?.revision, history.at(-1)?.status, history.at(-1)?.description], [3, 'deployed', 'Rollback to 1']);
        assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['previous-revision'], run.outputs['rolled-back']], ['deployed', '3', '1', 'true']);
        assert.equal(await e.image(), 'ghcr.io/acme/app:v1');
        assert.equal(run.outputs['diagnostics-path'], diagnostics);
        const files = fs.readdirSync(diagnostics);
        for (const f of ['events.txt', 'helm-history.json', 'helm-status.json', 'failing-pods.json']) assert.ok(files.includes(f), `${f} in diagnostics: ${files.join(', ')}`);
        const described = files.filter((f) => /^pod-web-app-[\w-]+-describe\.txt$/.test(f));
        assert.ok(described.length >= 1, `a crash-looping pod described: ${files.join(', ')}`);
        const text = fs.readFileSync(path.join(diagnostics, described[0]), 'utf8');
        assert.match(text, /Reason: +CrashLoopBackOff/);
        // The tag came from `set`: set values are hidden from every tool output, this description included.
        assert.match(text, /Image: +ghcr\.io\/acme\/app:\*\*\*/);
        assert.match(text, /DATABASE_URL: +<value hidden by helm-deploy>/);
        for (const f of files) assert.ok(!fs.readFileSync(path.join(diagnostics, f), 'utf8').includes(SECRET_ENV), `${f} holds no value`);
        assert.ok(!run.allOutput.includes(SECRET_ENV));
        assert.match(run.summary, /Failing containers/);
        fs.rmSync(diagnostics, { recursive: true, force: true });
      });
    });

    it(`Helm ${major}: an image that cannot be pulled is rolled back`, async () => {
      await withRelease('pull', async (e) => {
        assert.equal((await e.deploy({ set: 'image.tag=v1' })).main.exitCode, 0);
        const run = await e.deploy({ set: 'image.tag=pull-fail-v2', timeout: '5m', 'crash-checks': '2' });
        assert.equal(run.main.exitCode, 1, run.main.stdout);
        assert.match(run.main.stdout, /::error::Pods failing .*(ErrImagePull|ImagePullBackOff).*; rolled back to revision 1/);
        assert.deepEqual([run.outputs.status, run.outputs['rolled-back']], ['deployed', 'true']);
        const history = await e.history();
        assert.equal(run.outputs.revision, String(history.at(-1)?.revision));
        assert.deepEqual([history.at(-1)?.status, history.at(-1)?.description], ['deployed', 'Rollback to 1']);
        assert.equal(await e.image(), 'ghcr.io/acme/app:v1');
      });
    });

    it(`Helm ${major}: a first install whose pods crash-loop is uninstalled, and says so`, async () => {
      await withRelease('first', async (e) => {
        const run = await e.deploy({ set: 'image.tag=crash-v1', 'crash-checks': '2' });
        assert.equal(run.main.exitCode, 1, run.main.stdout);
        assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['rolled-back']], ['uninstalled', '', 'true']);
        assert.match(run.main.stdout, /failed first install was uninstalled/);
        assert.deepEqual(await e.history(), [], 'the release is gone');
        const deployments = await cluster!.api.list(`/apis/apps/v1/namespaces/${e.ns}/deployments`);
        assert.deepEqual(deployments.items, []);
      });
    });

    it(`Helm ${major}: a first install that never becomes ready times out; Helm uninstalls it and the run says so`, async () => {
      await withRelease('first-timeout', async (e) => {
        const run = await e.deploy({ set: 'image.tag=stuck-v1', timeout: '20s' });
        assert.equal(run.main.exitCode, 1, run.main.stdout);
        assert.deepEqual([run.outputs.status, run.outputs['rolled-back']], ['uninstalled', 'true']);
        assert.match(run.main.stdout, /failed first install was uninstalled/);
        assert.deepEqual(await e.history(), [], 'the release is gone');
      });
    });

    it(`Helm ${major}: keep-failed-install keeps a crash-looping first install, failed`, async () => {
      await withRelease('keep', async (e) => {
        const run = await e.deploy({ set: 'image.tag=crash-v1', 'crash-checks': '2', 'keep-failed-install': 'true', timeout: '40s' });
        assert.equal(run.main.exitCode, 1, run.main.stdout);
        const history = await e.history();
        assert.equal(history.length, 1, JSON.stringify(history));
        assert.equal(run.outputs.status, history[0].status);
        assert.equal(run.outputs['rolled-back'], 'false');
        assert.ok(['failed', 'deployed'].includes(history[0].status), `kept: ${JSON.stringify(history)}`);
        assert.ok(await cluster!.api.tryGet(`/apis/apps/v1/namespaces/${e.ns}/deployments/web-app`), 'the Deployment is kept for inspection');
      });
    });

    it(`Helm ${major}: a release left pending-upgrade is refused while recent, then recovered and upgraded`, async () => {
      await withRelease('pending', async (e) => {
        await helmUpgrade(e, 'v1');
        // A deploy killed while Helm waits: the revision stays pending-upgrade.
        const killed = spawn(bin(), ['upgrade', 'web', CHART, '--namespace', e.ns, '--set', 'image.tag=stuck-v2,replicaCount=1', '--wait', '--timeout', '3m'], { env: { ...process.env, KUBECONFIG: cluster!.kubeconfig }, stdio: 'ignore' });
        try {
          await waitFor('revision 2 pending-upgrade', async () => (await e.history()).at(-1)?.status === 'pending-upgrade', 60_000, 500);
        } finally {
          killed.kill('SIGKILL');
        }
        const refused = await e.deploy({ set: 'image.tag=v3', 'pending-threshold': '1h' });
        assert.equal(refused.main.exitCode, 1);
        assert.match(refused.main.stdout, /another deploy is probably running/);
        assert.deepEqual([refused.outputs.status, refused.outputs.revision, refused.outputs['previous-revision'], refused.outputs['rolled-back']], ['pending-upgrade', '2', '1', 'false'], 'what helm history shows');
        assert.deepEqual(states(await e.history()), ['1:deployed', '2:pending-upgrade'], 'nothing touched');
        assert.match(refused.summary, /❌ helm-deploy deploy/);
        assert.match(refused.summary, /\*\*Error:\*\* Release web: revision 2 has been pending-upgrade/);
        assert.equal(refused.main.stdout.match(/^::error/gm)?.length, 1);

        await new Promise((r) => setTimeout(r, 2000));
        const run = await e.deploy({ set: 'image.tag=v3', 'pending-threshold': '1s' });
        assert.equal(run.main.exitCode, 0, run.main.stdout);
        assert.match(run.main.stdout, /Recovering release web: revision 2 was left pending-upgrade/);
        const history = await e.history();
        assert.deepEqual([history.at(-2)?.description, history.at(-1)?.status], ['Rollback to 1', 'deployed']);
        assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['previous-revision']], ['deployed', String(history.at(-1)?.revision), '1'], 'previous-revision: live before the run, not the recovery');
        assert.equal(await e.image(), 'ghcr.io/acme/app:v3');
      });
    });

    it(`Helm ${major}: mode rollback goes back to the previous revision, and a second run changes nothing`, async () => {
      await withRelease('rollback', async (e) => {
        await helmUpgrade(e, 'v1');
        await helmUpgrade(e, 'v2');
        const first = await e.deploy({ mode: 'rollback', chart: '' });
        assert.equal(first.main.exitCode, 0, first.main.stdout);
        assert.deepEqual([first.outputs.status, first.outputs.revision, first.outputs['rolled-back']], ['deployed', '3', 'true']);
        assert.deepEqual(states(await e.history()), ['1:superseded', '2:superseded', '3:deployed']);
        assert.equal(await e.image(), 'ghcr.io/acme/app:v1');
        const second = await e.deploy({ mode: 'rollback', chart: '' });
        assert.equal(second.main.exitCode, 0, second.main.stdout);
        assert.match(second.main.stdout, /already rolled back/);
        assert.deepEqual([second.outputs.revision, second.outputs['rolled-back']], ['3', 'false']);
        assert.equal((await e.history()).length, 3);
      });
    });

    it(`Helm ${major}: mode rollback describes the crash-looping pods (env values hidden) before rolling them away`, async () => {
      await withRelease('rollback-diag', async (e) => {
        await helmUpgrade(e, 'v1');
        await helmUpgrade(e, 'crash-v2');
        await inBackOff(e.ns, 'crash-v2');
        const diagnostics = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-cluster-rb-'));
        const run = await e.deploy({ mode: 'rollback', chart: '', revision: '1', 'diagnostics-path': path.relative(ROOT, diagnostics) });
        assert.equal(run.main.exitCode, 0, run.main.stdout);
        assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['rolled-back']], ['deployed', '3', 'true']);
        assert.equal(await e.image(), 'ghcr.io/acme/app:v1');
        const files = fs.readdirSync(diagnostics);
        const described = files.filter((f) => /^pod-web-app-[\w-]+-describe\.txt$/.test(f));
        assert.ok(described.length >= 1 && files.includes('helm-history.json') && files.includes('events.txt'), files.join(', '));
        const text = fs.readFileSync(path.join(diagnostics, described[0]), 'utf8');
        assert.match(text, /app:crash-v2/, 'the pod described is the crash-looping one, taken before the rollback replaced it');
        assert.match(text, /DATABASE_URL: +<value hidden by helm-deploy>/);
        const recorded = JSON.parse(fs.readFileSync(path.join(diagnostics, 'helm-history.json'), 'utf8')) as HistoryEntry[];
        assert.deepEqual([recorded.at(-1)?.revision, recorded.at(-1)?.description], [3, 'Rollback to 1'], 'history recorded after the rollback');
        assert.ok(!run.allOutput.includes(SECRET_ENV));
        assert.match(run.summary, /helm-deploy rollback: `web`/);
        assert.match(run.summary, /Failing containers/);
        fs.rmSync(diagnostics, { recursive: true, force: true });
      });
    });

    it(`Helm ${major}: mode rollback uninstalls a broken first install, or keeps it with keep-failed-install and fails`, async () => {
      await withRelease('rollback-first', async (e) => {
        await helmUpgrade(e, 'crash-v1');
        const kept = await e.deploy({ mode: 'rollback', chart: '', 'keep-failed-install': 'true' });
        assert.equal(kept.main.exitCode, 1);
        assert.match(kept.main.stdout, /keep-failed-install is true, so revision 1 stays/);
        assert.equal(kept.outputs['rolled-back'], 'false');
        assert.deepEqual(states(await e.history()), ['1:deployed']);
        const run = await e.deploy({ mode: 'rollback', chart: '' });
        assert.equal(run.main.exitCode, 0, run.main.stdout);
        assert.match(run.main.stdout, /no good revision before revision 1/);
        assert.deepEqual([run.outputs.status, run.outputs['rolled-back']], ['uninstalled', 'true']);
        assert.deepEqual(await e.history(), []);
      });
    });

    it(`Helm ${major}: a rollback that cannot finish (its target never becomes ready) fails, says so, with diagnostics; outputs = helm history`, async () => {
      await withRelease('rollback-fails', async (e) => {
        // Revision 1 was recorded without waiting: its pod never leaves ContainerCreating.
        await helmUpgrade(e, 'stuck-v1');
        const run = await e.deploy({ set: 'image.tag=crash-v2', timeout: '30s', 'crash-checks': '2' });
        assert.equal(run.main.exitCode, 1, run.main.stdout);
        assert.match(run.main.stdout, /ending the wait now instead of waiting out the timeout/);
        assert.match(run.main.stdout, /Rollback failed too/);
        const history = await e.history();
        const latest = history.at(-1)!;
        assert.equal(run.outputs.status, latest.status, JSON.stringify(history));
        assert.equal(run.outputs.revision, String(latest.revision));
        assert.equal(run.outputs['rolled-back'], 'false');
        assert.ok(fs.existsSync(path.join(run.outputs['diagnostics-path'], 'events.txt')));
        assert.match(run.summary, /Diagnostics/);
        assert.equal(run.main.stdout.match(/^::error/gm)?.length, 1);
      });
    });

    it(`Helm ${major}: mode rollback whose target never becomes ready fails, with diagnostics in the default folder; outputs = helm history`, async () => {
      await withRelease('rollback-mode-fails', async (e) => {
        await helmUpgrade(e, 'stuck-v1');
        await helmUpgrade(e, 'crash-v2');
        await inBackOff(e.ns, 'crash-v2');
        const run = await e.deploy({ mode: 'rollback', chart: '', timeout: '20s' });
        assert.equal(run.main.exitCode, 1, run.main.stdout);
        assert.match(run.main.stdout, /Rollback of web from revision 2 to 1 failed/);
        const history = await e.history();
        // Helm records the rollback it could not finish as a failed revision 3 (revision 1's manifest, applied):
        // that is what `helm status` and the outputs say, not the revision 2 it replaced.
        const latest = history.at(-1)!;
        assert.deepEqual([latest.revision, latest.status], [3, 'failed'], JSON.stringify(history));
        assert.equal(run.outputs['rolled-back'], 'false');
        assert.deepEqual([run.outputs.status, run.outputs.revision], ['failed', '3']);
        const dir = run.outputs['diagnostics-path'];
        assert.equal(path.basename(dir), 'helm-deploy-rollback-diagnostics-web');
        const files = fs.readdirSync(dir);
        assert.ok(files.includes('helm-history.json') && files.includes('events.txt') && files.some((f) => /^pod-web-app-[\w-]+-describe\.txt$/.test(f)), files.join(', '));
        assert.match(run.summary, /#### Diagnostics/);
        assert.match(run.summary, /\*\*Error:\*\* Rollback of web/);
      });
    });
  }
});
