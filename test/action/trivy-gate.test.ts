// The built bundle under Node 24 as the runner runs it, with a `trivy` stand-in on PATH that writes a
// chosen report to --output and records its argv.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, runAction, type ActionRun } from '../support/run-action.js';
import { createStandIn, type StandIn, type StandInRule } from '../support/stand-in.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'trivy');
const fixture = (name: string): string => path.join(FIXTURES, name);
const IMAGE_BY_DIGEST = `ghcr.io/acme/app@sha256:9b2a6e0f4a0c${'0'.repeat(52)}`;

interface Setup {
  trivy: StandIn;
  bin: string;
  workspace: string;
}

function setUp(scanRules: StandInRule[], ignoreFiles: string[] = []): Setup {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trivy-gate-'));
  const bin = path.join(dir, 'bin');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  for (const f of ignoreFiles) fs.copyFileSync(fixture(f), path.join(workspace, f));
  const trivy = createStandIn(bin, 'trivy', [
    { match: ['--version'], stdout: 'Version: 0.72.0\nVulnerability DB:\n  Version: 2\n' },
    { match: ['convert', '--format', 'sarif'], writeFileArg: { flag: '--output', from: fixture('image.sarif') } },
    { match: ['convert', '--format', 'table'], stdout: 'TABLE OF GATED FINDINGS\n' },
    ...scanRules,
  ]);
  return { trivy, bin, workspace };
}

function scanRule(kind: string, report: string): StandInRule {
  return { match: [kind, '--format json'], writeFileArg: { flag: '--output', from: fixture(report) } };
}

async function gate(s: Setup, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction('trivy-gate', { inputs: { 'use-path-trivy': 'true', ...inputs }, pathPrepend: [s.bin], context: { workspace: s.workspace } });
}

function scanCalls(s: Setup): string[][] {
  return s.trivy.calls().filter((c) => ['fs', 'image', 'config'].includes(c[0]));
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

describe('trivy-gate action', () => {
  it('passes a clean fs scan, scanning once to JSON with DB flags and no --exit-code', async () => {
    const s = setUp([scanRule('fs', 'npm-lockfile.json')]);
    const run = await gate(s, {});
    assert.equal(run.main.exitCode, 0, run.allOutput);
    const calls = scanCalls(s);
    assert.equal(calls.length, 1, 'one scan per target');
    const argv = calls[0];
    assert.equal(argv[0], 'fs');
    assert.equal(flag(argv, '--format'), 'json');
    assert.ok(!argv.some((a) => a.startsWith('--exit-code')), 'the gate never relies on --exit-code');
    assert.equal(flag(argv, '--severity'), 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL', 'the JSON holds every severity');
    assert.equal(flag(argv, '--db-repository'), 'ghcr.io/aquasecurity/trivy-db:2,mirror.gcr.io/aquasec/trivy-db:2,public.ecr.aws/aquasecurity/trivy-db:2');
    assert.match(flag(argv, '--java-db-repository') ?? '', /^ghcr\.io\/aquasecurity\/trivy-java-db:1,/);
    assert.equal(flag(argv, '--cache-dir'), path.join(run.runnerTemp, 'trivy-cache'));
    assert.equal(flag(argv, '--timeout'), '10m');
    assert.ok(!argv.includes('--skip-db-update'), 'no DB in the cache yet: Trivy downloads it');
    assert.equal(fs.readFileSync(flag(argv, '--ignorefile') ?? '', 'utf8'), '', "Trivy's own ignore handling is off");
    assert.equal(argv[argv.length - 1], s.workspace);
    assert.equal(run.outputs['report-path'], flag(argv, '--output'));
    assert.equal(run.outputs.passed, 'true');
    assert.deepEqual([run.outputs.critical, run.outputs.high, run.outputs.medium, run.outputs.low, run.outputs.total, run.outputs.gated], ['0', '0', '1', '1', '2', '0']);
    const sarif = JSON.parse(fs.readFileSync(run.outputs['sarif-path'], 'utf8')) as { runs: { automationDetails: { id: string } }[] };
    assert.equal(sarif.runs[0].automationDetails.id, 'trivy-gate/fs/');
    const convert = s.trivy.calls().find((c) => c[0] === 'convert') ?? [];
    assert.equal(convert.at(-1), flag(argv, '--output'), 'SARIF converted from the same JSON');
    assert.equal(flag(convert, '--ignorefile'), flag(argv, '--ignorefile'), 'convert does not re-apply a workspace .trivyignore');
    assert.match(run.summary, /Trivy gate ✅ passed/);
    assert.match(run.summary, /\| package-lock\.json \| lang-pkgs \| 0 \| 0 \| 1 \| 1 \| 0 \| 0 \| 0 \|/);
    assert.match(run.main.stdout, /Actions cache service not available/, 'cache skipped with a debug line off GitHub');
    assert.equal(run.post?.exitCode, 0);
  });

  it('fails on CRITICAL and HIGH image findings, with outputs, a linked summary capped by summary-limit, and a table', async () => {
    const s = setUp([scanRule('image', 'image-alpine.json')]);
    const run = await gate(s, { 'image-ref': IMAGE_BY_DIGEST, 'summary-limit': '3' });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::error::Trivy gate: 5 findings at HIGH, CRITICAL \(2 CRITICAL, 3 HIGH\): CVE-2024-0727, /);
    assert.equal(scanCalls(s)[0].at(-1), IMAGE_BY_DIGEST);
    assert.deepEqual(
      ['passed', 'gated', 'total', 'critical', 'high', 'medium', 'low', 'unknown', 'ignored'].map((k) => run.outputs[k]),
      ['false', '5', '8', '2', '3', '1', '1', '1', '0'],
    );
    assert.deepEqual(JSON.parse(run.outputs.counts).gated, { CRITICAL: 2, HIGH: 3, MEDIUM: 0, LOW: 0, UNKNOWN: 0 });
    assert.match(run.summary, /Trivy gate ❌ failed: 5 findings/);
    assert.match(run.summary, /\[CVE-2024-0727\]\(https:\/\/avd\.aquasec\.com\/nvd\/cve-2024-0727\) \| 🟥 CRITICAL \| vulnerability \| libcrypto3 \| 3\.1\.4-r2 → 3\.1\.4-r5 \|/);
    assert.match(run.summary, /…and 2 more/);
    assert.match(run.summary, /\| Node\.js \| lang-pkgs \| 0 \| 2 \| 0 \| 0 \| 0 \| 2 \| 0 \|/);
    const table = run.main.stdout.slice(run.main.stdout.indexOf('Gated findings of image (table)'));
    assert.deepEqual([...table.matchAll(/^│ (\S+) +│ (CRITICAL|HIGH) +│/gm)].map((m) => m[2]), ['CRITICAL', 'CRITICAL', 'HIGH', 'HIGH', 'HIGH'], 'the table shows exactly the gated findings, most severe first');
    assert.ok(!s.trivy.calls().some((c) => c.includes('table')), 'the table is rendered by the action');
    const rows = fs.readFileSync(run.outputs['findings-path'], 'utf8').trim().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(rows[0].slice(0, 4), ['scan', 'status', 'severity', 'id']);
    assert.deepEqual(rows.slice(1).map((r) => `${r[1]} ${r[2]}`).sort(), ['gated CRITICAL', 'gated CRITICAL', 'gated HIGH', 'gated HIGH', 'gated HIGH']);
    assert.match(run.summary, /…and 2 more: every finding is listed in `[^`]+findings\.tsv` \(the `findings-path` output/);
  });

  it('reports without failing under warn-only', async () => {
    const s = setUp([scanRule('image', 'image-alpine.json')]);
    const run = await gate(s, { 'image-ref': 'ghcr.io/acme/app:1', 'warn-only': 'true', table: 'false' });
    assert.equal(run.main.exitCode, 0, run.allOutput);
    assert.equal(run.outputs.passed, 'false');
    assert.match(run.main.stdout, /::warning::Trivy gate: 5 findings .*warn-only: not failing/);
    assert.match(run.summary, /⚠️ 5 findings at HIGH, CRITICAL \(warn-only: not failing\)/);
    assert.doesNotMatch(run.main.stdout, /Gated findings of image \(table\)/);
  });

  it('passes when the only HIGH findings are ignored, and lists them with why and until when', async () => {
    const s = setUp([scanRule('image', 'image-alpine.json')], ['.trivyignore', '.trivyignore.yaml']);
    const run = await gate(s, { 'image-ref': 'ghcr.io/acme/app:1', severity: 'HIGH' });
    assert.equal(run.main.exitCode, 0, run.allOutput);
    assert.equal(run.outputs.passed, 'true');
    assert.equal(run.outputs.ignored, '3');
    assert.match(run.summary, /### Ignored findings \(3\)/);
    assert.match(run.summary, /CVE-2023-6129.*\.trivyignore:2, until 2099-12-31: PowerPC only/);
    assert.match(run.summary, /GHSA-3h5v-q93c-6h6q.*until 2099-06-30: ws is only used by the dev server/);
    assert.match(run.main.stdout, /::warning::\.trivyignore:5: 'exp:2024-13-45' is not a valid exp:YYYY-MM-DD date/);
  });

  it('fails again once an ignore entry has expired, and says which entry expired', async () => {
    const s = setUp([scanRule('image', 'image-alpine.json')], ['.trivyignore', '.trivyignore.yaml']);
    const run = await gate(s, { 'image-ref': 'ghcr.io/acme/app:1' });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::error::Trivy gate: 2 findings at HIGH, CRITICAL \(2 CRITICAL\): CVE-2024-0727/);
    assert.match(run.summary, /### Expired ignore entries \(2\)/);
    assert.match(run.summary, /`CVE-2024-0727` expired 2020-01-01 \(\.trivyignore:3\)/);
    assert.match(run.summary, /ignore expired 20(20-01-01|21-05-01)/);
    assert.match(run.main.stdout, /::warning::Ignore entry CVE-2024-0727 \(\.trivyignore:3\) expired on 2020-01-01/);
  });

  it('fails with Trivy\'s own message when the scan errors, never passes', async () => {
    const s = setUp([{ match: ['fs', '--format json'], exitCode: 1, stderr: '2026-09-01T10:00:00Z\tFATAL\tFatal error\trun error: init error: DB error: failed to download vulnerability DB: OCI repository error: TOOMANYREQUESTS: retry-after: 1.2s\n' }]);
    const run = await gate(s, {});
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::error::.*failed with exit code 1:.*TOOMANYREQUESTS/s);
    assert.equal(run.outputs.passed, 'false');
    assert.equal(run.post?.exitCode, 0, 'post (cache save) never fails the job');
  });

  it('fails when Trivy exits 0 without writing the report', async () => {
    const s = setUp([{ match: ['fs', '--format json'], exitCode: 0 }]);
    const run = await gate(s, {});
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /exited 0 but wrote no report/);
  });

  const badInputs: [Record<string, string>, RegExp][] = [
    [{ severity: 'HIGH,SEVERE' }, /Input 'severity': unknown severity 'SEVERE'/],
    [{ path: 'does/not/exist' }, /Input 'path': does\/not\/exist does not exist/],
    [{ targets: 'image' }, /Input 'image-ref': is required when targets include image/],
    [{ mode: 'report', report: 'missing.json' }, /Input 'report': missing\.json cannot be read/],
    [{ 'ignore-file': 'nope.trivyignore' }, /Input 'ignore-file': nope\.trivyignore does not exist/],
    [{ scanners: 'vuln,rootkit' }, /Input 'scanners': unknown scanner 'rootkit'/],
    [{ 'image-ref': 'Bad Ref' }, /Input 'image-ref': 'Bad Ref' contains whitespace \(expected \[registry\/\]repository\[:tag\]\[@sha256:<64 hex>\]/],
    [{ 'image-ref': 'ghcr.io/Acme/app:1' }, /Input 'image-ref': 'ghcr\.io\/Acme\/app:1' has uppercase letters in the repository 'Acme\/app'/],
    [{ 'image-ref': 'ghcr.io/acme/app@sha256:9b2a' }, /Input 'image-ref': .* has a malformed digest 'sha256:9b2a'/],
    [{ targets: 'fs', 'image-ref': 'ghcr.io/acme/app:' }, /Input 'image-ref': .* has an invalid tag ''/],
  ];
  for (const [inputs, message] of badInputs) {
    it(`rejects ${JSON.stringify(inputs)} before running Trivy`, async () => {
      const s = setUp([scanRule('fs', 'npm-lockfile.json')]);
      const run = await gate(s, inputs);
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, message);
      assert.deepEqual(s.trivy.calls(), [], 'no side effect');
    });
  }

  it('rejects a bad image-ref before downloading Trivy', async () => {
    const s = setUp([]);
    const run = await runAction('trivy-gate', { inputs: { 'image-ref': 'Bad Ref', 'trivy-download-url': 'http://127.0.0.1:1/releases' }, context: { workspace: s.workspace } });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::error::Input 'image-ref': 'Bad Ref' contains whitespace/);
    assert.doesNotMatch(run.allOutput, /Downloading|127\.0\.0\.1:1/, 'no download was attempted');
  });

  it("names the use-path-trivy input when no trivy is on PATH", async () => {
    const s = setUp([scanRule('fs', 'npm-lockfile.json')]);
    const emptyBin = fs.mkdtempSync(path.join(os.tmpdir(), 'no-trivy-'));
    const run = await runAction('trivy-gate', { inputs: { 'use-path-trivy': 'true' }, env: { PATH: emptyBin }, context: { workspace: s.workspace } });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::error::Input 'use-path-trivy': is true but no trivy is on PATH; install Trivy in an earlier step, or set it to false/);
    assert.equal(run.outputs.passed, 'false');
  });

  it('rejects an invalid .trivyignore.yaml naming the ignore-file input', async () => {
    const s = setUp([scanRule('fs', 'npm-lockfile.json')]);
    fs.writeFileSync(path.join(s.workspace, '.trivyignore.yaml'), 'vulnerabilities:\n  - paths: ["a"]\n');
    const run = await gate(s, {});
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /Input 'ignore-file': \.trivyignore\.yaml vulnerabilities\[0\]: 'id' is required/);
    assert.deepEqual(scanCalls(s), []);
  });

  it('scans fs, image and config once each; report-path is then the directory of reports', async () => {
    const s = setUp([scanRule('fs', 'npm-lockfile.json'), scanRule('image', 'no-results.json'), scanRule('config', 'misconfig-dockerfile.json')]);
    const run = await gate(s, { targets: 'fs,image,config', 'image-ref': 'ghcr.io/acme/app:1', sarif: 'false', table: 'false' });
    assert.equal(run.main.exitCode, 1);
    assert.deepEqual(scanCalls(s).map((c) => c[0]), ['fs', 'image', 'config']);
    const config = scanCalls(s)[2];
    assert.ok(!config.includes('--db-repository') && !config.includes('--scanners'), 'trivy config takes no DB or scanner flags');
    assert.deepEqual(fs.readdirSync(run.outputs['report-path']).sort(), ['config.json', 'fs.json', 'image.json']);
    assert.equal(run.outputs['sarif-path'], '');
    assert.match(run.summary, /### image `ghcr\.io\/acme\/app:1`\n\nNo findings/);
    assert.match(run.summary, /\[DS-0002\]\(https:\/\/avd\.aquasec\.com\/misconfig\/avd-ds-0002\).*Dockerfile:1/);
  });

  it('passes registry credentials through the environment, never argv or logs', async () => {
    const s = setUp([scanRule('image', 'no-results.json')]);
    const run = await gate(s, { 'image-ref': '127.0.0.1:5001/acme/app:1', 'registry-username': 'robot', 'registry-password': 's3cr3t-p4ss' });
    assert.equal(run.main.exitCode, 0, run.allOutput);
    assert.ok(!s.trivy.calls().flat().some((a) => a.includes('s3cr3t-p4ss')));
    assert.match(run.main.stdout, /::add-mask::s3cr3t-p4ss/, 'registered with the runner for masking');
    const logged = run.allOutput.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    assert.ok(!logged.some((l) => l.includes('s3cr3t-p4ss')));
  });

  it('skips the DB download when the cache is fresh and skips the cache directory inside the scanned path', async () => {
    const s = setUp([scanRule('fs', 'npm-lockfile.json')]);
    const cache = path.join(s.workspace, '.cache', 'trivy');
    fs.mkdirSync(path.join(cache, 'db'), { recursive: true });
    fs.writeFileSync(path.join(cache, 'db', 'metadata.json'), JSON.stringify({ Version: 2, NextUpdate: '2999-01-01T00:00:00Z' }));
    const run = await gate(s, { 'cache-dir': '.cache/trivy', timeout: '300' });
    assert.equal(run.main.exitCode, 0, run.allOutput);
    const argv = scanCalls(s)[0];
    assert.ok(argv.includes('--skip-db-update'));
    assert.ok(!argv.includes('--skip-java-db-update'), 'no Java DB cached');
    assert.equal(flag(argv, '--skip-dirs'), cache);
    assert.equal(flag(argv, '--timeout'), '5m', 'seconds handed to Trivy as a Go duration');
  });

  describe('mode report', () => {
    it('gates an old report without Status by FixedVersion under ignore-unfixed, without installing Trivy', async () => {
      const s = setUp([]);
      const run = await runAction('trivy-gate', { inputs: { mode: 'report', report: fixture('old-no-status.json'), 'ignore-unfixed': 'true', sarif: 'false', table: 'false' }, context: { workspace: s.workspace } });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /Trivy gate: 1 finding at HIGH, CRITICAL \(1 CRITICAL\): CVE-2019-1549/);
      assert.equal(run.outputs.high, '1');
      assert.equal(run.outputs.gated, '1');
      assert.equal(run.outputs['report-path'], fixture('old-no-status.json'));
      assert.deepEqual(s.trivy.calls(), []);
    });

    it('prints the table of gated findings without Trivy when sarif is false', async () => {
      const s = setUp([]);
      const run = await gate(s, { mode: 'report', report: fixture('image-alpine.json'), sarif: 'false' });
      assert.equal(run.main.exitCode, 1);
      assert.equal(run.outputs.gated, '5');
      assert.deepEqual(s.trivy.calls(), [], 'no trivy run (nor download) for the table');
      assert.doesNotMatch(run.main.stdout, /Set up Trivy/);
      const table = run.main.stdout.slice(run.main.stdout.indexOf('Gated findings of report (table)'));
      assert.match(table, /: 3 gated \(CRITICAL: 2, HIGH: 1\)/);
      assert.match(table, /│ CVE-2024-0727 +│ CRITICAL +│ vulnerability │ libcrypto3 +│ 3\.1\.4-r2 → 3\.1\.4-r5 +│/);
      assert.match(table, /Node\.js: 2 gated \(HIGH: 2\)/);
      assert.equal(run.outputs['sarif-path'], '');
    });

    it('evaluates a Trivy SARIF file and hands it on as sarif-path', async () => {
      const s = setUp([]);
      const run = await gate(s, { mode: 'report', report: fixture('image.sarif'), severity: 'CRITICAL' });
      assert.equal(run.main.exitCode, 1);
      assert.equal(run.outputs.gated, '1');
      assert.equal(run.outputs['sarif-path'], fixture('image.sarif'));
    });

    it('applies the ignore file to a SARIF input before handing it on as sarif-path, and leaves it empty with sarif false', async () => {
      const s = setUp([]);
      fs.writeFileSync(path.join(s.workspace, '.trivyignore'), 'CVE-2024-0727 # not reachable\n');
      const run = await gate(s, { mode: 'report', report: fixture('image.sarif'), severity: 'CRITICAL' });
      assert.equal(run.main.exitCode, 0, run.allOutput);
      assert.equal(run.outputs.ignored, '1');
      assert.notEqual(run.outputs['sarif-path'], fixture('image.sarif'));
      const kept = JSON.parse(fs.readFileSync(run.outputs['sarif-path'], 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
      const original = JSON.parse(fs.readFileSync(fixture('image.sarif'), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
      assert.deepEqual(kept.runs[0].results.map((r) => r.ruleId), original.runs[0].results.map((r) => r.ruleId).filter((id) => id !== 'CVE-2024-0727'));
      const off = await gate(s, { mode: 'report', report: fixture('image.sarif'), severity: 'CRITICAL', sarif: 'false' });
      assert.equal(off.outputs['sarif-path'], '');
      assert.deepEqual(s.trivy.calls(), [], 'no Trivy for a SARIF input');
    });

    it('refuses a SARIF file written by another scanner (Grype) instead of passing its CRITICAL finding', async () => {
      const s = setUp([]);
      const run = await gate(s, { mode: 'report', report: fixture('grype.sarif') });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /::error::Input 'report': .*grype\.sarif: a SARIF log written by Grype, not Trivy \(runs\[\]\.tool\.driver\.name\)/);
      assert.equal(run.outputs.passed, 'false');
    });

    it('keeps the job summary and the log table bounded on a report with 20,000 Results, the full list in findings-path', async () => {
      const s = setUp([]);
      const report = path.join(s.workspace, 'big.json');
      const results = Array.from({ length: 20_000 }, (_, i) => ({
        Target: `services/svc-${i}/package-lock.json`,
        Class: 'lang-pkgs',
        Type: 'npm',
        Vulnerabilities: [{ VulnerabilityID: `CVE-2026-${10000 + i}`, PkgName: `pkg-${i}`, InstalledVersion: '1.0.0', FixedVersion: '1.0.1', Status: 'fixed', Severity: i % 10 === 0 ? 'CRITICAL' : 'HIGH', Title: `prototype pollution in pkg-${i} `.repeat(4) }],
      }));
      fs.writeFileSync(report, JSON.stringify({ SchemaVersion: 2, ArtifactName: 'monorepo', ArtifactType: 'repository', Results: results }));
      const run = await gate(s, { mode: 'report', report: 'big.json', sarif: 'false' });
      assert.equal(run.main.exitCode, 1);
      assert.equal(run.outputs.gated, '20000');
      assert.equal(run.outputs.critical, '2000');
      assert.match(run.main.stdout, /::error::Trivy gate: 20000 findings at HIGH, CRITICAL \(2000 CRITICAL, 18000 HIGH\): CVE-2026-10000, .*, and more \(every one in \S+findings\.tsv\)/);
      const summaryBytes = Buffer.byteLength(run.summary);
      assert.ok(summaryBytes < 300 * 1024, `summary is ${summaryBytes} bytes (GitHub drops a step summary over 1 MiB)`);
      assert.match(run.summary, /### Gated findings \(20000\)/);
      assert.equal((run.summary.match(/^\| \[CVE-2026-/gm) ?? []).length, 50, 'summary-limit rows');
      assert.match(run.summary, /…and 19950 more: every finding is listed in `[^`]+` \(the `findings-path` output/);
      assert.match(run.summary, /\*…and 19950 more targets\*/);
      assert.match(run.summary, /\| \*\*total\*\* \| {2}\| \*\*2000\*\* \| \*\*18000\*\* \|/);
      assert.ok(Buffer.byteLength(run.main.stdout) < 1024 * 1024, `log is ${Buffer.byteLength(run.main.stdout)} bytes`);
      assert.match(run.main.stdout, /\(the 500 most severe of 20000 gated findings\)/);
      assert.match(run.main.stdout, /…and 19500 more gated findings: every one is in /);
      const lines = fs.readFileSync(run.outputs['findings-path'], 'utf8').trim().split('\n');
      assert.equal(lines.length, 1 + 20_000);
      assert.equal(new Set(lines.slice(1).map((l) => l.split('\t')[3])).size, 20_000, 'every finding once');
    });

    it('refuses a report that is not SchemaVersion 2, naming the report input', async () => {
      const s = setUp([]);
      const run = await gate(s, { mode: 'report', report: fixture('schema-v1.json') });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, /Input 'report': .*schema-v1\.json: a JSON array: reports of Trivy before 0\.20/);
    });

    it('converts the JSON report to SARIF with the Trivy on PATH', async () => {
      const s = setUp([]);
      const run = await gate(s, { mode: 'report', report: fixture('npm-lockfile.json') });
      assert.equal(run.main.exitCode, 0, run.allOutput);
      assert.ok(fs.existsSync(run.outputs['sarif-path']));
      assert.deepEqual(s.trivy.calls().filter((c) => c[0] === 'convert').map((c) => c.at(-1)), [fixture('npm-lockfile.json')]);
    });
  });
});
