// Several services in one promotion, through the built bundle: `images` (service → image, as build-services
// outputs it) with `{app}` in file and argocd-app writes ONE commit for all, waits for every Application at once
// (the Argo CD API stand-in answers nobody until all three were asked), and two runs racing leave each service
// at its newest image (real git history of the application decides "newest").
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import { seedConfigRepo } from '../support/config-repo.js';
import { startServer, type TestServer } from '../support/http-servers.js';
import { ROOT, runAction, type ActionRun } from '../support/run-action.js';

const FIX = path.join(ROOT, 'test', 'fixtures');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-services-'));
const SERVICES = ['api', 'worker', 'web'];
const digest = (c: string): string => `sha256:${c.repeat(64)}`;
let n = 0;
const servers: TestServer[] = [];
const app = { workspace: '', older: '', newer: '' };

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'd@e', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'd@e' } }).trim();

before(() => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'gitops-promote', 'index.js')), 'build the bundle first: node scripts/build.mjs gitops-promote');
  app.workspace = path.join(work, 'app');
  git(work, 'init', '--quiet', '--initial-branch=main', app.workspace);
  git(app.workspace, 'commit', '--quiet', '--allow-empty', '-m', 'release 1');
  app.older = git(app.workspace, 'rev-parse', 'HEAD');
  git(app.workspace, 'commit', '--quiet', '--allow-empty', '-m', 'release 2');
  app.newer = git(app.workspace, 'rev-parse', 'HEAD');
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(work, { recursive: true, force: true });
});

/** applications/<svc>/values-production.yaml for each service (the k3d team's production file). */
function configRepo(hook?: string): { bare: string; url: string } {
  const source = path.join(FIX, 'gitops/helm-per-app/applications/my-app/values-production.yaml');
  return seedConfigRepo(work, `config-${++n}`, SERVICES.map((svc): [string, string] => [source, `applications/${svc}/values-production.yaml`]), hook);
}

const images = (d: Record<string, string>): string => JSON.stringify(Object.fromEntries(Object.entries(d).map(([svc, c]) => [svc, `ghcr.io/acme/${svc}:1.0.0@${digest(c)}`])));
const digestOf = (bare: string, svc: string): string => (YAML.parse(git(bare, 'show', `main:applications/${svc}/values-production.yaml`)) as { image: { digest: string } }).image.digest;

function promote(url: string, sourceCommit: string, imagesJson: string, extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('gitops-promote', {
    inputs: { images: imagesJson, environment: 'production', file: 'applications/{app}/values-{env}.yaml', keys: 'image.repository\nimage.digest', repository: url, token: '', 'source-commit': sourceCommit, ...extra },
    context: { sha: sourceCommit, repository: 'acme/shop', runId: String(++n), token: '', workspace: app.workspace },
  });
}

describe('gitops-promote action: several services', () => {
  it('promotes three services to production in one commit and waits for their three Applications at once', async () => {
    const { bare, url } = configRepo();
    const application = YAML.parse(fs.readFileSync(path.join(FIX, 'argocd', 'applications', 'synced-healthy-succeeded-full.yaml'), 'utf8')) as { status: { sync: { revision: string } } };
    // Nobody is answered until every Application was asked once: waits made one after another would time out.
    const asked = new Set<string>();
    const held: Array<() => void> = [];
    const server = await startServer((req, res) => {
      const name = /\/api\/v1\/applications\/([^?]+)/.exec(req.url ?? '')?.[1] ?? '';
      asked.add(name);
      const answer = (): void => {
        const copy = structuredClone(application);
        copy.status.sync.revision = git(bare, 'rev-parse', 'main');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(copy));
      };
      held.push(answer);
      if (SERVICES.every((s) => asked.has(`${s}-production`))) held.splice(0).forEach((f) => f());
    });
    servers.push(server);
    const r = await promote(url, app.newer, images({ api: 'a', worker: 'b', web: 'c' }), { 'argocd-app': '{app}-{env}', 'argocd-server': server.url, 'argocd-token': 'argocd-token-123', 'wait-timeout': '20s', 'poll-interval': '200ms' });
    assert.equal(r.main.exitCode, 0, r.allOutput);
    assert.deepEqual(git(bare, 'log', '--format=%s', 'main').split('\n'), [`promote(production): api sha256:aaaaaaaaaaaa, worker sha256:bbbbbbbbbbbb, web sha256:cccccccccccc`, 'seed']);
    assert.equal(git(bare, 'diff', '--name-only', 'main~1', 'main').split('\n').length, 3, 'one commit edits the three files');
    assert.deepEqual(SERVICES.map((s) => digestOf(bare, s)), [digest('a'), digest('b'), digest('c')]);
    const promoted = JSON.parse(r.outputs.promoted) as Record<string, { image: string; previous: string; changed: boolean }>;
    assert.deepEqual(Object.keys(promoted), SERVICES);
    assert.ok(SERVICES.every((s) => promoted[s].changed && promoted[s].previous === `ghcr.io/acme/my-app@sha256:${'1'.repeat(64)}`), r.outputs.promoted);
    assert.deepEqual(JSON.parse(r.outputs['health-status']), { 'api-production': 'Healthy', 'worker-production': 'Healthy', 'web-production': 'Healthy' });
    assert.equal(r.outputs.commit, git(bare, 'rev-parse', 'main'));
    assert.match(r.summary, /`worker-production` \(worker\): Synced and Healthy after 1 poll\(s\)\./);
    assert.equal(git(bare, 'log', '-1', '--format=%(trailers:key=Source-Commit,valueonly)', 'main'), app.newer);
  });

  it('two runs racing (held together in pre-receive) leave each service at its newest image', async () => {
    for (let round = 0; round < 2; round++) {
      const { bare, url } = configRepo('race-barrier');
      // The older release promotes api and worker; the newer one api and web.
      const [older, newer] = await Promise.all([promote(url, app.older, images({ api: '1', worker: '2' })), promote(url, app.newer, images({ api: '3', web: '4' }))]);
      assert.equal(older.main.exitCode, 0, older.allOutput);
      assert.equal(newer.main.exitCode, 0, newer.allOutput);
      assert.deepEqual(
        SERVICES.map((s) => digestOf(bare, s)),
        [digest('3'), digest('2'), digest('4')],
        `round ${round}: api from the newer release, worker from the only one that has it, web from the newer`,
      );
      const subjects = git(bare, 'log', '--format=%s', 'main').split('\n');
      assert.equal(subjects.length, 3, subjects.join(' | '));
    }
  });
});
