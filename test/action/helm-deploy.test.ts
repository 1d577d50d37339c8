// helm-deploy's built bundle against stand-in `helm` and `kubectl` that replay fixture outputs of both Helm
// majors, only where the point is a captured text or the argv sent: the flags, a transient and a permanent error,
// a render error, bad inputs, values the API server quotes, the kubeconfig. What the cluster does (rollouts, crash
// loops, image pulls, rollbacks, history, failed first installs, pending releases) is tested on the real control
// plane: test/integration/helm-deploy-cluster.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../support/run-action.js';
import { FIXTURES, calls, deploy, history, kubeconfigFor, standInCluster, statusJson } from './helm-deploy-stand-ins.js';

for (const major of [3, 4] as const) {
  const fx = (step: string): string => path.join(FIXTURES, `helm${major}`, step);
  describe(`helm-deploy on Helm ${major}`, { concurrency: 4 }, () => {
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
