// gitops-promote's push path with the real git CLI against bare repositories on this machine (file:// remotes):
// the tip is fetched in one round trip with its small files only (partial clone `blob:limit`, depth 1, no
// checkout; `blob:none` from a server that refuses that filter) and the commit written with fast-import; a race with a competing push is re-applied on the new tip and lands once; an identical promotion
// that landed first is not duplicated; a pre-receive hook standing in for branch protection fails at once.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseImage } from '../../actions/gitops-promote/inputs.js';
import type { Decide, PushTarget, ServiceEdit } from '../../actions/gitops-promote/promote.js';
import { SMALL_FILE_LIMIT, fetchConfigTip } from '../../actions/gitops-promote/fetch-tip.js';
import { promoteByPush, revertByPush } from '../../actions/gitops-promote/promote.js';
import type { Target } from '../../actions/gitops-promote/targets.js';
import { Git, parsePushPorcelain, classifyPushRejection } from '../../actions/toolkit/index.js';
import { WireGit } from '../../actions/toolkit/git-wire.js';
import { ROOT } from '../support/run-action.js';
import { loadStack, stackSkip } from '../support/stack.js';
import YAML from 'yaml';

const FIX = path.join(ROOT, 'test', 'fixtures', 'gitops');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-git-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
const identity = { name: 'test', email: 'test@example.com' };
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const FILE = 'deployment/k8s/overlays/dev/kustomization.yaml';
let n = 0;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'seed', GIT_AUTHOR_EMAIL: 's@e', GIT_COMMITTER_NAME: 'seed', GIT_COMMITTER_EMAIL: 's@e' } });

const BIG = 'other/generated/crds.yaml';

/**
 * A bare repository whose main holds the Kardon dev overlay (and a generated file bigger than SMALL_FILE_LIMIT),
 * optionally with a pre-receive hook.
 */
function bareRepo(hook?: string): { bare: string; url: string } {
  const id = ++n;
  const bare = path.join(work, `config-${id}.git`);
  const seed = path.join(work, `seed-${id}`);
  git(work, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(work, 'init', '--quiet', '--initial-branch=main', seed);
  fs.mkdirSync(path.join(seed, path.dirname(FILE)), { recursive: true });
  fs.copyFileSync(path.join(FIX, 'kardon/overlays/dev/kustomization.yaml'), path.join(seed, FILE));
  // Other files of the repository, which a promotion of the dev overlay never needs to fetch.
  fs.cpSync(path.join(FIX, 'kardon'), path.join(seed, 'other'), { recursive: true });
  fs.mkdirSync(path.join(seed, path.dirname(BIG)), { recursive: true });
  fs.writeFileSync(path.join(seed, BIG), Array.from({ length: 2000 }, (_, i) => `# generated line ${i}: ${'x'.repeat(40)}\n`).join(''));
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
  git(bare, 'config', 'uploadpack.allowFilter', 'true');
  if (hook) fs.copyFileSync(path.join(FIX, 'hooks', hook), path.join(bare, 'hooks', 'pre-receive'));
  return { bare, url: `file://${bare}` };
}

type Client = 'git' | 'wire';

/** A tip-only clone, as the action makes it: the git CLI's, or the in-process client's (objects in memory). */
async function clone(url: string, attempts = 3, beforePush?: PushTarget['beforePush'], client: Client = 'git'): Promise<PushTarget> {
  if (client === 'wire') {
    const w = WireGit.for(url, { identity });
    return { git: w, branch: 'main', display: url, tip: await w.fetchTip('main'), attempts, ...(beforePush ? { beforePush } : {}) };
  }
  const dir = path.join(work, `clone-${++n}.git`);
  const g = new Git(dir, { identity });
  const r = await fetchConfigTip(g, url, 'main');
  assert.equal(r.exitCode, 0, r.stderr);
  return { git: g, branch: 'main', display: url, tip: await g.revParse('refs/heads/main'), attempts, ...(beforePush ? { beforePush } : {}) };
}

const cloneWith = (client: Client, url: string, attempts?: number, beforePush?: PushTarget['beforePush']): Promise<PushTarget> => clone(url, attempts, beforePush, client);

const proceed: Decide = async () => ({ kind: 'proceed', note: 'test' });
const options = { create: false, sourceCommit: '', decide: proceed };
const service = (svc: string, digest: string): ServiceEdit => ({ name: svc, image: image(svc, digest), file: FILE, target: target(svc) });

const fileAt = (bare: string, ref = 'main'): string => git(bare, 'show', `${ref}:${FILE}`);
const subjects = (bare: string): string[] => git(bare, 'log', '--format=%s', 'main').trim().split('\n');

const target = (svc: string): Target => ({ kind: 'kustomization', name: `ghcr.io/example-org/kardon/${svc}` });
const image = (svc: string, digest: string): ReturnType<typeof parseImage> => parseImage(`ghcr.io/example-org/kardon/${svc}@${digest}`);

/** Another promoter, pushing first through its own clone. */
async function competingPromotion(url: string, svc: string, digest: string): Promise<void> {
  const r = await promoteByPush(await clone(url, 1), [service(svc, digest)], options, () => `promote ${svc}`);
  assert.equal(r.changed, true);
}

for (const client of ['git', 'wire'] as const) {
  describe(`gitops-promote push path with real git (${client === 'git' ? 'git CLI' : 'in-process client'})`, () => {
    it('re-applies the edit on the new tip when another promotion pushed first, and both land exactly once', async () => {
      const { bare, url } = bareRepo();
      const mine = await cloneWith(client, url, 3, async (attempt) => (attempt === 1 ? competingPromotion(url, 'web', B) : undefined));
      const r = await promoteByPush(mine, [service('api', A)], options, () => 'promote api');
      assert.equal(r.changed, true);
      assert.equal(r.attempts, 2);
      assert.equal(git(bare, 'rev-parse', 'main').trim(), r.commit);
      assert.deepEqual(subjects(bare), ['promote api', 'promote web', 'seed']);
      const text = fileAt(bare);
      assert.match(text, new RegExp(`- name: ghcr.io/example-org/kardon/web\\n    digest: ${B}\\n`));
      assert.match(text, new RegExp(`- name: ghcr.io/example-org/kardon/api\\n    digest: ${A}\\n`));
    });

    it('ends with changed=false, not a duplicate commit, when the same promotion landed first', async () => {
      const { bare, url } = bareRepo();
      const mine = await cloneWith(client, url, 3, async (attempt) => (attempt === 1 ? competingPromotion(url, 'api', A) : undefined));
      const r = await promoteByPush(mine, [service('api', A)], options, () => 'promote api (mine)');
      assert.equal(r.changed, false);
      assert.equal(r.commit, '');
      assert.deepEqual(subjects(bare), ['promote api', 'seed']);
    });

    it('gives up after push-attempts when the branch keeps moving, with nothing of its own on the branch', async () => {
      const { bare, url } = bareRepo();
      const digests = [B, `sha256:${'c'.repeat(64)}`];
      const mine = await cloneWith(client, url, 2, (attempt) => competingPromotion(url, 'web', digests[attempt - 1]));
      await assert.rejects(
        promoteByPush(mine, [service('api', A)], options, () => 'promote api'),
        /Could not push to 'main' after 2 attempts: the branch kept moving \((\[rejected\] \((fetch first|non-fast-forward)\)|\[remote rejected\] \(failed to update ref\))\)/,
      );
      assert.ok(!subjects(bare).includes('promote api'));
    });

    it('fails at once, with the hook message, when a pre-receive hook (branch protection) rejects the push', async () => {
      const { bare, url } = bareRepo('protected-branch');
      const before = git(bare, 'rev-parse', 'main').trim();
      const mine = await cloneWith(client, url, 5);
      await assert.rejects(
        promoteByPush(mine, [service('api', A)], options, () => 'promote api'),
        (err: Error) => {
          assert.match(err.message, /The push to 'main' was rejected: \[remote rejected\] \(pre-receive hook declined\)\. Nothing was changed on the branch\./);
          assert.match(err.message, /branch protection: refs\/heads\/main is protected; changes must go through a pull request/);
          return true;
        },
      );
      assert.equal(git(bare, 'rev-parse', 'main').trim(), before);
    });

    it('reverts on the fresh tip, keeping a later promotion of another service', async () => {
      const { bare, url } = bareRepo();
      const mine = await cloneWith(client, url, 1);
      const r = await promoteByPush(mine, [service('api', A)], options, () => 'promote api');
      await competingPromotion(url, 'web', B);
      const rev = await revertByPush({ ...mine, attempts: 3 }, r.outcomes, 'revert api');
      assert.equal(rev.reverted, true);
      assert.deepEqual(subjects(bare), ['revert api', 'promote web', 'promote api', 'seed']);
      const text = fileAt(bare);
      assert.match(text, /- name: ghcr.io\/example-org\/kardon\/api\n {4}newTag: sha-3f9c2e1\n/);
      assert.match(text, new RegExp(`web\\n    digest: ${B}`));
    });
  });
}

describe('gitops-promote push path with real git: the CLI clone', () => {
  it('fetches the tip with its small files in one round trip: the edited file is there before it is read, the big file never comes', async () => {
    const { bare, url } = bareRepo();
    const mine = await clone(url, 1);
    const missing = (): string[] => git((mine.git as Git).cwd, 'rev-list', '--objects', '--missing=print', 'refs/heads/main').split('\n').filter((l) => l.startsWith('?'));
    const bigBlob = git(bare, 'rev-parse', `main:${BIG}`).trim();
    assert.ok(Number(git(bare, 'cat-file', '-s', bigBlob)) > SMALL_FILE_LIMIT);
    // Right after the fetch: every blob of the tip but the big one, so reading the kustomization fetches nothing.
    assert.deepEqual(missing(), [`?${bigBlob}`]);
    const r = await promoteByPush(mine, [service('api', A)], options, () => 'promote api');
    assert.equal(r.changed, true);
    assert.deepEqual(missing(), [`?${bigBlob}`]);
    assert.equal(git((mine.git as Git).cwd, 'config', 'remote.origin.partialclonefilter').trim(), `blob:limit=${SMALL_FILE_LIMIT}`);
    assert.equal(git((mine.git as Git).cwd, 'rev-parse', '--is-shallow-repository').trim(), 'true');
    assert.equal(git(bare, 'diff', '--name-only', 'main~1', 'main').trim(), FILE);
    assert.equal(git(bare, 'fsck', '--no-progress').trim(), '');
  });

  it('falls back to a clone without file contents when the server refuses blob:limit but allows blob:none, and still promotes', async () => {
    const { bare, url } = bareRepo();
    // A server that allows only some filters (as a hosting service may): git's own uploadpackfilter settings.
    git(bare, 'config', 'uploadpackfilter.allow', 'false');
    git(bare, 'config', 'uploadpackfilter.blob:none.allow', 'true');
    const dir = path.join(work, `clone-${++n}.git`);
    const g = new Git(dir, { identity });
    await assert.rejects(async () => execFileSync('git', ['clone', '--quiet', '--bare', '--depth', '1', `--filter=blob:limit=${SMALL_FILE_LIMIT}`, url, `${dir}-refused`], { stdio: 'pipe' }), /filter 'blob:limit' not supported/);
    const r = await fetchConfigTip(g, url, 'main');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.filter, 'blob:none');
    const pushed = await promoteByPush({ git: g, branch: 'main', display: url, tip: 'refs/heads/main', attempts: 1 }, [service('api', A)], options, () => 'promote api');
    assert.equal(pushed.changed, true);
    assert.match(fileAt(bare), new RegExp(`- name: ghcr.io/example-org/kardon/api\\n    digest: ${A}\\n`));
  });

  it('classifies the real push rejections captured from git: fetch first and a server-side race retry, a declined hook does not', () => {
    const dir = path.join(FIX, 'push-porcelain');
    const cases: Array<[string, string, 'race' | 'rejected']> = [
      ['fetch-first', '[rejected] (fetch first)', 'race'],
      ['server-race', '[remote rejected] (failed to update ref)', 'race'],
      ['hook-declined', '[remote rejected] (pre-receive hook declined)', 'rejected'],
    ];
    for (const [name, text, kind] of cases) {
      assert.equal(fs.readFileSync(path.join(dir, `${name}.rc`), 'utf8').trim(), '1');
      const refs = parsePushPorcelain(fs.readFileSync(path.join(dir, `${name}.stdout`), 'utf8'));
      assert.equal(refs.length, 1, name);
      assert.equal(refs[0].flag, '!');
      assert.equal(refs[0].to, 'refs/heads/main');
      assert.equal(`${refs[0].summary} (${refs[0].reason})`, text);
      assert.equal(classifyPushRejection(refs[0]), kind, name);
    }
  });
});

describe('gitops-promote edit rendered by the real kubectl kustomize', () => {
  const stack = loadStack();
  it('the golden Kardon prod overlay (web promoted with newName, newTag and digest) renders the new image', { skip: stackSkip(stack) }, () => {
    const tmp = fs.mkdtempSync(path.join(work, 'kustomize-'));
    fs.cpSync(path.join(FIX, 'kardon'), tmp, { recursive: true });
    fs.copyFileSync(path.join(FIX, 'golden', 'kardon-prod-web-newname-tag-digest.yaml'), path.join(tmp, 'overlays/prod/kustomization.yaml'));
    const out = execFileSync(stack?.kubectl ?? 'kubectl', ['kustomize', path.join(tmp, 'overlays/prod')], { encoding: 'utf8' });
    const images = YAML.parseAllDocuments(out).flatMap((d) => {
      const o = d.toJS() as { kind?: string; metadata?: { name?: string }; spec?: { template?: { spec?: { containers?: Array<{ image?: string }> } } } };
      return (o.spec?.template?.spec?.containers ?? []).map((ct) => `${o.kind}/${o.metadata?.name}=${ct.image}`);
    });
    assert.ok(images.includes(`Deployment/web=ghcr.io/acme/kardon-web:v1.9.0@${B}`), images.join('\n'));
    assert.ok(images.includes('Deployment/api=ghcr.io/example-org/kardon/api@sha256:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d'), images.join('\n'));
  });
});
