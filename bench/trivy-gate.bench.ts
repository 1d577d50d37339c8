// Gate a ~200 MB Trivy JSON report (generated here, in Trivy's schema) with the built action in mode
// report, against jq counting the same findings on the same file. Each runs in its own process under
// /usr/bin/time for wall time and peak RSS; results print as ratios (ours / jq).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, node24, parseFileCommands, readManifest } from '../test/support/run-action.js';

const TARGET_MB = Number(process.env.TRIVY_BENCH_MB ?? 200);
const RUNS = Number(process.env.TRIVY_BENCH_RUNS ?? 3);
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

function vulnerability(i: number): string {
  const id = `CVE-${2015 + (i % 11)}-${10000 + i}`;
  const pkg = `lib${i % 997}`;
  const status = i % 3 === 0 ? 'affected' : 'fixed';
  return JSON.stringify({
    VulnerabilityID: id,
    PkgID: `${pkg}@1.${i % 50}.0-r${i % 7}`,
    PkgName: pkg,
    PkgIdentifier: { PURL: `pkg:apk/alpine/${pkg}@1.${i % 50}.0-r${i % 7}?arch=x86_64&distro=3.19.1`, UID: (i * 2654435761).toString(16).padStart(16, '0').slice(0, 16) },
    InstalledVersion: `1.${i % 50}.0-r${i % 7}`,
    ...(status === 'fixed' ? { FixedVersion: `1.${i % 50}.1-r0` } : {}),
    Status: status,
    Layer: { DiffID: 'sha256:d4fc045c9e3a848011de66f34b81f052d4f2c15a17bb196d637e526349601820' },
    SeveritySource: 'nvd',
    PrimaryURL: `https://avd.aquasec.com/nvd/${id.toLowerCase()}`,
    DataSource: { ID: 'alpine', Name: 'Alpine Secdb', URL: 'https://secdb.alpinelinux.org/' },
    Title: `${pkg}: memory corruption in the parser of record ${i}`,
    Description: `A flaw was found in ${pkg}. A remote attacker could send a crafted request that triggers an out-of-bounds write in the record parser, leading to a crash or possibly code execution. `.repeat(3),
    ...(i % 101 === 0 ? {} : { Severity: SEVERITIES[i % 5] }),
    CweIDs: ['CWE-787'],
    VendorSeverity: { nvd: (i % 4) + 1, redhat: (i % 3) + 1 },
    CVSS: { nvd: { V3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', V3Score: 9.8 } },
    References: [`https://avd.aquasec.com/nvd/${id.toLowerCase()}`, `https://nvd.nist.gov/vuln/detail/${id}`],
    PublishedDate: '2024-01-09T17:15:12.147Z',
    LastModifiedDate: '2024-05-03T13:15:21.93Z',
  });
}

function generate(file: string): { findings: number; bytes: number } {
  const fd = fs.openSync(file, 'w');
  const target = TARGET_MB * 1024 * 1024;
  let bytes = 0;
  const write = (s: string): void => {
    fs.writeSync(fd, s);
    bytes += Buffer.byteLength(s);
  };
  write('{"SchemaVersion":2,"Trivy":{"Version":"0.72.0"},"ArtifactName":"ghcr.io/acme/big:1","ArtifactType":"container_image","Metadata":{"OS":{"Family":"alpine","Name":"3.19.1"}},"Results":[');
  let findings = 0;
  for (let r = 0; bytes < target; r++) {
    write(`${r ? ',' : ''}{"Target":"layer-${r} (alpine 3.19.1)","Class":"os-pkgs","Type":"alpine","Vulnerabilities":[`);
    const chunk: string[] = [];
    for (let i = 0; i < 1000; i++) chunk.push(vulnerability(findings++));
    write(chunk.join(','));
    write(']}');
  }
  write(']}');
  fs.closeSync(fd);
  return { findings, bytes };
}

interface Measure {
  seconds: number;
  peakMb: number;
  stdout: string;
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Measure {
  const r = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M', command, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`${command} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return { seconds: Number(m[1]), peakMb: Number(m[2]) / 1024, stdout: r.stdout };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const JQ_FILTER = `[.Results[]? | ((.Vulnerabilities // [])[]), ((.Misconfigurations // [])[] | select(.Status != "PASS" and .Status != "EXCEPTION")), ((.Secrets // [])[]), ((.Licenses // [])[]) | (.Severity // "UNKNOWN" | if . == "" then "UNKNOWN" else . end)] | {total: length, gated: (map(select(. == "HIGH" or . == "CRITICAL")) | length)}`;

function actionEnv(report: string, dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, RUNNER_TEMP: dir, GITHUB_WORKSPACE: dir, GITHUB_STATE: path.join(dir, 'state'), GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary') };
  for (const [k, spec] of Object.entries(readManifest('trivy-gate').inputs ?? {})) env[`INPUT_${k.toUpperCase()}`] = spec.default ?? '';
  Object.assign(env, { INPUT_MODE: 'report', INPUT_REPORT: report, INPUT_SARIF: 'false', INPUT_TABLE: 'false', 'INPUT_WARN-ONLY': 'true', 'INPUT_IGNORE-FILE': 'none' });
  return env;
}

function main(): void {
  const bundle = path.join(ROOT, 'dist', 'trivy-gate', 'index.js');
  if (!fs.existsSync(bundle)) throw new Error('build first: npm run build -- trivy-gate');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trivy-bench-'));
  try {
    const report = path.join(dir, 'big.json');
    const started = Date.now();
    const { findings, bytes } = generate(report);
    console.log(`generated ${(bytes / 1024 / 1024).toFixed(0)} MB, ${findings} vulnerabilities in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const ours: Measure[] = [];
    const jq: Measure[] = [];
    for (let i = 0; i < RUNS; i++) {
      for (const f of ['state', 'output', 'summary']) fs.writeFileSync(path.join(dir, f), '');
      ours.push(timed(node24(), [bundle], actionEnv(report, dir)));
      jq.push(timed('jq', ['-c', JQ_FILTER, report]));
    }
    const { total, gated } = parseFileCommands(fs.readFileSync(path.join(dir, 'output'), 'utf8'));
    const jqCounts = JSON.parse(jq[0].stdout) as { total: number; gated: number };
    if (Number(total) !== jqCounts.total || Number(gated) !== jqCounts.gated) throw new Error(`counts differ: ours total=${total} gated=${gated}, jq ${jq[0].stdout.trim()}`);
    console.log(`both count total=${total} gated=${gated}`);
    const row = (name: string, m: Measure[]): string => `${name.padEnd(28)} ${median(m.map((x) => x.seconds)).toFixed(2).padStart(7)} s ${median(m.map((x) => x.peakMb)).toFixed(0).padStart(7)} MB`;
    console.log(`median of ${RUNS} runs (wall time, peak RSS):`);
    console.log(row('trivy-gate (mode report)', ours));
    console.log(row('jq (baseline)', jq));
    const ratio = (pick: (x: Measure) => number): string => (median(ours.map(pick)) / median(jq.map(pick))).toFixed(2);
    console.log(`ratio trivy-gate / jq: time ×${ratio((x) => x.seconds)}, peak memory ×${ratio((x) => x.peakMb)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
