// build-push wall time vs raw `docker buildx build --push` of the same context (warm cache, same process),
// and the bundle's start-up time vs a bare `node -e ''`. Prints ratios; no thresholds.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT, node24, runAction } from '../test/support/run-action.js';
import { loadStack } from '../test/support/stack.js';

const stack = loadStack();
if (!stack) {
  console.log('build-push bench: stack not running (npm run stack), skipped');
  process.exit(0);
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const image = `${stack.registryOpen}/bench/build-push`;
const context = path.join(ROOT, 'examples/app');
spawnSync('bash', [path.join(context, 'build.sh')], { stdio: 'inherit' });

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (fn: () => Promise<void> | void): Promise<number> => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

const raw = async (): Promise<void> => {
  const res = spawnSync('docker', ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '--provenance', 'false', '--sbom', 'false', '--target', 'prebuilt', '-t', `${image}:raw`, '--push', context], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
};
const action = async (): Promise<void> => {
  const run = await runAction('build-push', { inputs: { images: image, context, target: 'prebuilt', 'allow-overwrite': 'true' }, context: { ref: 'refs/heads/main' } });
  if (run.main.exitCode !== 0) throw new Error(run.main.stdout);
};

await raw();
await action(); // warm both
const rawTimes: number[] = [];
const actionTimes: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  rawTimes.push(await time(raw));
  actionTimes.push(await time(action));
}
const startTimes: number[] = [];
const nodeTimes: number[] = [];
for (let i = 0; i < ROUNDS * 2; i++) {
  nodeTimes.push(await time(() => void spawnSync(node24(), ['-e', ''])));
  startTimes.push(await time(() => void spawnSync(node24(), [path.join(ROOT, 'dist/build-push/index.js')], { env: { PATH: process.env.PATH, GITHUB_OUTPUT: '/dev/null' } })));
}
console.log(`build-push wall time (median of ${ROUNDS}, warm cache, 2 platforms, 3 tags): action ${median(actionTimes).toFixed(0)} ms vs raw buildx --push ${median(rawTimes).toFixed(0)} ms → ratio ${(median(actionTimes) / median(rawTimes)).toFixed(2)}`);
console.log(`bundle start-up to its first input error: ${median(startTimes).toFixed(0)} ms vs node -e '' ${median(nodeTimes).toFixed(0)} ms → ratio ${(median(startTimes) / median(nodeTimes)).toFixed(2)}`);
