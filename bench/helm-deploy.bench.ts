// Time from the first crash-looping observation to the rollback finishing: helm-deploy's early detection
// vs plain `helm upgrade --atomic --timeout 5m`, which only rolls back once the timeout runs out.
// Both run against stand-ins at the same scale (5m → 5s, the 5s poll interval → 83ms); crash-looping
// pods from the first poll. Prints the ratio; no thresholds.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, runAction } from '../test/support/run-action.js';
import { createStandIn } from '../test/support/stand-in.js';

const SCALE = 5_000 / 300_000;
const TIMEOUT_MS = Math.round(300_000 * SCALE);
const POLL_MS = Math.round(5_000 * SCALE);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FX = path.join(ROOT, 'test', 'fixtures', 'helm', 'helm3');
const history = (entries: [number, string, string][]): string => JSON.stringify(entries.map(([revision, status, description]) => ({ revision, status, description, updated: '2026-11-20T09:00:00Z', chart: 'shop-1.2.0' })));

/** Wraps a stand-in so each call logs `start|end <ms> <argv>` (the stand-in itself records no time). */
function timed(dir: string, name: string, log: string): void {
  const real = path.join(dir, `${name}.real`);
  fs.renameSync(path.join(dir, name), real);
  fs.writeFileSync(path.join(dir, name), `#!/bin/sh\necho "start $(date +%s%3N) $*" >> "${log}"\n"${real}" "$@"\nrc=$?\necho "end $(date +%s%3N) $*" >> "${log}"\nexit $rc\n`, { mode: 0o755 });
}

function setup(): { dir: string; log: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-helm-'));
  const log = path.join(dir, 'calls.log');
  createStandIn(dir, 'helm', [
    { match: ['version', '--short'], fixture: path.join(FX, '08-version') },
    { match: ['lint'], stdout: 'ok\n' },
    { match: ['template shop'], fixture: path.join(FX, '01-get-manifest') },
    { match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete']]), times: 1 },
    { match: ['history shop'], stdout: history([[1, 'deployed', 'Install complete'], [2, 'pending-upgrade', 'Preparing upgrade']]), times: 1 },
    { match: ['history shop'], fixture: path.join(FX, '02-history-after-rollback') },
    // Like the real binary: waits out --timeout, then rolls back itself.
    { match: ['upgrade shop'], fixture: path.join(FX, '02-upgrade-crash'), delayMs: TIMEOUT_MS },
    { match: ['rollback shop'], fixture: path.join(FX, '04-rollback-from-pending') },
    { match: ['status shop'], fixture: path.join(FX, '01-status-deployed') },
  ]);
  createStandIn(dir, 'kubectl', [
    { match: ['get', 'pods'], fixture: path.join(FX, '01-pods-healthy'), times: 1 },
    { match: ['get', 'pods'], stdout: fs.readFileSync(path.join(FX, '02-pods-crashloop.json'), 'utf8') },
    { match: ['get', 'events'], stdout: fs.readFileSync(path.join(FX, '02-events-crashloop.json'), 'utf8') },
    { match: ['describe'], stdout: 'State: Waiting\n' },
    { match: ['logs'], stdout: '' },
  ]);
  timed(dir, 'helm', log);
  timed(dir, 'kubectl', log);
  return { dir, log };
}

function lines(log: string): { phase: string; at: number; argv: string }[] {
  return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => {
    const [phase, at, ...argv] = l.split(' ');
    return { phase, at: Number(at), argv: argv.join(' ') };
  });
}

async function helmDeploy(): Promise<number> {
  const { dir, log } = setup();
  const run = await runAction('helm-deploy', {
    inputs: { release: 'shop', namespace: 'team-a', chart: 'examples/chart', timeout: `${TIMEOUT_MS}ms`, 'poll-interval': `${POLL_MS}ms`, 'crash-checks': '3' },
    pathPrepend: [dir],
  });
  if (run.outputs['rolled-back'] !== 'true') throw new Error(`helm-deploy did not roll back:\n${run.main.stdout}`);
  if (process.env.BENCH_DEBUG) console.log(run.main.stdout.split('\n').filter((l) => !l.startsWith('::debug::exec')).join('\n'), fs.readFileSync(log, 'utf8'));
  const calls = lines(log);
  // The first `get pods` is the snapshot taken before the upgrade; the second is the first poll.
  const firstSeen = calls.filter((c) => c.phase === 'end' && c.argv.startsWith('get pods'))[1].at;
  const rolledBack = calls.find((c) => c.phase === 'end' && c.argv.startsWith('rollback'))!.at;
  return rolledBack - firstSeen;
}

function plainAtomic(): number {
  const { dir } = setup();
  // Crash-looping from the first poll: the first observation is as early as the upgrade's start.
  const started = Date.now();
  const r = spawnSync(path.join(dir, 'helm'), ['upgrade', 'shop', 'examples/chart', '--install', '--atomic', '--wait', '--timeout', `${TIMEOUT_MS / 1000}s`], { encoding: 'utf8' });
  if (!/rolled back due to atomic/.test(r.stderr)) throw new Error(`unexpected: ${r.stderr}`);
  return Date.now() - started - POLL_MS;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours: number[] = [];
const baseline: number[] = [];
for (let i = 0; i < RUNS; i++) {
  baseline.push(plainAtomic());
  ours.push(await helmDeploy());
}
const o = median(ours);
const b = median(baseline);
console.log(`helm-deploy: first crash-looping observation → rollback finished (scale 5m → ${TIMEOUT_MS / 1000}s, ${RUNS} runs, median)`);
console.log(`  plain --atomic --timeout: ${b} ms (≈ ${((b / SCALE) / 1000).toFixed(0)} s unscaled)`);
console.log(`  helm-deploy early rollback: ${o} ms (3 checks at a scaled ${POLL_MS} ms poll, then helm rollback)`);
console.log(`  ratio: helm-deploy takes ${(o / b).toFixed(3)}× the time of plain --atomic (${(b / o).toFixed(1)}× faster)`);
