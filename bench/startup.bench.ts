// Start-up of every bundle, whole process to exit, as the runner starts it (`node dist/<name>/index.js`, the runner's
// file-command environment, no inputs: each ends on its first input error), side by side in one run with:
// - bare Node 24 running an empty file (the floor: Node's own start);
// - the baseline of issue 21, docker/build-push-action v7.3.0's dist (`dist/index.cjs`, a 2.5 MB esbuild bundle,
//   started the same way: it ends on its own input error). Its code is not part of this repository: put the file at
//   bench/out/build-push-action-v7.3.0.cjs (git-ignored), or name it with STARTUP_BASELINE, e.g. from a clone of
//   docker/build-push-action: `git show v7.3.0:dist/index.cjs > bench/out/build-push-action-v7.3.0.cjs`.
//   Without it the bench prints the ratios against a PROXY, 5.75 × bare Node: issue 21's own side-by-side figures
//   (that dist 0.46 s, bare Node 24 0.08 s); the proxy is named on every line that uses it.
// Rounds alternate (each round runs every case once, in a rotated order), medians are printed, and so is the
// median of the per-round ratios (each bundle against the same round's baseline), which leaves out the drift of a
// shared machine between rounds. The machine's load (loadavg) is printed before and after. No thresholds: the goal
// (≤ 0.3 × the baseline for each bundle) is printed beside the figures. On Linux each run's CPU time (user + system,
// from /proc/self/stat's cutime/cstime of the waited-for child, 10 ms ticks) is printed too: on a machine shared by
// many processes the wall time mostly measures the queue for a core, the CPU time what the process itself costs. STARTUP_ROUNDS (default 21); STARTUP_DIST (the
// bundles measured, default dist/); STARTUP_BEFORE_DIST (another build's dist/, e.g. `git archive <commit> dist`
// unpacked, measured in the same rounds and printed as "before").
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, node24 } from '../test/support/run-action.js';

const ROUNDS = Number(process.env.STARTUP_ROUNDS ?? 21);
const GOAL = 0.3;
const PROXY_FACTOR = 0.46 / 0.08;
const baselineFile = path.resolve(process.env.STARTUP_BASELINE ?? path.join(ROOT, 'bench', 'out', 'build-push-action-v7.3.0.cjs'));
const hasBaseline = fs.existsSync(baselineFile);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
const empty = path.join(tmp, 'empty.mjs');
fs.writeFileSync(empty, '');
const files = Object.fromEntries(['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'].map((k) => [k, path.join(tmp, k.toLowerCase())]));
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, RUNNER_TEMP: tmp, GITHUB_WORKSPACE: tmp, GITHUB_ACTIONS: 'true', ...files };

interface Case {
  name: string;
  file: string;
  /** What its output must contain: proof the run got as far as its input check. */
  expect?: RegExp;
}
const bundlesIn = (dist: string, label = ''): Case[] =>
  (fs.existsSync(dist) ? fs.readdirSync(dist) : [])
    .filter((name) => fs.existsSync(path.join(dist, name, 'index.js')))
    .sort()
    .map((name) => ({ name: `${name}${label}`, file: path.join(dist, name, 'index.js'), expect: /::error::/ }));
const bundles = bundlesIn(path.resolve(process.env.STARTUP_DIST ?? path.join(ROOT, 'dist')));
const before = process.env.STARTUP_BEFORE_DIST ? bundlesIn(path.resolve(process.env.STARTUP_BEFORE_DIST), ' (before)') : [];
if (!bundles.length) {
  console.log('startup bench: no dist/<name>/index.js (npm run build first), skipped');
  process.exit(0);
}
const bare: Case = { name: 'bare node (empty file)', file: empty };
const baseline: Case = { name: 'build-push-action v7.3.0 dist', file: baselineFile, expect: /::error::/ };
const cases = [bare, ...(hasBaseline ? [baseline] : []), ...bundles, ...before];

const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
const cpu = new Map<string, number[]>(cases.map((c) => [c.name, []]));
const TICK_MS = 10; // USER_HZ is 100 on Linux
/** CPU time (ms) of this process's waited-for children so far, or undefined where /proc is not there. */
const childrenCpu = (): number | undefined => {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[13]) + Number(fields[14])) * TICK_MS; // cutime, cstime (fields 16 and 17 of stat)
  } catch {
    return undefined;
  }
};
const run = (c: Case): number => {
  for (const f of Object.values(files)) fs.writeFileSync(f, '');
  const c0 = childrenCpu();
  const t = performance.now();
  const res = spawnSync(node24(), [c.file], { env, encoding: 'utf8' });
  const ms = performance.now() - t;
  const c1 = childrenCpu();
  if (c0 !== undefined && c1 !== undefined) cpu.get(c.name)?.push(c1 - c0);
  if (c.expect && !c.expect.test(res.stdout + res.stderr)) throw new Error(`${c.name} did not reach its input check:\n${res.stdout}${res.stderr}`);
  return ms;
};

const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const loadBefore = load();
for (const c of cases) run(c); // one warm-up each: the files in the page cache, as on a runner after checkout
for (const xs of cpu.values()) xs.length = 0;
for (let r = 0; r < ROUNDS; r++) {
  const order = cases.map((_, i) => cases[(i + r) % cases.length]);
  for (const c of order) times.get(c.name)?.push(run(c));
}
fs.rmSync(tmp, { recursive: true, force: true });

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bareTimes = times.get(bare.name) ?? [];
const baseTimes = hasBaseline ? (times.get(baseline.name) ?? []) : bareTimes.map((t) => t * PROXY_FACTOR);
const baseLabel = hasBaseline ? 'build-push-action v7.3.0' : `PROXY ${PROXY_FACTOR.toFixed(2)} × bare node (issue 21's figures; no ${path.relative(ROOT, baselineFile)})`;
const ms = (x: number): string => `${(x / 1000).toFixed(3)} s`;

console.log(`bundle start-up, whole process to exit, no inputs, Node ${spawnSync(node24(), ['--version'], { encoding: 'utf8' }).stdout.trim()}; ${ROUNDS} alternating rounds, medians; ${os.cpus().length} CPUs; loadavg before ${loadBefore}, after ${load()}`);
const cpuOf = (name: string): number => median(cpu.get(name) ?? []);
const hasCpu = (cpu.get(bare.name) ?? []).length > 0;
const baseCpu = hasBaseline ? cpuOf(baseline.name) : cpuOf(bare.name) * PROXY_FACTOR;
console.log(`  bare node (empty file): ${ms(median(bareTimes))}${hasCpu ? ` (CPU ${ms(cpuOf(bare.name))})` : ''}`);
console.log(`  baseline: ${baseLabel}: ${ms(median(baseTimes))}${hasBaseline ? ` (${(median(baseTimes) / median(bareTimes)).toFixed(2)} × bare node)` : ''}${hasCpu ? ` (CPU ${ms(baseCpu)})` : ''}`);
for (const b of [...bundles, ...before]) {
  const xs = times.get(b.name) ?? [];
  const ratio = median(xs) / median(baseTimes);
  const paired = median(xs.map((x, i) => x / baseTimes[i]));
  console.log(
    `  ${b.name.padEnd(26)} ${ms(median(xs))} → ${ratio.toFixed(2)} × baseline (per-round ${paired.toFixed(2)}), ${(median(xs) / median(bareTimes)).toFixed(2)} × bare node; goal ≤ ${GOAL}: ${Math.max(ratio, paired) <= GOAL ? 'met' : 'NOT met'}` +
      (hasCpu ? `; CPU ${ms(cpuOf(b.name))} → ${(cpuOf(b.name) / baseCpu).toFixed(2)} × baseline's` : ''),
  );
}
