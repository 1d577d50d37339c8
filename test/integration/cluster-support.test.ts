// test/support/cluster.ts on the real control plane (../shared/kube/control-plane.sh): the node stand-in makes
// the real controllers and kubectl see kubelet-like pods — Deployments become available, crash loops and image
// pull failures look as a kubelet reports them, Jobs succeed and fail, namespaces delete.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { byImage, clusterSkip, KubeApiError, type WatchEvent, createNamespace, kubectl, loadCluster, NodeStandIn, waitFor, type Cluster, type KubeObject, type Pod, type TestNamespace } from '../support/cluster.js';

const cluster = loadCluster();
const skip = clusterSkip(cluster) || (cluster && !cluster.kubectl ? 'test stack (kubectl) not running' : false);

const IMG = 'registry.invalid/cluster-support';
const behaviour = byImage(
  {
    '/crash:': { kind: 'crash' },
    '/crash-after:': { kind: 'crash-after', afterMs: 3000 },
    '/pull-fail:': { kind: 'image-pull-fail' },
    '/slow:': { kind: 'ready', readyAfterMs: 6000 },
    '/job-ok:': { kind: 'job-succeed' },
    '/job-fail:': { kind: 'job-fail' },
  },
  { kind: 'ready' },
);

function deployment(name: string, image: string, replicas = 1): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image }] } },
    },
  });
}

function job(name: string, image: string): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image }] } } },
  });
}

describe('cluster test support on the real control plane', { skip }, () => {
  const c = cluster as Cluster;
  let standIn: NodeStandIn;
  const namespaces: TestNamespace[] = [];
  const ns = async (): Promise<string> => {
    const n = await createNamespace(c, 'cluster-support');
    namespaces.push(n);
    await standIn.addNamespace(n.name);
    return n.name;
  };
  const pods = async (namespace: string, app?: string): Promise<Pod[]> =>
    (await c.api.list<Pod>(`/api/v1/namespaces/${namespace}/pods`, app ? { labelSelector: `app=${app}` } : undefined)).items;
  const apply = async (namespace: string, manifest: string): Promise<void> => {
    const r = await kubectl(c, ['apply', '-n', namespace, '-f', '-'], { input: manifest });
    assert.equal(r.status, 0, r.stderr);
  };

  before(async () => {
    standIn = new NodeStandIn(c, { namespaces: [], behaviour, name: 'cluster-support' });
    await standIn.start();
  });
  after(async () => {
    for (const n of namespaces) await n.cleanup();
    await standIn.stop();
    c.api.close();
  });

  test('the stand-in node is registered Ready, unschedulable for the scheduler, with capacity and a lease it holds', async () => {
    const node = await c.api.get<KubeObject & { spec: { unschedulable?: boolean }; status: { conditions: { type: string; status: string }[]; allocatable: Record<string, string> } }>(`/api/v1/nodes/${standIn.nodeName}`);
    assert.equal(node.status.conditions.find((x) => x.type === 'Ready')?.status, 'True');
    assert.equal(node.spec.unschedulable, true);
    assert.equal(node.status.allocatable.pods, '110');
    const lease = await c.api.get<KubeObject & { spec: { holderIdentity: string } }>(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${standIn.nodeName}`);
    assert.equal(lease.spec.holderIdentity, standIn.nodeName);
  });

  test('the REST client: create, list, the four patch types (server-side apply conflicts name the manager), delete, watch', async () => {
    const n = await ns();
    const cms = `/api/v1/namespaces/${n}/configmaps`;
    type Cm = KubeObject & { data?: Record<string, string> };
    const seen: WatchEvent<Cm>[] = [];
    const list = await c.api.list<Cm>(cms);
    const w = c.api.watch<Cm>(cms, { resourceVersion: list.metadata.resourceVersion }, (ev) => ev.object.metadata.name === 'cm' && seen.push(ev)); // not kube-root-ca.crt, which a controller adds
    await w.opened;
    await c.api.create(cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } });
    await c.api.patch(`${cms}/cm`, 'merge', { data: { b: '2' } });
    await c.api.patch(`${cms}/cm`, 'strategic', { metadata: { labels: { x: 'y' } } });
    await c.api.patch(`${cms}/cm`, 'json', [{ op: 'replace', path: '/data/a', value: '3' }]);
    const applied = await c.api.patch<Cm>(`${cms}/cm`, 'apply', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { c: '4' } }, { fieldManager: 'tester' });
    assert.deepEqual(applied.data, { a: '3', b: '2', c: '4' });
    assert.equal(applied.metadata.labels?.x, 'y');
    const conflict = await c.api.patch(`${cms}/cm`, 'apply', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { c: '5' } }, { fieldManager: 'other' }).catch((e: unknown) => e);
    assert.ok(conflict instanceof KubeApiError && conflict.status === 409 && /conflict with "tester"/.test(conflict.message), String(conflict));
    assert.equal((await c.api.list<Cm>(cms)).items.filter((x) => x.metadata.name === 'cm').length, 1);
    await c.api.delete(`${cms}/cm`);
    assert.equal(await c.api.tryGet(`${cms}/cm`), undefined);
    assert.equal(await c.api.delete(`${cms}/cm`), undefined);
    await waitFor('DELETED event', () => seen.some((e) => e.type === 'DELETED'));
    w.stop();
    await w.done;
    assert.deepEqual(seen.map((e) => e.type), ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED']);
  });

  test('a Deployment becomes Available, kubectl rollout status exits 0, and a scale-down and an update complete', async () => {
    const n = await ns();
    await apply(n, deployment('web', `${IMG}/web:1`, 2));
    const r = await kubectl(c, ['rollout', 'status', '-n', n, 'deployment/web', '--timeout=90s']);
    assert.equal(r.status, 0, r.stderr);
    type Deploy = KubeObject & { status: { availableReplicas?: number; updatedReplicas?: number; replicas?: number; conditions?: { type: string; status: string }[] } };
    const d = await c.api.get<Deploy>(`/apis/apps/v1/namespaces/${n}/deployments/web`);
    assert.equal(d.status.availableReplicas, 2);
    assert.equal(d.status.conditions?.find((x) => x.type === 'Available')?.status, 'True');
    const ready = await pods(n, 'web');
    for (const p of ready) {
      assert.equal(p.spec.nodeName, standIn.nodeName);
      assert.equal(p.status?.phase, 'Running');
      assert.equal(p.status?.containerStatuses?.[0].state.running !== undefined, true);
      assert.match(p.status?.podIP ?? '', /^10\.\d+\.\d+\.\d+$/);
    }

    await apply(n, deployment('web', `${IMG}/web:2`, 1));
    const r2 = await kubectl(c, ['rollout', 'status', '-n', n, 'deployment/web', '--timeout=90s']);
    assert.equal(r2.status, 0, r2.stderr);
    const after = await waitFor('old pods gone', async () => {
      const ps = await pods(n, 'web');
      return ps.length === 1 && ps;
    });
    assert.equal(after[0].spec.containers[0].image, `${IMG}/web:2`);
    const deleted = standIn.eventsFor(n).filter((e) => e.action === 'deleted').map((e) => e.pod);
    for (const p of ready) assert.ok(deleted.includes(p.metadata.name ?? ''), `the stand-in finalized ${p.metadata.name}`);
  });

  test('a crashing container reaches CrashLoopBackOff with restartCount >= 2 on the kubelet schedule, and rollout status fails', async () => {
    const n = await ns();
    await apply(n, deployment('crash', `${IMG}/crash:1`));
    const pod = await waitFor(
      'CrashLoopBackOff with restartCount >= 2',
      async () => (await pods(n, 'crash')).find((p) => { const s = p.status?.containerStatuses?.[0]; return s?.state.waiting?.reason === 'CrashLoopBackOff' && s.restartCount >= 2; }),
      90_000,
    );
    const cs = pod.status?.containerStatuses?.[0];
    assert.equal(cs?.lastState.terminated?.exitCode, 1);
    assert.equal(cs?.lastState.terminated?.reason, 'Error');
    assert.equal(cs?.ready, false);
    assert.match(cs?.state.waiting?.message ?? '', /^back-off (20|40)s restarting failed container=app pod=crash-/);
    assert.equal(pod.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'False');
    // What a kubelet reports, in order: run, exit, immediate restart, exit, back-off 10 s, restart, exit, back-off 20 s.
    const seq = standIn.eventsFor(n, pod.metadata.name).filter((e) => e.action === 'status' && e.detail !== 'rewrite').map((e) => `${e.reason}/${e.restartCount}`);
    assert.deepEqual(seq.slice(0, 8), ['ContainerCreating/0', 'Running/0', 'Error/0', 'Running/1', 'Error/1', 'CrashLoopBackOff/1', 'Running/2', 'Error/2']);
    const r = await kubectl(c, ['rollout', 'status', '-n', n, 'deployment/crash', '--timeout=3s']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /timed out/);
  });

  test('crash-after: a pod Ready at first, then crashing, is restarted and reported Error with its restart count', async () => {
    const n = await ns();
    await apply(n, deployment('late', `${IMG}/crash-after:1`));
    const r = await kubectl(c, ['rollout', 'status', '-n', n, 'deployment/late', '--timeout=90s']);
    assert.equal(r.status, 0, r.stderr);
    const pod = await waitFor('restarted after its crash', async () => (await pods(n, 'late')).find((p) => (p.status?.containerStatuses?.[0].restartCount ?? 0) >= 1));
    assert.equal(pod.status?.containerStatuses?.[0].lastState.terminated?.exitCode, 1);
    // The stand-in notes a status once its PATCH has answered, which can be just after the API shows it.
    const statuses = (): string[] => standIn.eventsFor(n, pod.metadata.name).filter((e) => e.action === 'status' && e.detail !== 'rewrite').map((e) => `${e.reason}/${e.restartCount}/${e.ready}`);
    const seq = await waitFor('the restart noted by the stand-in', async () => (statuses().length >= 4 ? statuses() : undefined));
    assert.deepEqual(seq.slice(0, 4), ['ContainerCreating/0/false', 'Running/0/true', 'Error/0/false', 'Running/1/false']);
  });

  test('an image that cannot be pulled shows ErrImagePull, then ImagePullBackOff, and the pod stays Pending', async () => {
    const n = await ns();
    await apply(n, deployment('pull', `${IMG}/pull-fail:1`));
    const pod = await waitFor('ImagePullBackOff', async () => (await pods(n, 'pull')).find((p) => p.status?.containerStatuses?.[0].state.waiting?.reason === 'ImagePullBackOff'));
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(pod.status?.containerStatuses?.[0].imageID, '');
    assert.equal(pod.status?.containerStatuses?.[0].state.waiting?.message, `Back-off pulling image "${IMG}/pull-fail:1"`);
    const reasons = standIn.eventsFor(n, pod.metadata.name).map((e) => e.reason);
    assert.ok(reasons.indexOf('ErrImagePull') >= 0 && reasons.indexOf('ErrImagePull') < reasons.indexOf('ImagePullBackOff'), reasons.join(','));
  });

  test('a Job whose pod exits 1 fails with BackoffLimitExceeded; one whose pod exits 0 completes', async () => {
    const n = await ns();
    await apply(n, job('fails', `${IMG}/job-fail:1`));
    await apply(n, job('works', `${IMG}/job-ok:1`));
    type Job = KubeObject & { status: { succeeded?: number; failed?: number; conditions?: { type: string; status: string; reason?: string }[] } };
    const cond = (j: Job, type: string) => j.status.conditions?.find((x) => x.type === type && x.status === 'True');
    const failed = await waitFor('job fails', async () => { const j = await c.api.get<Job>(`/apis/batch/v1/namespaces/${n}/jobs/fails`); return cond(j, 'Failed') && j; });
    assert.equal(cond(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(failed.status.failed, 1);
    const works = await waitFor('job completes', async () => { const j = await c.api.get<Job>(`/apis/batch/v1/namespaces/${n}/jobs/works`); return cond(j, 'Complete') && j; });
    assert.equal(works.status.succeeded, 1);
    const jobPods = await pods(n);
    const phase = (job: string) => jobPods.find((p) => p.metadata.labels?.['job-name'] === job)?.status;
    assert.equal(phase('fails')?.phase, 'Failed');
    assert.equal(phase('fails')?.containerStatuses?.[0].state.terminated?.exitCode, 1);
    assert.equal(phase('works')?.phase, 'Succeeded');
    assert.equal(phase('works')?.containerStatuses?.[0].state.terminated?.reason, 'Completed');
  });

  test('a slow-starting pod stays Running but not Ready, then turns Ready with no restart', async () => {
    const n = await ns();
    await apply(n, deployment('slow', `${IMG}/slow:1`));
    const notYet = await waitFor('running, not ready', async () =>
      (await pods(n, 'slow')).find((p) => p.status?.containerStatuses?.[0].state.running !== undefined),
    );
    assert.equal(notYet.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'False');
    const r = await kubectl(c, ['rollout', 'status', '-n', n, 'deployment/slow', '--timeout=90s']);
    assert.equal(r.status, 0, r.stderr);
    const [ready] = await pods(n, 'slow');
    assert.equal(ready.metadata.uid, notYet.metadata.uid);
    assert.equal(ready.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'True');
    assert.equal(ready.status?.containerStatuses?.[0].restartCount, 0);
    const statuses = standIn.eventsFor(n, ready.metadata.name).filter((e) => e.action === 'status' && e.detail !== 'rewrite');
    assert.ok(statuses.every((e) => e.restartCount === 0 && e.reason !== 'Error'));
    assert.deepEqual([...new Set(statuses.map((e) => e.ready))], [false, true]);
  });

  test('deleting a namespace with running pods completes (the stand-in finalizes them)', async () => {
    const n = await ns();
    await apply(n, deployment('gone', `${IMG}/gone:1`, 3));
    const r = await kubectl(c, ['rollout', 'status', '-n', n, 'deployment/gone', '--timeout=90s']);
    assert.equal(r.status, 0, r.stderr);
    await c.api.delete(`/api/v1/namespaces/${n}`);
    await waitFor('namespace deleted', async () => (await c.api.tryGet(`/api/v1/namespaces/${n}`)) === undefined, 120_000, 500);
    assert.equal(standIn.eventsFor(n).filter((e) => e.action === 'deleted').length, 3);
  });

  test('after the whole suite the node is still Ready with no NoExecute taint, and the stand-in met no error', async () => {
    type Node = KubeObject & { spec: { taints?: { key: string; effect: string }[] }; status: { conditions: { type: string; status: string }[] } };
    const node = await c.api.get<Node>(`/api/v1/nodes/${standIn.nodeName}`);
    assert.equal(node.status.conditions.find((x) => x.type === 'Ready')?.status, 'True');
    assert.deepEqual(node.spec.taints?.filter((t) => t.effect === 'NoExecute') ?? [], []);
    assert.deepEqual(standIn.events.filter((e) => e.action === 'error'), []);
  });
});
