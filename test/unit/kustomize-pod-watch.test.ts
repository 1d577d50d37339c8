// The pod-event judge of kustomize-deploy's rollout watch, event by event as the kubelet reports them, and the
// splitter of kubectl's `--watch --output json` stream.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WatchedPod } from '../../actions/kustomize-deploy/pod-watch.js';
import { JsonStreamSplitter, PodEventJudge } from '../../actions/kustomize-deploy/pod-watch.js';

const pod = (uid: string, c: Record<string, unknown>): WatchedPod => ({ kind: 'Pod', metadata: { name: `web-${uid}`, uid }, status: { containerStatuses: [{ name: 'web', ...c }] } });
const waiting = (reason: string, restartCount = 0): Record<string, unknown> => ({ restartCount, state: { waiting: { reason } } });

describe('PodEventJudge', () => {
  it('decides on the first CrashLoopBackOff event', () => {
    const j = new PodEventJudge(2);
    assert.deepEqual(j.observe(pod('a', { restartCount: 0, state: { running: {} } })), []);
    assert.deepEqual(j.observe(pod('a', { restartCount: 1, state: { terminated: { exitCode: 1, reason: 'Error' } } })), []);
    assert.equal(j.observe(pod('a', waiting('CrashLoopBackOff', 1)))[0]?.reason, 'CrashLoopBackOff');
  });
  it('decides when a container terminated non-zero has restarted twice', () => {
    const j = new PodEventJudge(2);
    assert.match(j.observe(pod('a', { restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 137 } } }))[0]?.reason ?? '', /exit code 137, restarted 2 times/);
  });
  it('needs crash-checks consecutive events of one pod for an image that cannot be pulled', () => {
    const j = new PodEventJudge(2);
    assert.deepEqual(j.observe(pod('a', waiting('ErrImagePull'))), []);
    assert.equal(j.observe(pod('a', waiting('ImagePullBackOff')))[0]?.reason, 'ImagePullBackOff');
  });
  it('starts the count again after an event without the failure, and counts pods apart', () => {
    const j = new PodEventJudge(2);
    assert.deepEqual(j.observe(pod('a', waiting('ErrImagePull'))), []);
    assert.deepEqual(j.observe(pod('b', waiting('ErrImagePull'))), []);
    assert.deepEqual(j.observe(pod('a', waiting('ContainerCreating'))), []);
    assert.deepEqual(j.observe(pod('a', waiting('ImagePullBackOff'))), []);
  });
  it('never fails a pod that is slow to become ready without restarts', () => {
    const j = new PodEventJudge(1);
    for (let i = 0; i < 20; i++) assert.deepEqual(j.observe(pod('a', { restartCount: 0, ready: false, state: { running: {} } })), []);
  });
  it('leaves out pods that existed before the rollout and pods being deleted', () => {
    const j = new PodEventJudge(1, new Set(['old']));
    assert.deepEqual(j.observe(pod('old', waiting('CrashLoopBackOff', 3))), []);
    assert.deepEqual(j.observe({ ...pod('x', waiting('CrashLoopBackOff', 3)), metadata: { name: 'x', uid: 'x', deletionTimestamp: '2026-12-04T10:00:00Z' } }), []);
  });
});

describe('JsonStreamSplitter', () => {
  it('splits concatenated documents arriving in pieces, braces inside strings included', () => {
    const s = new JsonStreamSplitter();
    const text = '{\n "a": "x{y}\\"}"\n}\n{"b": {"c": 1}}\n';
    const docs = [...text].flatMap((ch) => s.push(ch));
    assert.deepEqual(docs.map((d) => JSON.parse(d) as unknown), [{ a: 'x{y}"}' }, { b: { c: 1 } }]);
  });
});
