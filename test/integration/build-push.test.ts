// build-push on the real stack: Docker Engine + buildx (containerd store) and distribution registries.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flakyProxy, registryClient } from '../support/registry.js';
import { ROOT, runAction, type ActionRun } from '../support/run-action.js';
import { ensureExampleBinaries, loadStack, stackSkip } from '../support/stack.js';

const stack = loadStack();
const skip = stackSkip(stack);
const runs: ActionRun[] = [];

function uniqueRepo(prefix: string): string {
  return `it/${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A tiny FROM scratch context with a unique file, so each test builds its own digest. */
function makeContext(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-ctx-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  for (const arch of ['amd64', 'arm64']) fs.copyFileSync(path.join(ROOT, 'examples/app/bin', `server-${arch}`), path.join(dir, 'bin', `server-${arch}`));
  fs.writeFileSync(path.join(dir, 'nonce'), randomBytes(16).toString('hex'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nARG TARGETARCH\nCOPY bin/server-${TARGETARCH} /server\nCOPY nonce /nonce\nENTRYPOINT ["/server"]\n');
  return dir;
}

async function push(registry: string, repo: string, extra: { inputs?: Record<string, string>; ref?: string; context?: string; password?: string } = {}): Promise<ActionRun> {
  const run = await runAction('build-push', {
    inputs: {
      images: `${registry}/${repo}`,
      context: extra.context ?? makeContext(),
      registry,
      username: stack!.registryUser,
      password: extra.password ?? stack!.registryPassword,
      retries: '4',
      ...extra.inputs,
    },
    context: { ref: extra.ref ?? 'refs/heads/main', sha: randomBytes(20).toString('hex'), repository: 'acme/app' },
  });
  runs.push(run);
  return run;
}

describe('build-push on a real Docker Engine and registry', { skip }, () => {
  before(() => ensureExampleBinaries());
  after(() => {
    // Over every run of this file: the registry password never reaches a log line.
    for (const run of runs) assert.ok(!run.visibleOutput.includes(stack!.registryPassword), 'registry password leaked into the log');
  });

  it('pushes a multi-arch index to the auth registry with every tag, one digest, and the OCI labels', async () => {
    const repo = uniqueRepo('multi');
    const run = await push(stack!.registryAuth, repo, { ref: 'refs/tags/v2.3.4' });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const api = registryClient(stack!.registryAuth, { user: stack!.registryUser, password: stack!.registryPassword });
    assert.equal((await registryClient(stack!.registryAuth).get(`/v2/${repo}/tags/list`)).status, 401, 'the auth registry must refuse anonymous reads');

    const pushedTags = await api.tags(repo);
    const sha = run.outputs.tags.match(/:(sha-[0-9a-f]{7})$/m)?.[1];
    assert.deepEqual(pushedTags, ['latest', sha!, 'v2', 'v2.3', 'v2.3.4'].sort());
    const index = await api.manifest(repo, 'v2.3.4');
    assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.equal(run.outputs.digest, index.digest, 'digest output equals the digest the registry serves');
    for (const tag of pushedTags) assert.equal((await api.manifest(repo, tag)).digest, index.digest, `${tag} points at the index`);
    assert.equal(run.outputs['image-ref'], `${stack!.registryAuth}/${repo}@${index.digest}`);

    const manifests = (index.json.manifests as { digest: string; platform: { architecture: string } }[]).filter((m) => m.platform.architecture !== 'unknown');
    assert.deepEqual(manifests.map((m) => m.platform.architecture).sort(), ['amd64', 'arm64']);
    for (const m of manifests) {
      const config = await api.configOf(repo, m.digest);
      assert.equal(config.architecture, m.platform.architecture);
      const labels = config.config?.Labels ?? {};
      assert.equal(labels['org.opencontainers.image.version'], 'v2.3.4');
      assert.equal(labels['org.opencontainers.image.source'], 'https://github.com/acme/app');
      assert.match(labels['org.opencontainers.image.revision'], /^[0-9a-f]{40}$/);
      assert.ok(labels['org.opencontainers.image.created']);
    }
    const metadata = JSON.parse(run.outputs.metadata) as { platforms: string[]; pushed: boolean };
    assert.deepEqual(metadata.platforms, ['linux/amd64', 'linux/arm64']);
    assert.match(run.summary, /v2\.3\.4, v2\.3, v2, sha-[0-9a-f]{7}, latest/);
    assert.match(run.summary, new RegExp(index.digest));
    assert.equal(run.post, undefined, 'post-if skips the post step after a green job');
    assert.deepEqual(fs.readdirSync(run.runnerTemp), [], 'main removed the temporary DOCKER_CONFIG (with the login) and the build metadata');
  });

  it('pushes one build to several images with the same digest', async () => {
    const repoA = uniqueRepo('a');
    const repoB = uniqueRepo('b');
    const run = await push(stack!.registryOpen, repoA, { inputs: { images: `${stack!.registryOpen}/${repoA}\n${stack!.registryOpen}/${repoB}`, registry: '', username: '', password: '' } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const api = registryClient(stack!.registryOpen);
    const a = await api.manifest(repoA, 'dev');
    const b = await api.manifest(repoB, 'dev');
    assert.equal(a.digest, b.digest);
    assert.equal(run.outputs['image-refs'].split('\n').length, 2);
  });

  it('refuses to move an existing sha- tag to a different digest on a forced rebuild, and tags nothing', async () => {
    const repo = uniqueRepo('guard');
    const sha = randomBytes(20).toString('hex');
    const first = await runAction('build-push', { inputs: { images: `${stack!.registryOpen}/${repo}`, context: makeContext() }, context: { ref: 'refs/heads/main', sha } });
    assert.equal(first.main.exitCode, 0, first.main.stdout + first.main.stderr);
    const api = registryClient(stack!.registryOpen);
    const original = await api.manifest(repo, `sha-${sha.slice(0, 7)}`);

    // Other content for the same commit (rebuild: true skips promotion of the commit's image).
    const second = await runAction('build-push', { inputs: { images: `${stack!.registryOpen}/${repo}`, context: makeContext(), rebuild: 'true' }, context: { ref: 'refs/heads/feature-x', sha } });
    assert.notEqual(second.main.exitCode, 0);
    assert.match(second.main.stdout, new RegExp(`already pushed with a different digest[\\s\\S]*sha-${sha.slice(0, 7)} → ${original.digest}`));
    assert.equal((await api.manifest(repo, `sha-${sha.slice(0, 7)}`)).digest, original.digest, 'the immutable tag did not move');
    assert.ok(!(await api.tags(repo)).includes('feature-x'), 'no tag of the refused build was pushed');

    const rerun = await runAction('build-push', { inputs: { images: `${stack!.registryOpen}/${repo}`, context: makeContext(), rebuild: 'true', 'allow-overwrite': 'true' }, context: { ref: 'refs/heads/main', sha } });
    assert.equal(rerun.main.exitCode, 0, 'allow-overwrite lets it through');
    assert.notEqual((await api.manifest(repo, `sha-${sha.slice(0, 7)}`)).digest, original.digest);
  });

  it('a forced rebuild that gives the pushed digest again uploads nothing and puts the new tags on it', async () => {
    const repo = uniqueRepo('same');
    const sha = randomBytes(20).toString('hex');
    const context = makeContext();
    const event = { head_commit: { id: sha, timestamp: '2026-11-01T12:00:00Z' } };
    const first = await runAction('build-push', { inputs: { images: `${stack!.registryOpen}/${repo}`, context }, context: { ref: 'refs/heads/main', sha, event } });
    assert.equal(first.main.exitCode, 0, first.main.stdout + first.main.stderr);
    const api = registryClient(stack!.registryOpen);
    const original = await api.manifest(repo, `sha-${sha.slice(0, 7)}`);

    const again = await runAction('build-push', { inputs: { images: `${stack!.registryOpen}/${repo}`, context, rebuild: 'true', tags: 'hotfix-1' }, context: { ref: 'refs/heads/main', sha, event } });
    assert.equal(again.main.exitCode, 0, again.main.stdout + again.main.stderr);
    assert.equal(again.outputs.digest, original.digest, 'the same bytes: buildx reports the pushed digest');
    assert.match(again.main.stdout, new RegExp(`already holds ${original.digest} \\(sha-${sha.slice(0, 7)}\\): nothing to push`));
    assert.match(again.summary, /already held the digest: nothing uploaded/);
    assert.equal((await api.manifest(repo, 'hotfix-1')).digest, original.digest, 'the new tag is on the pushed index');
  });

  it('recovers from a registry that answers 503 a few times', async () => {
    const proxy = await flakyProxy(stack!.registryAuth, 2, (req) => req.method === 'PUT' && /\/manifests\//.test(req.url ?? ''));
    try {
      const repo = uniqueRepo('flaky');
      const run = await push(proxy.host, repo);
      assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
      assert.equal(proxy.failed(), 2, 'the proxy did answer 503 twice');
      assert.match(run.main.stdout, /transient error, retrying/);
      const api = registryClient(stack!.registryAuth, { user: stack!.registryUser, password: stack!.registryPassword });
      assert.equal((await api.manifest(repo, 'dev')).digest, run.outputs.digest);
    } finally {
      await proxy.close();
    }
  });

  it('fails at once on wrong credentials, with the registry message and no retry', async () => {
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const run = await push(stack!.registryAuth, uniqueRepo('denied'), { password: wrong });
    assert.notEqual(run.main.exitCode, 0);
    assert.match(run.main.stdout, /::error::.*401 Unauthorized/);
    assert.doesNotMatch(run.main.stdout, /retrying/);
    assert.ok(!run.visibleOutput.includes(wrong), 'the wrong password is masked too');
  });

  it('the branch run and the tag run of one commit, started together, both pass and every tag serves one digest (10 rounds, non-reproducible builds)', async (t) => {
    // Each run gets its own NONCE build-arg, a label in the config: two builds of the commit never share bytes. The
    // branch and tag runs differ anyway (org.opencontainers.image.version is main vs v1.2.3): no build is reproducible
    // across them, so convergence, not identical bytes, is what makes one digest.
    const context = makeContext();
    fs.appendFileSync(path.join(context, 'Dockerfile'), 'ARG NONCE\nLABEL build.nonce=$NONCE\n');
    const api = registryClient(stack!.registryOpen);
    let raced = 0;
    let adopted = 0;
    for (let round = 1; round <= 10; round++) {
      const repo = uniqueRepo(`race${round}`);
      const sha = randomBytes(20).toString('hex');
      const start = (ref: string): Promise<ActionRun> =>
        runAction('build-push', { inputs: { images: `${stack!.registryOpen}/${repo}`, context, 'build-args': `NONCE=${randomBytes(8).toString('hex')}` }, context: { ref, sha, repository: 'acme/app' } });
      // Two bundle processes at once, as the runner starts the two workflow runs of `git push --follow-tags`.
      const both = await Promise.all([start('refs/heads/main'), start('refs/tags/v1.2.3')]);
      runs.push(...both);
      for (const run of both) assert.equal(run.main.exitCode, 0, `round ${round}: ${run.main.stdout}${run.main.stderr}`);

      const tags = await api.tags(repo);
      assert.deepEqual(tags, ['dev', 'latest', 'main', `sha-${sha.slice(0, 7)}`, 'v1', 'v1.2', 'v1.2.3'].sort(), `round ${round}`);
      const served = new Set(await Promise.all(tags.map(async (t) => (await api.manifest(repo, t)).digest)));
      assert.equal(served.size, 1, `round ${round}: the tags serve ${[...served].join(', ')}`);
      const [digest] = served;
      const metas = both.map((r) => JSON.parse(r.outputs.metadata) as { adopted: boolean; promoted: boolean; builtDigest: string; digest: string });
      for (const [i, run] of both.entries()) {
        assert.equal(run.outputs.digest, digest, `round ${round}: run ${i} reports the digest the registry serves`);
        const m = metas[i];
        // Each run either found the commit's image before building (promoted), published its own build, or adopted.
        if (m.promoted) assert.equal(m.builtDigest, '');
        else if (m.builtDigest === digest) assert.equal(m.adopted, false, `round ${round}: run ${i} published its own build`);
        else {
          assert.equal(m.adopted, true, `round ${round}: run ${i} built ${m.builtDigest}, which no tag serves: it must say it adopted`);
          assert.match(run.main.stdout, new RegExp(`adopted ${digest} pushed by a concurrent run of this commit`));
          assert.match(run.summary, new RegExp(`adopted ${digest} pushed by a concurrent run of this commit`));
        }
      }
      const labels = (await api.configOf(repo, ((await api.manifest(repo, digest)).json.manifests as { digest: string }[])[0].digest)).config?.Labels ?? {};
      assert.equal(labels['org.opencontainers.image.revision'], sha, `round ${round}: the digest every tag serves was built from the commit`);
      if (metas.every((m) => !m.promoted)) raced++;
      adopted += metas.filter((m) => m.adopted).length;
    }
    // The race this test is about happened: both runs built in at least one round (each started before the other pushed).
    assert.ok(raced > 0, 'in no round did both runs build: the race was never exercised');
    t.diagnostic(`rounds where both runs built: ${raced}/10; runs that adopted the other's digest: ${adopted}`);
  });

  it('builds without pushing on pull_request events', async () => {
    const repo = uniqueRepo('pr');
    const run = await runAction('build-push', {
      inputs: { images: `${stack!.registryOpen}/${repo}`, context: makeContext() },
      context: { eventName: 'pull_request', ref: 'refs/pull/5/merge', event: { pull_request: { number: 5, head: { sha: 'f'.repeat(40) } } } },
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.match(run.outputs.tags, /:pr-5$/m);
    assert.match(run.outputs.tags, /:sha-fffffff$/m);
    assert.deepEqual(await registryClient(stack!.registryOpen).tags(repo), []);
    assert.match(run.summary, /no \(build only\)/);
  });
});
