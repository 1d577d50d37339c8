import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { cacheKeys, decideSkip, isDbFresh } from '../../actions/trivy-gate/db-cache.js';
import { EMPTY_RULES } from '../../actions/trivy-gate/ignore.js';
import { evaluateReport } from '../../actions/trivy-gate/gate.js';
import { parseSeverities, parseTargets, parseVersion } from '../../actions/trivy-gate/inputs.js';
import { trivyAssetName, trivyRelease } from '../../actions/trivy-gate/install.js';
import { renderSummary, versions } from '../../actions/trivy-gate/summary.js';
import { buildScanArgs, parseTrivyVersion, type ScanOptions } from '../../actions/trivy-gate/trivy.js';
import { InputError } from '../../actions/toolkit/index.js';

const base: ScanOptions = {
  kind: 'fs',
  target: '/ws',
  output: '/tmp/fs.json',
  emptyIgnoreFile: '/tmp/empty',
  cacheDir: '/cache',
  scanners: ['vuln', 'secret'],
  timeout: '10m',
  dbRepositories: ['ghcr.io/aquasecurity/trivy-db:2', 'mirror.gcr.io/aquasec/trivy-db:2'],
  javaDbRepositories: ['ghcr.io/aquasecurity/trivy-java-db:1'],
  skipDbUpdate: false,
  skipJavaDbUpdate: false,
};

describe('trivy argv', () => {
  it('scans fs to JSON with every severity, our empty ignore file and the DB repositories in order', () => {
    assert.deepEqual(buildScanArgs(base, '0.72.0'), [
      'fs', '--format', 'json', '--output', '/tmp/fs.json', '--severity', 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL', '--ignorefile', '/tmp/empty', '--cache-dir', '/cache', '--timeout', '10m',
      '--scanners', 'vuln,secret', '--list-all-pkgs=false', '--no-progress', '--db-repository', 'ghcr.io/aquasecurity/trivy-db:2,mirror.gcr.io/aquasec/trivy-db:2', '--java-db-repository', 'ghcr.io/aquasecurity/trivy-java-db:1', '/ws',
    ]);
  });
  it('passes a single DB repository to Trivy older than 0.56', () => {
    const args = buildScanArgs(base, '0.50.1');
    assert.equal(args[args.indexOf('--db-repository') + 1], 'ghcr.io/aquasecurity/trivy-db:2');
  });
  it('adds the skip flags and skip-dirs when asked', () => {
    const args = buildScanArgs({ ...base, skipDbUpdate: true, skipJavaDbUpdate: true, skipDirs: ['/ws/.cache'] }, 'dev');
    assert.ok(args.includes('--skip-db-update') && args.includes('--skip-java-db-update'));
    assert.deepEqual(args.slice(-3), ['--skip-dirs', '/ws/.cache', '/ws']);
  });
  it('gives trivy config neither scanners nor DB flags', () => {
    const args = buildScanArgs({ ...base, kind: 'config' }, '0.72.0');
    assert.ok(!args.includes('--scanners') && !args.includes('--db-repository'));
    assert.equal(args[0], 'config');
  });
  const versionsSeen: [string, string | undefined][] = [
    ['Version: 0.72.0\nVulnerability DB:\n  Version: 2', '0.72.0'],
    ['Version: v0.29.2', '0.29.2'],
    ['Version: dev', 'dev'],
    ['trivy: command not found', undefined],
  ];
  for (const [out, want] of versionsSeen) it(`reads version ${String(want)} from ${JSON.stringify(out.split('\n')[0])}`, () => assert.equal(parseTrivyVersion(out), want));
});

describe('release assets', () => {
  const assets: [NodeJS.Platform, string, string][] = [
    ['linux', 'x64', 'trivy_0.72.0_Linux-64bit.tar.gz'],
    ['linux', 'arm64', 'trivy_0.72.0_Linux-ARM64.tar.gz'],
    ['darwin', 'arm64', 'trivy_0.72.0_macOS-ARM64.tar.gz'],
    ['win32', 'x64', 'trivy_0.72.0_windows-64bit.zip'],
  ];
  for (const [platform, arch, name] of assets) it(`${platform}/${arch} → ${name}`, () => assert.equal(trivyAssetName('0.72.0', platform, arch), name));
  it('verifies against the release checksums file next to the tarball', () => {
    const r = trivyRelease('0.72.0', 'https://github.com/aquasecurity/trivy/releases/download', 'linux', 'x64');
    assert.equal(r.url, 'https://github.com/aquasecurity/trivy/releases/download/v0.72.0/trivy_0.72.0_Linux-64bit.tar.gz');
    assert.equal(r.checksumsUrl, 'https://github.com/aquasecurity/trivy/releases/download/v0.72.0/trivy_0.72.0_checksums.txt');
    assert.equal(r.checksumName, 'trivy_0.72.0_Linux-64bit.tar.gz');
    assert.equal(r.sha256, undefined);
  });
});

describe('input parsers', () => {
  it('reads severities case-insensitively and refuses unknown ones naming the input', () => {
    assert.deepEqual(parseSeverities('severity', 'high, critical\nHIGH'), ['HIGH', 'CRITICAL']);
    assert.throws(() => parseSeverities('severity', 'HIGH,SEVERE'), (e: unknown) => e instanceof InputError && e.input === 'severity');
    assert.throws(() => parseSeverities('severity', ' , '), InputError);
  });
  const targets: [string, string, string[]][] = [
    ['auto', '', ['fs']],
    ['auto', 'ghcr.io/a/b@sha256:1', ['image']],
    ['fs,config', '', ['fs', 'config']],
  ];
  for (const [raw, ref, want] of targets) it(`targets ${raw} with image-ref '${ref}' → ${want.join(',')}`, () => assert.deepEqual(parseTargets(raw, ref), want));
  it('requires image-ref for the image target', () => assert.throws(() => parseTargets('image', ''), (e: unknown) => e instanceof InputError && e.input === 'image-ref'));
  it('pins exact versions only', () => {
    assert.equal(parseVersion('v0.72.0'), '0.72.0');
    assert.throws(() => parseVersion('latest'), (e: unknown) => e instanceof InputError && e.input === 'trivy-version');
    assert.throws(() => parseVersion('0.72'), InputError);
  });
});

describe('DB cache decisions', () => {
  const now = new Date('2026-09-01T12:00:00Z');
  it('keys the cache by day and restores by prefix', () => {
    assert.deepEqual(cacheKeys(now, 'Linux', 'X64'), { key: 'trivy-cache-Linux-X64-2026-09-01', restoreKeys: ['trivy-cache-Linux-X64-'] });
  });
  const fresh: [string | undefined, boolean][] = [
    ['2026-09-01T18:00:00Z', true],
    ['2026-09-01T06:00:00Z', false],
    [undefined, false],
    ['garbage', false],
  ];
  for (const [next, want] of fresh) it(`NextUpdate ${String(next)} is ${want ? 'fresh' : 'stale'}`, () => assert.equal(isDbFresh({ NextUpdate: next }, now), want));

  it('auto skips only a fresh cached DB; true with an empty cache downloads with a warning', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trivy-cache-'));
    assert.deepEqual(decideSkip('auto', dir, now, 'db'), { skip: false });
    const forced = decideSkip('true', dir, now, 'db');
    assert.equal(forced.skip, false);
    assert.match(forced.warning ?? '', /holds no DB/);
    fs.mkdirSync(path.join(dir, 'db'));
    fs.writeFileSync(path.join(dir, 'db', 'metadata.json'), JSON.stringify({ NextUpdate: '2026-09-02T00:00:00Z' }));
    assert.deepEqual(decideSkip('auto', dir, now, 'db'), { skip: true });
    assert.deepEqual(decideSkip('false', dir, now, 'db'), { skip: false });
  });
});

describe('summary', () => {
  const report = { SchemaVersion: 2, Results: Array.from({ length: 1 }, () => ({ Target: 'x (alpine 3.19)', Class: 'os-pkgs', Vulnerabilities: Array.from({ length: 7 }, (_, i) => ({ VulnerabilityID: `CVE-2026-${1000 + i}`, PkgName: 'p|q', InstalledVersion: '1', Severity: 'HIGH', Title: 'a <b> title' })) })) };
  const evaluation = evaluateReport(report, { severities: ['HIGH'], ignoreUnfixed: false }, EMPTY_RULES);
  const md = renderSummary({ scans: [{ kind: 'image', subject: 'img', evaluation }], policy: { severities: ['HIGH'], ignoreUnfixed: false }, ignoreFiles: [], expired: [], ignoreWarnings: [], limit: 5, warnOnly: false });
  it('caps the gated list with an "and N more" line', () => {
    assert.equal((md.match(/\| \[CVE-2026-/g) ?? []).length, 5);
    assert.match(md, /…and 2 more/);
  });
  it('escapes table cells (pipes, HTML)', () => {
    assert.match(md, /p&#124;q/);
    assert.match(md, /a &lt;b&gt; title/);
  });
  it('shows "no fix" when a vulnerability has no fixed version', () => {
    assert.equal(versions({ kind: 'vulnerability', id: 'x', severity: 'HIGH', target: 't', installedVersion: '1.0', fixed: false }), '1.0 → no fix');
  });
});
