// verify-image against the real registries of the test stack (127.0.0.1:5000 open, :5001 htpasswd) holding images
// the real Docker built with good, foreign and missing labels; reachability from a REAL git repository (main, a
// feature branch, an unmerged release branch with an annotated release tag) through a GitHub API stand-in answering
// compare and matching-refs as GitHub does, or through a clone of it as the workspace.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGitHubRefsApi, type GitHubRefsApi } from '../support/github-refs-api.js';
import { flakyProxy } from '../support/registry.js';
import { runAction, type ActionRun } from '../support/run-action.js';
import { loadStack, stackSkip } from '../support/stack.js';

const stack = loadStack();
const skip = stackSkip(stack);
const REPO = 'acme/app';

const git = (dir: string, ...args: string[]): string => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } }).trim();

/** main: c1 → c2; feature (from c1): f1; release/1.0 (from c1, never merged): r1, annotated tag v1.0.0; f1 also has a non-release tag. */
function makeHistory(): { dir: string; c1: string; c2: string; f1: string; r1: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vi-repo-'));
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const commit = (msg: string): string => {
    fs.writeFileSync(path.join(dir, 'file'), `${msg}\n`);
    git(dir, 'add', 'file');
    git(dir, 'commit', '-q', '-m', msg);
    return git(dir, 'rev-parse', 'HEAD');
  };
  const c1 = commit('c1');
  const c2 = commit('c2');
  git(dir, 'checkout', '-q', '-b', 'feature', c1);
  const f1 = commit('f1');
  git(dir, 'tag', 'nightly');
  git(dir, 'checkout', '-q', '-b', 'release/1.0', c1);
  const r1 = commit('r1');
  git(dir, 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0');
  git(dir, 'checkout', '-q', 'main');
  return { dir, c1, c2, f1, r1 };
}

/** Builds a one-file image with the real Docker and pushes it; returns <host>/<repo>@<digest>. */
function buildImage(host: string, labels: Record<string, string>, platforms = 'linux/amd64'): string {
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'vi-ctx-'));
  fs.writeFileSync(path.join(ctx, 'nonce'), randomBytes(16).toString('hex'));
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY nonce /nonce\n');
  const name = `${host}/vi/${randomBytes(4).toString('hex')}`;
  const metadata = path.join(ctx, 'metadata.json');
  const args = ['buildx', 'build', '--platform', platforms, '--metadata-file', metadata, '--output', `type=image,name=${name}:t,push=true,oci-mediatypes=true`];
  for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
  execFileSync('docker', [...args, ctx], { stdio: ['ignore', 'ignore', 'pipe'] });
  const digest = (JSON.parse(fs.readFileSync(metadata, 'utf8')) as Record<string, string>)['containerimage.digest'];
  return `${name}@${digest}`;
}

/**
 * An index whose platform images come from two builds (amd64 with one label set, arm64 with another), put together
 * with the real `docker buildx imagetools create`, as a hand-made or tampered release could be; returns <repo>@<digest>.
 */
function mixedIndex(host: string, amd64: Record<string, string>, arm64: Record<string, string>): string {
  const [a, b] = [buildImage(host, amd64, 'linux/amd64'), buildImage(host, arm64, 'linux/arm64')];
  const name = `${host}/vi/${randomBytes(4).toString('hex')}`;
  execFileSync('docker', ['buildx', 'imagetools', 'create', '--tag', `${name}:mixed`, a, b], { stdio: ['ignore', 'ignore', 'pipe'] });
  const manifest = JSON.parse(execFileSync('docker', ['buildx', 'imagetools', 'inspect', `${name}:mixed`, '--format', '{{json .Manifest}}'], { encoding: 'utf8' })) as { digest: string };
  return `${name}@${manifest.digest}`;
}

const SOURCE = 'https://github.com/acme/app';
const labels = (revision: string | undefined, source: string | undefined = SOURCE): Record<string, string> => ({
  ...(source !== undefined ? { 'org.opencontainers.image.source': source } : {}),
  ...(revision !== undefined ? { 'org.opencontainers.image.revision': revision } : {}),
});

describe('verify-image on real registries and a real git history', { skip }, () => {
  let h: ReturnType<typeof makeHistory>;
  let api: GitHubRefsApi;
  const img: Record<string, string> = {};
  const notGit = fs.mkdtempSync(path.join(os.tmpdir(), 'vi-ws-'));

  before(async () => {
    h = makeHistory();
    api = await startGitHubRefsApi(REPO, h.dir);
    const open = stack!.registryOpen;
    // A multi-platform index (with BuildKit's attestation manifest): the labels come from a platform image's config.
    img.main = buildImage(open, { ...labels(h.c1), 'org.opencontainers.image.source': 'https://GitHub.com/Acme/App.git' }, 'linux/amd64,linux/arm64');
    img.tip = buildImage(open, labels(h.c2));
    img.foreign = buildImage(open, labels(h.c2, 'https://github.com/evil/app'));
    img.noRevision = buildImage(open, labels(undefined));
    img.feature = buildImage(open, labels(h.f1));
    img.release = buildImage(open, labels(h.r1));
    img.mixed = mixedIndex(open, labels(h.c1), labels(h.f1));
    // The htpasswd registry: pushed by build-push itself (its labels: source from the repository, revision the commit).
    const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'vi-bp-'));
    fs.writeFileSync(path.join(ctx, 'nonce'), randomBytes(16).toString('hex'));
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY nonce /nonce\n');
    const pushed = await runAction('build-push', {
      inputs: { images: `${stack!.registryAuth}/vi/${randomBytes(4).toString('hex')}`, context: ctx, platforms: 'linux/amd64', registry: stack!.registryAuth, username: stack!.registryUser, password: stack!.registryPassword },
      context: { ref: 'refs/heads/main', sha: h.c2, repository: REPO },
    });
    assert.equal(pushed.main.exitCode, 0, pushed.main.stdout);
    img.private = pushed.outputs['image-ref'];
  });
  after(async () => api?.close());

  const verify = (inputs: Record<string, string>, opts: { workspace?: string; repository?: string } = {}): Promise<ActionRun> =>
    runAction('verify-image', {
      inputs: { 'default-branch': 'main', 'github-token': 'ghs_test', ...inputs },
      context: { repository: opts.repository ?? REPO, workspace: opts.workspace ?? notGit },
      env: { GITHUB_API_URL: api.url },
    });

  it('verifies an index built from a commit on the default branch: labels from a platform image, source compared case-insensitively with .git', async () => {
    const run = await verify({ 'image-refs': img.main });
    assert.equal(run.main.exitCode, 0, run.main.stdout);
    assert.deepEqual(JSON.parse(run.outputs.revisions), { [img.main]: h.c1 });
    assert.deepEqual(JSON.parse(run.outputs.sources), { [img.main]: 'https://GitHub.com/Acme/App.git' });
    assert.match(run.summary, /\| image \| source \| revision \| verdict \|/);
    assert.match(run.summary, new RegExp(`${h.c1} \\| verified<br>reachable: on main \\(GitHub compare`));
    assert.ok(api.requests.some((r) => r.path.includes(`/compare/${h.c1}...main`)), 'asked the compare API');
  });

  it('refuses an index whose arm64 image was built from another commit than its amd64 image, naming the platform and both revisions', async () => {
    const run = await verify({ 'image-refs': img.mixed });
    assert.equal(run.main.exitCode, 1, run.main.stdout);
    assert.match(run.main.stdout, new RegExp(`platform linux/arm64 \\(sha256:[0-9a-f]{64}\\) has label org\\.opencontainers\\.image\\.revision '${h.f1}', but linux/amd64 has '${h.c1}'`));
    assert.doesNotMatch(run.main.stdout, /has label org\.opencontainers\.image\.source/, 'the source labels agree: only the revision is named');
    assert.deepEqual(JSON.parse(run.outputs.revisions), { [img.mixed]: h.c1 }, 'the output names what the first platform says');
    assert.match(run.summary, /\| refused<br>platform linux\/arm64/);
  });

  it('refuses a foreign source and a missing revision, naming the label and the value found, and asks GitHub nothing for them', async () => {
    const before = api.requests.length;
    const run = await verify({ 'image-refs': `${img.foreign}\n${img.noRevision}\n${img.tip}` });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::error::2 of 3 images refused/);
    assert.match(run.main.stdout, /label org\.opencontainers\.image\.source is 'https:\/\/github\.com\/evil\/app', not https:\/\/github\.com\/acme\/app/);
    assert.match(run.main.stdout, /label org\.opencontainers\.image\.revision is missing/);
    assert.deepEqual(JSON.parse(run.outputs.revisions), { [img.foreign]: h.c2, [img.noRevision]: '', [img.tip]: h.c2 }, 'outputs hold what was read, on failure too');
    assert.match(run.summary, /\| refused<br>label org\.opencontainers\.image\.source/);
    assert.match(run.summary, new RegExp(`${h.c2} \\| verified`));
    const asked = api.requests.slice(before).map((r) => r.path);
    assert.deepEqual(asked.filter((p) => p.includes('compare')).length, 1, `only the good image was looked up: ${asked.join(', ')}`);
  });

  it('refuses a revision on a feature branch with no release tag (a non-release tag at it does not count)', async () => {
    const run = await verify({ 'image-refs': img.feature });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, new RegExp(`label org\\.opencontainers\\.image\\.revision is ${h.f1}, which is neither on main nor a release tag of acme/app`));
    assert.match(run.main.stdout, /GitHub compare [0-9a-f]{12}\.\.\.main: diverged/);
    assert.match(run.main.stdout, /no release tag of acme\/app points at/);
  });

  it('accepts the commit of an annotated release tag on an unmerged branch (matching-refs, tag object followed)', async () => {
    const run = await verify({ 'image-refs': img.release });
    assert.equal(run.main.exitCode, 0, run.main.stdout);
    assert.match(run.summary, /reachable: release tag v1\.0\.0 \(GitHub matching-refs\)/);
    assert.ok(api.requests.some((r) => /\/git\/tags\/[0-9a-f]{40}$/.test(r.path)), 'the annotated tag was dereferenced');
  });

  it('decides with the workspace git history when it is the repository checkout (no API call), and refuses the feature commit there too', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'vi-clone-'));
    execFileSync('git', ['clone', '-q', h.dir, ws]);
    const before = api.requests.length;
    const good = await verify({ 'image-refs': `${img.tip}\n${img.release}`, 'github-token': '' }, { workspace: ws });
    assert.equal(good.main.exitCode, 0, good.main.stdout);
    assert.match(good.summary, /reachable: on main at [0-9a-f]{12} \(same commit\)/);
    assert.match(good.summary, /release tag v1\.0\.0 \(local git\)/);
    const bad = await verify({ 'image-refs': img.feature, 'github-token': '' }, { workspace: ws });
    assert.equal(bad.main.exitCode, 1);
    assert.match(bad.main.stdout, /not on main at [0-9a-f]{12}: neither [0-9a-f]{12} nor [0-9a-f]{12} is an ancestor of the other \(local git\)/);
    assert.equal(api.requests.length, before, 'no API request');
  });

  it('expected-revision: a mismatch is refused, or a warning with allow-revision-mismatch', async () => {
    const refused = await verify({ 'image-refs': img.tip, 'expected-revision': h.c1 });
    assert.equal(refused.main.exitCode, 1);
    assert.match(refused.main.stdout, new RegExp(`label org\\.opencontainers\\.image\\.revision is ${h.c2}, not the expected revision ${h.c1} \\(set allow-revision-mismatch: true`));
    const warned = await verify({ 'image-refs': img.tip, 'expected-revision': h.c1, 'allow-revision-mismatch': 'true' });
    assert.equal(warned.main.exitCode, 0, warned.main.stdout);
    assert.match(warned.main.stdout, /::warning::.*not the expected revision .*allow-revision-mismatch/);
    assert.match(warned.summary, /verified \(with warnings\)/);
    const matching = await verify({ 'image-refs': img.tip, 'expected-revision': h.c2.toUpperCase() });
    assert.equal(matching.main.exitCode, 0, matching.main.stdout);
  });

  it('reads the htpasswd registry with registry-username/password (masked), and fails at once without them', async () => {
    const ok = await verify({ 'image-refs': img.private, 'registry-username': stack!.registryUser, 'registry-password': stack!.registryPassword });
    assert.equal(ok.main.exitCode, 0, ok.main.stdout);
    assert.ok(ok.main.stdout.includes(`::add-mask::${stack!.registryPassword}`), 'the password is masked');
    const denied = await verify({ 'image-refs': img.private });
    assert.equal(denied.main.exitCode, 1);
    assert.match(denied.main.stdout, /::error::.*401 Unauthorized/);
    assert.doesNotMatch(denied.main.stdout, /retrying/);
  });

  it('retries a registry that answers 503 a few times, then verifies', async () => {
    const proxy = await flakyProxy(stack!.registryOpen, 2, (req) => req.method === 'GET' && /\/manifests\//.test(req.url ?? ''));
    try {
      const ref = img.tip.replace(stack!.registryOpen, proxy.host);
      const run = await verify({ 'image-refs': ref });
      assert.equal(run.main.exitCode, 0, run.main.stdout);
      assert.equal(proxy.failed(), 2, 'the proxy did answer 503 twice');
      assert.match(run.main.stdout, /transient error, retrying/);
      assert.deepEqual(JSON.parse(run.outputs.revisions), { [ref]: h.c2 });
    } finally {
      await proxy.close();
    }
  });

  it('require-reachable: false checks only the labels (an unreachable commit of this repository passes)', async () => {
    const before = api.requests.length;
    const run = await verify({ 'image-refs': img.feature, 'require-reachable': 'false' });
    assert.equal(run.main.exitCode, 0, run.main.stdout);
    assert.equal(api.requests.length, before);
  });

  const bad: { name: string; inputs: Record<string, string>; error: RegExp }[] = [
    { name: 'a reference without a digest', inputs: { 'image-refs': '127.0.0.1:9/acme/app:v1' }, error: /Input 'image-refs': '127\.0\.0\.1:9\/acme\/app:v1' has no digest/ },
    { name: 'a malformed digest', inputs: { 'image-refs': '127.0.0.1:9/acme/app@sha256:abc' }, error: /Input 'image-refs': .* has a malformed digest/ },
    { name: 'no image at all', inputs: { 'image-refs': '' }, error: /Input 'image-refs': is required/ },
    { name: 'a short expected-revision', inputs: { 'image-refs': `127.0.0.1:9/a@sha256:${'a'.repeat(64)}`, 'expected-revision': 'abc1234' }, error: /Input 'expected-revision': expected a full commit SHA/ },
    { name: 'a repository that is not owner/name', inputs: { 'image-refs': `127.0.0.1:9/a@sha256:${'a'.repeat(64)}`, repository: 'acme' }, error: /Input 'repository': expected owner\/name, got 'acme'/ },
    { name: 'an unexpanded default-branch', inputs: { 'image-refs': `127.0.0.1:9/a@sha256:${'a'.repeat(64)}`, 'default-branch': '${{ github.event.repository.default_branch }}' }, error: /Input 'default-branch': .* is not a branch name/ },
    { name: 'a password without a user', inputs: { 'image-refs': `127.0.0.1:9/a@sha256:${'a'.repeat(64)}`, 'registry-password': 'pw-x' }, error: /Input 'registry-username': registry-username and registry-password go together/ },
    { name: 'a bad boolean', inputs: { 'image-refs': `127.0.0.1:9/a@sha256:${'a'.repeat(64)}`, 'require-reachable': 'maybe' }, error: /Input 'require-reachable': expected true or false, got 'maybe'/ },
  ];
  for (const c of bad) {
    it(`fails on ${c.name}, naming the input, before any network call`, async () => {
      const before = api.requests.length;
      const run = await verify(c.inputs);
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, c.error);
      assert.doesNotMatch(run.main.stdout, /ECONNREFUSED/, 'the closed registry port (127.0.0.1:9) was never dialled');
      assert.equal(api.requests.length, before, 'no API request');
    });
  }
});
