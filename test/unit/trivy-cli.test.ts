import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { cacheKeys, decideSkip, isDbFresh } from '../../actions/trivy-gate/db-cache.js';
import { EMPTY_RULES } from '../../actions/trivy-gate/ignore.js';
import { evaluateReport } from '../../actions/trivy-gate/gate.js';
import { parseImageRef, parseSeverities, parseTargets, parseVersion } from '../../actions/trivy-gate/inputs.js';
import { trivyAssetName, trivyRelease } from '../../actions/trivy-gate/install.js';
import { renderGatedTable, renderSummary, versions } from '../../actions/trivy-gate/summary.js';
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
  it('names the inputs that avoid the download, for a download failure', () => {
    const r = trivyRelease('0.72.0', 'https://mirror.example/trivy', 'linux', 'x64');
    assert.match(r.avoid ?? '', /trivy-download-url .*\(now https:\/\/mirror\.example\/trivy\)/);
    assert.match(r.avoid ?? '', /use-path-trivy: true/);
  });
});

describe('image-ref', () => {
  const digest = `sha256:${'a1'.repeat(32)}`;
  const valid = [
    'alpine',
    'alpine:3.19',
    'library/alpine:3.19',
    'ghcr.io/acme/app:1.2.3',
    `ghcr.io/acme/app@${digest}`,
    `ghcr.io/acme/app:1.2.3@${digest}`,
    '127.0.0.1:5001/acme/app:1',
    'localhost:5000/app',
    'localhost/app:latest',
    'registry.example.com:443/team/sub-team/my_app__x.y:v1_2-3',
    'Registry.Example.com/acme/app:1',
  ];
  for (const ref of valid) it(`accepts ${ref}`, () => assert.equal(parseImageRef(ref), ref));
  it('accepts empty (only the image target needs it) and trims', () => {
    assert.equal(parseImageRef(''), '');
    assert.equal(parseImageRef('  ghcr.io/acme/app:1 \n'), 'ghcr.io/acme/app:1');
  });
  const invalid: [string, RegExp][] = [
    ['Bad Ref', /^Input 'image-ref': 'Bad Ref' contains whitespace \(expected \[registry\/\]repository\[:tag\]\[@sha256:<64 hex>\]/],
    ['ghcr.io/Acme/app:1', /uppercase letters in the repository 'Acme\/app'/],
    ['Acme/app', /uppercase letters in the repository 'Acme\/app'/],
    ['ghcr.io/acme/app@sha256:9b2a', /malformed digest 'sha256:9b2a'/],
    [`ghcr.io/acme/app@sha256:${'A1'.repeat(32)}`, /malformed digest/],
    [`ghcr.io/acme/app@md5:${'a'.repeat(32)}`, /malformed digest/],
    ['ghcr.io/acme/app:', /invalid tag ''/],
    ['ghcr.io/acme/app:-x', /invalid tag '-x'/],
    [`ghcr.io/acme/app:${'t'.repeat(129)}`, /invalid tag/],
    ['ghcr.io//app', /empty path component/],
    ['ghcr.io/', /empty path component/],
    ['ghcr.io/acme/-app', /invalid repository component '-app'/],
    ['ghcr.io/acme/app..x', /invalid repository component 'app\.\.x'/],
    ['bad_host.io/acme/app', /invalid registry 'bad_host\.io'/],
    [`ghcr.io/${'a'.repeat(250)}`, /at most 255/],
  ];
  for (const [ref, message] of invalid) {
    it(`refuses ${ref.slice(0, 40)}, naming image-ref`, () => assert.throws(() => parseImageRef(ref), (e: unknown) => e instanceof InputError && e.input === 'image-ref' && message.test(e.message)));
  }
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
  it('renders the log table of gated findings from the evaluation: a count line per target, one table (no trivy convert)', () => {
    const two = evaluateReport(
      { SchemaVersion: 2, Results: [{ Target: 'img (alpine 3.19)', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', PkgName: 'libssl3', InstalledVersion: '3.1', FixedVersion: '3.2', Severity: 'CRITICAL', Title: 'multi\nline' }, { VulnerabilityID: 'CVE-2', PkgName: 'zlib', InstalledVersion: '1', Severity: 'LOW' }] }, { Target: 'Dockerfile', Class: 'config', Misconfigurations: [{ ID: 'DS-0002', Severity: 'HIGH', Status: 'FAIL', Title: 'root user', CauseMetadata: { StartLine: 1 } }] }] },
      { severities: ['HIGH', 'CRITICAL'], ignoreUnfixed: false },
      EMPTY_RULES,
    );
    const table = renderGatedTable(two.gated).split('\n');
    assert.deepEqual(table.slice(0, 2), ['img (alpine 3.19): 1 gated (CRITICAL: 1)', 'Dockerfile: 1 gated (HIGH: 1)']);
    assert.match(table[5], /^│ CVE-1 +│ CRITICAL │ vulnerability +│ libssl3 +│ 3\.1 → 3\.2 +│ multi line +│ img \(alpine 3\.19\) │$/);
    assert.match(table[6], /^│ DS-0002 +│ HIGH +│ misconfiguration │ Dockerfile:1 +│ +│ root user +│ Dockerfile +│$/);
    assert.ok(!table.some((l) => l.includes('CVE-2')), 'only gated findings');
    const widths = new Set(table.filter((l) => /^[│┌├└]/.test(l)).map((l) => l.length));
    assert.equal(widths.size, 1, 'columns aligned');
    assert.equal(renderGatedTable([]), '');
  });
  it('says how many gated findings the bounded log table leaves out', () => {
    const many = evaluateReport(report, { severities: ['HIGH'], ignoreUnfixed: false }, EMPTY_RULES);
    const table = renderGatedTable(many.gated.slice(0, 2), many.gatedCount);
    assert.match(table, /\(the 2 most severe of 7 gated findings\)/);
    assert.equal((table.match(/│ CVE-2026-/g) ?? []).length, 2);
  });
  it('shows "no fix" when a vulnerability has no fixed version', () => {
    assert.equal(versions({ kind: 'vulnerability', id: 'x', severity: 'HIGH', target: 't', installedVersion: '1.0', fixed: false }), '1.0 → no fix');
  });
});
