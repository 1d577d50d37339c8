// helm-deploy on a flaky control plane, both Helm majors: stand-in helm and kubectl that fail N times with the
// texts the real binaries print when the API server is away (captured by test/fixtures/helm/transient/capture.mjs:
// connection refused, i/o timeout, TLS handshake timeout, 503), before the run, during the upgrade, during the
// wait and during the rollback. Each run must end deployed, rolled back or failed, with outputs that match the
// release state the stand-in reports last.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ActionRun } from '../support/run-action.js';
import type { StandInRule } from '../support/stand-in.js';
import { FIXTURES, calls, crashPods, deploy, history, standInCluster, statusJson } from './helm-deploy-stand-ins.js';

const TRANSIENT = path.join(FIXTURES, 'transient');
type Fault = 'refused' | 'io-timeout' | 'tls-timeout' | 'unavailable';

/** `times` failures of one call with the text the real tool printed for that fault. */
function failing(tool: 'helm3' | 'helm4' | 'kubectl', call: string, fault: Fault, match: string[], times: number): StandInRule {
  return { match, fixture: path.join(TRANSIENT, fault, `${tool}-${call}`), times };
}

function oneError(run: ActionRun): void {
  assert.equal(run.main.stdout.match(/^::error/gm)?.length, 1, `one ::error per failure:\n${run.main.stdout}`);
}

const deployed1 = history([[1, 'deployed', 'Install complete']]);
const upgradedTo2 = history([[1, 'superseded', 'Install complete'], [2, 'deployed', 'Upgrade complete']]);

describe('transient fixtures are the real tools\' texts', () => {
  const table: [Fault, RegExp][] = [
    ['refused', /connect: connection refused/],
    ['io-timeout', /i\/o timeout/],
    ['tls-timeout', /TLS handshake timeout/],
    ['unavailable', /the server is currently unable to handle the request/],
  ];
  for (const [fault, text] of table) {
    for (const tool of ['helm3', 'helm4', 'kubectl']) {
      it(`${tool} ${fault}`, () => {
        const dir = path.join(TRANSIENT, fault);
        const names = fs.readdirSync(dir).filter((f) => f.startsWith(`${tool}-`) && f.endsWith('.stderr'));
        assert.ok(names.length >= 4, `${tool} calls captured for ${fault}`);
        for (const n of names) {
          assert.match(fs.readFileSync(path.join(dir, n), 'utf8'), text, n);
          assert.equal(fs.readFileSync(path.join(dir, n.replace('.stderr', '.rc')), 'utf8').trim(), '1', n);
        }
      });
    }
  }
});

for (const major of [3, 4] as const) {
  const helm = `helm${major}` as const;
  describe(`helm-deploy on Helm ${major} with the API server away`, { concurrency: 4 }, () => {
    it('before the run: helm history is retried until the API server is back, then the deploy goes on', async () => {
      const c = standInCluster(major, {
        helm: [failing(helm, 'history', 'refused', ['history shop'], 2), { match: ['history shop'], stdout: deployed1 }, { match: ['status shop'], stdout: statusJson(2, 'deployed') }],
      });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      assert.equal(calls(c.helm, 'history').length, 3);
      assert.match(run.main.stdout, /helm history shop: waiting for the cluster: attempt 1 failed with a transient error, retrying in [\d.]+s \(API server unreachable: .*connection refused/);
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['previous-revision'], run.outputs['rolled-back']], ['deployed', '2', '1', 'false']);
      assert.match(run.summary, /✅ helm-deploy deploy/);
    });

    it('during the upgrade: an upgrade that left the release untouched is run again once the API server answers', async () => {
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], stdout: deployed1, times: 1 },
          // The read after the failed upgrade meets the outage too, and waits it out.
          failing(helm, 'history', 'io-timeout', ['history shop'], 1),
          { match: ['history shop'], stdout: deployed1 },
          failing(helm, 'upgrade', 'tls-timeout', ['upgrade shop'], 2),
          { match: ['upgrade shop'], stdout: 'Release "shop" has been upgraded. Happy Helming!\n' },
          { match: ['status shop'], stdout: statusJson(2, 'deployed') },
        ],
      });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      assert.equal(calls(c.helm, 'upgrade').length, 3);
      assert.match(run.main.stdout, /helm upgrade: attempt 1\/3 failed with a transient error, retrying in [\d.]+s \(API server unreachable: .*TLS handshake timeout/);
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['previous-revision'], run.outputs['rolled-back']], ['deployed', '2', '1', 'false']);
    });

    it('during the upgrade: an interrupted upgrade (revision left pending) is not run again but rolled back', async () => {
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], stdout: deployed1, times: 1 },
          { match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete'], [2, 'pending-upgrade', 'Preparing upgrade']]), times: 2 },
          { match: ['history shop'], stdout: history([[1, 'superseded', 'Install complete'], [2, 'pending-upgrade', 'Preparing upgrade'], [3, 'deployed', 'Rollback to 1']]) },
          failing(helm, 'upgrade', 'refused', ['upgrade shop'], 1),
          { match: ['rollback shop'], stdout: 'Rollback was a success! Happy Helming!\n' },
          { match: ['status shop'], stdout: statusJson(3, 'deployed') },
        ],
      });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 1);
      assert.equal(calls(c.helm, 'upgrade').length, 1);
      assert.deepEqual(calls(c.helm, 'rollback')[0].slice(0, 3), ['rollback', 'shop', '1']);
      assert.match(run.main.stdout, /Revision 2 is pending-upgrade: the upgrade was interrupted/);
      assert.match(run.main.stdout, /::error::.*rolled back to revision 1 \(live as revision 3\)/);
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['previous-revision'], run.outputs['rolled-back']], ['deployed', '3', '1', 'true']);
      oneError(run);
    });

    it('during the wait: helm get manifest and kubectl rollout status are retried, the deploy is verified', async () => {
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], stdout: deployed1 },
          failing(helm, 'get-manifest', 'unavailable', ['get', 'manifest'], 2),
          { match: ['status shop'], stdout: statusJson(2, 'deployed') },
        ],
        kubectl: [failing('kubectl', 'rollout-status', 'unavailable', ['rollout', 'status'], 2)],
      });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      assert.equal(calls(c.helm, 'get').filter((a) => a[1] === 'manifest').length, 3);
      assert.equal(calls(c.kubectl, 'rollout').length, 3);
      assert.match(run.main.stdout, /helm get manifest shop: waiting for the cluster: .*API server unavailable \(503\)/);
      assert.match(run.main.stdout, /kubectl rollout status deployment\/shop: waiting for the cluster/);
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['rolled-back']], ['deployed', '2', 'false']);
    });

    it('during the rollback: the rollback and the reads around it wait out the outage; the release ends rolled back', async () => {
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], stdout: upgradedTo2, times: 1 },
          failing(helm, 'history', 'refused', ['history shop'], 1),
          { match: ['history shop'], stdout: history([[1, 'superseded', 'Install complete'], [2, 'deployed', 'Upgrade complete'], [3, 'pending-upgrade', 'Preparing upgrade']]), times: 1 },
          { match: ['history shop'], stdout: history([[1, 'superseded', 'Install complete'], [2, 'superseded', 'Upgrade complete'], [3, 'failed', 'Upgrade failed'], [4, 'deployed', 'Rollback to 2']]) },
          { match: ['upgrade shop'], stdout: '', delayMs: 120_000 },
          failing(helm, 'rollback', 'tls-timeout', ['rollback shop'], 2),
          { match: ['rollback shop'], stdout: 'Rollback was a success! Happy Helming!\n' },
          failing(helm, 'status', 'refused', ['status shop'], 1),
          { match: ['status shop'], stdout: statusJson(4, 'deployed') },
        ],
        kubectl: crashPods(major),
      });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 1);
      assert.equal(calls(c.helm, 'rollback').length, 3);
      assert.match(run.main.stdout, /helm rollback shop: waiting for the cluster/);
      assert.match(run.main.stdout, /::error::Pods failing .*CrashLoopBackOff.*; rolled back to revision 2 \(live as revision 4\)/);
      assert.doesNotMatch(run.main.stdout, /Rollback failed/);
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['previous-revision'], run.outputs['rolled-back']], ['deployed', '4', '2', 'true']);
      assert.match(run.summary, /↩️ helm-deploy deploy/);
      oneError(run);
    });

    it('an outage longer than the retry budget before the run: fails naming the kubeconfig, status unknown, summary written', async () => {
      const c = standInCluster(major, { helm: [failing(helm, 'history', 'refused', ['history shop'], 1000)] });
      const run = await deploy(c, { 'retry-budget': '2s' });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /::error::Input 'kubeconfig': the cluster of the ambient KUBECONFIG \(the kubeconfig input is empty\) is unreachable: helm history shop failed \(exit 1, API server unreachable, still failing after the retry budget\)/);
      assert.equal(calls(c.helm, 'upgrade').length, 0);
      assert.equal(calls(c.helm, 'status').length, 0, 'no second wait for a read that cannot succeed');
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['previous-revision'], run.outputs['rolled-back']], ['unknown', '', '', 'false']);
      assert.match(run.summary, /Status unknown: the cluster was unreachable after the retry budget/);
      assert.match(run.summary, /\*\*Error:\*\* Input 'kubeconfig'/);
      oneError(run);
    });

    it('an outage that outlasts the rollback: status unknown with the reason, never "uninstalled"', async () => {
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], stdout: upgradedTo2, times: 1 },
          { match: ['history shop'], stdout: history([[1, 'superseded', 'Install complete'], [2, 'deployed', 'Upgrade complete'], [3, 'pending-upgrade', 'Preparing upgrade']]), times: 1 },
          failing(helm, 'history', 'io-timeout', ['history shop'], 1000),
          { match: ['upgrade shop'], stdout: '', delayMs: 120_000 },
          failing(helm, 'rollback', 'refused', ['rollback shop'], 1000),
          failing(helm, 'status', 'refused', ['status shop'], 1000),
        ],
        kubectl: crashPods(major),
      });
      const run = await deploy(c, { 'retry-budget': '2s' });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /Rollback failed too: helm rollback shop 2 failed \(exit 1, API server unreachable, still failing after the retry budget\)/);
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['previous-revision'], run.outputs['rolled-back']], ['unknown', '', '2', 'false']);
      assert.match(run.main.stdout, /The release is unknown \(the cluster was unreachable after the retry budget/);
      assert.doesNotMatch(run.main.stdout + run.summary, /uninstalled/);
      oneError(run);
    });

    it('a permanent error is not retried: forbidden fails at once', async () => {
      const forbidden = 'Error: query: failed to query with labels: secrets is forbidden: User "ci" cannot list resource "secrets" in API group "" in the namespace "team-a"\n';
      const c = standInCluster(major, { helm: [{ match: ['history shop'], stderr: forbidden, exitCode: 1 }, { match: ['status shop'], stderr: forbidden, exitCode: 1 }] });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 1);
      assert.equal(calls(c.helm, 'history').length, 1);
      assert.equal(calls(c.helm, 'status').length, 1, 'the final read is tried once: it fails fast too');
      assert.equal(run.outputs.status, 'unknown');
      assert.match(run.summary, /Status unknown: helm status failed/);
      oneError(run);
    });
  });
}
