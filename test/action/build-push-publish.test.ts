// How build-push publishes with the docker driver (containerd store), against a scripted docker CLI:
// after the immutable-tag guard, each image's first tag is `docker push`ed and its other tags are put on that
// digest registry-side (imagetools create), one image after the other, never two publishing calls at once.
// And how it publishes on GitHub-hosted runners (docker driver without the containerd store): a docker-container
// builder created for the build pushes by digest, the guard checks the sha- tag, imagetools create tags, post removes it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { ROOT, assertNoSecretLeak, runAction, secretLeaks } from '../support/run-action.js';
import { createStandIn } from '../support/stand-in.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

function dockerStandIn(pushExitCodes: number[] = []) {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-publish-'));
  const metadata = path.join(bin, 'metadata.json');
  fs.writeFileSync(metadata, JSON.stringify({ 'containerimage.digest': DIGEST }));
  const docker = createStandIn(bin, 'docker', [
    { match: ['imagetools', 'inspect'], stderr: 'ERROR: 127.0.0.1:5000/acme/app:sha-1234567: not found\n', exitCode: 1 },
    { match: ['imagetools', 'create'], delayMs: 60 },
    { match: ['buildx', 'inspect'], stdout: 'Name:          default\nDriver:        docker\n\nNodes:\nName:      default\nPlatforms: linux/amd64, linux/arm64\n' },
    { match: ['info', '--format'], stdout: '[["driver-type","io.containerd.snapshotter.v1"]]\n' },
    { match: ['buildx', 'build'], writeFileArg: { flag: '--metadata-file', from: metadata } },
    ...pushExitCodes.map((exitCode) => ({ match: ['push'], times: 1, exitCode, delayMs: 120, stderr: exitCode ? 'received unexpected HTTP status: 503 Service Unavailable\n' : '' })),
    { match: ['push'], delayMs: 120 },
  ]);
  return { bin, docker };
}

describe('build-push publishing with the docker driver', () => {
  it('pushes the first tag and tags the rest by digest, one call at a time (concurrent pushes of one index race in the daemon)', async () => {
    const { bin, docker } = dockerStandIn();
    const context = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-ctx-'));
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\n');
    const run = await runAction('build-push', {
      inputs: { images: '127.0.0.1:5000/acme/app\n127.0.0.1:5000/acme/mirror', context },
      pathPrepend: [bin],
      context: { ref: 'refs/heads/main', sha: `1234567${'0'.repeat(33)}`, workspace: context },
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const publishing = docker.spans().filter((s) => s.argv[0] === 'push' || s.argv.includes('create'));
    assert.deepEqual(
      publishing.map((s) => s.argv),
      ['app', 'mirror'].flatMap((img) => [
        ['push', `127.0.0.1:5000/acme/${img}:main`],
        ['buildx', 'imagetools', 'create', '--tag', `127.0.0.1:5000/acme/${img}:dev`, '--tag', `127.0.0.1:5000/acme/${img}:sha-1234567`, `127.0.0.1:5000/acme/${img}@${DIGEST}`],
      ]),
    );
    for (let i = 1; i < publishing.length; i++) assert.ok(publishing[i].start >= publishing[i - 1].end, `${publishing[i].argv.join(' ')} started before the previous call ended`);
    const guard = docker.spans().filter((s) => s.argv.includes('inspect') && s.argv.includes('imagetools'));
    assert.equal(guard.length, 2, 'the sha- tag of each image is checked');
    assert.ok(Math.max(...guard.map((s) => s.end)) <= publishing[0].start, 'the guard runs before the first push');
    assert.equal(run.outputs.digest, DIGEST);
    assert.equal(run.outputs.tags.split('\n').length, 6);
  });

  it('retries a push that failed with a 503, then tags the rest', async () => {
    const { bin, docker } = dockerStandIn([1]);
    const context = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-ctx-'));
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\n');
    const run = await runAction('build-push', {
      inputs: { images: '127.0.0.1:5000/acme/app', context, retries: '3' },
      pathPrepend: [bin],
      context: { ref: 'refs/heads/main', sha: `1234567${'0'.repeat(33)}`, workspace: context },
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const pushes = docker.calls().filter((argv) => argv[0] === 'push').map((argv) => argv[1]);
    assert.deepEqual(pushes, ['127.0.0.1:5000/acme/app:main', '127.0.0.1:5000/acme/app:main'], 'the failed push is retried');
    assert.equal(docker.calls().filter((argv) => argv.includes('create')).length, 1, 'the other tags are put once, after the push succeeded');
    assert.match(run.main.stdout, /transient error, retrying/);
  });
});

describe('build-push logins, summary and metadata', () => {
  const ctxDir = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-ctx-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    return dir;
  };

  it('a registry with no username and no password means no login (existing docker logins are used)', async () => {
    const { bin, docker } = dockerStandIn();
    const context = ctxDir();
    const run = await runAction('build-push', {
      inputs: { images: '127.0.0.1:5000/acme/app', context, registry: '127.0.0.1:5000' },
      pathPrepend: [bin],
      context: { ref: 'refs/heads/main', sha: `1234567${'0'.repeat(33)}`, workspace: context },
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.ok(!docker.calls().some((argv) => argv[0] === 'login'), `no docker login: ${JSON.stringify(docker.calls())}`);
    assert.match(run.main.stdout, /No credentials given: using existing docker logins/);
  });

  it('says the immutable-tag guard was skipped with allow-overwrite, and — only when nothing was pushed', async () => {
    const row = (summary: string): string | undefined => summary.split('\n').find((l) => l.includes('Immutable tags checked'));
    const sha = `1234567${'0'.repeat(33)}`;
    const runs = [];
    const variants: Record<string, string>[] = [{ 'allow-overwrite': 'true' }, { push: 'false' }, {}];
    for (const inputs of variants) {
      const { bin, docker } = dockerStandIn();
      const context = ctxDir();
      const run = await runAction('build-push', { inputs: { images: '127.0.0.1:5000/acme/app', context, ...inputs }, pathPrepend: [bin], context: { ref: 'refs/heads/main', sha, workspace: context } });
      assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
      runs.push({ run, guardCalls: docker.calls().filter((argv) => argv.includes('imagetools') && argv.includes('inspect')).length });
    }
    const [overwrite, buildOnly, guarded] = runs;
    assert.match(row(overwrite.run.summary) ?? '', /\|\s*Immutable tags checked\s*\|\s*skipped \(allow-overwrite\)\s*\|/);
    assert.equal(overwrite.guardCalls, 0);
    assert.match(row(buildOnly.run.summary) ?? '', /\|\s*Immutable tags checked\s*\|\s*—\s*\|/);
    assert.match(row(guarded.run.summary) ?? '', /\|\s*Immutable tags checked\s*\|\s*sha-1234567\s*\|/);
  });

  it('documents every key of the metadata output in action.yml', async () => {
    const { bin } = dockerStandIn();
    const context = ctxDir();
    const run = await runAction('build-push', { inputs: { images: '127.0.0.1:5000/acme/app', context }, pathPrepend: [bin], context: { ref: 'refs/heads/main', sha: `1234567${'0'.repeat(33)}`, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const manifest = YAML.parse(fs.readFileSync(path.join(ROOT, 'build-push', 'action.yml'), 'utf8')) as { outputs: Record<string, { description: string }> };
    const described = [...manifest.outputs.metadata.description.matchAll(/(?:^JSON object: |, )([A-Za-z]+)/g)].map((m) => m[1]);
    assert.deepEqual(described, Object.keys(JSON.parse(run.outputs.metadata) as object), 'action.yml names the keys the code writes, in order');
  });
});

const OTHER_DIGEST = `sha256:${'cd'.repeat(32)}`;
const SHA = `1234567${'0'.repeat(33)}`;

/** A GitHub-hosted runner's docker: docker driver on overlay2 (no containerd snapshotter); `buildx create` makes a docker-container builder. */
function hostedRunnerDocker(existingShaDigest?: string) {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-hosted-'));
  const metadata = path.join(bin, 'metadata.json');
  fs.writeFileSync(metadata, JSON.stringify({ 'containerimage.digest': DIGEST }));
  const docker = createStandIn(bin, 'docker', [
    existingShaDigest
      ? { match: ['imagetools inspect'], stdout: `${JSON.stringify({ mediaType: 'application/vnd.oci.image.index.v1+json', digest: existingShaDigest, size: 1234 })}\n` }
      : { match: ['imagetools inspect'], stderr: 'ERROR: 127.0.0.1:5000/acme/app:sha-1234567: not found\n', exitCode: 1 },
    { match: ['imagetools create'] },
    { match: ['buildx create'] },
    { match: ['buildx rm '] },
    { match: ['buildx inspect platform-actions-'], stdout: 'Name:          created\nDriver:        docker-container\n\nNodes:\nName:      created0\nStatus:    running\nPlatforms: linux/amd64, linux/amd64/v2, linux/arm64\n' },
    { match: ['buildx inspect'], stdout: 'Name:          default\nDriver:        docker\n\nNodes:\nName:      default\nPlatforms: linux/amd64, linux/amd64/v2\n' },
    { match: ['info --format'], stdout: '[["Storage Driver","overlay2"],["Backing Filesystem","extfs"],["Supports d_type","true"],["Using metacopy","false"],["Native Overlay Diff","true"],["userxattr","false"]]\n' },
    { match: ['buildx build'], writeFileArg: { flag: '--metadata-file', from: metadata } },
  ]);
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-ctx-'));
  fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\n');
  return { bin, docker, context };
}

describe('build-push publishing on a GitHub-hosted runner (docker driver without the containerd store)', () => {
  it('creates a docker-container builder, pushes by digest, checks the sha- tag, tags every image by digest, removes the builder in post', async () => {
    const { bin, docker, context } = hostedRunnerDocker();
    const run = await runAction('build-push', {
      inputs: { images: '127.0.0.1:5000/acme/app\n127.0.0.1:5000/acme/mirror', context },
      pathPrepend: [bin],
      context: { ref: 'refs/heads/main', sha: SHA, workspace: context },
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.equal(run.post?.exitCode, 0, `${run.post?.stdout}${run.post?.stderr}`);

    const calls = docker.calls();
    const create = calls.findIndex((argv) => argv[1] === 'create' && argv[0] === 'buildx');
    assert.ok(create >= 0, `no buildx create in ${JSON.stringify(calls)}`);
    const name = calls[create][calls[create].indexOf('--name') + 1];
    assert.match(name, /^platform-actions-1-\d+$/);
    assert.deepEqual(calls[create], ['buildx', 'create', '--name', name, '--driver', 'docker-container', '--bootstrap']);

    // The whole sequence after detection: create → inspect it → build → guard (both images, concurrently) → tag → rm.
    const images = ['app', 'mirror'].map((i) => `127.0.0.1:5000/acme/${i}`);
    const after = calls.slice(create);
    assert.deepEqual(after.slice(0, 2), [calls[create], ['buildx', 'inspect', name]]);
    const build = after[2];
    assert.deepEqual(build.slice(0, 4), ['buildx', 'build', '--builder', name]);
    assert.equal(build[build.indexOf('--output') + 1], `type=image,"name=${images.join(',')}",push-by-digest=true,name-canonical=true,push=true,oci-mediatypes=true`);
    assert.ok(!build.some((a) => /:(main|dev|sha-1234567)\b/.test(a) || a === '--tag' || a === '-t' || a === '--push'), `the build pushes no tag by name: ${build.join(' ')}`);
    assert.deepEqual(
      after.slice(3, 5).sort(),
      images.map((img) => ['buildx', 'imagetools', 'inspect', `${img}:sha-1234567`, '--format', '{{json .Manifest}}']),
      'the guard inspects the sha- tag of every image',
    );
    assert.deepEqual(
      after.slice(5),
      [
        ...images.map((img) => ['buildx', 'imagetools', 'create', '--tag', `${img}:main`, '--tag', `${img}:dev`, '--tag', `${img}:sha-1234567`, `${img}@${DIGEST}`]),
        ['buildx', 'rm', name],
      ],
    );
    assert.ok(!calls.some((argv) => argv[0] === 'push'), 'no docker push with a docker-container builder');
    const spans = docker.spans();
    const rm = spans.find((s) => s.argv[1] === 'rm');
    assert.ok(rm && rm.start >= Math.max(...spans.filter((s) => s !== rm).map((s) => s.end)), 'the builder is removed after everything else');

    assert.equal(run.state.createdBuilder, JSON.stringify(name));
    assert.equal(run.outputs.digest, DIGEST);
    assert.deepEqual(run.outputs.tags.split('\n'), images.flatMap((img) => ['main', 'dev', 'sha-1234567'].map((t) => `${img}:${t}`)));
    assert.equal(JSON.parse(run.outputs.metadata).builder, name);
    assert.match(run.summary, /docker-container, created for this build/);
    assert.match(run.post!.stdout, new RegExp(`Removed builder ${name}`));
  });

  it('fails naming both digests when the sha- tag already points elsewhere, tags nothing, and still removes the builder', async () => {
    const { bin, docker, context } = hostedRunnerDocker(OTHER_DIGEST);
    const run = await runAction('build-push', {
      inputs: { images: '127.0.0.1:5000/acme/app', context },
      pathPrepend: [bin],
      context: { ref: 'refs/heads/main', sha: SHA, workspace: context },
    });
    assert.equal(run.main.exitCode, 1, run.main.stdout + run.main.stderr);
    const error = run.main.stdout.split('\n').find((l) => l.startsWith('::error'));
    assert.ok(error, `no ::error:: line in ${run.main.stdout}`);
    assert.ok(error.includes(DIGEST), `the error names this build's digest: ${error}`);
    assert.ok(error.includes(`127.0.0.1:5000/acme/app:sha-1234567 → ${OTHER_DIGEST}`), `the error names the tag and the digest it has: ${error}`);
    const calls = docker.calls();
    assert.ok(calls.some((argv) => argv.includes('--builder') && argv.some((a) => a.includes('push-by-digest=true'))), 'built by digest first');
    assert.ok(!calls.some((argv) => argv.includes('imagetools') && argv.includes('create')), 'no imagetools create after a guard failure');
    assert.ok(!calls.some((argv) => argv[0] === 'push'), 'no docker push');
    const name = JSON.parse(run.state.createdBuilder) as string;
    assert.deepEqual(calls.at(-1), ['buildx', 'rm', name], 'post removes the builder of a failed run');
    assert.equal(run.outputs.digest, undefined, 'no outputs from a failed publish');
  });
});

describe('runAction secret guard', () => {
  const clean = { visibleOutput: 'Logged in to 127.0.0.1:5001 as platform\n', outputs: { digest: DIGEST }, summary: '### build-push\n', state: { dockerConfig: '"/tmp/x"' } };

  it('finds a password in the visible output, outputs, summary or state, and throws naming where (not what)', () => {
    const pw = 'fake-Pa55word-0123456789';
    assert.deepEqual(secretLeaks(clean, pw), []);
    const leaky = { visibleOutput: `login ${pw}`, outputs: { digest: DIGEST, metadata: `{"p":"${pw}"}` }, summary: `| ${pw} |`, state: { creds: pw } };
    assert.deepEqual(secretLeaks(leaky, pw), ['visible output', "output 'metadata'", 'step summary', "state 'creds'"]);
    assert.deepEqual(secretLeaks(clean, pw, { 'GITHUB_STATE file': `creds=${pw}\n` }), ['GITHUB_STATE file']);
    assert.throws(
      () => assertNoSecretLeak('build-push', { ...clean, summary: pw }, pw, 'the test stack registry password'),
      (err: Error) => err.message === 'runAction(build-push): the test stack registry password leaked into step summary' && !err.message.includes(pw),
    );
  });

  it('never fires on an empty or blank password (no stack, or an empty password file)', () => {
    for (const pw of [undefined, '', '  \n']) {
      assert.deepEqual(secretLeaks(clean, pw), []);
      assert.doesNotThrow(() => assertNoSecretLeak('build-push', clean, pw, 'the test stack registry password'));
    }
  });
});
