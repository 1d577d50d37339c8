// build-push wall time vs raw `docker buildx build --platform linux/amd64,linux/arm64 --push` of the same context
// (warm cache, same run), with the guard on, the whole step as the runner runs it (main, then post when post-if
// says so), in three cases:
// - new commit: a commit not pushed before (its sha- tag absent): lookup, build, guard, push, claim of the sha- tag
//   (includes the 2 s claim window, converge.ts CLAIM_SETTLE_MS: the price of one digest when runs of a commit race), tags;
// - forced rebuild: rebuild: true over a commit already pushed (the guard compares the digest with the sha- tag);
// - promote: the commit already pushed: tags only, then the sha- tag read again after the claim window (2 s).
// Then where the time goes: each docker and buildx call (logging wrappers), the bundle's start-up against a bare
// `node -e ''`, and the post step. Prints ratios; no thresholds. BENCH_ROUNDS (default 5), BENCH_BUNDLE_DIR
// (another build-push dir, e.g. an older one).
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dockerSpy } from '../test/support/docker.js';
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

const spy = dockerSpy('bench-docker-');
const calls = new Map<string, number[]>();

// `label`: a new revision label each round makes raw buildx push new image configs and manifests too, as a new
// commit does (the layers stay cached); without it raw pushes the same bytes every round, as a forced rebuild does.
// `tags`: the references raw pushes (its own repository, so raw and the action never move each other's tags).
const rawBuild = (label?: string, tags = ['raw']) => async (): Promise<void> => {
  const extra = label ? ['--label', `org.opencontainers.image.revision=${label}`] : [];
  const names = tags.flatMap((t) => ['-t', `${image}-raw:${t}`]);
  const res = spawnSync('docker', ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '--provenance', 'false', '--sbom', 'false', '--target', 'prebuilt', ...extra, ...names, '--push', context], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
};
const raw = rawBuild();
const rawNew = (): Promise<void> => rawBuild(randomBytes(20).toString('hex'))();
// The same references the action pushes for a push to main (main, dev, sha-<7>): what raw buildx must do to
// publish what the action publishes.
const rawNewSameTags = (): Promise<void> => {
  const label = randomBytes(20).toString('hex');
  return rawBuild(label, ['main', 'dev', `sha-${label.slice(0, 7)}`])();
};
// Timed runs go without the spy (its wrappers cost a few ms per call); one more run of each case records the phases.
// Each run also records the step's own time: node spawned → exited, main plus post when it ran (the wall time around
// runAction adds this harness's file set-up and checks, which a runner does not do).
const stepTimes = new Map<string, number[]>();
const action = (inputs: Record<string, string>, commit: () => { sha: string; event?: Record<string, unknown> }, record: boolean, label = '') => async (): Promise<void> => {
  spy.reset();
  const c = commit();
  const run = await runAction(actionName, {
    inputs: { images: image, context, target: 'prebuilt', ...inputs },
    context: { ref: 'refs/heads/main', sha: c.sha, event: c.event },
    ...(record ? { pathPrepend: [spy.bin], env: spy.env } : {}),
    runnerDir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bp-')),
  });
  if (run.main.exitCode !== 0) throw new Error(run.main.stdout);
  if (label) stepTimes.set(label, [...(stepTimes.get(label) ?? []), (run.main.durationMs ?? 0) + (run.post?.durationMs ?? 0)]);
  if (!record) return;
  for (const call of spy.calls()) {
    const words = call.argv.split(' ');
    const key = words[0] === 'buildx' ? `buildx ${words[1]} (plugin run directly)` : words[1] === 'buildx' ? `docker buildx ${words[2]}` : `docker ${words[1]}`;
    calls.set(key, [...(calls.get(key) ?? []), call.end - call.start]);
  }
};
const known = () => ({ sha });
// A push event of a commit never pushed before, with its time in the event (as GitHub sends it).
const fresh = () => {
  const id = randomBytes(20).toString('hex');
  return { sha: id, event: { head_commit: { id, timestamp: '2026-11-01T12:00:00Z' }, repository: { default_branch: 'main' } } };
};
const newCommit = action({}, fresh, false, 'new');
const newCommitPhases = action({}, fresh, true);
// The forced rebuild (rebuild: true builds even though the commit was pushed before).
const rebuild = action(process.env.BENCH_BUNDLE_DIR ? {} : { rebuild: 'true' }, known, false, 'rebuild');
const promote = action({}, known, false, 'promote');

await raw();
await rebuild(); // warm both
stepTimes.clear();
const rawTimes: number[] = [];
const rawNewTimes: number[] = [];
const rawNewSameTagsTimes: number[] = [];
const newTimes: number[] = [];
const rebuildTimes: number[] = [];
const promoteTimes: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  rawTimes.push(await time(raw));
  rawNewTimes.push(await time(rawNew));
  rawNewSameTagsTimes.push(await time(rawNewSameTags));
  newTimes.push(await time(newCommit));
  rebuildTimes.push(await time(rebuild));
  if (!process.env.BENCH_BUNDLE_DIR) promoteTimes.push(await time(promote));
  await newCommitPhases();
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
const ratio = (xs: number[], base = rawTimes, what = 'raw buildx --push'): string => `${ms(median(xs))} vs ${what} ${ms(median(base))} → ratio ${(median(xs) / median(base)).toFixed(2)}`;
console.log(`build-push (${actionName}) wall time of the step (main + post when it runs), median of ${ROUNDS}, warm cache, linux/amd64+linux/arm64, guard on, local registry:`);
console.log(`  new commit:      ${ratio(newTimes, rawNewTimes, 'raw buildx --push with a new revision label')}`);
console.log(`                   vs raw with the action's three tags (-t main -t dev -t sha-…) ${ms(median(rawNewSameTagsTimes))} → ratio ${(median(newTimes) / median(rawNewSameTagsTimes)).toFixed(2)}`);
console.log(`  forced rebuild:  ${ratio(rebuildTimes)}`);
if (promoteTimes.length) console.log(`  promote:         ${ratio(promoteTimes)} (commit already pushed: tags only)`);
const step = (label: string, base: number[]): string => `${ms(median(stepTimes.get(label) ?? [0]))} → ratio ${(median(stepTimes.get(label) ?? [0]) / median(base)).toFixed(2)}`;
// Each round runs raw and the action back to back: the median of those per-round ratios leaves out the drift of this
// shared machine between rounds (raw alone moves by 10–20 % from one run to the next), which the ratio of the two
// medians above keeps.
const paired = (xs: number[], base: number[]): string => median(xs.map((x, i) => x / base[i])).toFixed(2);
console.log(`  median of the per-round ratios (each round's own raw run): new commit ${paired(newTimes, rawNewTimes)} (${paired(newTimes, rawNewSameTagsTimes)} vs raw with its three tags); forced rebuild ${paired(rebuildTimes, rawTimes)}${promoteTimes.length ? `; promote ${paired(promoteTimes, rawTimes)}` : ''}`);
console.log(`  the step's node processes alone (spawn → exit, without the harness): new commit ${step('new', rawNewTimes)}; forced rebuild ${step('rebuild', rawTimes)}; promote ${step('promote', rawTimes)}`);
console.log('  phases of the new-commit path (median per call):');
for (const [key, xs] of calls) console.log(`    ${key}: ${ms(median(xs))} × ${(xs.length / ROUNDS).toFixed(0)} per run`);
console.log(`    bundle start-up to its first input error: ${ms(median(startTimes))} vs node -e '' ${ms(median(nodeTimes))} → ratio ${(median(startTimes) / median(nodeTimes)).toFixed(2)}`);
console.log(`    post step with nothing to clean (runs only when the job failed or was cancelled): ${ms(median(postTimes))} vs node -e '' ${ms(median(nodeTimes))}`);
