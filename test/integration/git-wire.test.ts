// The in-process git client (actions/toolkit/git-wire.ts) against real git: bare repositories reached as file://
// remotes (git upload-pack / receive-pack started directly) and through `git http-backend` on 127.0.0.1. What it
// writes is checked by git itself (fsck, show, log); what it reads is compared with git's answers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { WireGit, WireUnsupported } from '../../actions/toolkit/git-wire.js';
import { gitHttpBackend } from '../support/git-http.js';
import { startServer, type Handler, type TestServer } from '../support/http-servers.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'git-wire-'));
const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(work, { recursive: true, force: true });
});
const env = { ...process.env, GIT_AUTHOR_NAME: 'seed', GIT_AUTHOR_EMAIL: 's@e', GIT_COMMITTER_NAME: 'seed', GIT_COMMITTER_EMAIL: 's@e' };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8' });
const identity = { name: 'promoter', email: 'p@example.com' };
let n = 0;

/** A bare repository with nested files, one bigger than the blob limit, and a few commits of history. */
function repo(): { bare: string; url: string; root: string; seed: string } {
  const root = path.join(work, `r${++n}`);
  const bare = path.join(root, 'acme', 'config.git');
  const seed = path.join(root, 'seed');
  git(work, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(work, 'init', '--quiet', '--initial-branch=main', seed);
  fs.mkdirSync(path.join(seed, 'apps', 'api'), { recursive: true });
  fs.mkdirSync(path.join(seed, 'apps', 'web'), { recursive: true });
  fs.writeFileSync(path.join(seed, 'apps', 'api', 'values-dev.yaml'), 'image:\n  digest: old\n');
  fs.writeFileSync(path.join(seed, 'apps', 'web', 'values-dev.yaml'), 'image:\n  digest: old-web\n');
  fs.writeFileSync(path.join(seed, 'apps', 'web', 'run.sh'), '#!/bin/sh\n');
  fs.chmodSync(path.join(seed, 'apps', 'web', 'run.sh'), 0o755);
  fs.writeFileSync(path.join(seed, 'big.yaml'), `# generated\n${'x: 1\n'.repeat(20_000)}`);
  fs.writeFileSync(path.join(seed, 'README.md'), 'config\n');
  // A neighbour whose name is not UTF-8 (git names are bytes): a rewritten tree must keep it byte for byte.
  fs.writeFileSync(Buffer.concat([Buffer.from(path.join(seed, 'apps', 'api', 'caf')), Buffer.from([0xe9]), Buffer.from('.txt')]), 'latin-1 name\n');
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  for (let i = 0; i < 3; i++) {
    fs.appendFileSync(path.join(seed, 'apps', 'api', 'values-dev.yaml'), `# change ${i}\n`);
    git(seed, 'commit', '--quiet', '-am', `change ${i}`);
  }
  git(seed, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
  return { bare, url: `file://${bare}`, root, seed };
}

const TOKEN = 'ghs_wireToken0123456789';

/**
 * `git http-backend` for the repositories under `root`, behind TOKEN; `intercept` may answer a request itself
 * (or hand it on to `backend`). `client` reaches a repository of it with the token for its origin.
 */
async function httpServer(root: string, intercept?: (req: http.IncomingMessage, res: http.ServerResponse, backend: Handler) => void) {
  const seen: string[] = [];
  const requests: string[] = [];
  const backend = gitHttpBackend(root, TOKEN, seen, requests);
  const s = await startServer(intercept ? (req, res) => intercept(req, res, backend) : backend);
  servers.push(s);
  const client = (repoPath = '/acme/config.git', authOrigin = s.url): WireGit => WireGit.for(`${s.url}${repoPath}`, { identity, token: TOKEN, authOrigin });
  return { url: s.url, seen, requests, client };
}

const TRANSPORTS = {
  'in-place': 'file:// read in place (receive-pack for the tip and the push)',
  file: 'file:// (upload-pack and receive-pack run directly)',
  http: 'smart HTTP (git http-backend)',
} as const;

for (const transport of Object.keys(TRANSPORTS) as Array<keyof typeof TRANSPORTS>) {
  describe(`git wire client over ${TRANSPORTS[transport]}`, () => {
    const client = async (r: ReturnType<typeof repo>): Promise<{ wire: WireGit; requests?: string[] }> => {
      if (transport !== 'http') return { wire: WireGit.for(r.url, { identity, readLocal: transport === 'in-place' }) };
      const s = await httpServer(r.root);
      return { wire: s.client(), requests: s.requests };
    };

    it('fetches the tip and reads files as git shows them (nested, executable, a blob over the limit fetched by id)', async () => {
      const r = repo();
      const { wire } = await client(r);
      const tip = await wire.fetchTip('main');
      assert.equal(tip, git(r.bare, 'rev-parse', 'main').trim());
      const paths = ['apps/api/values-dev.yaml', 'apps/web/run.sh', 'big.yaml', 'apps/none.yaml', 'apps'];
      const { commit, files } = await wire.readFiles(tip, paths);
      assert.equal(commit, tip);
      assert.deepEqual([...files.keys()].sort(), ['apps/api/values-dev.yaml', 'apps/web/run.sh', 'big.yaml'], 'a missing path and a directory are absent');
      for (const p of files.keys()) assert.equal(files.get(p)?.text, git(r.bare, 'show', `main:${p}`), p);
      assert.equal(files.get('apps/web/run.sh')?.mode, '100755');
      assert.equal(files.get('big.yaml')?.blob, git(r.bare, 'rev-parse', 'main:big.yaml').trim());
    });

    it('writes one commit that git accepts: only the edited files change, trees shared, fsck clean', async () => {
      const r = repo();
      const { wire } = await client(r);
      const tip = await wire.fetchTip('main');
      const commit = await wire.commitFiles(tip, [
        { path: 'apps/api/values-dev.yaml', mode: '100644', text: 'image:\n  digest: new\n' },
        { path: 'apps/web/values-dev.yaml', mode: '100644', text: 'image:\n  digest: new-web\n' },
      ], 'promote(dev): api, web\n\nSource-Commit: abc\n');
      const pushed = await wire.push('main', { source: commit });
      assert.deepEqual(pushed, { ok: true });
      assert.equal(git(r.bare, 'rev-parse', 'main').trim(), commit);
      assert.equal(git(r.bare, 'rev-parse', 'main~1').trim(), tip);
      assert.equal(git(r.bare, 'show', 'main:apps/api/values-dev.yaml'), 'image:\n  digest: new\n');
      assert.equal(git(r.bare, 'show', 'main:apps/web/values-dev.yaml'), 'image:\n  digest: new-web\n');
      assert.deepEqual(git(r.bare, 'diff', '--name-only', 'main~1', 'main').trim().split('\n'), ['apps/api/values-dev.yaml', 'apps/web/values-dev.yaml']);
      assert.equal(git(r.bare, 'log', '-1', '--format=%an <%ae>|%B', 'main'), 'promoter <p@example.com>|promote(dev): api, web\n\nSource-Commit: abc\n\n');
      assert.equal(git(r.bare, 'rev-parse', 'main:big.yaml').trim(), git(r.bare, 'rev-parse', 'main~1:big.yaml').trim());
      const names = (ref: string): Buffer => execFileSync('git', ['ls-tree', '-z', '--name-only', `${ref}:apps/api`], { cwd: r.bare });
      assert.ok(names('main').equals(names('main~1')), 'the tree keeps every name byte for byte (caf\\xe9.txt)');
      assert.ok(names('main').includes(Buffer.from([0x63, 0x61, 0x66, 0xe9])));
      git(r.bare, 'fsck', '--strict', '--no-dangling');
    });

    it('a branch that moved after the fetch is a race: nothing is written, and a fresh fetch plans on the new tip', async () => {
      const r = repo();
      const { wire } = await client(r);
      const tip = await wire.fetchTip('main');
      fs.writeFileSync(path.join(r.seed, 'README.md'), 'someone else\n');
      git(r.seed, 'commit', '--quiet', '-am', 'other');
      git(r.seed, 'push', '--quiet', r.bare, 'HEAD:refs/heads/main');
      const moved = git(r.bare, 'rev-parse', 'main').trim();
      const commit = await wire.commitFiles(tip, [{ path: 'apps/api/values-dev.yaml', mode: '100644', text: 'x: 1\n' }], 'promote\n');
      const pushed = await wire.push('main', { source: commit });
      assert.equal(pushed.ok, false);
      assert.equal(!pushed.ok && pushed.kind, 'race');
      assert.equal(git(r.bare, 'rev-parse', 'main').trim(), moved, 'the other push stays');
      const again = await wire.fetchTip('main');
      assert.equal(again, moved);
      const second = await wire.commitFiles(again, [{ path: 'apps/api/values-dev.yaml', mode: '100644', text: 'x: 1\n' }], 'promote\n');
      assert.deepEqual(await wire.push('main', { source: second }), { ok: true });
      assert.equal(git(r.bare, 'show', 'main:README.md'), 'someone else\n');
    });

    it('a pre-receive hook that declines is a rejection with the hook’s words, not a race', async () => {
      const r = repo();
      fs.writeFileSync(path.join(r.bare, 'hooks', 'pre-receive'), '#!/bin/sh\necho "GH006: Protected branch update failed for refs/heads/main." >&2\nexit 1\n', { mode: 0o755 });
      const { wire } = await client(r);
      const tip = await wire.fetchTip('main');
      const commit = await wire.commitFiles(tip, [{ path: 'apps/api/values-dev.yaml', mode: '100644', text: 'x: 1\n' }], 'promote\n');
      const pushed = await wire.push('main', { source: commit });
      assert.equal(pushed.ok, false);
      assert.equal(!pushed.ok && pushed.kind, 'rejected');
      assert.match(!pushed.ok ? pushed.reason : '', /pre-receive hook declined/);
      assert.match(!pushed.ok ? pushed.output : '', /remote: GH006: Protected branch update failed/);
      assert.equal(git(r.bare, 'rev-parse', 'main').trim(), tip);
    });

    it('a branch that does not exist fails naming it', async () => {
      const r = repo();
      const { wire } = await client(r);
      await assert.rejects(wire.fetchTip('release'), /Remote branch release not found/);
    });
  });
}

describe('git wire client: a file:// remote read in place', () => {
  it('starts git receive-pack only (no upload-pack, so no pack-objects), and the push lands as git shows it', async () => {
    const r = repo();
    // A git that notes each of its starts, then runs the real one.
    const log = path.join(r.root, 'git.log');
    const bin = path.join(r.root, 'git-noting');
    fs.writeFileSync(bin, `#!/bin/sh\necho "$1" >> '${log}'\nexec git "$@"\n`, { mode: 0o755 });
    const wire = WireGit.for(r.url, { identity, gitBin: bin });
    const tip = await wire.fetchTip('main');
    assert.equal(wire.readInPlace, true);
    const { files } = await wire.readFiles(tip, ['apps/api/values-dev.yaml', 'big.yaml']);
    assert.equal(files.get('big.yaml')?.text, git(r.bare, 'show', 'main:big.yaml'));
    const commit = await wire.commitFiles(tip, [{ path: 'apps/api/values-dev.yaml', mode: '100644', text: 'x: 1\n' }], 'promote\n');
    assert.deepEqual(await wire.push('main', { source: commit }), { ok: true });
    assert.deepEqual(fs.readFileSync(log, 'utf8').trim().split('\n'), ['receive-pack']);
    assert.equal(git(r.bare, 'show', 'main:apps/api/values-dev.yaml'), 'x: 1\n');
    git(r.bare, 'fsck', '--strict', '--no-dangling');
  });
});

describe('git wire client: what it leaves to the git CLI', () => {
  it('http asks for protocol v2 and sends the token only to its origin, as basic auth', async () => {
    const r = repo();
    const s = await httpServer(r.root);
    await s.client().fetchTip('main');
    assert.deepEqual(s.seen, ['ok', 'ok', 'ok']);
    // Both advertisements at once (receive-pack's names the tip: no ls-refs), then the one fetch.
    assert.deepEqual(s.requests.slice(0, 2).sort(), ['GET /acme/config.git/info/refs?service=git-receive-pack', 'GET /acme/config.git/info/refs?service=git-upload-pack version=2']);
    assert.deepEqual(s.requests.slice(2), ['POST /acme/config.git/git-upload-pack version=2']);
    const other = await httpServer(r.root);
    await assert.rejects(other.client('/acme/config.git', s.url).fetchTip('main'), /HTTP 401/);
    assert.deepEqual(other.seen, ['denied', 'denied'], 'another origin never gets the token (both advertisements asked for, no header)');
  });

  it('a push answered 503 is sent again and lands once; a 403 fails at once', async () => {
    const r = repo();
    const posts: number[] = [];
    let refuse = 503;
    const s = await httpServer(r.root, (req, res, backend) => {
      if (req.method === 'POST' && req.url?.endsWith('/git-receive-pack')) {
        posts.push(refuse);
        if (refuse) {
          const status = refuse;
          refuse = status === 503 ? 0 : status;
          req.resume();
          res.writeHead(status);
          res.end();
          return;
        }
      }
      return backend(req, res);
    });
    const wire = s.client();
    const tip = await wire.fetchTip('main');
    const commit = await wire.commitFiles(tip, [{ path: 'README.md', mode: '100644', text: 'one\n' }], 'one\n');
    assert.deepEqual(await wire.push('main', { source: commit }), { ok: true });
    assert.deepEqual(posts, [503, 0]);
    assert.equal(git(r.bare, 'rev-parse', 'main').trim(), commit);
    assert.equal(git(r.bare, 'rev-list', '--count', `${tip}..main`).trim(), '1');
    // A push that landed although its answer was lost, sent again: the branch is at this very commit, so it is done.
    assert.deepEqual(await wire.push('main', { source: commit }), { ok: true });
    assert.deepEqual(posts, [503, 0], 'nothing sent the second time');

    refuse = 403;
    const next = await wire.commitFiles(commit, [{ path: 'README.md', mode: '100644', text: 'two\n' }], 'two\n');
    await assert.rejects(wire.push('main', { source: next }), /POST git-receive-pack: HTTP 403/);
    assert.deepEqual(posts, [503, 0, 403], 'a 403 is not sent again');
    assert.equal(git(r.bare, 'rev-parse', 'main').trim(), commit);
  });

  it('a push whose answer is cut off after it landed is recognised as landed, not pushed twice', async () => {
    const r = repo();
    let cut = true;
    const s = await httpServer(r.root, (req, res, backend) => {
      if (cut && req.method === 'POST' && req.url?.endsWith('/git-receive-pack')) {
        cut = false;
        // git http-backend applies the push; its answer never reaches the client (the connection is reset).
        const lost = { writeHead: () => lost, end: () => req.socket.destroy() } as unknown as http.ServerResponse;
        return backend(req, lost);
      }
      return backend(req, res);
    });
    const wire = s.client();
    const tip = await wire.fetchTip('main');
    const commit = await wire.commitFiles(tip, [{ path: 'README.md', mode: '100644', text: 'landed\n' }], 'landed\n');
    assert.deepEqual(await wire.push('main', { source: commit }), { ok: true });
    assert.equal(cut, false, 'the answer was cut');
    assert.equal(git(r.bare, 'rev-parse', 'main').trim(), commit);
    assert.equal(git(r.bare, 'rev-list', '--count', `${tip}..main`).trim(), '1');
  });

  it('follows a redirect of the advertisement and sends the requests where it ended (git’s followRedirects=initial)', async () => {
    const r = repo();
    const paths: string[] = [];
    const s = await httpServer(r.root, (req, res, backend) => {
      paths.push(`${req.method} ${req.url}`);
      if (req.url?.startsWith('/old/')) {
        res.writeHead(req.method === 'GET' ? 301 : 404, req.method === 'GET' ? { Location: req.url.replace('/old/', '/acme/') } : {});
        res.end();
        return;
      }
      return backend(req, res);
    });
    const wire = s.client('/old/config.git');
    const tip = await wire.fetchTip('main');
    const commit = await wire.commitFiles(tip, [{ path: 'README.md', mode: '100644', text: 'moved\n' }], 'moved\n');
    assert.deepEqual(await wire.push('main', { source: commit }), { ok: true });
    assert.equal(git(r.bare, 'rev-parse', 'main').trim(), commit);
    assert.deepEqual(paths.filter((p) => p.startsWith('POST')), ['POST /acme/config.git/git-upload-pack', 'POST /acme/config.git/git-receive-pack']);
  });

  it('refuses before sending anything: a proxy, git TLS settings for https, url rewrites in git config, ssh remotes', () => {
    const saved = { ...process.env };
    try {
      for (const v of ['GIT_SSL_CAINFO', 'GIT_SSL_CAPATH', 'GIT_SSL_NO_VERIFY', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_PARAMETERS']) delete process.env[v];
      assert.ok(WireGit.for('https://github.com/acme/config.git'));
      process.env.GIT_SSL_CAINFO = '/etc/ssl/private-ca.pem';
      assert.throws(() => WireGit.for('https://github.com/acme/config.git'), (e: unknown) => e instanceof WireUnsupported && /GIT_SSL_CAINFO/.test(e.message));
      assert.ok(WireGit.for('http://127.0.0.1:1/acme/config.git'), 'plain http and file remotes use no TLS');
      delete process.env.GIT_SSL_CAINFO;
      process.env.HTTPS_PROXY = 'http://127.0.0.1:3128';
      assert.throws(() => WireGit.for('https://github.com/acme/config.git'), (e: unknown) => e instanceof WireUnsupported && /proxy \(HTTPS_PROXY\)/.test(e.message));
      delete process.env.HTTPS_PROXY;
      const home = fs.mkdtempSync(path.join(work, 'home-'));
      fs.writeFileSync(path.join(home, '.gitconfig'), '[url "https://mirror.example/"]\n\tinsteadOf = https://github.com/\n');
      process.env.HOME = home;
      process.env.XDG_CONFIG_HOME = path.join(home, '.config');
      assert.throws(() => WireGit.for('https://github.com/acme/config.git'), (e: unknown) => e instanceof WireUnsupported && /git settings/.test(e.message));
      assert.throws(() => WireGit.for('ssh://git@github.com/acme/config.git'), WireUnsupported);
    } finally {
      process.env = saved;
    }
  });
});
