// Promotion wall time (clone + edit + commit + push, race included) of gitops-promote's push path against the
// plain script a team writes: `git clone && sed && git commit && git push` (with the usual
// `|| (git pull --rebase && git push)` so a race does not simply lose an update). Real git, bare repositories
// on this machine (file://). Two scenarios per round: one promotion alone, and two promotions of different
// services at once on one branch, held together in pre-receive so they do race inside the server; then,
// untimed, two promotions of the same entry at once.
// Run: node_modules/.bin/node --import tsx bench/gitops-promote.bench.ts [rounds]
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseImage } from '../actions/gitops-promote/inputs.js';
import { promoteByPush } from '../actions/gitops-promote/promote.js';
import { Git } from '../actions/toolkit/index.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIX = path.join(ROOT, 'test', 'fixtures', 'gitops');
const FILE = 'deployment/k8s/overlays/dev/kustomization.yaml';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-'));
const identity = { name: 'bench', email: 'bench@example.com' };
const env = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@e', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@e' };
let n = 0;

function bare(race: boolean): string {
  const id = ++n;
  const repo = path.join(work, `config-${id}.git`);
  const seed = path.join(work, `seed-${id}`);
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', repo], { env });
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', seed], { env });
  fs.mkdirSync(path.join(seed, path.dirname(FILE)), { recursive: true });
  fs.copyFileSync(path.join(FIX, 'kardon/overlays/dev/kustomization.yaml'), path.join(seed, FILE));
  execFileSync('git', ['add', '.'], { cwd: seed, env });
  execFileSync('git', ['commit', '--quiet', '-m', 'seed'], { cwd: seed, env });
  execFileSync('git', ['push', '--quiet', repo, 'HEAD:refs/heads/main'], { cwd: seed, env });
  if (race) fs.copyFileSync(path.join(FIX, 'hooks', 'race-barrier'), path.join(repo, 'hooks', 'pre-receive'));
  return repo;
}

const digest = (c: string): string => `sha256:${c.repeat(64)}`;

/** The team's script; sed swaps the line after the service's `- name:` for a digest. */
function plain(repo: string, svc: string, d: string): Promise<number> {
  const dir = path.join(work, `plain-${++n}`);
  const script = [
    'set -e',
    `git clone --quiet --branch main "file://${repo}" "${dir}"`,
    `cd "${dir}"`,
    `sed -i "/- name: ghcr.io\\/example-org\\/kardon\\/${svc}$/{n;s|newTag: .*|digest: ${d}|}" "${FILE}"`,
    `git commit --quiet -am "promote ${svc}"`,
    'git push --quiet origin HEAD:main 2>/dev/null || (git pull --quiet --rebase origin main && git push --quiet origin HEAD:main)',
  ].join('\n');
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`plain script failed (${code}): ${err}`))));
  });
}

async function ours(repo: string, svc: string, d: string): Promise<number> {
  const start = performance.now();
  const dir = path.join(work, `ours-${++n}`);
  const git = new Git(dir, { identity });
  const c = await git.clone(`file://${repo}`, dir, 'main');
  if (c.exitCode !== 0) throw new Error(c.stderr);
  const r = await promoteByPush({ git, branch: 'main', file: FILE, attempts: 5 }, { kind: 'kustomization', name: `ghcr.io/example-org/kardon/${svc}` }, parseImage(`ghcr.io/example-org/kardon/${svc}@${d}`), false, () => `promote ${svc}`);
  if (!r.changed) throw new Error('nothing changed');
  return performance.now() - start;
}

function landed(repo: string, svcs: Array<[string, string]>): boolean {
  const text = execFileSync('git', ['show', `main:${FILE}`], { cwd: repo, encoding: 'utf8' });
  const log = execFileSync('git', ['log', '--format=%s', 'main'], { cwd: repo, encoding: 'utf8' }).trim().split('\n');
  return svcs.every(([s, d]) => text.includes(`kardon/${s}\n    digest: ${d}`) && log.filter((l) => l === `promote ${s}`).length === 1);
}

// Quiet the toolkit's core.info lines (they go to stdout outside a runner).
const write = process.stdout.write.bind(process.stdout);
const quiet = async <T>(fn: () => Promise<T>): Promise<T> => {
  process.stdout.write = ((chunk: string | Uint8Array) => (String(chunk).startsWith('::') || !String(chunk).startsWith('  ') ? true : write(chunk))) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
};

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const solo = { ours: [] as number[], plain: [] as number[] };
const race = { ours: [] as number[], plain: [] as number[] };
let allLanded = true;
console.log(`gitops-promote bench: ${ROUNDS} rounds, solo promotion and a two-way race, real git on file:// bare repositories`);
// One untimed run of each side first: module loading and a cold page cache are not promotion time.
await quiet(() => ours(bare(false), 'api', digest('a')));
await plain(bare(false), 'api', digest('a'));
for (let i = 0; i < ROUNDS; i++) {
  const a = bare(false);
  const b = bare(false);
  // Alternate which runs first, so a busy moment of the machine does not always fall on the same side.
  if (i % 2) solo.plain.push(await plain(b, 'api', digest('a')));
  solo.ours.push(await quiet(() => ours(a, 'api', digest('a'))));
  if (!(i % 2)) solo.plain.push(await plain(b, 'api', digest('a')));
  allLanded &&= landed(a, [['api', digest('a')]]) && landed(b, [['api', digest('a')]]);

  const c = bare(true);
  const d = bare(true);
  let t = performance.now();
  await quiet(() => Promise.all([ours(c, 'api', digest('a')), ours(c, 'web', digest('b'))]));
  race.ours.push(performance.now() - t);
  t = performance.now();
  await Promise.all([plain(d, 'api', digest('a')), plain(d, 'web', digest('b'))]);
  race.plain.push(performance.now() - t);
  const both: Array<[string, string]> = [['api', digest('a')], ['web', digest('b')]];
  const oursOk = landed(c, both);
  const plainOk = landed(d, both);
  allLanded &&= oursOk && plainOk;
  console.log(`  round ${i + 1}: solo ours ${solo.ours[i].toFixed(0)} ms, plain ${solo.plain[i].toFixed(0)} ms; race (both landed: ours ${oursOk}, plain ${plainOk}) ours ${race.ours[i].toFixed(0)} ms, plain ${race.plain[i].toFixed(0)} ms`);
}
// Not timed: two promotions of the same entry at once (a re-run racing a newer build). The plain script's
// rebase conflicts on the edited line; ours re-applies the edit on the new tip, so both commits land.
{
  const e = bare(true);
  const f = bare(true);
  const oursResults = await quiet(() => Promise.allSettled([ours(e, 'api', digest('a')), ours(e, 'api', digest('b'))]));
  const plainResults = await Promise.allSettled([plain(f, 'api', digest('a')), plain(f, 'api', digest('b'))]);
  const ok = (rs: PromiseSettledResult<number>[]): number => rs.filter((r) => r.status === 'fulfilled').length;
  console.log(`same-entry race: ours ${ok(oursResults)}/2 promotions landed, plain script ${ok(plainResults)}/2 (${plainResults.some((r) => r.status === 'rejected') ? 'the other failed its rebase' : 'no conflict'})`);
}
for (const [label, r] of [['solo promotion', solo], ['two-way race, wall time', race]] as const) {
  console.log(`${label}: mean ours ${mean(r.ours).toFixed(0)} ms, plain script ${mean(r.plain).toFixed(0)} ms → ours/plain = ${(mean(r.ours) / mean(r.plain)).toFixed(2)} (median ratio ${(median(r.ours) / median(r.plain)).toFixed(2)})`);
}
fs.rmSync(work, { recursive: true, force: true });
if (!allLanded) {
  console.error('some promotion did not land exactly once');
  process.exit(1);
}
