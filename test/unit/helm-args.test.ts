import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UpgradeArgs } from '../../actions/helm-deploy/helm-args.js';
import { helmMajor, parseHelmVersion, rollbackArgs, upgradeArgs } from '../../actions/helm-deploy/helm-args.js';
import { helmRelease, pickPinnedHelm } from '../../actions/helm-deploy/install-helm.js';

const base: UpgradeArgs = {
  release: 'web',
  namespace: 'prod',
  chart: { kind: 'local', dir: '/ws/chart', ref: '/ws/chart' },
  chartVersion: '',
  valuesFiles: ['/ws/values.yaml', '/tmp/gen.yaml'],
  timeoutMs: 300_000,
  historyMax: 10,
  rollbackOnFailure: true,
  serverSide: 'auto',
  forceConflicts: false,
  forceReplace: false,
  createNamespace: false,
};

describe('upgradeArgs', () => {
  it('uses --atomic --wait on Helm 3', () => {
    assert.deepEqual(upgradeArgs(3, base).args, ['upgrade', 'web', '/ws/chart', '--values', '/ws/values.yaml', '--values', '/tmp/gen.yaml', '--install', '--namespace', 'prod', '--timeout', '5m', '--history-max', '10', '--atomic', '--wait']);
  });
  it('uses --rollback-on-failure --wait=watcher on Helm 4', () => {
    assert.deepEqual(upgradeArgs(4, base).args.slice(-2), ['--rollback-on-failure', '--wait=watcher']);
    assert.ok(!upgradeArgs(4, base).args.includes('--atomic'));
  });
  it('maps force-replace, server-side and force-conflicts on Helm 4', () => {
    const args = upgradeArgs(4, { ...base, forceReplace: true, serverSide: 'true', forceConflicts: true, createNamespace: true }).args;
    assert.deepEqual(args.slice(-5), ['--wait=watcher', '--force-replace', '--server-side=true', '--force-conflicts', '--create-namespace']);
  });
  it('maps force-replace to --force on Helm 3 and warns about server-side inputs', () => {
    const built = upgradeArgs(3, { ...base, forceReplace: true, serverSide: 'false', forceConflicts: true });
    assert.ok(built.args.includes('--force'));
    assert.ok(!built.args.some((a) => a.startsWith('--server-side') || a === '--force-conflicts'));
    assert.equal(built.warnings.length, 2);
  });
  it('waits without rolling back when atomic is off', () => {
    assert.deepEqual(upgradeArgs(3, { ...base, rollbackOnFailure: false }).args.slice(-1), ['--wait']);
    assert.deepEqual(upgradeArgs(4, { ...base, rollbackOnFailure: false }).args.slice(-1), ['--wait=watcher']);
  });
  it('passes --repo and --version for repository charts', () => {
    const args = upgradeArgs(3, { ...base, chart: { kind: 'repo', ref: 'nginx', repo: 'https://charts.example.com' }, chartVersion: '1.2.3', valuesFiles: [] }).args;
    assert.deepEqual(args.slice(0, 7), ['upgrade', 'web', 'nginx', '--repo', 'https://charts.example.com', '--version', '1.2.3']);
  });
});

describe('versions', () => {
  it('rolls back with the wait flag of each major', () => {
    assert.deepEqual(rollbackArgs(3, 'web', 'prod', 4, 60_000, 10), ['rollback', 'web', '4', '--namespace', 'prod', '--wait', '--timeout', '1m', '--history-max', '10']);
    assert.equal(rollbackArgs(4, 'web', 'prod', 4, 60_000, 10)[5], '--wait=watcher');
  });
  it('parses helm version --short', () => {
    assert.deepEqual([parseHelmVersion('v3.17.3+ge4da497'), parseHelmVersion('v4.1.4+g05fa379\n')], ['3.17.3', '4.1.4']);
    assert.equal(helmMajor('4.1.4'), 4);
    assert.throws(() => helmMajor('2.17.0'), /not supported/);
  });
  it('picks the newest pinned release in range', () => {
    assert.deepEqual([pickPinnedHelm('>=3.17.0 <5'), pickPinnedHelm('^3'), pickPinnedHelm('^5')], ['4.1.4', '3.17.3', undefined]);
  });
  it('downloads from get.helm.sh with the published checksum', () => {
    const r = helmRelease('3.17.3', 'linux', 'x64');
    assert.equal(r.url, 'https://get.helm.sh/helm-v3.17.3-linux-amd64.tar.gz');
    assert.equal(r.checksumsUrl, 'https://get.helm.sh/helm-v3.17.3-linux-amd64.tar.gz.sha256sum');
    assert.equal(r.binary, 'linux-amd64/helm');
  });
});
