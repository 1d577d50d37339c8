// kustomize-deploy's built bundle on the REAL control plane with the tests' node stand-in playing the kubelet
// (test/support/cluster.ts: ready, crash on the kubelet's back-off, image-pull failure, Jobs that succeed):
// migrations on purpose (`jobs: changed | never`: an unchanged migrator keeps its uid, a changed one runs before the
// Deployments), the rollback message after a migration, and a rollback without a record that goes back to the last
// revision that was available, not to a previous one that crashes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeObject, TestNamespace } from '../support/cluster.js';
import { NodeStandIn, byImage, clusterSkip, createNamespace, kubectl, loadCluster, waitFor } from '../support/cluster.js';
import type { ActionRun } from '../support/run-action.js';
import { runAction } from '../support/run-action.js';

const cluster = loadCluster();
const skip = clusterSkip(cluster) || (cluster?.kubectl ? false : 'test stack not running (npm run stack)');
const REPO = 'ghcr.io/example-org/kardon';
const standIn = cluster
  ? new NodeStandIn(cluster, {
      namespaces: [],
      name: 'kustomize',
      behaviour: byImage({ ':slow': { kind: 'ready', readyAfterMs: 20_000 }, ':late-crash': { kind: 'crash-after', afterMs: 30_000 }, ':crash': { kind: 'crash' }, ':badpull': { kind: 'image-pull-fail' }, ':job-ok': { kind: 'job-succeed', afterMs: 500 }, ':job-fail': { kind: 'job-fail' } }),
    })
  : undefined;
const namespaces: TestNamespace[] = [];
const roots: string[] = [];

before(async () => {
  if (!skip) await standIn?.start();
});
after(async () => {
  for (const ns of namespaces) await ns.cleanup().catch(() => undefined);
  await standIn?.stop();
  cluster?.api.close();
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

async function namespace(label: string): Promise<string> {
  if (!cluster || !standIn) throw new Error('no cluster');
  const ns = await createNamespace(cluster, `kustomize-${label}`);
  namespaces.push(ns);
  await standIn.addNamespace(ns.name);
  return ns.name;
}

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-rollout-'));
  roots.push(dir);
  return dir;
}

/** web (a Deployment), api config, and, when `migrator` is given, the migrator Job Kardon adds. */
function writeOverlay(ws: string, ns: string, o: { web: string; migrator?: string; minReadySeconds?: number }): string {
  const dir = path.join(ws, 'deploy');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'web.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  minReadySeconds: ${o.minReadySeconds ?? 0}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "${REPO}/web:${o.web}"}]
`,
  );
  if (o.migrator) {
    fs.writeFileSync(
      path.join(dir, 'migrator.yaml'),
      `apiVersion: batch/v1
kind: Job
metadata: {name: migrator}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrator, image: "${REPO}/migrator:${o.migrator}", args: [migrate]}]
`,
    );
  }
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `namespace: ${ns}\nresources: [web.yaml${o.migrator ? ', migrator.yaml' : ''}]\nconfigMapGenerator:\n  - name: web-config\n    literals: [WEB=${o.web}]\n`);
  return 'deploy';
}

function deploy(ws: string, overlay: string, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('kustomize-deploy', {
    inputs: { overlay, name: 'kardon', timeout: '90s', 'poll-interval': '500ms', 'crash-checks': '2', ...inputs },
    env: { KUBECONFIG: cluster?.kubeconfig },
    context: { workspace: ws, repository: 'example-org/kardon' },
    pathPrepend: [path.dirname(cluster?.kubectl ?? 'kubectl')],
    timeoutMs: 240_000,
  });
}

interface Job extends KubeObject {
  spec: { template: { spec: { containers: { image: string }[] } } };
  status?: { completionTime?: string };
}
interface Deployment extends KubeObject {
  spec: { template: { spec: { containers: { image: string }[] } } };
  status?: { availableReplicas?: number; updatedReplicas?: number; replicas?: number };
}

const getJob = (ns: string): Promise<Job> => cluster!.api.get<Job>(`/apis/batch/v1/namespaces/${ns}/jobs/migrator`);
const getWeb = (ns: string): Promise<Deployment> => cluster!.api.get<Deployment>(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
const webImage = async (ns: string): Promise<string> => (await getWeb(ns)).spec.template.spec.containers[0].image;

async function replicaSetCreated(ns: string, image: string): Promise<string> {
  const list = await cluster!.api.list<KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } }>(`/apis/apps/v1/namespaces/${ns}/replicasets`);
  const rs = list.items.find((r) => r.spec.template.spec.containers[0].image === image);
  assert.ok(rs, `a ReplicaSet runs ${image}`);
  return String(rs.metadata.creationTimestamp);
}

describe('kustomize-deploy with a node stand-in: migrations on purpose', { skip, concurrency: false }, () => {
  it('runs an unchanged migrator once (its Job keeps its uid), a changed one before the Deployments, none with jobs: never', async () => {
    const ns = await namespace('jobs');
    const ws = workspace();
    const first = await deploy(ws, writeOverlay(ws, ns, { web: 'ok-1', migrator: 'job-ok-1' }));
    assert.equal(first.main.exitCode, 0, first.main.stdout.slice(-4000));
    assert.deepEqual(JSON.parse(first.outputs['jobs-run']), ['migrator']);
    const uid = (await getJob(ns)).metadata.uid;

    const unchanged = await deploy(ws, writeOverlay(ws, ns, { web: 'ok-2', migrator: 'job-ok-1' }));
    assert.equal(unchanged.main.exitCode, 0, unchanged.main.stdout.slice(-4000));
    assert.deepEqual(JSON.parse(unchanged.outputs['jobs-run']), []);
    assert.equal((await getJob(ns)).metadata.uid, uid, 'the unchanged migrator was not re-created');
    assert.match(unchanged.summary, /Job migrator \(unchanged since the last good deploy\)/);
    assert.equal(await webImage(ns), `${REPO}/web:ok-2`);

    const changed = await deploy(ws, writeOverlay(ws, ns, { web: 'ok-3', migrator: 'job-ok-2' }));
    assert.equal(changed.main.exitCode, 0, changed.main.stdout.slice(-4000));
    assert.deepEqual(JSON.parse(changed.outputs['jobs-run']), ['migrator']);
    const job = await getJob(ns);
    assert.notEqual(job.metadata.uid, uid, 'the changed migrator ran as a new Job');
    assert.equal(job.spec.template.spec.containers[0].image, `${REPO}/migrator:job-ok-2`);
    assert.ok(job.status?.completionTime, 'the migrator completed');
    assert.ok(Date.parse(job.status.completionTime) <= Date.parse(await replicaSetCreated(ns, `${REPO}/web:ok-3`)), 'the migrator completed before the new web revision was created');

    const never = await deploy(ws, writeOverlay(ws, ns, { web: 'ok-4', migrator: 'job-ok-3' }), { jobs: 'never' });
    assert.equal(never.main.exitCode, 0, never.main.stdout.slice(-4000));
    assert.deepEqual(JSON.parse(never.outputs['jobs-run']), []);
    const kept = await getJob(ns);
    assert.equal(kept.metadata.uid, job.metadata.uid, 'jobs: never leaves the Job as it is');
    assert.equal(kept.spec.template.spec.containers[0].image, `${REPO}/migrator:job-ok-2`);
    assert.equal(await webImage(ns), `${REPO}/web:ok-4`);
  });

  it('says the schema was migrated and is not rolled back when a deploy whose migrator ran is rolled back', async () => {
    const ns = await namespace('migrated');
    const ws = workspace();
    assert.equal((await deploy(ws, writeOverlay(ws, ns, { web: 'ok-1', migrator: 'job-ok-1' }))).main.exitCode, 0);
    const run = await deploy(ws, writeOverlay(ws, ns, { web: 'crash-1', migrator: 'job-ok-2' }));
    assert.equal(run.main.exitCode, 1);
    assert.equal(run.outputs.status, 'rolled-back');
    const said = /Job migrator ran before the failure: the schema it migrated is not rolled back/;
    assert.match(run.summary, said);
    assert.match(run.main.stdout.split('\n').filter((l) => l.startsWith('::error::')).pop() ?? '', said, 'the step fails with it');
    assert.equal(await webImage(ns), `${REPO}/web:ok-1`);
    assert.match(run.summary, /\| Rolled back \|[\s\S]*deployment\.apps\/web/);
  });
});

describe('kustomize-deploy with a node stand-in: the migrator wait is a watch (issue 21)', { skip, concurrency: false }, () => {
  // poll-interval 10m: were the Job wait still a poll, its second look would come only at the 90 s deadline, so the
  // failing Job would end "did not complete in time" and the succeeding one would leave no time for the rollout.
  const slowPolls = { 'poll-interval': '10m' };
  it('fails on the Job\'s Failed condition (BackoffLimitExceeded) as the watch reports it, before any workload is applied', async () => {
    const ns = await namespace('job-fail');
    const ws = workspace();
    const run = await deploy(ws, writeOverlay(ws, ns, { web: 'ok-1', migrator: 'job-fail-1' }), slowPolls);
    assert.equal(run.main.exitCode, 1, run.main.stdout.slice(-4000));
    assert.equal(run.outputs.status, 'failed');
    assert.match(run.main.stdout, /::error::Job migrator failed \(BackoffLimitExceeded/);
    assert.deepEqual(JSON.parse(run.outputs['jobs-run']), []);
    await assert.rejects(getWeb(ns), /404|not found/i, 'web was never applied');
    const job = await getJob(ns) as Job & { status?: { conditions?: { type: string; reason?: string }[] } };
    assert.equal(job.status?.conditions?.find((c) => c.type === 'Failed')?.reason, 'BackoffLimitExceeded');
  });
  it('completes a succeeding migrator from the watch and then rolls out', async () => {
    const ns = await namespace('job-ok');
    const ws = workspace();
    const run = await deploy(ws, writeOverlay(ws, ns, { web: 'ok-1', migrator: 'job-ok-1' }), slowPolls);
    assert.equal(run.main.exitCode, 0, run.main.stdout.slice(-4000));
    assert.deepEqual(JSON.parse(run.outputs['jobs-run']), ['migrator']);
    assert.match(run.main.stdout, /Job migrator: complete/);
    assert.ok((await getJob(ns)).status?.completionTime, 'the migrator completed');
    assert.equal((await getWeb(ns)).status?.availableReplicas, 1);
  });
});

describe('kustomize-deploy with a node stand-in: a rollback without a record goes only to something healthy', { skip, concurrency: false }, () => {
  const byHand = async (ns: string, ws: string, web: string): Promise<void> => {
    const r = await kubectl(cluster!, ['apply', '-k', path.join(ws, writeOverlay(ws, ns, { web }))]);
    assert.equal(r.status, 0, r.stderr);
  };

  it('undoes to the last available revision when the previous one crashes', async () => {
    const ns = await namespace('undo');
    const ws = workspace();
    await byHand(ns, ws, 'ok-1');
    await waitFor('web available at ok-1', async () => ((await getWeb(ns)).status?.availableReplicas ?? 0) >= 1);
    await byHand(ns, ws, 'crash-1'); // revision 2: crash-looping, revision 1's pod still serves
    await waitFor('revision 2 crash-looping', () => standIn!.eventsFor(ns, 'web-').some((e) => e.reason === 'CrashLoopBackOff'));
    const run = await deploy(ws, writeOverlay(ws, ns, { web: 'crash-2' }));
    assert.equal(run.main.exitCode, 1);
    assert.equal(run.outputs.status, 'rolled-back', run.main.stdout.slice(-4000));
    assert.match(run.summary, /Deployment\/web → revision 1/);
    assert.match(run.summary, /\| Rolled back \|\n\| --- \|\n\| Deployment\/web \(revision 1\) \|/);
    assert.equal(await webImage(ns), `${REPO}/web:ok-1`);
  });

  it('ends failed at once, undoing nothing, when no revision was ever available', async () => {
    const ns = await namespace('nothing');
    const ws = workspace();
    await byHand(ns, ws, 'crash-1');
    await waitFor('revision 1 crash-looping', () => standIn!.eventsFor(ns, 'web-').some((e) => e.reason === 'CrashLoopBackOff'));
    const run = await deploy(ws, writeOverlay(ws, ns, { web: 'badpull-2' }));
    assert.equal(run.main.exitCode, 1);
    assert.equal(run.outputs.status, 'failed', run.main.stdout.slice(-4000));
    assert.equal(run.outputs['rolled-back'], 'false');
    assert.match(run.summary, /Nothing healthy to go back to, so nothing was undone: Deployment\/web/);
    assert.equal(await webImage(ns), `${REPO}/web:badpull-2`);
  });
});

describe('kustomize-deploy with a node stand-in: the rollout watch', { skip, concurrency: false }, () => {
  it('never rolls back a healthy pod that becomes ready only after 20 s', async () => {
    const ns = await namespace('slow');
    const ws = workspace();
    assert.equal((await deploy(ws, writeOverlay(ws, ns, { web: 'ok-1' }))).main.exitCode, 0);
    const run = await deploy(ws, writeOverlay(ws, ns, { web: 'slow-2' }));
    assert.equal(run.main.exitCode, 0, run.main.stdout.slice(-4000));
    assert.equal(run.outputs.status, 'deployed');
    assert.equal(await webImage(ns), `${REPO}/web:slow-2`);
    assert.ok(standIn!.eventsFor(ns, 'web-').some((e) => e.ready === true), 'the stand-in made it ready');
  });

  it('still catches a pod that crashes after 30 s of readiness within the wait (minReadySeconds 40)', async () => {
    const ns = await namespace('late');
    const ws = workspace();
    assert.equal((await deploy(ws, writeOverlay(ws, ns, { web: 'ok-1', minReadySeconds: 40 }), { timeout: '3m' })).main.exitCode, 0);
    const run = await deploy(ws, writeOverlay(ws, ns, { web: 'late-crash-2', minReadySeconds: 40 }), { timeout: '3m' });
    assert.equal(run.main.exitCode, 1, run.main.stdout.slice(-4000));
    assert.equal(run.outputs.status, 'rolled-back');
    assert.match(run.main.stdout, /Pods failing: web-[a-z0-9-]+\/web: CrashLoopBackOff/);
    assert.equal(await webImage(ns), `${REPO}/web:ok-1`);
  });
});
