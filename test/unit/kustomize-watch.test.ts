// kustomize-deploy's watches, event by event as the API server reports them: the toolkit's CrashJudge with the
// counts kustomize-deploy asks for (a pull failure decides on `crash-checks` consecutive events), and the Jobs'
// judge (issue 21: the migrator's wait ends on the event that decides it, not on a poll).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { WatchedPod } from '../../actions/toolkit/index.js';
import { CrashJudge, Kubectl } from '../../actions/toolkit/index.js';
import { JobWatchJudge } from '../../actions/kustomize-deploy/job-watch.js';
import { RolloutWatch } from '../../actions/kustomize-deploy/rollout-watch.js';

const CAPTURED = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/kustomize/captured');
const items = (file: string): { kind: string; metadata: { name: string } }[] => (JSON.parse(fs.readFileSync(path.join(CAPTURED, file), 'utf8')) as { items: { kind: string; metadata: { name: string } }[] }).items;

const pod = (uid: string, c: Record<string, unknown>): WatchedPod => ({ metadata: { name: `web-${uid}`, uid }, status: { containerStatuses: [{ name: 'web', ...c }] } });
const waiting = (reason: string, restartCount = 0): Record<string, unknown> => ({ restartCount, state: { waiting: { reason } } });
/** kustomize-deploy's judge: pulls on crash-checks consecutive events. */
const judge = (crashChecks: number, ignore: string[] = []) => new CrashJudge(crashChecks, new Set(ignore), { pullChecks: crashChecks });

describe('CrashJudge as kustomize-deploy uses it', () => {
  it('decides on the first CrashLoopBackOff event', () => {
    const j = judge(3);
    assert.deepEqual(j.observe(pod('a', { restartCount: 0, state: { running: {} } })), []);
    assert.deepEqual(j.observe(pod('a', { restartCount: 1, state: { terminated: { exitCode: 1, reason: 'Error' } } })), []);
    assert.equal(j.observe(pod('a', waiting('CrashLoopBackOff', 1)))[0]?.reason, 'CrashLoopBackOff');
  });
  it('decides when a container terminated non-zero has restarted twice', () => {
    assert.match(judge(3).observe(pod('a', { restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 137 } } }))[0]?.reason ?? '', /exit code 137 after 2 restarts/);
  });
  it('needs crash-checks consecutive events (here 3, not the toolkit default 2) for an image that cannot be pulled', () => {
    const j = judge(3);
    assert.deepEqual(j.observe(pod('a', waiting('ErrImagePull'))), []);
    assert.deepEqual(j.observe(pod('a', waiting('ImagePullBackOff'))), []);
    assert.equal(j.observe(pod('a', waiting('ErrImagePull')))[0]?.reason, 'ErrImagePull');
  });
  it('starts the count again after a running event, and counts pods apart', () => {
    const j = judge(2);
    assert.deepEqual(j.observe(pod('a', waiting('ErrImagePull'))), []);
    assert.deepEqual(j.observe(pod('b', waiting('ErrImagePull'))), []);
    assert.deepEqual(j.observe(pod('a', { state: { running: {} } })), []);
    assert.deepEqual(j.observe(pod('a', waiting('ImagePullBackOff'))), []);
  });
  it('never fails a pod that is slow to become ready without restarts', () => {
    const j = judge(1);
    for (let i = 0; i < 20; i++) assert.deepEqual(j.observe(pod('a', { restartCount: 0, ready: false, state: { running: {} } })), []);
  });
  it('leaves out pods that existed before the rollout and pods being deleted', () => {
    const j = judge(1, ['old']);
    assert.deepEqual(j.observe(pod('old', waiting('CrashLoopBackOff', 3))), []);
    assert.deepEqual(j.observe({ ...pod('x', waiting('CrashLoopBackOff', 3)), metadata: { name: 'x', uid: 'x', deletionTimestamp: '2026-12-04T10:00:00Z' } }), []);
  });
});

describe('JobWatchJudge (the migrator wait from watch events)', () => {
  const job = (f: string) => items(f).find((i) => i.kind === 'Job' && i.metadata.name === 'migrator')!;
  const running = { kind: 'Job', metadata: { name: 'migrator' }, status: { active: 1 } };
  const jobPod = (reason: string) => ({ type: 'MODIFIED', object: { kind: 'Pod', metadata: { name: 'migrator-x', uid: 'u1', labels: { 'job-name': 'migrator' } }, status: { containerStatuses: [{ name: 'migrate', state: { waiting: { reason } } }] } } });

  it('ends on the event that sets the Failed condition (BackoffLimitExceeded), with its reason', () => {
    const j = new JobWatchJudge(['migrator'], 2);
    assert.equal(j.observe({ type: 'ADDED', object: running }), undefined);
    assert.deepEqual(j.observe({ type: 'MODIFIED', object: job('05-get-job-failed.stdout') }), [{ name: 'migrator', state: 'failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]);
  });
  it('ends on the Complete condition only when every awaited Job has it', () => {
    const j = new JobWatchJudge(['migrator', 'seed'], 2);
    assert.equal(j.observe({ type: 'MODIFIED', object: job('05-get-healthy.stdout') }), undefined);
    const seed = { ...job('05-get-healthy.stdout'), metadata: { name: 'seed' } };
    assert.deepEqual(j.observe({ type: 'MODIFIED', object: seed })?.map((s) => s.state), ['complete', 'complete']);
  });
  it('leaves crashing Job pods to the Job controller (backoffLimit): terminated and CrashLoopBackOff pods decide nothing', () => {
    const j = new JobWatchJudge(['migrator'], 1);
    for (const p of items('05-get-job-failed.stdout').filter((i) => i.kind === 'Pod')) assert.equal(j.observe(p), undefined);
    assert.equal(j.observe(jobPod('CrashLoopBackOff')), undefined);
  });
  it('fails a Job whose pod cannot pull its image on crash-checks consecutive events', () => {
    const j = new JobWatchJudge(['migrator'], 2);
    assert.equal(j.observe(jobPod('ErrImagePull')), undefined);
    const decided = j.observe(jobPod('ImagePullBackOff'));
    assert.equal(decided?.[0].state, 'failed');
    assert.equal(decided?.[0].state === 'failed' && decided[0].reason, 'ImagePullBackOff');
  });
  it('says a Job deleted while awaited is missing, and ignores Jobs and pods of other names', () => {
    const j = new JobWatchJudge(['migrator'], 1);
    assert.equal(j.observe({ type: 'ADDED', object: { ...running, metadata: { name: 'other' }, status: { conditions: [{ type: 'Failed', status: 'True' }] } } }), undefined);
    assert.equal(j.observe({ ...jobPod('ErrImagePull').object, metadata: { name: 'o', labels: { 'job-name': 'other' } } }), undefined);
    assert.deepEqual(j.observe({ type: 'DELETED', object: running }), [{ name: 'migrator', state: 'missing' }]);
  });
});

describe('RolloutWatch (one pod watch for the deploy and its rollback)', () => {
  /** A stand-in kubectl whose every `get pods --watch` prints the pods in `pods.json` and ends (watchJson starts it again after 1 s). */
  const fakeKubectl = (): { kubectl: Kubectl; show: (pods: WatchedPod[]) => void; shown: () => number; dir: string } => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-watch-'));
    const bin = path.join(dir, 'kubectl');
    fs.writeFileSync(bin, `#!/bin/sh\ncat "${dir}/pods.json"\necho x >> "${dir}/shown"\n`, { mode: 0o755 });
    const show = (pods: WatchedPod[]): void => fs.writeFileSync(path.join(dir, 'pods.json'), JSON.stringify({ kind: 'List', items: pods }));
    const shown = (): number => (fs.existsSync(path.join(dir, 'shown')) ? fs.readFileSync(path.join(dir, 'shown'), 'utf8').split('\n').filter(Boolean).length : 0);
    show([]);
    return { kubectl: new Kubectl({ bin }), show, shown, dir };
  };

  it('judges after the rollback is issued only the pods it had not seen: the failed revision\'s crash does not fail the rollback, a new pod\'s does', async () => {
    const { kubectl, show, shown, dir } = fakeKubectl();
    show([pod('old', waiting('CrashLoopBackOff', 4)), pod('bad', waiting('CrashLoopBackOff', 1))]);
    const watch = new RolloutWatch({ kubectl, namespace: 'ns', selectors: ['app=web'], ignoreUids: new Set(['old']), crashChecks: 2 });
    try {
      const deployFailures = await watch.failing();
      assert.deepEqual(deployFailures.map((f) => f.pod), ['web-bad'], 'the pod there before the deploy is not judged');
      watch.judgeOnlyNewPods();
      let decided: string[] | undefined;
      void watch.failing().then((f) => (decided = f.map((x) => x.pod)));
      // The same pods shown twice more (the watch starts again after each end) decide nothing any more.
      const before = shown();
      while (shown() < before + 2) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setImmediate(r));
      assert.equal(decided, undefined, 'the failed revision\'s pod does not fail the rollback');
      show([pod('old', waiting('CrashLoopBackOff', 4)), pod('bad', waiting('CrashLoopBackOff', 2)), pod('new', waiting('CrashLoopBackOff', 1))]);
      assert.deepEqual((await watch.failing()).map((f) => f.pod), ['web-new']);
    } finally {
      watch.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
