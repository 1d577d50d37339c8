// An app team's release journey on the real stack (Docker Engine + buildx, two registries), through the built
// build-push bundle, each step checked through the registry API: build a commit once, then promote that exact
// digest (branch → main → release tag), re-run every step, single- and multi-platform; raw immutable tags are
// guarded; a workflow_dispatch with no commit time in the event takes the time from the GitHub API.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerSpy, type DockerSpy } from '../support/docker.js';
import { startServer, type TestServer } from '../support/http-servers.js';
import { registryClient, type RegistryClient } from '../support/registry.js';
import { ROOT, runAction, type ActionRun } from '../support/run-action.js';
import { ensureExampleBinaries, loadStack, stackSkip } from '../support/stack.js';

const stack = loadStack();
const skip = stackSkip(stack);
const runs: ActionRun[] = [];

const git = (dir: string, args: string[], env: Record<string, string> = {}): string =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.test', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.test', ...env } }).trim();

/** A git checkout of a tiny FROM scratch app with a unique file; commit() adds a commit at a fixed time. */
function checkout(): { dir: string; commit: (isoTime: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-app-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  for (const arch of ['amd64', 'arm64']) fs.copyFileSync(path.join(ROOT, 'examples/app/bin', `server-${arch}`), path.join(dir, 'bin', `server-${arch}`));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nARG TARGETARCH\nCOPY bin/server-${TARGETARCH} /server\nCOPY nonce /nonce\nENTRYPOINT ["/server"]\n');
  git(dir, ['init', '-q', '-b', 'main']);
  return {
    dir,
    commit: (isoTime) => {
      fs.writeFileSync(path.join(dir, 'nonce'), randomBytes(16).toString('hex'));
      git(dir, ['add', '-A']);
      git(dir, ['commit', '-q', '-m', 'change'], { GIT_COMMITTER_DATE: isoTime, GIT_AUTHOR_DATE: isoTime });
      return git(dir, ['rev-parse', 'HEAD']);
    },
  };
}

interface Metadata {
  promoted: boolean;
  pushed: boolean;
  digest: string;
  platforms: string[];
  labels: Record<string, string>;
}

interface Images {
  /** The htpasswd registry (login with registry/username/password) and the open one. */
  auth: { name: string; repo: string; api: RegistryClient };
  open: { name: string; repo: string; api: RegistryClient };
}

function images(prefix: string): Images {
  const repo = `journey/${prefix}-${randomBytes(4).toString('hex')}`;
  return {
    auth: { name: `${stack!.registryAuth}/${repo}`, repo, api: registryClient(stack!.registryAuth, { user: stack!.registryUser, password: stack!.registryPassword }) },
    open: { name: `${stack!.registryOpen}/${repo}`, repo, api: registryClient(stack!.registryOpen) },
  };
}

interface Step {
  ref: string;
  sha: string;
  eventName?: string;
  event?: Record<string, unknown>;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
}

async function step(imgs: Images, context: string, spy: DockerSpy, s: Step): Promise<{ run: ActionRun; metadata: Metadata; built: boolean }> {
  spy.reset();
  const run = await runAction('build-push', {
    inputs: {
      images: `${imgs.auth.name}\n${imgs.open.name}`,
      context,
      registry: stack!.registryAuth,
      username: stack!.registryUser,
      password: stack!.registryPassword,
      ...s.inputs,
    },
    env: { ...spy.env, ...s.env },
    pathPrepend: [spy.bin],
    context: { eventName: s.eventName ?? 'push', ref: s.ref, sha: s.sha, repository: 'acme/app', workspace: context, event: s.event ?? { repository: { default_branch: 'main' } } },
  });
  runs.push(run);
  assert.equal(run.main.exitCode, 0, `${s.ref} at ${s.sha.slice(0, 7)}: ${run.main.stdout}${run.main.stderr}`);
  assert.equal(run.post, undefined, 'a green job skips the post step: main cleaned up');
  assert.deepEqual(fs.readdirSync(run.runnerTemp), [], 'main removed its private DOCKER_CONFIG');
  return { run, metadata: JSON.parse(run.outputs.metadata) as Metadata, built: spy.calls().some((c) => /^(docker )?buildx build /.test(c.argv)) };
}

/** Every tag, in both registries, resolves to `digest` (read through the registry API). */
async function assertTagsOn(imgs: Images, tags: string[], digest: string): Promise<void> {
  for (const img of [imgs.auth, imgs.open]) {
    for (const tag of tags) assert.equal((await img.api.manifest(img.repo, tag)).digest, digest, `${img.name}:${tag}`);
  }
}

function journey(platforms: string, expectedMediaType: string): void {
  it(`builds a commit once, then promotes its digest: branch → main → v1.0.0, every step re-run (${platforms})`, async () => {
    const spy = dockerSpy();
    const app = checkout();
    const time = '2026-03-04T05:06:07Z';
    const sha = app.commit(time);
    const imgs = images(platforms.includes(',') ? 'multi' : 'single');
    const sha7 = `sha-${sha.slice(0, 7)}`;
    const inputs = { platforms };

    // 1. A feature branch is pushed: the commit is built.
    const branch = await step(imgs, app.dir, spy, { ref: 'refs/heads/feature/login', sha, inputs });
    assert.equal(branch.built, true, 'the first push of a commit builds it');
    assert.equal(branch.metadata.promoted, false);
    const digest = branch.run.outputs.digest;
    const manifest = await imgs.auth.api.manifest(imgs.auth.repo, sha7);
    assert.equal(manifest.mediaType, expectedMediaType, 'single-platform stays a manifest, multi-platform is an index');
    await assertTagsOn(imgs, ['feature-login', sha7], digest);
    const labels = manifest.mediaType.includes('index')
      ? (await imgs.auth.api.configOf(imgs.auth.repo, (manifest.json.manifests as { digest: string }[])[0].digest)).config?.Labels
      : ((JSON.parse((await imgs.auth.api.get(`/v2/${imgs.auth.repo}/blobs/${(manifest.json.config as { digest: string }).digest}`)).body) as { config: { Labels: Record<string, string> } }).config.Labels);
    assert.equal(labels?.['org.opencontainers.image.created'], '2026-03-04T05:06:07Z', 'the image timestamp is the commit time from git');
    assert.equal(labels?.['org.opencontainers.image.revision'], sha);
    assert.match(branch.run.main.stdout, /Image timestamp 2026-03-04T05:06:07Z \(commit time from git\)/);

    // 2. The branch is merged (fast-forward) into main: same commit, promoted, nothing built.
    const main = await step(imgs, app.dir, spy, { ref: 'refs/heads/main', sha, inputs });
    assert.equal(main.built, false, `buildx build ran on promotion: ${spy.calls().map((c) => c.argv).join('\n')}`);
    assert.equal(main.metadata.promoted, true);
    assert.equal(main.run.outputs.digest, digest);
    assert.match(main.run.main.stdout, /promoting it, nothing is built/);
    assert.match(main.run.summary, /\|\s*Built\s*\|\s*no: promoted sha-[0-9a-f]{7}, built earlier from this commit\s*\|/);
    await assertTagsOn(imgs, ['main', 'dev', sha7, 'feature-login'], digest);

    // 3. Release v1.0.0 on that commit: the release tags land on the sha- digest, nothing built.
    const release = await step(imgs, app.dir, spy, { ref: 'refs/tags/v1.0.0', sha, inputs });
    assert.equal(release.built, false);
    assert.equal(release.metadata.promoted, true);
    assert.equal(release.run.outputs.digest, digest);
    assert.equal(release.run.outputs['image-ref'], `${imgs.auth.name}@${digest}`);
    await assertTagsOn(imgs, ['v1.0.0', 'v1.0', 'v1', 'latest', sha7], digest);
    assert.deepEqual(release.metadata.labels['org.opencontainers.image.revision'], sha, 'metadata labels are the promoted image’s');

    // 4. Every step re-run: green, the same digest, nothing built.
    for (const ref of ['refs/heads/feature/login', 'refs/heads/main', 'refs/tags/v1.0.0']) {
      const again = await step(imgs, app.dir, spy, { ref, sha, inputs });
      assert.equal(again.built, false, `${ref} re-run built`);
      assert.equal(again.run.outputs.digest, digest, `${ref} re-run digest`);
    }
    await assertTagsOn(imgs, ['feature-login', 'main', 'dev', 'v1.0.0', 'v1.0', 'v1', 'latest', sha7], digest);
    assert.deepEqual((await imgs.open.api.tags(imgs.open.repo)).sort(), ['dev', 'feature-login', 'latest', 'main', sha7, 'v1', 'v1.0', 'v1.0.0'].sort());
  });
}

describe('release journey: build once, promote the same digest', { skip }, () => {
  let api: TestServer | undefined;
  before(() => ensureExampleBinaries());
  after(async () => {
    await api?.close();
    for (const run of runs) assert.ok(!run.visibleOutput.includes(stack!.registryPassword), 'registry password leaked into the log');
  });

  journey('linux/amd64,linux/arm64', 'application/vnd.oci.image.index.v1+json');
  journey('linux/amd64', 'application/vnd.oci.image.manifest.v1+json');

  it('refuses a raw sha- tag onto a different digest, and tags nothing', async () => {
    const spy = dockerSpy();
    const app = checkout();
    const imgs = images('raw');
    const first = app.commit('2026-03-05T00:00:00Z');
    const one = await step(imgs, app.dir, spy, { ref: 'refs/heads/main', sha: first, inputs: { platforms: 'linux/amd64' } });
    const second = app.commit('2026-03-06T00:00:00Z');
    const raw = `sha-${first.slice(0, 7)}`;
    spy.reset();
    const run = await runAction('build-push', {
      inputs: { images: `${imgs.auth.name}\n${imgs.open.name}`, context: app.dir, platforms: 'linux/amd64', tags: raw, registry: stack!.registryAuth, username: stack!.registryUser, password: stack!.registryPassword },
      pathPrepend: [spy.bin],
      env: spy.env,
      context: { ref: 'refs/heads/main', sha: second, repository: 'acme/app', workspace: app.dir },
    });
    runs.push(run);
    assert.equal(run.main.exitCode, 1, run.main.stdout);
    assert.match(run.main.stdout, new RegExp(`::error::Immutable tags? already pushed with a different digest.*${imgs.auth.name.replace(/[./]/g, '\\$&')}:${raw} → ${one.run.outputs.digest}`));
    await assertTagsOn(imgs, ['main', raw], one.run.outputs.digest);
    assert.ok(!(await imgs.auth.api.tags(imgs.auth.repo)).includes(`sha-${second.slice(0, 7)}`), 'nothing of the refused build was tagged');
    assert.equal(run.outputs.digest, undefined);
  });

  it('workflow_dispatch with no commit time and no checkout: the time comes from the GitHub API, two runs give one digest, a forced rebuild too', async () => {
    const commitDate = '2025-12-24T18:00:00Z';
    const sha = randomBytes(20).toString('hex');
    api = await startServer((req, res) => {
      if (req.url === `/repos/acme/app/commits/${sha}`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sha, commit: { author: { date: '2025-12-24T17:00:00Z' }, committer: { date: commitDate } } }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"message":"Not Found"}');
      }
    });
    // Not a git checkout: a plain directory.
    const context = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-dispatch-'));
    fs.mkdirSync(path.join(context, 'bin'));
    fs.copyFileSync(path.join(ROOT, 'examples/app/bin/server-amd64'), path.join(context, 'bin/server-amd64'));
    fs.writeFileSync(path.join(context, 'nonce'), randomBytes(16).toString('hex'));
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nARG TARGETARCH\nCOPY bin/server-${TARGETARCH} /server\nCOPY nonce /nonce\n');
    const spy = dockerSpy();
    const imgs = images('dispatch');
    const dispatch: Step = { eventName: 'workflow_dispatch', event: { inputs: {} }, ref: 'refs/heads/main', sha, inputs: { platforms: 'linux/amd64', 'github-token': 'ghs_journeytoken' }, env: { GITHUB_API_URL: api.url } };

    const first = await step(imgs, context, spy, dispatch);
    assert.equal(first.built, true);
    assert.equal(first.metadata.labels['org.opencontainers.image.created'], commitDate, 'created is the committer date from the API');
    assert.match(first.run.main.stdout, /commit time from the GitHub API/);
    const call = api.requests.find((r) => r.path === `/repos/acme/app/commits/${sha}`);
    assert.ok(call, `the API was asked for the commit: ${JSON.stringify(api.requests.map((r) => r.path))}`);
    assert.match(String(call.headers.authorization), /ghs_journeytoken/, 'with the job token');

    const second = await step(imgs, context, spy, dispatch);
    assert.equal(second.run.outputs.digest, first.run.outputs.digest);
    assert.equal(second.metadata.promoted, true);

    // rebuild: true builds again; the timestamp is the commit's, so the warm-cache rebuild has the same digest and passes the guard.
    const rebuilt = await step(imgs, context, spy, { ...dispatch, inputs: { ...dispatch.inputs, rebuild: 'true' } });
    assert.equal(rebuilt.built, true, 'rebuild: true builds');
    assert.equal(rebuilt.metadata.promoted, false);
    assert.equal(rebuilt.run.outputs.digest, first.run.outputs.digest);
    await assertTagsOn(imgs, ['main', `sha-${sha.slice(0, 7)}`], first.run.outputs.digest);
  });
});
