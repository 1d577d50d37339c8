// The built bundle (dist/gitops-promote/index.js) run as the runner runs it, against real git on this machine
// (bare repositories as file:// remotes, and `git http-backend` behind a token check on 127.0.0.1), a stand-in
// GitHub API and a stand-in Argo CD API on 127.0.0.1 serving Argo CD's own Application objects.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import { forwardProxy, startServer, type Handler, type TestServer } from '../support/http-servers.js';
import { gitHttpBackend } from '../support/git-http.js';
import { createStandIn } from '../support/stand-in.js';
import { ROOT, runAction, type ActionRun } from '../support/run-action.js';

const FIX = path.join(ROOT, 'test', 'fixtures');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-action-'));
const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(work, { recursive: true, force: true });
});
async function serve(handler: Handler): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const SOURCE_SHA = '4f1b2c3d4e5f60718293a4b5c6d7e8f901234567';
const VALUES = 'applications/my-app/values-dev.yaml';
const KUSTOMIZATION = 'deployment/k8s/overlays/dev/kustomization.yaml';
let n = 0;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'seed', GIT_AUTHOR_EMAIL: 's@e', GIT_COMMITTER_NAME: 'seed', GIT_COMMITTER_EMAIL: 's@e' } });

/** A bare config repository `<root>/acme/config.git` whose main has the k3d values file and the Kardon overlay. */
function configRepo(hook?: string): { bare: string; url: string; root: string } {
  const root = path.join(work, `repos-${++n}`);
  const bare = path.join(root, 'acme', 'config.git');
  const seed = path.join(work, `seed-${n}`);
  fs.mkdirSync(path.dirname(bare), { recursive: true });
  git(work, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(work, 'init', '--quiet', '--initial-branch=main', seed);
  for (const [from, to] of [
    ['gitops/helm-per-app/applications/my-app/values-dev.yaml', VALUES],
    ['gitops/kardon/overlays/dev/kustomization.yaml', KUSTOMIZATION],
  ]) {
    fs.mkdirSync(path.join(seed, path.dirname(to)), { recursive: true });
    fs.copyFileSync(path.join(FIX, from), path.join(seed, to));
  }
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
  if (hook) fs.copyFileSync(path.join(FIX, 'gitops', 'hooks', hook), path.join(bare, 'hooks', 'pre-receive'));
  return { bare, url: `file://${bare}`, root };
}

const show = (bare: string, ref: string, file: string): string => git(bare, 'show', `${ref}:${file}`);
const head = (bare: string, ref = 'main'): string => git(bare, 'rev-parse', ref).trim();
const subjects = (bare: string): string[] => git(bare, 'log', '--format=%s', 'main').trim().split('\n');

function promote(inputs: Record<string, string>, extra: { env?: Record<string, string>; pathPrepend?: string[] } = {}): Promise<ActionRun> {
  return runAction('gitops-promote', {
    inputs: { token: '', ...inputs },
    context: { sha: SOURCE_SHA, repository: 'acme/my-app', runId: '4242', token: '' },
    ...extra,
  });
}

const helmInputs = (url: string, digest: string): Record<string, string> => ({
  image: `ghcr.io/acme/my-app@${digest}`,
  environment: 'dev',
  app: 'my-app',
  file: 'applications/{app}/values-{env}.yaml',
  keys: 'image.repository\nimage.digest',
  repository: url,
  branch: 'main',
});

const kustomizeInputs = (url: string, svc: string, digest: string): Record<string, string> => ({
  image: `ghcr.io/example-org/kardon/${svc}@${digest}`,
  environment: 'dev',
  app: svc,
  file: 'deployment/k8s/overlays/{env}/kustomization.yaml',
  repository: url,
});

before(() => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'gitops-promote', 'index.js')), 'build the bundle first: node scripts/build.mjs gitops-promote');
});

describe('gitops-promote action: push', () => {
  it('promotes a values file, commits with app, image, environment, source commit and run URL, and is idempotent', async () => {
    const { bare, url } = configRepo();
    const r = await promote(helmInputs(url, A));
    assert.equal(r.main.exitCode, 0, r.allOutput);
    assert.match(r.main.stdout, /Read [0-9a-f]{12} in place: the remote is a repository on this machine/, 'a file:// remote is read in place');
    assert.equal(r.outputs.changed, 'true');
    assert.equal(r.outputs.commit, head(bare));
    assert.equal(r.outputs['previous-image'], '');
    assert.equal(r.outputs['sync-status'], '');
    const message = git(bare, 'log', '-1', '--format=%B', 'main');
    assert.match(message, /^promote\(dev\): my-app sha256:aaaaaaaaaaaa\n/);
    for (const line of [`App: my-app`, `Environment: dev`, `Image: ghcr.io/acme/my-app@${A}`, `Source commit: acme/my-app@${SOURCE_SHA}`, 'Run: https://github.com/acme/my-app/actions/runs/4242', `File: ${VALUES}`]) {
      assert.ok(message.includes(line), `commit message has '${line}':\n${message}`);
    }
    assert.equal(git(bare, 'log', '-1', '--format=%(trailers:key=Source-Commit,valueonly)', 'main').trim(), SOURCE_SHA, 'the Source-Commit trailer, as git reads trailers');
    const text = show(bare, 'main', VALUES);
    assert.equal(text, fs.readFileSync(path.join(FIX, 'gitops/helm-per-app/applications/my-app/values-dev.yaml'), 'utf8').replace('digest: ""', `digest: "${A}"  # source-commit: ${SOURCE_SHA}`));
    assert.equal(r.outputs.superseded, 'false');
    assert.equal(r.outputs['live-commit'], '');
    assert.deepEqual(JSON.parse(r.outputs.promoted), { 'my-app': { image: `ghcr.io/acme/my-app@${A}`, previous: '', changed: true, superseded: false, 'live-commit': '' } });
    assert.match(r.summary, /gitops-promote: `my-app` → `dev`/);
    assert.match(r.summary, /\| image\.digest \| \(empty\) \| sha256:a{64} \|/);

    const again = await promote(helmInputs(url, A));
    assert.equal(again.main.exitCode, 0, again.allOutput);
    assert.equal(again.outputs.changed, 'false');
    assert.equal(again.outputs.commit, '');
    assert.equal(again.outputs['previous-image'], `ghcr.io/acme/my-app@${A}`);
    assert.equal(again.outputs['live-commit'], SOURCE_SHA);
    assert.deepEqual(subjects(bare), ['promote(dev): my-app sha256:aaaaaaaaaaaa', 'seed']);
  });

  it('a push-only run loads neither Octokit, undici, the pull request code nor the Argo CD client (ncc chunks left unloaded)', async () => {
    const { url } = configRepo();
    // Node's module hooks, preloaded with --import, log every module file the run loads.
    const log = path.join(work, `loaded-${++n}.txt`);
    const hook = path.join(work, `hook-${n}.mjs`);
    fs.writeFileSync(hook, `import { registerHooks } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nregisterHooks({ load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); } });\n`);
    const r = await promote(helmInputs(url, A), { env: { NODE_OPTIONS: `--import=${hook}` } });
    assert.equal(r.main.exitCode, 0, r.allOutput);
    const loaded = fs.readFileSync(log, 'utf8').split('\n').filter((u) => u.includes('/dist/gitops-promote/'));
    assert.ok(loaded.some((u) => u.endsWith('/dist/gitops-promote/index.js')), loaded.join('\n'));
    const chunks = fs.readdirSync(path.join(ROOT, 'dist', 'gitops-promote')).filter((f) => /^\d+\.index\.js$/.test(f));
    const holding = (what: RegExp): string[] => chunks.filter((c) => what.test(fs.readFileSync(path.join(ROOT, 'dist', 'gitops-promote', c), 'utf8')));
    for (const [what, name] of [[/getOctokit/, 'Octokit'], [/ProxyAgent/, 'undici'], [/promoteByPullRequest/, 'the pull request path'], [/ArgoCdApi/, 'the Argo CD client']] as const) {
      const files = holding(what);
      assert.ok(files.length, `${name} is in a chunk of its own`);
      for (const f of files) assert.ok(!loaded.some((u) => u.endsWith(`/${f}`)), `${name} (${f}) was loaded by a push-only run`);
    }
  });

  it('two promotions racing on one branch both land exactly once (pushes held together in pre-receive)', async () => {
    const { bare, url } = configRepo('race-barrier');
    const [api, web] = await Promise.all([promote(kustomizeInputs(url, 'api', A)), promote(kustomizeInputs(url, 'web', B))]);
    assert.equal(api.main.exitCode, 0, api.allOutput);
    assert.equal(web.main.exitCode, 0, web.allOutput);
    assert.equal(api.outputs.changed, 'true');
    assert.equal(web.outputs.changed, 'true');
    const log = subjects(bare);
    assert.equal(log.filter((s) => s === 'promote(dev): api sha256:aaaaaaaaaaaa').length, 1, log.join('\n'));
    assert.equal(log.filter((s) => s === 'promote(dev): web sha256:bbbbbbbbbbbb').length, 1, log.join('\n'));
    assert.equal(log.length, 3);
    const text = show(bare, 'main', KUSTOMIZATION);
    assert.match(text, new RegExp(`- name: ghcr.io/example-org/kardon/api\\n    digest: ${A}  # source-commit: ${SOURCE_SHA}\\n`));
    assert.match(text, new RegExp(`- name: ghcr.io/example-org/kardon/web\\n    digest: ${B}  # source-commit: ${SOURCE_SHA}\\n`));
    // Exactly one of them lost the race inside the server and re-applied its edit on the new tip.
    const retried = [api, web].filter((r) => /re-applied on the new tip and pushed at attempt 2/.test(r.summary));
    assert.equal(retried.length, 1, [api.allOutput, web.allOutput].join('\n----\n'));
    const loser = retried[0];
    assert.match(loser.allOutput, /'main' moved while promoting \(\[remote rejected\] \((failed to update ref|cannot lock ref[^)]*)\)\)/);
  });

  it('fails clearly when a pre-receive hook (branch protection) rejects the push, with outputs written', async () => {
    const { bare, url } = configRepo('protected-branch');
    const before = head(bare);
    const r = await promote(helmInputs(url, A));
    assert.equal(r.main.exitCode, 1);
    assert.match(r.allOutput, /::error::The push to 'main' was rejected: \[remote rejected\] \(pre-receive hook declined\)\. Nothing was changed on the branch\./);
    assert.match(r.allOutput, /branch protection: refs\/heads\/main is protected; changes must go through a pull request/);
    assert.equal(r.outputs.changed, 'false');
    assert.equal(r.outputs.commit, '');
    assert.equal(head(bare), before);
    assert.match(r.summary, /\*\*Error:\*\* The push to 'main' was rejected/);
  });

  it('refuses a missing key path unless create-missing, before committing anything', async () => {
    const { bare, url } = configRepo();
    const r = await promote({ ...helmInputs(url, A), keys: 'image.digest\nworker.image.digest' });
    assert.equal(r.main.exitCode, 1);
    assert.match(r.allOutput, /::error::Input 'keys': worker\.image\.digest does not exist in applications\/my-app\/values-dev\.yaml on branch 'main' of file:\/\/\S+\/acme\/config\.git \(set create-missing to add it\)/);
    assert.deepEqual(subjects(bare), ['seed']);
    assert.equal(r.outputs.changed, 'false', 'outputs written on the error path');
    assert.match(r.summary, /\*\*Error:\*\* Input 'keys': worker\.image\.digest does not exist in applications\/my-app\/values-dev\.yaml/);
  });

  it('names the file input and the file it looked in when the file is missing', async () => {
    const { bare, url } = configRepo();
    const r = await promote({ ...helmInputs(url, A), file: 'applications/{app}/values-{env}-missing.yaml' });
    assert.equal(r.main.exitCode, 1);
    assert.match(r.allOutput, /::error::Input 'file': applications\/my-app\/values-dev-missing\.yaml does not exist on branch 'main' of file:\/\/\S+\/acme\/config\.git/);
    assert.equal(r.outputs.changed, 'false');
    assert.equal(r.outputs.promoted, '{}');
    assert.deepEqual(subjects(bare), ['seed']);
  });

  it('rejects bad inputs by name before any clone', async () => {
    const { url } = configRepo();
    const table: Array<[Record<string, string>, RegExp]> = [
      [{ image: 'ghcr.io/acme/my-app:1.2.3' }, /Input 'image': 'ghcr.io\/acme\/my-app:1.2.3' has no digest/],
      [{ file: '../outside.yaml' }, /Input 'file': '..\/outside.yaml' points outside the config repository/],
      [{ mode: 'merge' }, /Input 'mode': expected one of push, pull-request, got 'merge'/],
      [{ 'argocd-app': 'my-app', 'argocd-server': 'https://argocd.example.com' }, /Input 'argocd-token': is required with argocd-server/],
      [{ repository: 'https://user:secret@example.com/acme/config.git' }, /Input 'repository': must not carry credentials/],
      [{ 'argocd-app': 'my-app', kubeconfig: 'token: tok-not-a-kubeconfig' }, /Input 'kubeconfig': has no clusters \(not a kubeconfig, or an empty one\); its content is not shown/],
      [{ 'argocd-app': 'my-app', 'argocd-namespace': 'Argo_CD' }, /Input 'argocd-namespace': 'Argo_CD' is not a valid namespace/],
      [{ keys: 'image.repository\nimage.tag@digest' }, /Input 'keys': 'image\.tag@digest' writes <tag>@sha256:… into one field, but image 'ghcr\.io\/acme\/my-app@sha256:a{64}' has no tag: pass <image>:<tag>@sha256:…/],
      [{ image: '', images: '{"api":"ghcr.io/acme/api:1.0.0"}' }, /Input 'images \(service 'api'\)': 'ghcr\.io\/acme\/api:1\.0\.0' has no digest/],
      [{ images: '{"api":"ghcr.io/acme/api@' + B + '"}' }, /Input 'images': give either image or images, not both/],
      [{ 'source-commit': 'main' }, /Input 'source-commit': expected a full commit SHA/],
      [{ 'allow-older': 'maybe' }, /Input 'allow-older'/],
    ];
    for (const [inputs, error] of table) {
      const r = await promote({ ...helmInputs(url, A), ...inputs });
      assert.equal(r.main.exitCode, 1, JSON.stringify(inputs));
      assert.match(r.allOutput, error);
      // Outputs and the summary are written on an input error too.
      assert.equal(r.outputs.changed, 'false', JSON.stringify(inputs));
      assert.equal(r.outputs.superseded, 'false');
      assert.match(r.summary, /### ❌ gitops-promote\n\n\*\*Error:\*\* Input '/);
      assert.doesNotMatch(r.allOutput, /exec: git clone/, 'nothing ran before the inputs were checked');
    }
  });

  it('fetches and pushes over http in-process: the token only in the Authorization header, no git process, nothing on disk', async () => {
    const { bare, root } = configRepo();
    const token = 'ghs_TestToken0123456789abcdefABCDEF';
    const seen: string[] = [];
    const requests: string[] = [];
    const server = await serve(gitHttpBackend(root, token, seen, requests));
    const r = await runAction('gitops-promote', { inputs: { ...helmInputs(`${server.url}/acme/config.git`, A), token }, context: { sha: SOURCE_SHA, repository: 'acme/my-app', token: '' }, skipPost: true });
    assert.equal(r.main.exitCode, 0, r.allOutput);
    assert.equal(r.outputs.commit, head(bare));
    assert.match(r.main.stdout, /Fetched [0-9a-f]{12} in-process \(git protocol v2\)/);
    const asked = requests.map((q) => q.replace(/ version=2$/, ' v2'));
    // Both advertisements at once (receive-pack's names the tip, so no ls-refs), the fetch, then the push: 3 round trips.
    assert.deepEqual(asked.slice(0, 2).sort(), ['GET /acme/config.git/info/refs?service=git-receive-pack', 'GET /acme/config.git/info/refs?service=git-upload-pack v2']);
    assert.deepEqual(asked.slice(2), ['POST /acme/config.git/git-upload-pack v2', 'POST /acme/config.git/git-receive-pack']);
    assert.ok(!seen.includes('denied'), 'no request went without the token');
    assert.doesNotMatch(r.allOutput, /::debug::exec: git /, 'no git process');
    assert.ok(!r.visibleOutput.includes(token), 'token not in the log');
    assert.ok(!r.visibleOutput.includes(Buffer.from(`x-access-token:${token}`).toString('base64')), 'header value not in the log');
    assert.match(r.allOutput, /::add-mask::ghs_TestToken/);
    const left = fs.readdirSync(r.runnerTemp);
    assert.deepEqual(left.filter((f) => f.startsWith('git-auth')), [], `no credentials file: ${left.join(', ')}`);
    assert.equal(fs.readdirSync(r.runnerTemp).filter((f) => f.startsWith('gitops-promote-')).flatMap((d) => fs.readdirSync(path.join(r.runnerTemp, d))).length, 0, 'no clone on disk');
    fs.rmSync(r.runnerDir, { recursive: true, force: true });
  });

  it('falls back to the git CLI when the in-process fetch cannot be made (a server refusing blob:limit), and promotes', async () => {
    const { bare, root } = configRepo();
    git(bare, 'config', 'uploadpack.allowFilter', 'true');
    git(bare, 'config', 'uploadpackfilter.blob:limit.allow', 'false');
    git(bare, 'config', 'uploadpackfilter.blob:none.allow', 'true');
    const token = 'ghs_TestToken0123456789abcdefABCDEF';
    const server = await serve(gitHttpBackend(root, token, []));
    const r = await promote({ ...helmInputs(`${server.url}/acme/config.git`, A), token });
    assert.equal(r.main.exitCode, 0, r.allOutput);
    assert.match(r.main.stdout, /The in-process fetch did not work \(filter 'blob:limit' not supported\); fetching with the git CLI instead/);
    assert.match(r.main.stdout, /fetching the tip without file contents \(blob:none\) instead/);
    assert.equal(r.outputs.commit, head(bare));
    assert.match(show(bare, 'main', VALUES), new RegExp(A));
  });

  it('git-client: git clones and pushes over http with the token in a 0600 include file only: never in argv, logs or outputs, removed in post', async () => {
    const { bare, root } = configRepo();
    const token = 'ghs_TestToken0123456789abcdefABCDEF';
    const seen: string[] = [];
    const server = await serve(gitHttpBackend(root, token, seen));
    const r = await promote({ ...helmInputs(`${server.url}/acme/config.git`, A), token, 'git-client': 'git' });
    assert.equal(r.main.exitCode, 0, r.allOutput);
    assert.equal(r.outputs.commit, head(bare));
    assert.match(r.allOutput, /::debug::exec: git clone/);
    assert.ok(seen.includes('ok'), 'the server saw the token');
    assert.ok(!seen.includes('denied'), 'no request went without the token');
    assert.ok(!r.visibleOutput.includes(token), 'token not in the log');
    assert.ok(!r.visibleOutput.includes(Buffer.from(`x-access-token:${token}`).toString('base64')), 'header value not in the log');
    assert.match(r.allOutput, /::add-mask::ghs_TestToken/);
    assert.doesNotMatch(r.allOutput.split('\n').filter((l) => l.startsWith('::debug::exec:')).join('\n'), /ghs_|extraheader|AUTHORIZATION/i);
    assert.match(r.post?.stdout ?? '', /Removed \d+ private path\(s\)/);
    const left = fs.readdirSync(r.runnerTemp);
    assert.deepEqual(left.filter((f) => f.startsWith('git-auth') || f.startsWith('gitops-promote')), [], `left in RUNNER_TEMP: ${left.join(', ')}`);

    // Without the post step, the credentials file is there to look at: 0600 in a 0700 directory, header only.
    const kept = await runAction('gitops-promote', { inputs: { ...helmInputs(`${server.url}/acme/config.git`, B), token, 'git-client': 'git' }, context: { sha: SOURCE_SHA, repository: 'acme/my-app', token: '' }, skipPost: true });
    assert.equal(kept.main.exitCode, 0, kept.allOutput);
    const authDir = fs.readdirSync(kept.runnerTemp).find((f) => f.startsWith('git-auth-'));
    assert.ok(authDir, fs.readdirSync(kept.runnerTemp).join(', '));
    const file = path.join(kept.runnerTemp, authDir, 'auth.gitconfig');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    const content = fs.readFileSync(file, 'utf8');
    assert.equal(content, `[http "${server.url}/"]\n\textraheader = AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}\n`);
    const clone = fs.readdirSync(kept.runnerTemp).find((f) => f.startsWith('gitops-promote-'));
    assert.ok(clone);
    assert.doesNotMatch(fs.readFileSync(path.join(kept.runnerTemp, clone, 'config.git', 'config'), 'utf8'), /extraheader|AUTHORIZATION|ghs_/i, 'nothing of the token in the clone');
    fs.rmSync(kept.runnerDir, { recursive: true, force: true });
  });
});

describe('gitops-promote action: pull request', () => {
  interface Pr {
    number: number;
    head: string;
    base: string;
    title: string;
    body: string;
    html_url: string;
  }
  const prs: Pr[] = [];
  const calls: string[] = [];
  let api: TestServer;
  before(async () => {
    api = await serve((req, res) => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        calls.push(`${req.method} ${u.pathname}${u.search} auth=${req.headers.authorization ?? ''}`);
        const json = (status: number, data: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(data));
        };
        const list = /^\/repos\/acme\/config\/pulls$/.exec(u.pathname);
        const one = /^\/repos\/acme\/config\/pulls\/(\d+)$/.exec(u.pathname);
        if (list && req.method === 'GET') {
          const headRef = (u.searchParams.get('head') ?? '').replace(/^acme:/, '');
          return json(200, prs.filter((p) => p.head === headRef && p.base === u.searchParams.get('base')));
        }
        if (list && req.method === 'POST') {
          const b = JSON.parse(body) as Pr;
          const pr = { number: prs.length + 7, head: b.head, base: b.base, title: b.title, body: b.body, html_url: '' };
          pr.html_url = `https://github.com/acme/config/pull/${pr.number}`;
          prs.push(pr);
          return json(201, pr);
        }
        if (one && req.method === 'PATCH') {
          const pr = prs.find((p) => p.number === Number(one[1]));
          if (!pr) return json(404, { message: 'Not Found' });
          Object.assign(pr, JSON.parse(body) as Partial<Pr>);
          return json(200, pr);
        }
        json(404, { message: 'Not Found' });
      });
    });
  });

  it('opens one pull request with the diff, then updates the same one on the next promotion', async () => {
    const { bare, url } = configRepo();
    const base = head(bare);
    // Argo CD server and token given without an Application (as the reusable workflow passes them in this mode): no wait.
    const inputs = { ...kustomizeInputs(url, 'api', A), environment: 'dev', mode: 'pull-request', token: 'ghs_prToken123456789', 'github-api-url': api.url, 'argocd-server': 'https://argocd.example.com', 'argocd-token': 'argocd-unused-token' };
    const first = await promote(inputs);
    assert.equal(first.main.exitCode, 0, first.allOutput);
    assert.equal(first.outputs['pull-request-url'], 'https://github.com/acme/config/pull/7');
    assert.equal(first.outputs.changed, 'true');
    assert.equal(first.outputs.pending, 'true', 'an opened pull request deploys nothing yet');
    assert.match(first.summary, /\*\*Pending:\*\* nothing is deployed until the pull request is merged \(https:\/\/github\.com\/acme\/config\/pull\/7\)/);
    assert.equal(first.outputs.commit, head(bare, 'gitops/api/dev'));
    assert.equal(head(bare), base, 'the base branch is untouched');
    assert.equal(prs.length, 1);
    assert.equal(prs[0].head, 'gitops/api/dev');
    assert.equal(prs[0].base, 'main');
    assert.match(prs[0].title, /^Promote api to dev \(sha256:aaaaaaaaaaaa\)$/);
    assert.match(prs[0].body, /```diff\ndiff --git a\/deployment\/k8s\/overlays\/dev\/kustomization\.yaml/);
    assert.match(prs[0].body, new RegExp(`-    newTag: sha-3f9c2e1\\n\\+    digest: ${A}`));
    assert.ok(calls.some((c) => c.startsWith('POST /repos/acme/config/pulls') && c.includes('auth=token ghs_prToken123456789')), calls.join('\n'));

    const second = await promote({ ...inputs, image: `ghcr.io/example-org/kardon/api@${C}` });
    assert.equal(second.main.exitCode, 0, second.allOutput);
    assert.equal(second.outputs['pull-request-url'], 'https://github.com/acme/config/pull/7');
    assert.equal(prs.length, 1, 'still one pull request per app and environment');
    assert.match(prs[0].title, /sha256:cccccccccccc/);
    assert.match(prs[0].body, new RegExp(`\\+    digest: ${C}`));
    assert.ok(calls.some((c) => c.startsWith('PATCH /repos/acme/config/pulls/7')));
    assert.match(show(bare, 'gitops/api/dev', KUSTOMIZATION), new RegExp(`digest: ${C}`));
    assert.equal(git(bare, 'rev-list', '--count', `main..gitops/api/dev`).trim(), '1', 'the head branch is one commit on the base tip');
    assert.ok(!second.visibleOutput.includes('ghs_prToken123456789'));
  });

  it('leaves an open pull request that proposes a newer source commit as it is (newest wins in pull-request mode)', async () => {
    const { bare, url } = configRepo();
    // Two commits of this repository's own history (the default workspace): HEAD~1 is older than HEAD.
    const older = git(ROOT, 'rev-parse', 'HEAD~1').trim();
    const newer = git(ROOT, 'rev-parse', 'HEAD').trim();
    const inputs = { ...kustomizeInputs(url, 'web', B), mode: 'pull-request', token: 'ghs_prToken123456789', 'github-api-url': api.url };
    const first = await promote({ ...inputs, 'source-commit': newer });
    assert.equal(first.main.exitCode, 0, first.allOutput);
    assert.equal(first.outputs.pending, 'true');
    const proposed = head(bare, 'gitops/web/dev');
    const second = await promote({ ...inputs, image: `ghcr.io/example-org/kardon/web@${A}`, 'source-commit': older });
    assert.equal(second.main.exitCode, 0, second.allOutput);
    assert.equal(second.outputs.superseded, 'true');
    assert.equal(second.outputs.pending, 'false');
    assert.equal(second.outputs.changed, 'false');
    assert.equal(head(bare, 'gitops/web/dev'), proposed, 'the pull request branch still proposes the newer commit');
    assert.match(second.summary, new RegExp(`superseded: ${newer.slice(0, 12)} is newer than ${older.slice(0, 12)}.*in the open pull request's branch 'gitops/web/dev'`));
  });

  it('reaches the GitHub API through the runner’s proxy (HTTPS_PROXY/HTTP_PROXY): the bundle loads undici’s ProxyAgent first', async () => {
    // @actions/github builds its proxy dispatcher for GITHUB_API_URL as it loads (undici's ProxyAgent, constructed
    // synchronously: the bundle must have loaded undici's chunk by then). A forward proxy on 127.0.0.1 that tunnels every CONNECT (and forwards every absolute-URI request) to the API
    // stand-in, whatever host was asked: github-api.example never resolves, so only the proxy can answer for it.
    const proxy = await forwardProxy(api.port);
    const proxyUrl = proxy.url;
    const seen = proxy.seen;
    try {
      const { url } = configRepo();
      const apiUrl = `http://github-api.example:${new URL(api.url).port}`;
      const inputs = { ...kustomizeInputs(url, 'api', A), environment: 'dev', mode: 'pull-request', token: 'ghs_prToken123456789', 'github-api-url': apiUrl };
      const run = await promote(inputs, { env: { GITHUB_API_URL: apiUrl, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, http_proxy: proxyUrl, https_proxy: proxyUrl, NO_PROXY: '', no_proxy: '' } });
      assert.equal(run.main.exitCode, 0, run.allOutput);
      assert.match(run.outputs['pull-request-url'], /^https:\/\/github\.com\/acme\/config\/pull\/\d+$/);
      assert.ok(seen.some((l) => /github-api\.example/.test(l)), `the API calls went through the proxy: ${JSON.stringify(seen)}`);
    } finally {
      proxy.close();
    }
  });
});

describe('gitops-promote action: Argo CD wait', () => {
  const app = (file: string): Record<string, unknown> => YAML.parse(fs.readFileSync(path.join(FIX, 'argocd', 'applications', file), 'utf8')) as Record<string, unknown>;
  type Status = { sync: Record<string, unknown>; health: Record<string, unknown>; operationState?: Record<string, unknown>; resources?: unknown[] };
  const withRevision = (a: Record<string, unknown>, revision: string): Record<string, unknown> => {
    const copy = structuredClone(a);
    const status = copy.status as Status;
    status.sync.revision = revision;
    if (status.operationState?.syncResult) (status.operationState.syncResult as Record<string, unknown>).revision = revision;
    return copy;
  };
  /** Degraded at the promoted revision: the Failed-operation object plus the resource list of the full one, Deployment Degraded as gitops-engine words it. */
  const degraded = (revision: string): Record<string, unknown> => {
    const a = withRevision(app('outofsync-degraded-failed.yaml'), revision);
    const resources = structuredClone((app('synced-healthy-succeeded-full.yaml').status as Status).resources ?? []) as Array<Record<string, unknown>>;
    const deploy = resources.find((r) => r.kind === 'Deployment');
    assert.ok(deploy);
    deploy.health = { status: 'Degraded', message: `Deployment "${String(deploy.name)}" exceeded its progress deadline` };
    (a.status as Status).resources = resources;
    return a;
  };

  function argo(bare: string, script: (poll: number, revision: string) => Record<string, unknown>, requests: string[]): Handler {
    let poll = 0;
    return (req, res) => {
      requests.push(`${req.url ?? ''} auth=${req.headers.authorization ?? ''}`);
      if (req.headers.authorization !== 'Bearer argocd-test-token-123') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid session', code: 16, message: 'invalid session: token is invalid' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(script(++poll, head(bare))));
    };
  }
  const waitInputs = (server: string): Record<string, string> => ({ 'argocd-app': 'my-app-dev', 'argocd-server': server, 'argocd-token': 'argocd-test-token-123', 'wait-timeout': '60s', 'poll-interval': '100ms' });

  it('waits through OutOfSync/Progressing to Synced at the promoted commit and Healthy', async () => {
    const { bare, url } = configRepo();
    const seed = head(bare);
    const requests: string[] = [];
    const server = await serve(argo(bare, (poll, rev) => (poll < 3 ? withRevision(app('outofsync-progressing-running.yaml'), seed) : withRevision(app('synced-healthy-succeeded-full.yaml'), rev)), requests));
    const r = await promote({ ...helmInputs(url, A), ...waitInputs(server.url) });
    assert.equal(r.main.exitCode, 0, r.allOutput);
    assert.equal(r.outputs['sync-status'], 'Synced');
    assert.equal(r.outputs['health-status'], 'Healthy');
    assert.equal(requests.length, 3);
    assert.match(requests[0], /^\/api\/v1\/applications\/my-app-dev\?refresh=normal auth=Bearer argocd-test-token-123$/);
    assert.match(requests[1], /^\/api\/v1\/applications\/my-app-dev auth=/);
    assert.match(r.allOutput, new RegExp(`Waiting: Argo CD has compared at ${seed.slice(0, 12)}, not ${r.outputs.commit.slice(0, 12)} yet \\(OutOfSync/Progressing\\)`));
    assert.match(r.summary, /Synced and Healthy after 3 poll\(s\)/);
    assert.ok(!r.visibleOutput.includes('argocd-test-token-123'));
  });

  it('on Degraded pushes a revert commit, lists the degraded resources with messages, and fails', async () => {
    const { bare, url } = configRepo();
    const requests: string[] = [];
    const server = await serve(argo(bare, (_poll, rev) => degraded(rev), requests));
    const r = await promote({ ...helmInputs(url, A), ...waitInputs(server.url) });
    assert.equal(r.main.exitCode, 1);
    assert.equal(r.outputs['sync-status'], 'OutOfSync');
    assert.equal(r.outputs['health-status'], 'Degraded');
    assert.equal(r.outputs['revert-commit'], head(bare));
    assert.deepEqual(subjects(bare), ['revert(dev): my-app back to (previous)', 'promote(dev): my-app sha256:aaaaaaaaaaaa', 'seed']);
    assert.equal(show(bare, 'main', VALUES), show(bare, 'main~2', VALUES), 'the values file is back to what it was');
    assert.match(r.allOutput, /::error::Argo CD reports my-app-dev failed at [0-9a-f]{12}: health is Degraded\. Pushed revert commit [0-9a-f]{12} to 'main' \(back to the previous values\)/);
    assert.match(r.allOutput, /Deployment\/test-lla\/test-lla: Degraded — Deployment "test-lla" exceeded its progress deadline/);
    assert.match(r.summary, /\| Deployment \| test-lla \| test-lla \| Degraded \| Synced \| Deployment "test-lla" exceeded its progress deadline \|/);
    assert.match(r.summary, /\*\*Reverted\*\* in `[0-9a-f]{12}`/);
    const message = git(bare, 'log', '-1', '--format=%B', 'main');
    assert.match(message, new RegExp(`Reverts: ${r.outputs.commit}`));
  });

  it('on timeout pushes a revert commit and fails naming the last state', async () => {
    const { bare, url } = configRepo();
    const requests: string[] = [];
    const server = await serve(argo(bare, (_poll, rev) => withRevision(app('outofsync-progressing-running.yaml'), rev), requests));
    const r = await promote({ ...kustomizeInputs(url, 'api', A), ...waitInputs(server.url), 'wait-timeout': '1s', 'poll-interval': '200ms' });
    assert.equal(r.main.exitCode, 1);
    assert.match(r.allOutput, /::error::Argo CD did not report my-app-dev Synced at [0-9a-f]{12} and Healthy in time: no verdict within the wait-timeout: OutOfSync\/Progressing, operation Running\. Pushed revert commit/);
    assert.equal(r.outputs['health-status'], 'Progressing');
    assert.equal(r.outputs['revert-commit'], head(bare));
    assert.match(show(bare, 'main', KUSTOMIZATION), /- name: ghcr.io\/example-org\/kardon\/api\n {4}newTag: sha-3f9c2e1\n/);
    assert.ok(requests.length >= 2);
  });

  it('fails fast on 401 from the Argo CD API with its message, without reverting when told not to', async () => {
    const { bare, url } = configRepo();
    const server = await serve(argo(bare, (_p, rev) => withRevision(app('synced-healthy-succeeded.yaml'), rev), []));
    const r = await promote({ ...helmInputs(url, A), ...waitInputs(server.url), 'argocd-token': 'wrong-token-456', 'revert-on-failure': 'false' });
    assert.equal(r.main.exitCode, 1);
    assert.match(r.allOutput, /::error::Argo CD API http:\/\/127\.0\.0\.1:\d+: GET application 'my-app-dev' returned HTTP 401: invalid session: token is invalid/);
    assert.equal(r.outputs.changed, 'true');
    assert.equal(r.outputs['revert-commit'], '');
    assert.equal(subjects(bare).length, 2);
  });

  it('reads the applications.argoproj.io object through kubectl when no API server is given', async () => {
    const { bare, url } = configRepo();
    const bin = path.join(work, `kubectl-${++n}`);
    // The stand-in answers with the full Application; its revision is set to the commit the action will push.
    const objectFile = path.join(bin, 'app.json');
    fs.mkdirSync(bin, { recursive: true });
    const kubectl = createStandIn(bin, 'kubectl', [{ match: ['get', 'applications.argoproj.io', 'my-app-dev', '--namespace', 'argocd', '--output', 'json'], fixture: path.join(bin, 'app') }]);
    // The commit is not known before the run: a post-receive hook in the bare repository writes the object
    // at the pushed commit, as Argo CD would report it once synced.
    const hookDir = path.join(bare, 'hooks');
    fs.writeFileSync(path.join(hookDir, 'post-receive'), `#!/bin/sh\nread old new ref\nsed "s/REVISION/$new/g" "${objectFile}.tpl" > "${path.join(bin, 'app.stdout')}"\n`, { mode: 0o755 });
    fs.writeFileSync(`${objectFile}.tpl`, JSON.stringify(withRevision(app('synced-healthy-succeeded-full.yaml'), 'REVISION')));
    const r = await promote({ ...helmInputs(url, A), 'argocd-app': 'my-app-dev', 'wait-timeout': '30s', 'poll-interval': '100ms' }, { pathPrepend: [bin] });
    assert.equal(r.main.exitCode, 0, r.allOutput);
    assert.equal(r.outputs['sync-status'], 'Synced');
    assert.equal(r.outputs['health-status'], 'Healthy');
    assert.deepEqual(kubectl.calls()[0], ['get', 'applications.argoproj.io', 'my-app-dev', '--namespace', 'argocd', '--output', 'json']);
    assert.equal(head(bare), r.outputs.commit);
  });
});
