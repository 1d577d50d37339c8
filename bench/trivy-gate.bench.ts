// Gate large Trivy JSON reports built from real ones (bench/trivy-gate-report.ts: the Results of Trivy's
// golden reports and of the project's fixtures, repeated with distinct targets, generated into a temp dir)
// with the built action in mode report, against jq counting the same findings on the same file. Each runs
// in its own process under /usr/bin/time; the figures print as ratios: peak RSS / file size, wall / jq.
// Run: node_modules/.bin/node --import tsx bench/trivy-gate.bench.ts   (TRIVY_BENCH_MB=66,200 TRIVY_BENCH_RUNS=1)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, node24, parseFileCommands, readManifest } from '../test/support/run-action.js';
import { generateReport } from './trivy-gate-report.js';

const SIZES_MB = (process.env.TRIVY_BENCH_MB ?? '66,200').split(',').map(Number);
const RUNS = Number(process.env.TRIVY_BENCH_RUNS ?? 1);

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
  if (!fs.existsSync(bundle)) throw new Error('build first: node scripts/build.mjs trivy-gate');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trivy-bench-'));
  try {
    for (const mb of SIZES_MB) {
      const report = path.join(dir, `report-${mb}mb.json`);
      const started = Date.now();
      const g = generateReport(report, mb);
      const fileMb = g.bytes / 1024 / 1024;
      console.log(`\n${fileMb.toFixed(0)} MB report: ${g.results} Results, ${g.findings} findings from ${g.sources.length} real reports, generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const ours: Measure[] = [];
      const jq: Measure[] = [];
      for (let i = 0; i < RUNS; i++) {
        for (const f of ['state', 'output', 'summary']) fs.writeFileSync(path.join(dir, f), '');
        // Alternate who goes first, so neither always runs on a warmer page cache.
        if (i % 2 === 0) {
          ours.push(timed(node24(), [bundle], actionEnv(report, dir)));
          jq.push(timed('jq', ['-c', JQ_FILTER, report]));
        } else {
          jq.push(timed('jq', ['-c', JQ_FILTER, report]));
          ours.push(timed(node24(), [bundle], actionEnv(report, dir)));
        }
      }
      const { total, gated } = parseFileCommands(fs.readFileSync(path.join(dir, 'output'), 'utf8'));
      const jqCounts = JSON.parse(jq[0].stdout) as { total: number; gated: number };
      if (Number(total) !== jqCounts.total || Number(gated) !== jqCounts.gated) throw new Error(`counts differ: ours total=${total} gated=${gated}, jq ${jq[0].stdout.trim()}`);
      const summaryKb = fs.statSync(path.join(dir, 'summary')).size / 1024;
      console.log(`both count total=${total} gated=${gated}; job summary ${summaryKb.toFixed(0)} KB`);
      const row = (name: string, m: Measure[]): string => `  ${name.padEnd(26)} ${median(m.map((x) => x.seconds)).toFixed(2).padStart(7)} s ${median(m.map((x) => x.peakMb)).toFixed(0).padStart(6)} MB`;
      console.log(`median of ${RUNS} run(s) (wall time, peak RSS):`);
      console.log(row('trivy-gate (mode report)', ours));
      console.log(row('jq (baseline)', jq));
      const oursRss = median(ours.map((x) => x.peakMb));
      console.log(`ratio peak RSS / file size: trivy-gate ×${(oursRss / fileMb).toFixed(2)} (target ≤ 1.5), jq ×${(median(jq.map((x) => x.peakMb)) / fileMb).toFixed(2)}`);
      console.log(`ratio wall time trivy-gate / jq: ×${(median(ours.map((x) => x.seconds)) / median(jq.map((x) => x.seconds))).toFixed(2)} (target ≤ 1.0)`);
      fs.rmSync(report, { force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
