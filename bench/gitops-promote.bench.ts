// One promotion, measured as whole processes side by side: the built gitops-promote bundle (in-process git client,
// and with `git-client: git` for comparison) started the way the
// runner starts it (Node start, bundle load, INPUT_* env, GITHUB_OUTPUT/GITHUB_STEP_SUMMARY written, newest-wins
// check against the application's git history included; test/support/run-action.ts) against the script a team
// writes: `git clone --depth 1 && sed -i && git commit && git push` (bash). On two config repositories made by
// bench/config-repo.ts: a real-size one (300 apps × 3 environments, ~2,700 files, 5,000 commits) and a tiny
// one (3 apps). Alternating rounds (which side goes first flips each round), medians, the median of the
// per-round ratios, and the machine's load average before and after. Untimed afterwards: two promotions of
// the same values file at once, racing inside the server (both must land, each exactly once).
// Each repository is reached two ways: as a file:// remote (the action reads its objects in place, the script's
// git runs upload-pack), and over smart HTTP (`git http-backend` behind a token check on 127.0.0.1, as github.com is
// reached: the script's git gets the token as an http.extraheader).
// Run: node_modules/.bin/node --import tsx bench/gitops-promote.bench.ts [rounds] [real-size|tiny] [file|http] (build
// the bundle first; both repositories and both transports unless named)
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitHttpBackend } from '../test/support/git-http.js';
import { startServer, type TestServer } from '../test/support/http-servers.js';
import { ROOT, runAction } from '../test/support/run-action.js';
import { generateConfigRepo, type ConfigRepo } from './config-repo.js';

const ROUNDS = Number(process.argv[2] ?? 7);
const ONLY = process.argv[3];
if (ONLY !== undefined && ONLY !== 'real-size' && ONLY !== 'tiny') {
  console.error(`unknown repository '${ONLY}': real-size or tiny`);
  process.exit(1);
}
const TRANSPORT = process.argv[4];
if (TRANSPORT !== undefined && TRANSPORT !== 'file' && TRANSPORT !== 'http') {
  console.error(`unknown transport '${TRANSPORT}': file or http`);
  process.exit(1);
}
const TOKEN = 'ghs_benchToken0123456789';
const servers: TestServer[] = [];

/** The repository as the action and the script reach it: its file:// URL, or through git http-backend. */
async function reach(repo: ConfigRepo, transport: 'file' | 'http'): Promise<ConfigRepo & { header?: string }> {
  if (transport === 'file') return repo;
  const server = await startServer(gitHttpBackend(path.dirname(repo.bare), TOKEN, []));
  servers.push(server);
  return { ...repo, url: `${server.url}/${path.basename(repo.bare)}`, header: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}` };
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-'));
const env = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@e', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@e' };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
let n = 0;

if (!fs.existsSync(path.join(ROOT, 'dist', 'gitops-promote', 'index.js'))) {
  console.error('build the bundle first: node scripts/build.mjs gitops-promote');
  process.exit(1);
}

/** The application repository (the workspace): a chain of commits, one per promotion, each newer than the last. */
const appRepo = path.join(work, 'app');
git(work, 'init', '--quiet', '--initial-branch=main', appRepo);
const sourceCommits: string[] = [];
// Two actions a round (in-process and git-client: git) and a warm-up, for up to four repository × transport pairs.
for (let i = 0; i < 4 * (2 * ROUNDS + 1) + 8; i++) {
  git(appRepo, 'commit', '--quiet', '--allow-empty', '-m', `app change ${i}`);
  sourceCommits.push(git(appRepo, 'rev-parse', 'HEAD'));
}
let nextSource = 0;
const digest = (i: number): string => `sha256:${(i.toString(16).padStart(8, '0')).repeat(8)}`;

function script(repo: ConfigRepo & { header?: string }, file: string, d: string): Promise<number> {
  const dir = path.join(work, `plain-${++n}`);
  const text = [
    'set -e',
    ...(repo.header ? [`export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraheader GIT_CONFIG_VALUE_0="${repo.header}"`] : []),
    `git clone --quiet --depth 1 --branch main "${repo.url}" "${dir}"`,
    `cd "${dir}"`,
    `sed -i 's|^  digest: .*|  digest: "${d}"|' "${file}"`,
    `git commit --quiet -am "promote ${file}"`,
    'git push --quiet origin HEAD:main',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('bash', ['-c', text], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => {
      const ms = performance.now() - start;
      fs.rmSync(dir, { recursive: true, force: true });
      if (code === 0) resolve(ms);
      else reject(new Error(`script failed (${code}): ${err}`));
    });
  });
}

async function action(repo: ConfigRepo, app: string, d: string, gitClient: 'auto' | 'git' = 'auto'): Promise<number> {
  const source = sourceCommits[nextSource++];
  if (!source) throw new Error('bench: out of application commits for source-commit');
  const r = await runAction('gitops-promote', {
    inputs: { image: `ghcr.io/acme/${app}@${d}`, app, environment: 'dev', file: 'applications/{app}/values-{env}.yaml', repository: repo.url, token: repo.url.startsWith('http') ? TOKEN : '', 'source-commit': source, 'git-client': gitClient },
    context: { sha: source, repository: 'acme/app', token: '', workspace: appRepo },
    skipPost: true,
  });
  fs.rmSync(r.runnerDir, { recursive: true, force: true });
  if (r.main.exitCode !== 0 || r.outputs.changed !== 'true') throw new Error(`gitops-promote did not promote:\n${r.allOutput}`);
  return r.main.durationMs ?? NaN;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/** Bare Node 24 start to exit (`node -e 0`): the floor under any JavaScript action on this machine right now. */
function bareNode(): Promise<number> {
  return new Promise((resolve) => {
    const start = performance.now();
    spawn(path.join(ROOT, 'node_modules', '.bin', 'node'), ['-e', '0'], { stdio: 'ignore' }).on('close', () => resolve(performance.now() - start));
  });
}

async function measure(label: string, repo: ConfigRepo): Promise<{ label: string; ours: number; cli: number; plain: number; node: number; ratio: number; perRound: number }> {
  const app = repo.apps[Math.floor(repo.apps.length / 2)];
  const file = `applications/${app}/values-dev.yaml`;
  const ours: number[] = [];
  const cli: number[] = [];
  const plain: number[] = [];
  const node: number[] = [];
  let d = 0;
  // Untimed warm-up of both sides (page cache, the bundle file).
  await action(repo, app, digest(++d + 1000 * n));
  await script(repo, file, digest(++d + 1000 * n));
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2) plain.push(await script(repo, file, digest(++d + 1000 * n)));
    ours.push(await action(repo, app, digest(++d + 1000 * n)));
    if (!(i % 2)) plain.push(await script(repo, file, digest(++d + 1000 * n)));
    cli.push(await action(repo, app, digest(++d + 1000 * n), 'git'));
    node.push(await bareNode());
    console.log(`  ${label} round ${i + 1}: gitops-promote ${ours[i].toFixed(0)} ms, script ${plain[i].toFixed(0)} ms, gitops-promote with git-client: git ${cli[i].toFixed(0)} ms, bare node ${node[i].toFixed(0)} ms`);
  }
  const perRound = median(ours.map((o, i) => o / plain[i]));
  return { label, ours: median(ours), cli: median(cli), plain: median(plain), node: median(node), ratio: median(ours) / median(plain), perRound };
}

console.log(`gitops-promote bench: ${ROUNDS} alternating rounds per repository, whole processes; load average before: ${load()} (${os.cpus().length} CPUs)`);
const started = performance.now();
const big = ONLY === 'tiny' ? undefined : generateConfigRepo(path.join(work, 'real-size.git'), { apps: 300, envs: ['dev', 'staging', 'production'], commits: 5000 });
const tiny = ONLY === 'real-size' ? undefined : generateConfigRepo(path.join(work, 'tiny.git'), { apps: 3, envs: ['dev', 'staging', 'production'], commits: 10 });
const shape = [
  big && `real-size ${big.files} files, ${big.commits} commits (${git(big.bare, 'count-objects', '-vH').split('\n').find((l) => l.startsWith('size-pack'))})`,
  tiny && `tiny ${tiny.files} files, ${tiny.commits} commits`,
];
console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s: ${shape.filter(Boolean).join('; ')}`);
const results = [];
for (const transport of TRANSPORT ? [TRANSPORT as 'file' | 'http'] : (['file', 'http'] as const)) {
  if (big) results.push(await measure(`real-size, ${transport}`, await reach(big, transport)));
  if (tiny) results.push(await measure(`tiny, ${transport}`, await reach(tiny, transport)));
}
await Promise.all(servers.map((s) => s.close()));

// Untimed: two promotions of the same file at once, held together in pre-receive so they race in the server.
const race = generateConfigRepo(path.join(work, 'race.git'), { apps: 3, envs: ['dev'], commits: 2 });
fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'gitops', 'hooks', 'race-barrier'), path.join(race.bare, 'hooks', 'pre-receive'));
fs.chmodSync(path.join(race.bare, 'hooks', 'pre-receive'), 0o755);
const raceSeed = git(race.bare, 'rev-parse', 'main');
const both = await Promise.allSettled([action(race, race.apps[0], digest(900_001)), action(race, race.apps[1], digest(900_002))]);
const landed = [race.apps[0], race.apps[1]].filter((a, i) => git(race.bare, 'show', `main:applications/${a}/values-dev.yaml`).includes(digest(900_001 + i)));
const subjects = git(race.bare, 'log', '--format=%s', `${raceSeed}..main`).split('\n');
const once = [race.apps[0], race.apps[1]].every((a) => subjects.filter((s) => s.startsWith(`promote(dev): ${a} `)).length === 1);

console.log(`load average after: ${load()}`);
for (const r of results) {
  console.log(`${r.label}: median gitops-promote ${r.ours.toFixed(0)} ms, script ${r.plain.toFixed(0)} ms → ×${r.ratio.toFixed(2)} (median of per-round ratios ×${r.perRound.toFixed(2)}); with git-client: git ${r.cli.toFixed(0)} ms (×${(r.cli / r.plain).toFixed(2)}); bare \`node -e 0\` ${r.node.toFixed(0)} ms`);
}
console.log(`race of two promotions at once: ${both.filter((b) => b.status === 'fulfilled').length}/2 runs green, ${landed.length}/2 edits on main, each exactly once: ${once}`);
fs.rmSync(work, { recursive: true, force: true });
if (landed.length !== 2 || !once) process.exit(1);
