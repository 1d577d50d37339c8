// Newest wins, through the built gitops-promote bundle: the source commit recorded in the config repository
// (`# source-commit:` next to the promoted value, `Source-Commit:` trailer) is compared with the new one on
// REAL git history of an application repository (branches, a tag, a force-push) — from the workspace's git
// when it has the commits, else through the compare-API stand-in that answers from the same repository.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedConfigRepo } from '../support/config-repo.js';
import { startGitHubApi, type GitHubApiStandIn } from '../support/github-api.js';
import { ROOT, runAction, type ActionRun } from '../support/run-action.js';

const FIX = path.join(ROOT, 'test', 'fixtures', 'gitops');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-order-'));
const FILE = 'applications/my-app/values-dev.yaml';
const KUSTOMIZATION = 'deployment/k8s/overlays/dev/kustomization.yaml';
const digest = (c: string): string => `sha256:${c.repeat(64)}`;
let n = 0;
let api: GitHubApiStandIn;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'd@e', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'd@e' } }).trim();

/**
 * The application: `origin.git` (what GitHub holds) and a full clone as the workspace. main: A ← B ← C,
 * tag v1.0.0 on A, branch `hotfix` from A with D (diverged from B and C).
 */
const app = { origin: '', workspace: '', A: '', B: '', C: '', D: '' };
before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'gitops-promote', 'index.js')), 'build the bundle first: node scripts/build.mjs gitops-promote');
  app.origin = path.join(work, 'app-origin.git');
  app.workspace = path.join(work, 'app');
  git(work, 'init', '--quiet', '--bare', '--initial-branch=main', app.origin);
  git(work, 'init', '--quiet', '--initial-branch=main', app.workspace);
  const commit = (msg: string): string => {
    fs.writeFileSync(path.join(app.workspace, 'app.txt'), `${msg}\n`);
    git(app.workspace, 'add', '.');
    git(app.workspace, 'commit', '--quiet', '-m', msg);
    return git(app.workspace, 'rev-parse', 'HEAD');
  };
  app.A = commit('A');
  git(app.workspace, 'tag', 'v1.0.0');
  app.B = commit('B');
  app.C = commit('C');
  git(app.workspace, 'checkout', '--quiet', '-b', 'hotfix', app.A);
  app.D = commit('D: hotfix');
  git(app.workspace, 'checkout', '--quiet', 'main');
  git(app.workspace, 'push', '--quiet', app.origin, 'main', 'hotfix', 'v1.0.0');
  api = await startGitHubApi('acme/my-app', app.origin);
});
after(async () => {
  await api?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

function configRepo(hook?: string): { bare: string; url: string } {
  return seedConfigRepo(work, `config-${++n}`, [
    [path.join(FIX, 'helm-per-app/applications/my-app/values-dev.yaml'), FILE],
    [path.join(FIX, 'kardon/overlays/dev/kustomization.yaml'), KUSTOMIZATION],
  ], hook);
}

const subjects = (bare: string): string[] => git(bare, 'log', '--format=%s', 'main').split('\n');
const liveMarker = (bare: string): string => /digest: "sha256:[a-f0-9]{64}" {2}# source-commit: ([0-9a-f]{40})/.exec(git(bare, 'show', `main:${FILE}`))?.[1] ?? '';
const liveDigest = (bare: string): string => /digest: "(sha256:[a-f0-9]{64})"/.exec(git(bare, 'show', `main:${FILE}`))?.[1] ?? '';

function promote(url: string, sourceCommit: string, d: string, extra: Record<string, string> = {}, workspace = app.workspace): Promise<ActionRun> {
  return runAction('gitops-promote', {
    inputs: { image: `ghcr.io/acme/my-app@${d}`, environment: 'dev', app: 'my-app', file: 'applications/{app}/values-{env}.yaml', repository: url, token: '', 'source-commit': sourceCommit, ...extra },
    context: { sha: sourceCommit, repository: 'acme/my-app', runId: String(++n), token: '', workspace },
  });
}

describe('gitops-promote newest wins (real git history of the application)', () => {
  it('passes a newer commit, refuses an older one (green, superseded, nothing committed), rolls back only with allow-older', async () => {
    const { bare, url } = configRepo();
    const first = await promote(url, app.B, digest('b'));
    assert.equal(first.main.exitCode, 0, first.allOutput);
    assert.equal(first.outputs['live-commit'], '');
    assert.equal(liveMarker(bare), app.B);

    const newer = await promote(url, app.C, digest('c'));
    assert.equal(newer.main.exitCode, 0, newer.allOutput);
    assert.equal(newer.outputs.changed, 'true');
    assert.equal(newer.outputs['live-commit'], app.B);
    assert.match(newer.allOutput, new RegExp(`${app.C.slice(0, 12)} is newer than the live ${app.B.slice(0, 12)} \\(${app.B.slice(0, 12)} is an ancestor of ${app.C.slice(0, 12)} \\(local git\\)\\)`));
    assert.equal(liveMarker(bare), app.C);
    assert.equal(git(bare, 'log', '-1', '--format=%(trailers:key=Source-Commit,valueonly)', 'main'), app.C);

    const tip = git(bare, 'rev-parse', 'main');
    const older = await promote(url, app.A, digest('a'));
    assert.equal(older.main.exitCode, 0, older.allOutput);
    assert.equal(older.outputs.superseded, 'true');
    assert.equal(older.outputs.changed, 'false');
    assert.equal(older.outputs.commit, '');
    assert.equal(older.outputs['live-commit'], app.C);
    assert.equal(JSON.parse(older.outputs.promoted)['my-app'].superseded, true);
    assert.match(older.allOutput, new RegExp(`::notice::my-app: superseded: ${app.C.slice(0, 12)} is newer than ${app.A.slice(0, 12)}`));
    assert.match(older.summary, new RegExp(`superseded: ${app.C.slice(0, 12)} is newer than ${app.A.slice(0, 12)}`));
    assert.equal(git(bare, 'rev-parse', 'main'), tip, 'nothing was pushed');
    assert.equal(liveDigest(bare), digest('c'));

    const rollback = await promote(url, app.A, digest('a'), { 'allow-older': 'true' });
    assert.equal(rollback.main.exitCode, 0, rollback.allOutput);
    assert.equal(rollback.outputs.superseded, 'false');
    assert.equal(rollback.outputs.changed, 'true');
    assert.match(rollback.allOutput, /rolling back on purpose \(allow-older\)/);
    assert.equal(liveDigest(bare), digest('a'));
    assert.equal(liveMarker(bare), app.A);
  });

  it('refuses a diverged commit (a hotfix branch) with an error naming allow-unordered, and passes it with allow-unordered', async () => {
    const { bare, url } = configRepo();
    assert.equal((await promote(url, app.C, digest('c'))).main.exitCode, 0);
    const tip = git(bare, 'rev-parse', 'main');
    const refused = await promote(url, app.D, digest('d'));
    assert.equal(refused.main.exitCode, 1);
    assert.match(refused.allOutput, /::error::Cannot tell whether [0-9a-f]{12} is newer than the live [0-9a-f]{12} of my-app in dev: the histories diverged .*Set allow-unordered: true/);
    assert.equal(refused.outputs.changed, 'false');
    assert.equal(refused.outputs['live-commit'], app.C, 'the live commit it found, on the error path too');
    assert.equal(git(bare, 'rev-parse', 'main'), tip);
    const allowed = await promote(url, app.D, digest('d'), { 'allow-unordered': 'true' });
    assert.equal(allowed.main.exitCode, 0, allowed.allOutput);
    assert.equal(liveMarker(bare), app.D);
  });

  it('without local history asks the compare API: an older commit is superseded; a live commit force-pushed away is reported, not guessed', async () => {
    const { bare, url } = configRepo();
    const noHistory = fs.mkdtempSync(path.join(work, 'no-git-'));
    const viaApi = { token: 'ghs_compareToken123', 'github-api-url': api.url };
    // The live commit X: pushed to origin, promoted, then force-pushed away (and pruned) on origin.
    const clone = path.join(work, `app-clone-${++n}`);
    git(work, 'clone', '--quiet', app.origin, clone);
    fs.writeFileSync(path.join(clone, 'app.txt'), 'X\n');
    git(clone, 'commit', '--quiet', '-am', 'X: pushed by mistake');
    const X = git(clone, 'rev-parse', 'HEAD');
    git(clone, 'push', '--quiet', 'origin', 'main');
    const fromX = await promote(url, X, digest('e'), viaApi, noHistory);
    assert.equal(fromX.main.exitCode, 0, fromX.allOutput);
    git(clone, 'push', '--quiet', '--force', 'origin', `${app.C}:refs/heads/main`);
    git(app.origin, 'reflog', 'expire', '--expire=now', '--all');
    git(app.origin, 'gc', '--quiet', '--prune=now');

    const unknown = await promote(url, app.C, digest('c'), viaApi, noHistory);
    assert.equal(unknown.main.exitCode, 1);
    assert.match(unknown.allOutput, new RegExp(`acme/my-app does not have the live commit ${X.slice(0, 12)} \\(GitHub compare: 404 Not Found; force-pushed away`));
    assert.match(unknown.allOutput, /Set allow-unordered: true/);
    assert.equal(liveMarker(bare), X);

    const pass = await promote(url, app.C, digest('c'), { ...viaApi, 'allow-unordered': 'true' }, noHistory);
    assert.equal(pass.main.exitCode, 0, pass.allOutput);
    const older = await promote(url, app.B, digest('b'), viaApi, noHistory);
    assert.equal(older.main.exitCode, 0, older.allOutput);
    assert.equal(older.outputs.superseded, 'true');
    assert.match(older.allOutput, /GitHub compare [0-9a-f]{12}\.\.\.[0-9a-f]{12}: behind/);
    assert.equal(liveMarker(bare), app.C);
    assert.ok(!older.visibleOutput.includes('ghs_compareToken123'));
  });

  it('two promotions of A < B finishing in the order B, A leave B live', async () => {
    const { bare, url } = configRepo();
    const b = await promote(url, app.B, digest('b'));
    const a = await promote(url, app.A, digest('a'));
    assert.equal(b.main.exitCode, 0, b.allOutput);
    assert.equal(a.main.exitCode, 0, a.allOutput);
    assert.equal(a.outputs.superseded, 'true');
    assert.equal(liveDigest(bare), digest('b'));
    assert.equal(liveMarker(bare), app.B);
    assert.deepEqual(subjects(bare), [`promote(dev): my-app sha256:bbbbbbbbbbbb`, 'seed']);
  });

  it('two promotions of A < B pushed at the same moment (held together in pre-receive) leave B live, whichever lands first', async () => {
    for (let round = 0; round < 2; round++) {
      const { bare, url } = configRepo('race-barrier');
      const [a, b] = await Promise.all([promote(url, app.A, digest('a')), promote(url, app.B, digest('b'))]);
      assert.equal(a.main.exitCode, 0, a.allOutput);
      assert.equal(b.main.exitCode, 0, b.allOutput);
      assert.equal(liveDigest(bare), digest('b'), `round ${round}: ${subjects(bare).join(' | ')}`);
      assert.equal(liveMarker(bare), app.B);
      // The loser planned again on the winner's tip and decided there: A superseded, or B newer than A.
      const log = subjects(bare);
      assert.ok(log.length === 2 ? a.outputs.superseded === 'true' : log[0] === 'promote(dev): my-app sha256:bbbbbbbbbbbb', log.join(' | '));
    }
  });

  it('re-decides per service: in one commit a newer service moves, a service whose live commit is newer stays', async () => {
    const { bare, url } = configRepo();
    const kustomize = { image: '', file: 'deployment/k8s/overlays/{env}/kustomization.yaml', app: '' };
    const images = (d: string): string => JSON.stringify({ api: `ghcr.io/example-org/kardon/api@${d}`, web: `ghcr.io/example-org/kardon/web@${d}` });
    assert.equal((await promote(url, app.B, digest('b'), { ...kustomize, images: images(digest('b')) })).main.exitCode, 0);
    // web alone moves on to C.
    assert.equal((await promote(url, app.C, digest('c'), { ...kustomize, images: JSON.stringify({ web: `ghcr.io/example-org/kardon/web@${digest('c')}` }) })).main.exitCode, 0);
    // A rebuild of B for both: api is unchanged (same image, same commit), web keeps C.
    const r = await promote(url, app.B, digest('b'), { ...kustomize, images: images(digest('b')) });
    assert.equal(r.main.exitCode, 0, r.allOutput);
    const promoted = JSON.parse(r.outputs.promoted) as Record<string, { superseded: boolean; changed: boolean }>;
    assert.deepEqual([promoted.api.superseded, promoted.api.changed, promoted.web.superseded], [false, false, true]);
    assert.equal(r.outputs.superseded, 'false', 'not every service was superseded');
    assert.match(git(bare, 'show', `main:${KUSTOMIZATION}`), new RegExp(`kardon/web\\n    digest: ${digest('c')}  # source-commit: ${app.C}\\n`));
  });
});
