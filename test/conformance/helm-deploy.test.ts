// Replays the outputs captured from real Helm 3.17 / 4.1 and kubectl (test/fixtures/helm/captured, copied from
// ../shared/fixtures/helm: see test/fixtures/NOTICE.md) through helm-deploy's parsers and decisions, and through
// the built action with stand-ins. A missing capture fails the test.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { classifyHelmError } from '../../actions/helm-deploy/classify.js';
import { parseHelmVersion } from '../../actions/helm-deploy/helm-args.js';
import { decideRecovery, deployedRevision, parseHistory, planRollback } from '../../actions/helm-deploy/history.js';
import { parseWorkloads } from '../../actions/toolkit/kube/manifest.js';
import { findPodFailures, parsePodList } from '../../actions/toolkit/kube/pods.js';
import { sortEvents } from '../../actions/toolkit/kube/events.js';
import { findTemplateLocation } from '../../actions/helm-deploy/template-errors.js';
import { ROOT, runAction } from '../support/run-action.js';
import { createStandIn } from '../support/stand-in.js';

const CAPTURED = path.join(ROOT, 'test', 'fixtures', 'helm', 'captured');

for (const major of [3, 4] as const) {
  const fx = (step: string): string => path.join(CAPTURED, `helm${major}`, step);
  const read = (file: string): string => fs.readFileSync(fx(file), 'utf8');
  const ns = `fx-h${major}`;
  describe(`captured Helm ${major} outputs`, { concurrency: true }, () => {
    const kinds: [string, string][] = [
      ['06-upgrade-unreachable', 'transient'],
      ['06-kubectl-unreachable', 'transient'],
      ['05-upgrade-render-error', 'permanent'],
      ['05-template-render-error', 'permanent'],
      ['05-upgrade-invalid-object', 'permanent'],
      ['05-lint-render-error', 'permanent'],
      ['04-upgrade-while-pending', 'conflict'],
      ['02-upgrade-crash', 'rolled-back'],
      ['03-upgrade-badimage', 'rolled-back'],
      ['07-install-crash-first', 'rolled-back'],
    ];
    for (const [step, kind] of kinds) {
      it(`classifies ${step} as ${kind}`, () => {
        assert.notEqual(read(`${step}.rc`).trim(), '0');
        assert.equal(classifyHelmError(read(`${step}.stdout`) + read(`${step}.stderr`)).kind, kind);
      });
    }
    it('reads the version', () => assert.equal(parseHelmVersion(read('08-version.stdout')), major === 3 ? '3.17.3' : '4.1.4'));
    it('detects the crash loop and the image pull failure in the captured pods', () => {
      assert.deepEqual(findPodFailures(parsePodList(read('02-pods-crashloop.json'))).map((f) => f.reason), ['CrashLoopBackOff']);
      assert.deepEqual(findPodFailures(parsePodList(read('03-pods-imagepull.json'))).map((f) => f.reason), ['ImagePullBackOff']);
      assert.deepEqual(findPodFailures(parsePodList(read('01-pods-healthy.stdout'))), []);
    });
    it('recovers the captured pending-upgrade by rolling back to the deployed revision', () => {
      const history = parseHistory(read('04-history-pending.stdout'));
      const d = decideRecovery(history, Date.parse(history[history.length - 1].updated) + 3_600_000, 600_000);
      assert.deepEqual(d.action === 'rollback' && [d.revision, d.pendingRevision], [5, 6]);
      assert.equal(deployedRevision(parseHistory(read('04-history-after-recovery.stdout'))), 7);
    });
    it('sees the atomic rollback as already rolled back', () => assert.equal(planRollback(parseHistory(read('02-history-after-rollback.stdout')), undefined).action, 'noop'));
    it('finds the Deployment and its selector in the captured manifest', () => {
      assert.deepEqual(parseWorkloads(read('01-get-manifest.stdout')), [{ kind: 'Deployment', name: 'web', selector: 'app.kubernetes.io/name=web,app.kubernetes.io/instance=web' }]);
    });
    it('names the broken template in the captured render errors', () => {
      assert.deepEqual(findTemplateLocation(read('05-template-render-error.stderr')), { file: 'templates/cm.yaml', line: 4, column: 18 });
      assert.equal(findTemplateLocation(read('05-lint-render-error.stdout'))?.file, 'templates/cm.yaml');
    });
    it('orders the captured events by time', () => {
      const times = sortEvents(read('02-events-crashloop.json')).map((e) => Date.parse(e.time));
      assert.deepEqual(times, [...times].sort((a, b) => a - b));
    });

    it('replays transient-then-success through the built action', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-helm-'));
      const helm = createStandIn(dir, 'helm', [
        { match: ['version', '--short'], fixture: fx('08-version') },
        { match: ['template web'], fixture: fx('01-get-manifest') },
        { match: ['lint'], stdout: '1 chart(s) linted, 0 chart(s) failed\n' },
        { match: ['history web'], fixture: fx('07-status-after-first-failure') },
        { match: ['upgrade web'], fixture: fx('06-upgrade-unreachable'), times: 1 },
        { match: ['upgrade web'], fixture: fx('01-install-ok') },
        { match: ['status web'], fixture: fx('01-status-deployed') },
        { match: ['get', 'manifest'], fixture: fx('01-get-manifest') },
      ]);
      createStandIn(dir, 'kubectl', [
        { match: ['get', 'pods'], fixture: fx('01-pods-healthy') },
        { match: ['rollout', 'status'], fixture: fx('01-rollout-status-ok') },
      ]);
      const run = await runAction('helm-deploy', { inputs: { release: 'web', namespace: ns, chart: 'examples/chart' }, pathPrepend: [dir] });
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      assert.equal(helm.calls().filter((c) => c[0] === 'upgrade').length, 2);
      assert.equal(run.outputs.status, 'deployed');
      assert.equal(run.outputs.revision, '1');
    });

    it('replays the pending-upgrade recovery through the built action', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-helm-'));
      const helm = createStandIn(dir, 'helm', [
        { match: ['version', '--short'], fixture: fx('08-version') },
        { match: ['template web'], fixture: fx('01-get-manifest') },
        { match: ['lint'], stdout: '1 chart(s) linted, 0 chart(s) failed\n' },
        { match: ['history web'], fixture: fx('04-history-pending'), times: 1 },
        { match: ['history web'], fixture: fx('04-history-after-recovery') },
        { match: ['rollback web'], fixture: fx('04-rollback-from-pending') },
        { match: ['upgrade web'], fixture: fx('04-upgrade-after-recovery') },
        { match: ['status web'], fixture: fx('01-status-deployed') },
        { match: ['get', 'manifest'], fixture: fx('01-get-manifest') },
        // Helm 4 only: the live revision's labels (newest wins); a release the action never deployed has none.
        { match: ['get', 'metadata'], stdout: fs.readFileSync(path.join(ROOT, 'test/fixtures/helm/metadata/v4-get-metadata-no-labels.json'), 'utf8') },
      ]);
      createStandIn(dir, 'kubectl', [
        { match: ['get', 'pods'], fixture: fx('01-pods-healthy') },
        { match: ['rollout', 'status'], fixture: fx('01-rollout-status-ok') },
      ]);
      const run = await runAction('helm-deploy', { inputs: { release: 'web', namespace: ns, chart: 'examples/chart', 'pending-threshold': '1m' }, pathPrepend: [dir] });
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      assert.deepEqual(helm.calls().find((c) => c[0] === 'rollback')?.slice(0, 3), ['rollback', 'web', '5']);
      assert.equal(run.outputs['previous-revision'], '5', 'the revision live before the run, not the recovery revision 7');
    });
  });
}
