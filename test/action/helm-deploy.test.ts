// helm-deploy's built bundle against stand-in `helm` and `kubectl` that replay fixture outputs of
// both Helm majors: the cluster scenarios the issue asks for, end to end through the runner protocol.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../support/run-action.js';
import type { StandInRule } from '../support/stand-in.js';
import { FIXTURES, SECRET_VALUE, calls, crashPods, deploy, history, kubeconfigFor, standInCluster, statusJson } from './helm-deploy-stand-ins.js';

for (const major of [3, 4] as const) {
  const fx = (step: string): string => path.join(FIXTURES, `helm${major}`, step);
  describe(`helm-deploy on Helm ${major}`, { concurrency: 4 }, () => {
    it('installs a release and reports it healthy', async () => {
      const c = standInCluster(major);
      const run = await deploy(c, { image: `ghcr.io/acme/shop:1.2.0@sha256:${'b'.repeat(64)}`, set: 'password=hunter2-value' });
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      assert.equal(run.outputs.status, 'deployed');
      assert.equal(run.outputs.revision, '1');
      assert.equal(run.outputs['previous-revision'], '');
      assert.equal(run.outputs['rolled-back'], 'false');
      assert.equal(run.outputs['helm-version'], major === 3 ? 'v3.17.3' : 'v4.1.4');
      assert.match(run.summary, /helm-deploy deploy: `shop`/);
      assert.match(run.summary, /Deployment \| shop/);
      assert.deepEqual(calls(c.kubectl, 'rollout')[0].slice(0, 3), ['rollout', 'status', 'deployment/shop']);
      assert.ok(!run.allOutput.includes(SECRET_VALUE), 'release values from helm status must never be printed');
      assert.ok(!run.allOutput.includes('hunter2-value'), 'set values must never be printed');
    });

    it(`sends the Helm ${major} flags to helm upgrade`, async () => {
      const c = standInCluster(major);
      const run = await deploy(c, { 'force-replace': 'true', 'server-side': 'true', 'force-conflicts': 'true', 'create-namespace': 'true', timeout: '90s', 'history-max': '5' });
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      const [upgrade] = calls(c.helm, 'upgrade');
      const chartDir = path.join(ROOT, 'examples', 'chart');
      const common = ['upgrade', 'shop', chartDir, '--install', '--namespace', 'team-a', '--timeout', '1m30s', '--history-max', '5'];
      const expected = major === 3
        ? [...common, '--atomic', '--wait', '--force', '--create-namespace']
        : [...common, '--rollback-on-failure', '--wait=watcher', '--force-replace', '--server-side=true', '--force-conflicts', '--create-namespace'];
      assert.deepEqual(upgrade.slice(0, expected.length), expected);
      const sha = '0123456789abcdef0123456789abcdef01234567';
      assert.deepEqual(upgrade.slice(expected.length), ['--description', `Install complete; source-commit ${sha}`, '--labels', `platform-actions.dev/source-commit=${sha}`], 'the source commit is recorded in the release');
      if (major === 3) assert.match(run.main.stdout, /server-side: 'true' is ignored: Helm 3/);
    });

    it('retries a transient error (cluster unreachable) and then succeeds', async () => {
      const c = standInCluster(major, { helm: [{ match: ['upgrade shop'], fixture: fx('06-upgrade-unreachable'), times: 1 }] });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      assert.equal(calls(c.helm, 'upgrade').length, 2);
      assert.match(run.main.stdout, /attempt 1\/3 failed with a transient error/);
      assert.equal(run.outputs.status, 'deployed');
    });

    it('fails at once on a permanent error without retrying', async () => {
      const c = standInCluster(major, { helm: [{ match: ['upgrade shop'], fixture: fx('05-upgrade-invalid-object') }] });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 1);
      assert.equal(calls(c.helm, 'upgrade').length, 1);
      assert.match(run.main.stdout, /manifest rejected by validation/);
      assert.equal(run.outputs['rolled-back'], 'false');
    });

    it('recovers a release left pending-upgrade, then upgrades', async () => {
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], fixture: fx('04-history-pending'), times: 1 },
          { match: ['history shop'], fixture: fx('04-history-after-recovery') },
          { match: ['rollback shop'], fixture: fx('04-rollback-from-pending') },
          { match: ['upgrade shop'], fixture: fx('04-upgrade-after-recovery') },
          { match: ['status shop'], stdout: statusJson(5, 'deployed') },
        ],
      });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      const subcommands = c.helm.calls().map((a) => a[0]);
      assert.ok(subcommands.indexOf('rollback') < subcommands.indexOf('upgrade'));
      assert.deepEqual(calls(c.helm, 'rollback')[0].slice(0, 3), ['rollback', 'shop', '2']);
      assert.match(run.main.stdout, /Recovering release shop: revision 3 was left pending-upgrade/);
      assert.equal(run.outputs['previous-revision'], '2', 'the revision live before the run, not the recovery revision 4');
      assert.equal(run.outputs.revision, '5');
    });

    it('refuses to touch a release pending for less than pending-threshold', async () => {
      const c = standInCluster(major, { helm: [{ match: ['history shop'], fixture: fx('04-history-pending') }] });
      const run = await deploy(c, { 'pending-threshold': '100000h' });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /another deploy is probably running/);
      assert.equal(calls(c.helm, 'upgrade').length + calls(c.helm, 'rollback').length, 0);
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['previous-revision'], run.outputs['rolled-back']], ['pending-upgrade', '3', '2', 'false'], 'what helm history showed');
      assert.match(run.summary, /❌ helm-deploy deploy/);
      assert.match(run.summary, /\*\*Error:\*\* Release shop: revision 3 has been pending-upgrade/);
      assert.equal(run.main.stdout.match(/^::error/gm)?.length, 1);
    });

    it('rolls back when the pods crash-loop, without waiting out the timeout', async () => {
      const diagnostics = fs.mkdtempSync(path.join(os.tmpdir(), 'diag-'));
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete']]), times: 1 },
          { match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete'], [2, 'pending-upgrade', 'Preparing upgrade']]), times: 1 },
          { match: ['history shop'], fixture: fx('02-history-after-rollback') },
          { match: ['upgrade shop'], stdout: 'Release "shop" has been upgraded…\n', delayMs: 120_000 },
          { match: ['rollback shop'], fixture: fx('04-rollback-from-pending') },
          { match: ['status shop'], stdout: statusJson(3, 'deployed') },
        ],
        kubectl: crashPods(major),
      });
      const run = await deploy(c, { timeout: '5m', 'diagnostics-path': path.relative(ROOT, diagnostics) });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /CrashLoopBackOff/);
      assert.match(run.main.stdout, /ending the wait now instead of waiting out the timeout/);
      assert.match(run.main.stdout, /Rolling back release shop from revision 2 \(pending-upgrade\) to revision 1/);
      assert.match(run.main.stdout, /::error::Pods failing .*; rolled back to revision 1 \(live as revision 3\)/, 'the same revision as the warning, and the live one');
      assert.equal(run.main.stdout.match(/^::error/gm)?.length, 1);
      // No Helm wait on the rollback: kubectl rollout status of the restored revision's workload (with the pod watch) waits.
      const [rollback] = calls(c.helm, 'rollback');
      assert.deepEqual(rollback.slice(0, 5), ['rollback', 'shop', '1', '--namespace', 'team-a']);
      assert.ok(!rollback.some((a) => a.startsWith('--wait')), rollback.join(' '));
      assert.ok(c.helm.calls().some((a) => a.join(' ').startsWith('get manifest shop') && a.includes('--revision') && a[a.indexOf('--revision') + 1] === '1'), 'the restored revision\'s manifest is read');
      const rolloutAfter = c.kubectl.spans().filter((sp) => sp.argv[0] === 'rollout' && sp.start >= c.helm.spans().find((h) => h.argv[0] === 'rollback')!.end);
      assert.equal(rolloutAfter.length, 1, 'kubectl rollout status waits for the restored workload after the rollback');
      assert.equal(run.outputs['rolled-back'], 'true');
      assert.equal(run.outputs.revision, '3');
      assert.equal(run.outputs.status, 'deployed');
      assert.equal(run.outputs['diagnostics-path'], diagnostics);
      for (const f of ['events.txt', 'helm-history.json', 'helm-status.json', 'pod-shop-5f6b8c9d7-fghij-describe.txt', 'pod-shop-5f6b8c9d7-fghij-logs-previous.txt']) {
        assert.ok(fs.existsSync(path.join(diagnostics, f)), `${f} in diagnostics`);
      }
      assert.ok(!fs.readFileSync(path.join(diagnostics, 'helm-status.json'), 'utf8').includes(SECRET_VALUE));
      const described = fs.readFileSync(path.join(diagnostics, 'pod-shop-5f6b8c9d7-fghij-describe.txt'), 'utf8');
      assert.match(described, /Reason: +CrashLoopBackOff/);
      assert.match(described, /API_TOKEN: +<set to the key 'token' in secret 'shop-api'>/);
      assert.ok(!described.includes('s3cr3t-from-values'), 'literal env values (often Helm values) are not written to diagnostics');
      assert.match(run.summary, /Failing containers/);
      assert.match(run.summary, /BackOff/);
      assert.ok(!c.helm.calls().some((a) => a[0] === 'get' && a[1] === 'values'), 'never helm get values');
    });

    it('reports a failed rollback with diagnostics', async () => {
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete']]), times: 1 },
          { match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete'], [2, 'pending-upgrade', 'Preparing upgrade']]) },
          { match: ['upgrade shop'], stdout: '', delayMs: 120_000 },
          { match: ['rollback shop'], stderr: 'Error: release shop failed: timed out waiting for the condition\n', exitCode: 1 },
          { match: ['status shop'], fixture: fx('04-status-pending') },
        ],
        kubectl: crashPods(major),
      });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /Rollback failed too/);
      assert.equal(run.outputs['rolled-back'], 'false');
      assert.equal(run.outputs.status, 'pending-upgrade');
      assert.ok(fs.existsSync(path.join(run.outputs['diagnostics-path'], 'events.txt')));
      assert.match(run.summary, /Diagnostics/);
    });

    it('reports the uninstall of a failed first install', async () => {
      const c = standInCluster(major, {
        helm: [
          { match: ['upgrade shop'], fixture: fx('07-install-crash-first') },
          { match: ['status shop'], fixture: fx('07-status-after-first-failure') },
        ],
      });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 1);
      assert.equal(calls(c.helm, 'upgrade').length, 1, 'a rolled-back deploy is not retried');
      assert.equal(run.outputs['rolled-back'], 'true');
      assert.equal(run.outputs.status, 'uninstalled');
      assert.match(run.main.stdout, /failed first install was uninstalled/);
    });

    it('uninstalls a first install whose pods crash-loop', async () => {
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], fixture: fx('07-status-after-first-failure'), times: 1 },
          { match: ['history shop'], stdout: history([[1, 'pending-install', 'Initial install underway']]), times: 1 },
          { match: ['upgrade shop'], stdout: '', delayMs: 120_000 },
          { match: ['uninstall shop'], stdout: 'release "shop" uninstalled\n' },
          { match: ['status shop'], fixture: fx('07-status-after-first-failure') },
        ],
        kubectl: crashPods(major),
      });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 1);
      assert.deepEqual(calls(c.helm, 'uninstall')[0].slice(0, 4), ['uninstall', 'shop', '--namespace', 'team-a']);
      assert.equal(run.outputs['rolled-back'], 'true');
    });

    it('keeps a failed first install when asked (no --atomic)', async () => {
      const c = standInCluster(major, { helm: [{ match: ['upgrade shop'], stderr: 'Error: context deadline exceeded\n', exitCode: 1 }, { match: ['status shop'], stdout: statusJson(1, 'failed') }] });
      const run = await deploy(c, { 'keep-failed-install': 'true' });
      assert.equal(run.main.exitCode, 1);
      const [upgrade] = calls(c.helm, 'upgrade');
      assert.ok(!upgrade.includes('--atomic') && !upgrade.includes('--rollback-on-failure'));
      assert.equal(calls(c.helm, 'uninstall').length, 0);
      assert.equal(run.outputs.status, 'failed');
    });

    it('fails on a template error before touching the cluster, annotated on the chart file', async () => {
      const c = standInCluster(major, { helm: [{ match: ['template shop'], fixture: fx('05-template-render-error') }] });
      const run = await deploy(c);
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /::error title=helm template failed,file=examples\/chart\/templates\/configmap.yaml,line=6,col=20::/);
      assert.equal(run.main.stdout.match(/^::error/gm)?.length, 1, 'the annotation is the one ::error');
      assert.deepEqual(c.helm.calls().map((a) => a[0]).filter((s) => !['version', 'lint', 'template'].includes(s)), []);
      assert.equal(c.kubectl.calls().length, 0);
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['rolled-back']], ['unknown', '', 'false']);
      assert.match(run.summary, /Status unknown: the deploy stopped before the cluster was contacted/);
      assert.match(run.summary, /\*\*Error:\*\* helm template failed; nothing was deployed/);
    });

    /** Revision 2 deployed; after `helm rollback`, revision 3 is the rollback to 1. */
    const rollbackFrom2To1: StandInRule[] = [
      { match: ['history shop'], stdout: history([[1, 'superseded', 'Install complete'], [2, 'deployed', 'Upgrade complete']]), times: 1 },
      { match: ['history shop'], stdout: history([[1, 'superseded', 'Install complete'], [2, 'superseded', 'Upgrade complete'], [3, 'deployed', 'Rollback to 1']]) },
      { match: ['rollback shop'], fixture: fx('04-rollback-from-pending') },
      { match: ['status shop'], stdout: statusJson(3, 'deployed') },
    ];

    it('rolls back to the previous revision in mode rollback, and is idempotent', async () => {
      const c = standInCluster(major, {
        helm: rollbackFrom2To1,
      });
      const first = await deploy(c, { mode: 'rollback', chart: '' });
      assert.equal(first.main.exitCode, 0, first.main.stdout);
      assert.equal(first.outputs['rolled-back'], 'true');
      assert.equal(first.outputs.revision, '3');
      const second = await deploy(c, { mode: 'rollback', chart: '' });
      assert.equal(second.main.exitCode, 0, second.main.stdout);
      assert.equal(second.outputs['rolled-back'], 'false');
      assert.match(second.main.stdout, /already rolled back/);
      assert.equal(calls(c.helm, 'rollback').length, 1);
    });

    it('mode rollback writes redacted diagnostics of the crash-looping pods before rolling back', async () => {
      const diagnostics = fs.mkdtempSync(path.join(os.tmpdir(), 'diag-rollback-'));
      const c = standInCluster(major, {
        helm: rollbackFrom2To1,
        kubectl: [{ match: ['get', 'pods'], stdout: fs.readFileSync(fx('02-pods-crashloop.json'), 'utf8') }],
      });
      const run = await deploy(c, { mode: 'rollback', chart: '', revision: '1', 'diagnostics-path': path.relative(ROOT, diagnostics) });
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      assert.equal(run.outputs['rolled-back'], 'true');
      assert.equal(run.outputs.revision, '3');
      assert.equal(run.outputs.status, 'deployed');
      assert.deepEqual(calls(c.helm, 'rollback')[0].slice(0, 3), ['rollback', 'shop', '1']);
      assert.equal(run.outputs['diagnostics-path'], diagnostics);
      for (const f of ['helm-history.json', 'helm-status.json', 'events.txt', 'failing-pods.json', 'pod-shop-5f6b8c9d7-fghij-describe.txt', 'pod-shop-5f6b8c9d7-fghij-logs-previous.txt']) {
        assert.ok(fs.existsSync(path.join(diagnostics, f)), `${f} in diagnostics`);
      }
      const described = fs.readFileSync(path.join(diagnostics, 'pod-shop-5f6b8c9d7-fghij-describe.txt'), 'utf8');
      assert.match(described, /Reason: +CrashLoopBackOff/);
      assert.match(described, /DATABASE_URL: +<value hidden by helm-deploy>/);
      assert.ok(!described.includes('s3cr3t-from-values'), 'literal env values (often Helm values) are not written to diagnostics');
      assert.ok(!run.allOutput.includes('s3cr3t-from-values'));
      const recorded = JSON.parse(fs.readFileSync(path.join(diagnostics, 'helm-history.json'), 'utf8')) as { revision: number; description: string }[];
      assert.deepEqual([recorded.at(-1)?.revision, recorded.at(-1)?.description], [3, 'Rollback to 1'], 'history recorded after the rollback');
      assert.ok(!fs.readFileSync(path.join(diagnostics, 'helm-status.json'), 'utf8').includes(SECRET_VALUE));
      const describedAt = c.kubectl.spans().find((s) => s.argv.includes('describe'));
      const rolledBackAt = c.helm.spans().find((s) => s.argv[0] === 'rollback');
      assert.ok(describedAt && rolledBackAt && describedAt.end <= rolledBackAt.start, 'pods described before the rollback replaces them');
      assert.deepEqual(calls(c.kubectl, 'get').find((a) => a[1] === 'pods')?.slice(0, 6), ['get', 'pods', '--namespace', 'team-a', '--selector', 'app.kubernetes.io/name=shop,app.kubernetes.io/instance=shop']);
      assert.match(run.summary, /helm-deploy rollback: `shop`/);
      assert.match(run.summary, /#### Diagnostics/);
      assert.match(run.summary, /Failing containers/);
      assert.match(run.summary, /Rollback to 1/);
      assert.ok(!c.helm.calls().some((a) => a[0] === 'get' && a[1] === 'values'), 'never helm get values');
    });

    it('mode rollback reports a failed rollback with diagnostics in the default folder', async () => {
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], stdout: history([[1, 'superseded', 'Install complete'], [2, 'deployed', 'Upgrade complete']]) },
          { match: ['rollback shop'], stderr: 'Error: release shop failed: timed out waiting for the condition\n', exitCode: 1 },
          { match: ['status shop'], stdout: statusJson(2, 'deployed') },
        ],
        kubectl: [{ match: ['get', 'pods'], stdout: fs.readFileSync(fx('02-pods-crashloop.json'), 'utf8') }],
      });
      const run = await deploy(c, { mode: 'rollback', chart: '' });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /Rollback of shop from revision 2 to 1 failed/);
      assert.equal(run.outputs['rolled-back'], 'false');
      assert.equal(run.outputs.status, 'deployed');
      assert.equal(run.outputs.revision, '2');
      const dir = run.outputs['diagnostics-path'];
      assert.equal(path.basename(dir), 'helm-deploy-rollback-diagnostics-shop');
      for (const f of ['helm-history.json', 'events.txt', 'pod-shop-5f6b8c9d7-fghij-describe.txt']) assert.ok(fs.existsSync(path.join(dir, f)), `${f} in diagnostics`);
      assert.ok(!fs.readFileSync(path.join(dir, 'pod-shop-5f6b8c9d7-fghij-describe.txt'), 'utf8').includes('s3cr3t-from-values'));
      assert.match(run.summary, /#### Diagnostics/);
      assert.match(run.summary, /\*\*Error:\*\* Rollback of shop/);
    });

    it('mode rollback uninstalls a release whose only revision is the broken first install', async () => {
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete']]) },
          { match: ['uninstall shop'], stdout: 'release "shop" uninstalled\n' },
          { match: ['status shop'], stderr: 'Error: release: not found\n', exitCode: 1 },
        ],
      });
      const run = await deploy(c, { mode: 'rollback', chart: '' });
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      assert.deepEqual(calls(c.helm, 'uninstall')[0]?.slice(0, 2), ['uninstall', 'shop']);
      assert.equal(calls(c.helm, 'rollback').length, 0);
      assert.equal(run.outputs['rolled-back'], 'true');
      assert.equal(run.outputs.status, 'uninstalled');
      assert.match(run.main.stdout, /no good revision before revision 1/);
    });

    it('mode rollback keeps a broken first install with keep-failed-install, and fails', async () => {
      const c = standInCluster(major, { helm: [{ match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete']]) }] });
      const run = await deploy(c, { mode: 'rollback', chart: '', 'keep-failed-install': 'true' });
      assert.equal(run.main.exitCode, 1);
      assert.equal(calls(c.helm, 'uninstall').length, 0);
      assert.match(run.main.stdout, /keep-failed-install is true, so revision 1 stays/);
      assert.equal(run.outputs['rolled-back'], 'false');
    });
  });
}

describe('helm-deploy inputs and secrets', { concurrency: 4 }, () => {
  const bad: [Record<string, string>, RegExp][] = [
    [{ release: 'Shop_Service' }, /Input 'release'/],
    [{ release: 'a'.repeat(54) }, /Input 'release'.*at most 53/],
    [{ namespace: 'Team A' }, /Input 'namespace'/],
    [{ timeout: 'five minutes' }, /Input 'timeout'/],
    [{ chart: 'charts/missing' }, /Input 'chart'/],
    [{ 'values-files': '/etc/passwd' }, /Input 'values-files'.*outside the workspace/],
    [{ 'helm-version': 'not a range' }, /Input 'helm-version'/],
    [{ attempts: '0' }, /Input 'attempts'/],
    [{ kubeconfig: 'not: [valid' }, /::error::Input 'kubeconfig': is not valid YAML \(bad indent at line 1, column 12\); its content is not shown/],
    [{ kubeconfig: 'apiVersion: v1\nkind: Config\nusers: []\n' }, /::error::Input 'kubeconfig': has no clusters/],
    [{ kubeconfig: kubeconfigFor('kind-ci'), context: 'kind-prod' }, /::error::Input 'context': 'kind-prod' is not a context of the kubeconfig input \(its contexts: 'kind-ci'\)/],
  ];
  for (const [inputs, message] of bad) {
    it(`rejects ${JSON.stringify(inputs).slice(0, 60)} before running anything`, async () => {
      const c = standInCluster(3);
      const run = await deploy(c, inputs);
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, message);
      assert.equal(c.helm.calls().length + c.kubectl.calls().length, 0);
      assert.equal(run.main.stdout.match(/^::error/gm)?.length, 1, 'one ::error per failure');
      assert.equal(run.outputs.status, 'unknown');
      assert.equal(run.outputs['rolled-back'], 'false');
      assert.match(run.summary, /❌ helm-deploy/);
      assert.match(run.summary, /\*\*Error:\*\* Input '/);
      assert.match(run.summary, /Status unknown: the inputs are invalid/);
      if (inputs.kubeconfig) {
        const shown = run.visibleOutput + run.summary + JSON.stringify(run.outputs);
        for (const line of inputs.kubeconfig.split('\n').filter((l) => l.length > 8 && !/^[\w-]+:$/.test(l))) assert.ok(!shown.includes(line), `kubeconfig line ${JSON.stringify(line)} not printed`);
      }
    });
  }

  for (const major of [3, 4] as const) {
    it(`Helm ${major}: set and set-sensitive values rejected by the API server are never printed`, async () => {
      const plain = 'plain-value-from-set';
      const sensitive = 'Sensitive-9f8e7d6c';
      // The API server quotes a rejected value (apimachinery field.Invalid: `<path>: Invalid value: "<value>": <why>`).
      const rejected = [
        `Error: UPGRADE FAILED: cannot patch "shop" with kind Deployment: Deployment.apps "shop" is invalid: [metadata.labels: Invalid value: "${plain}": must be no more than 63 characters,`,
        ` spec.template.spec.containers[0].env[0].name: Invalid value: "${sensitive}": a valid environment variable name must consist of alphabetic characters]`,
        '',
      ].join('\n');
      const c = standInCluster(major, {
        helm: [
          { match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete']]) },
          { match: ['upgrade shop'], stderr: rejected, exitCode: 1 },
          { match: ['status shop'], stdout: statusJson(1, 'deployed') },
        ],
      });
      const run = await deploy(c, { set: `podLabels.team=${plain}\nreplicaCount=2`, 'set-sensitive': `env.API_TOKEN=${sensitive}` });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /manifest rejected by validation/);
      assert.ok(run.main.stdout.includes(`::add-mask::${sensitive}`), 'set-sensitive values are masked for the runner');
      for (const value of [plain, sensitive]) {
        assert.ok(!run.visibleOutput.includes(value), `${value} not in the log`);
        assert.ok(!run.summary.includes(value), `${value} not in the summary`);
        assert.ok(!JSON.stringify(run.outputs).includes(value), `${value} not in the outputs`);
      }
      assert.ok(!run.allOutput.includes(plain), 'a set value is not even registered as a mask: it is hidden from the tool output');
      assert.match(run.main.stdout, /Invalid value: "\*\*\*"/);
      assert.deepEqual([run.outputs.status, run.outputs.revision, run.outputs['rolled-back']], ['deployed', '1', 'false']);
      assert.equal(run.main.stdout.match(/^::error/gm)?.length, 1);
    });
  }

  it('names values-files when a values file is not valid YAML, without quoting it', async () => {
    const dir = fs.mkdtempSync(path.join(ROOT, '.tmp-values-'));
    try {
      fs.writeFileSync(path.join(dir, 'broken.yaml'), 'image:\n  tag: [unclosed-secret-ish\n');
      const c = standInCluster(4);
      const run = await deploy(c, { 'values-files': path.relative(ROOT, path.join(dir, 'broken.yaml')) });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /::error::Input 'values-files': '.*broken.yaml' is not valid YAML \(.* at line \d+, column \d+\); its content is not shown/);
      assert.ok(!run.visibleOutput.includes('unclosed-secret-ish'));
      assert.equal(c.helm.calls().length, 0);
      assert.equal(run.outputs.status, 'unknown');
      assert.match(run.summary, /\*\*Error:\*\* Input 'values-files'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('masks the kubeconfig, hands it to helm only as a 0600 file and deletes it in post', async () => {
    const c = standInCluster(4);
    const kubeconfig = kubeconfigFor('kind-ci');
    const run = await deploy(c, { kubeconfig, context: 'kind-ci' });
    assert.equal(run.main.exitCode, 0, run.main.stdout);
    assert.ok(!run.allOutput.split('\n').some((l) => !l.startsWith('::add-mask::') && l.includes('tok-9f8e7d6c5b4a')));
    assert.ok(run.main.stdout.includes('::add-mask::tok-9f8e7d6c5b4a'), 'the token alone is masked too');
    const [upgrade] = calls(c.helm, 'upgrade');
    assert.deepEqual(upgrade.slice(-2), ['--kube-context', 'kind-ci']);
    assert.deepEqual(calls(c.kubectl, '--context')[0].slice(0, 2), ['--context', 'kind-ci']);
    const saved = JSON.parse(run.state.sensitivePaths ?? '[]') as string[];
    assert.ok(saved.length >= 1);
    for (const p of saved) assert.ok(!fs.existsSync(p), `${p} removed in post`);
    assert.equal(run.post?.exitCode, 0);
  });
});
