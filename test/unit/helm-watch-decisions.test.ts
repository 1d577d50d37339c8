// Pure decisions behind helm-deploy's waits: the crash judge over watch events, the JSON stream splitter, the
// rollout view's "rolled out" rule, and the source commit read back from a release history.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrashJudge, JsonDocuments, rolledOut } from '../../actions/toolkit/index.js';
import type { WatchedPod } from '../../actions/toolkit/index.js';
import type { HistoryEntry } from '../../actions/helm-deploy/history.js';
import { planRollback, recordedCommit, sourceCommitDescription } from '../../actions/helm-deploy/history.js';

const pod = (uid: string, c: object): WatchedPod => ({ metadata: { name: `web-${uid}`, uid }, status: { containerStatuses: [{ name: 'app', ...c }] } as WatchedPod['status'] });

describe('CrashJudge: one watch event at a time', () => {
  it('decides on the first CrashLoopBackOff', () => {
    const j = new CrashJudge(3);
    assert.deepEqual(j.observe(pod('a', { restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } } })).map((f) => f.reason), ['CrashLoopBackOff']);
  });
  it('decides on a non-zero exit after two restarts, not after one', () => {
    const j = new CrashJudge(3);
    assert.deepEqual(j.observe(pod('a', { restartCount: 1, state: { terminated: { exitCode: 1 } } })), []);
    assert.match(j.observe(pod('a', { restartCount: 2, state: { terminated: { exitCode: 1 } } }))[0].reason, /exit code 1 after 2 restarts/);
  });
  it('a pull failure decides on the second consecutive event; a running observation in between resets it', () => {
    const j = new CrashJudge(3);
    const pull = pod('a', { state: { waiting: { reason: 'ErrImagePull' } } });
    assert.deepEqual(j.observe(pull), []);
    assert.deepEqual(j.observe(pod('a', { state: { running: {} } })), []);
    assert.deepEqual(j.observe(pod('a', { state: { waiting: { reason: 'ImagePullBackOff' } } })), []);
    assert.equal(j.observe(pod('a', { state: { waiting: { reason: 'ImagePullBackOff' } } }))[0].reason, 'ImagePullBackOff');
  });
  it('crash-checks 1 decides a pull failure on its first event', () => assert.equal(new CrashJudge(1).observe(pod('a', { state: { waiting: { reason: 'ErrImagePull' } } })).length, 1));
  it('never decides for a healthy pod that is slow to become ready (running, not ready, no restarts)', () => {
    const j = new CrashJudge(1);
    for (let i = 0; i < 50; i++) assert.deepEqual(j.observe(pod('a', { ready: false, restartCount: 0, state: { running: {} } })), []);
    assert.deepEqual(j.observe(pod('a', { ready: false, state: { waiting: { reason: 'ContainerCreating' } } })), []);
  });
  it('ignores pods from before the deploy and pods being deleted', () => {
    const j = new CrashJudge(1, new Set(['old']));
    assert.deepEqual(j.observe(pod('old', { state: { waiting: { reason: 'CrashLoopBackOff' } } })), []);
    assert.deepEqual(j.observe({ ...pod('b', { state: { waiting: { reason: 'CrashLoopBackOff' } } }), metadata: { name: 'b', uid: 'b', deletionTimestamp: '2026-01-01T00:00:00Z' } }), []);
  });
});

describe('JsonDocuments', () => {
  it('splits concatenated pretty-printed documents across chunk boundaries, braces inside strings included', () => {
    const s = new JsonDocuments();
    const text = JSON.stringify({ a: '}{"', b: { c: 1 } }, null, 4) + '\n' + JSON.stringify({ d: 2 }, null, 4) + '\n';
    const out: unknown[] = [];
    for (let i = 0; i < text.length; i += 7) out.push(...s.push(text.slice(i, i + 7)));
    assert.deepEqual(out, [{ a: '}{"', b: { c: 1 } }, { d: 2 }]);
  });
});

describe('rolledOut (the rollout view)', () => {
  const dep = (status: object, generation = 2, replicas = 2): object => ({ kind: 'Deployment', metadata: { generation }, spec: { replicas }, status });
  const table: [string, object, boolean][] = [
    ['all replicas updated and available', dep({ observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), true],
    ['the controller has not seen the new spec', dep({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), false],
    ['an old replica still runs', dep({ observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 3 }), false],
    ['a new replica not available yet', dep({ observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }), false],
  ];
  for (const [what, o, expected] of table) it(`${expected ? 'rolled out' : 'not rolled out'}: ${what}`, () => assert.equal(rolledOut(o), expected));
});

const entry = (revision: number, status: string, description: string): HistoryEntry => ({ revision, status, description, updated: '2026-12-04T10:00:00Z', chart: 'app-0.1.0' });
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('recordedCommit', () => {
  const history = [entry(1, 'superseded', sourceCommitDescription(A, true)), entry(2, 'superseded', sourceCommitDescription(B, false)), entry(3, 'deployed', 'Rollback to 1')];
  it('reads the commit of the live revision', () => assert.equal(recordedCommit(history, 2), B));
  it('follows a rollback to the revision it restored', () => assert.equal(recordedCommit(history, 3), A));
  it('is undefined for a release deployed without a recorded commit', () => assert.equal(recordedCommit([entry(1, 'deployed', 'Install complete')], 1), undefined));
});

describe('planRollback after helm-deploy finished a revision Helm left pending', () => {
  it('"Rollback to <the revision just before>" is not a rollback: mode rollback goes to the revision before the upgrade', () => {
    const history = [entry(1, 'superseded', 'Install complete'), entry(2, 'pending-upgrade', 'Preparing upgrade'), entry(3, 'deployed', 'Rollback to 2')];
    assert.deepEqual(planRollback(history, undefined), { action: 'rollback', revision: 1, from: 3 });
  });
  it('a real rollback (to an earlier revision) is still a no-op the second time', () => {
    const history = [entry(1, 'superseded', 'Install complete'), entry(2, 'failed', 'Upgrade failed'), entry(3, 'deployed', 'Rollback to 1')];
    assert.equal(planRollback(history, undefined).action, 'noop');
  });
});
