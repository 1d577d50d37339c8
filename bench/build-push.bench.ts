// build-push wall time vs raw `docker buildx build --platform linux/amd64,linux/arm64 --push` of the same context
// (warm cache, same run), with the guard on; the promote path (a commit already pushed); and where the time goes:
// each docker call (a timing wrapper on PATH), the bundle's start-up and the post step against a bare `node -e ''`.
// Prints ratios; no thresholds. BENCH_ROUNDS (default 5), BENCH_BUNDLE_DIR (another build-push dir, e.g. an older one).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, node24, runAction } from '../test/support/run-action.js';
import { loadStack } from '../test/support/stack.js';

const stack = loadStack();
if (!stack) {
  console.log('build-push bench: stack not running (npm run stack), skipped');
  process.exit(0);
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
// runAction resolves <ROOT>/<name>/action.yml: a relative path reaches another copy of the action.
const actionName = process.env.BENCH_BUNDLE_DIR ? path.relative(ROOT, path.resolve(process.env.BENCH_BUNDLE_DIR)) : 'build-push';
// Its own repository per run: an image another bundle version pushed for this commit may differ (labels).
const image = `${stack.registryOpen}/bench/build-push-${process.pid}`;
const context = path.join(ROOT, 'examples/app');
spawnSync('bash', [path.join(context, 'build.sh')], { stdio: 'inherit' });
// A commit git knows: the image timestamp comes from it, so warm rebuilds keep one digest and pass the guard.
const sha = spawnSync('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || '0'.repeat(40);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (fn: () => Promise<void> | void): Promise<number> => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

// Every docker call the action makes, with its wall time.
const spyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-docker-'));
const spyLog = path.join(spyDir, 'calls.log');
const realDocker = spawnSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).stdout.trim();
fs.writeFileSync(
  path.join(spyDir, 'docker'),
  `#!/bin/sh\ns=$(date +%s%N)\n"${realDocker}" "$@"\nrc=$?\necho "$s $(date +%s%N) $1 $2" >> "${spyLog}"\nexit $rc\n`,
  { mode: 0o755 },
);
const calls = new Map<string, number[]>();

const raw = async (): Promise<void> => {
  const res = spawnSync('docker', ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '--provenance', 'false', '--sbom', 'false', '--target', 'prebuilt', '-t', `${image}:raw`, '--push', context], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
};
const action = (inputs: Record<string, string>, record: boolean) => async (): Promise<void> => {
  fs.writeFileSync(spyLog, '');
  const run = await runAction(actionName, { inputs: { images: image, context, target: 'prebuilt', ...inputs }, context: { ref: 'refs/heads/main', sha }, pathPrepend: [spyDir], runnerDir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bp-')) });
  if (run.main.exitCode !== 0) throw new Error(run.main.stdout);
  if (!record) return;
  for (const line of fs.readFileSync(spyLog, 'utf8').split('\n').filter(Boolean)) {
    const [start, end, a, b] = line.split(' ');
    const key = `docker ${a}${a === 'buildx' ? ` ${b}` : ''}`;
    calls.set(key, [...(calls.get(key) ?? []), (Number(end) - Number(start)) / 1e6]);
  }
};
// The build path with the guard on (rebuild: true builds even though the commit was pushed before).
const build = action(process.env.BENCH_BUNDLE_DIR ? {} : { rebuild: 'true' }, true);
const promote = action({}, false);

await raw();
await build(); // warm both
const rawTimes: number[] = [];
const buildTimes: number[] = [];
const promoteTimes: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  rawTimes.push(await time(raw));
  buildTimes.push(await time(build));
  if (!process.env.BENCH_BUNDLE_DIR) promoteTimes.push(await time(promote));
}
const bundle = path.resolve(ROOT, actionName, '..', 'dist', 'build-push', 'index.js');
const startTimes: number[] = [];
const postTimes: number[] = [];
const nodeTimes: number[] = [];
const bare = { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: '/dev/null', GITHUB_STATE: '/dev/null' };
for (let i = 0; i < ROUNDS * 2; i++) {
  nodeTimes.push(await time(() => void spawnSync(node24(), ['-e', ''])));
  startTimes.push(await time(() => void spawnSync(node24(), [bundle], { env: bare })));
  postTimes.push(await time(() => void spawnSync(node24(), [bundle], { env: { ...bare, STATE_isPost: 'true', RUNNER_TEMP: os.tmpdir() } })));
}
const ms = (x: number): string => `${x.toFixed(0)} ms`;
const rawMs = median(rawTimes);
console.log(`build-push (${actionName}) wall time, median of ${ROUNDS}, warm cache, linux/amd64+linux/arm64, guard on, local registry:`);
console.log(`  build path:   action ${ms(median(buildTimes))} vs raw buildx --push ${ms(rawMs)} → ratio ${(median(buildTimes) / rawMs).toFixed(2)}`);
if (promoteTimes.length) console.log(`  promote path: action ${ms(median(promoteTimes))} (commit already pushed: tags only) vs raw buildx --push ${ms(rawMs)} → ratio ${(median(promoteTimes) / rawMs).toFixed(2)}`);
console.log('  phases of the build path (median per call):');
for (const [key, xs] of calls) console.log(`    ${key}: ${ms(median(xs))} × ${(xs.length / ROUNDS).toFixed(0)} per run`);
console.log(`    bundle start-up to its first input error: ${ms(median(startTimes))} vs node -e '' ${ms(median(nodeTimes))} → ratio ${(median(startTimes) / median(nodeTimes)).toFixed(2)}`);
console.log(`    post step with nothing to clean: ${ms(median(postTimes))} vs node -e '' ${ms(median(nodeTimes))} → ratio ${(median(postTimes) / median(nodeTimes)).toFixed(2)}`);
fs.rmSync(spyDir, { recursive: true, force: true });
