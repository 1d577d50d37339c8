// How build-push publishes, against a scripted docker CLI and an in-process registry (distribution's HTTP API):
// with the docker driver (containerd store) each image's first tag is `docker push`ed, one image after the other,
// after the immutable-tag guard, and its other tags are PUT registry-side as the exact manifest bytes; on GitHub-hosted
// runners (docker driver without the containerd store) a docker-container builder pushes by digest, the guard checks,
// the tags are PUT, main removes the builder. A commit whose sha- tag already holds its image is promoted: tags only.
// buildx runs as the plugin binary (test/support/docker.ts hands it to the scripted docker as `docker buildx …`) and
// the image store is read from an Engine API stand-in answering /info with a real daemon's answer.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import YAML from 'yaml';
import { ROOT, assertNoSecretLeak, runAction, secretLeaks } from '../support/run-action.js';
import { defaultDockerBuilder, findBuildxPlugin } from '../../actions/build-push/docker.js';
import { engineInfo, enginePush, localEngineSocket, prefetchEngineInfo, pushStreamError, registryAuthHeader } from '../../actions/build-push/engine.js';
import { ENGINE_INFO, dockerStandIn as scriptedDocker, engineStandIn } from '../support/docker.js';

const SHA = `1234567${'0'.repeat(33)}`;
const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** An image manifest (single platform) with its config blob carrying a revision label. */
function image(revision: string, nonce: string): { manifest: Buffer; config: Buffer } {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { 'org.opencontainers.image.revision': revision } }, nonce }));
  const manifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length }, layers: [] }),
  );
  return { manifest, config };
}
const BUILT = image(SHA, 'this build');
const DIGEST = digestOf(BUILT.manifest);
const OTHER = image(`1234567${'f'.repeat(33)}`, 'another commit');
const OTHER_DIGEST = digestOf(OTHER.manifest);
/** Another build of the same commit (a concurrent run's): same revision label, other bytes. */
const CONCURRENT = image(SHA, 'a concurrent run of the commit');
const CONCURRENT_DIGEST = digestOf(CONCURRENT.manifest);

interface RegistryRequest {
  method: string;
  repo: string;
  kind: string;
  ref: string;
  at: number;
}

/** distribution's manifest/blob API in memory: every repo already holds BUILT (as after a push by digest) and OTHER. */
async function fakeRegistry(tags: Record<string, Record<string, string>> = {}, holdsImages = true, beforeRead?: (req: { method: string; repo: string; ref: string }) => void) {
  const blobs = new Map<string, Buffer>([
    [digestOf(BUILT.config), BUILT.config],
    [digestOf(OTHER.config), OTHER.config],
    [digestOf(CONCURRENT.config), CONCURRENT.config],
  ]);
  const manifests = new Map<string, Buffer>([
    [DIGEST, BUILT.manifest],
    [OTHER_DIGEST, OTHER.manifest],
    [CONCURRENT_DIGEST, CONCURRENT.manifest],
  ]);
  const tagsOf = (repo: string): Record<string, string> => (tags[repo] ??= {});
  const requests: RegistryRequest[] = [];
  const server = http.createServer((req, res) => {
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(req.url ?? '');
    if (!m) return void res.writeHead(404).end();
    const [, repo, kind, ref] = m;
    requests.push({ method: req.method ?? '', repo, kind, ref, at: Date.now() });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (kind === 'blobs') {
        const blob = blobs.get(ref);
        return void (blob ? res.writeHead(200).end(blob) : res.writeHead(404).end());
      }
      if (req.method === 'PUT') {
        const body = Buffer.concat(chunks);
        manifests.set(digestOf(body), body);
        tagsOf(repo)[ref] = digestOf(body);
        return void res.writeHead(201, { 'Docker-Content-Digest': digestOf(body) }).end();
      }
      beforeRead?.({ method: req.method ?? '', repo, ref });
      const digest = ref.startsWith('sha256:') ? (holdsImages ? ref : undefined) : tagsOf(repo)[ref];
      const body = digest ? manifests.get(digest) : undefined;
      if (!body) return void res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
      res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': digest });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return { host, requests, tags: tagsOf, puts: () => requests.filter((r) => r.method === 'PUT').map((r) => `${r.repo}:${r.ref}`) };
}
const servers: http.Server[] = [];
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

const METADATA = (() => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bp-metadata-')), 'metadata.json');
  fs.writeFileSync(file, JSON.stringify({ 'containerimage.digest': DIGEST }));
  return file;
})();

function dockerStandIn(pushExitCodes: number[] = [], engine: 'containerd' | 'cli' = 'containerd', pushStreams: Parameters<typeof scriptedDocker>[3] = []) {
  const metadata = METADATA;
  return scriptedDocker([
    { match: ['login'] },
    { match: ['buildx', 'inspect'], stdout: 'Name:          default\nDriver:        docker\n\nNodes:\nName:      default\nPlatforms: linux/amd64, linux/arm64\n' },
    { match: ['info', '--format'], stdout: '[["driver-type","io.containerd.snapshotter.v1"]]\n' },
    { match: ['buildx', 'build'], writeFileArg: { flag: '--metadata-file', from: metadata } },
    ...pushExitCodes.map((exitCode) => ({ match: ['push'], times: 1, exitCode, delayMs: 120, stderr: exitCode ? 'received unexpected HTTP status: 503 Service Unavailable\n' : '' })),
    { match: ['push'], delayMs: 120 },
  ], engine, 'bp-publish-', pushStreams);
}

const ctxDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-ctx-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
  return dir;
};

describe('build-push publishing with the docker driver', () => {
  it('pushes the first tag, then PUTs the exact manifest under the other tags, one image at a time, after the guard (`docker push` to a remote daemon)', async () => {
    const { bin, docker, env } = await dockerStandIn([], 'cli');
    const reg = await fakeRegistry();
    const context = ctxDir();
    const images = ['app', 'mirror'].map((i) => `${reg.host}/acme/${i}`);
    const run = await runAction('build-push', { inputs: { images: images.join('\n'), context }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const pushes = docker.spans().filter((s) => s.argv[0] === 'push');
    assert.deepEqual(pushes.map((s) => s.argv), images.map((img) => ['push', `${img}:main`]));
    assert.ok(pushes[1].start >= pushes[0].end, 'the second image is pushed after the first');
    assert.deepEqual(reg.puts().sort(), ['acme/app:dev', 'acme/app:sha-1234567', 'acme/mirror:dev', 'acme/mirror:sha-1234567']);
    const puts = reg.requests.filter((r) => r.method === 'PUT');
    for (const put of puts) {
      const push = pushes[put.repo === 'acme/app' ? 0 : 1];
      assert.ok(put.at >= push.end, `${put.repo}:${put.ref} is tagged after that image was pushed`);
    }
    assert.ok(puts.filter((p) => p.repo === 'acme/app').every((p) => p.at <= pushes[1].start), 'the first image is fully tagged before the second is pushed');
    const guard = reg.requests.filter((r) => r.method === 'HEAD' && r.ref === 'sha-1234567');
    assert.equal(guard.length, 2, 'the sha- tag of each image is checked');
    assert.ok(Math.max(...guard.map((r) => r.at)) <= pushes[0].start, 'the guard runs before the first push');
    for (const repo of ['acme/app', 'acme/mirror']) assert.deepEqual(reg.tags(repo), { dev: DIGEST, 'sha-1234567': DIGEST }, 'every tag is the exact manifest: the digest output');
    assert.equal(run.outputs.digest, DIGEST);
    assert.equal(run.outputs.tags.split('\n').length, 6);
    assert.equal(JSON.parse(run.outputs.metadata).promoted, false);
    assert.match(run.main.stdout, /sha-1234567 does not exist yet: building/);
  });

  it('retries a `docker push` that failed with a 503, then tags the rest', async () => {
    const { bin, docker, env } = await dockerStandIn([1], 'cli');
    const reg = await fakeRegistry();
    const context = ctxDir();
    const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context, retries: '3' }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const pushes = docker.calls().filter((argv) => argv[0] === 'push').map((argv) => argv[1]);
    assert.deepEqual(pushes, [`${reg.host}/acme/app:main`, `${reg.host}/acme/app:main`], 'the failed push is retried');
    assert.deepEqual(reg.puts().sort(), ['acme/app:dev', 'acme/app:sha-1234567'], 'the other tags are put once, after the push succeeded');
    assert.match(run.main.stdout, /transient error, retrying/);
  });

  it('pushes through the Engine API on the local socket: first tag of each image in turn, after the guard, then PUTs', async () => {
    const { bin, docker, env, enginePushes } = await dockerStandIn();
    const reg = await fakeRegistry();
    const context = ctxDir();
    const images = ['app', 'mirror'].map((i) => `${reg.host}/acme/${i}`);
    const run = await runAction('build-push', { inputs: { images: images.join('\n'), context }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.ok(!docker.calls().some((argv) => argv[0] === 'push'), 'no docker push');
    const pushes = enginePushes();
    assert.deepEqual(pushes.map((p) => p.ref), images.map((img) => `${img}:main`));
    assert.deepEqual(pushes.map((p) => p.auth), [{}, {}], 'an open registry without a login: empty X-Registry-Auth, as the docker CLI sends');
    assert.ok(pushes[1].start >= pushes[0].end, 'the second image is pushed after the first');
    const guard = reg.requests.filter((r) => r.method === 'HEAD' && r.ref === 'sha-1234567');
    assert.ok(Math.max(...guard.map((r) => r.at)) <= pushes[0].start, 'the guard runs before the first push');
    for (const put of reg.requests.filter((r) => r.method === 'PUT')) assert.ok(put.at >= pushes[put.repo === 'acme/app' ? 0 : 1].end, `${put.repo}:${put.ref} is tagged after its push`);
    for (const repo of ['acme/app', 'acme/mirror']) assert.deepEqual(reg.tags(repo), { dev: DIGEST, 'sha-1234567': DIGEST });
  });

  it('retries a push the daemon reports as connection refused, and fails at once on missing credentials', async () => {
    const transient = await dockerStandIn([], 'containerd', ['refused']);
    const reg = await fakeRegistry();
    const context = ctxDir();
    const ok = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context, retries: '3' }, pathPrepend: [transient.bin], env: transient.env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(ok.main.exitCode, 0, ok.main.stdout + ok.main.stderr);
    assert.equal(transient.enginePushes().length, 2, 'pushed again after the refused connection');
    assert.match(ok.main.stdout, /transient error, retrying/);

    const permanent = await dockerStandIn([], 'containerd', ['unauthorized', 'unauthorized', 'unauthorized']);
    const reg2 = await fakeRegistry();
    const failed = await runAction('build-push', { inputs: { images: `${reg2.host}/acme/app`, context, retries: '3' }, pathPrepend: [permanent.bin], env: permanent.env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(failed.main.exitCode, 1);
    assert.equal(permanent.enginePushes().length, 1, 'not retried');
    assert.match(failed.main.stdout, /::error::.*push .*acme\/app:main: authorization failed: no basic auth credentials/);
    assert.deepEqual(reg2.puts(), [], 'nothing tagged after the failed push');
    assert.match(failed.summary, /\|\s*Result\s*\|\s*failed\s*\|/, 'the failure writes the summary too');
    assert.match(failed.summary, new RegExp(`\\|\\s*Built\\s*\\|\\s*\`${DIGEST}\``));
    assert.match(failed.summary, /\|\s*Pushed or tagged\s*\|\s*nothing\s*\|/);
  });

  it('hands the login to the daemon in X-Registry-Auth (never in the log)', async () => {
    const { bin, env, enginePushes } = await dockerStandIn();
    const reg = await fakeRegistry();
    const context = ctxDir();
    const password = 'engine-Pa55-secret-42';
    const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context, registry: reg.host, username: 'ci-bot', password }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual(enginePushes().map((p) => p.auth), [{ username: 'ci-bot', password, serveraddress: reg.host }]);
    assertNoSecretLeak('build-push', run, password, 'the registry password');
  });

  it('explains a failed build with the platforms the default builder lacks (QEMU), and pushes nothing', async () => {
    const { bin, docker, env } = await scriptedDocker([
      { match: ['buildx', 'inspect'], stdout: 'Name:          default\nDriver:        docker\n\nNodes:\nName:      default\nPlatforms: linux/amd64, linux/amd64/v2\n' },
      { match: ['info', '--format'], stdout: '[["driver-type","io.containerd.snapshotter.v1"]]\n' },
      { match: ['buildx', 'build'], exitCode: 1, stderr: 'ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 255\nexec /bin/sh: exec format error\n' },
    ], 'containerd', 'bp-qemu-');
    const reg = await fakeRegistry();
    const context = ctxDir();
    const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::warning::Builder 'default' does not list linux\/arm64 \(it has linux\/amd64, linux\/amd64\/v2\): RUN steps for those platforms need QEMU/);
    assert.ok(!docker.calls().some((argv) => argv[0] === 'push'));
    assert.deepEqual(reg.puts(), []);
  });

  it('guards raw tags that look immutable (sha-*, vX.Y.Z) like computed ones', async () => {
    const { bin, env } = await dockerStandIn();
    const reg = await fakeRegistry({ 'acme/app': { 'v9.9.9': OTHER_DIGEST } });
    const context = ctxDir();
    const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context, tags: 'v9.9.9\nsha-deadbee\nstable' }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 1, run.main.stdout);
    assert.match(run.main.stdout, new RegExp(`::error::Immutable tag already pushed with a different digest \\(this build: ${DIGEST}\\):%0A  ${reg.host}/acme/app:v9.9.9 → ${OTHER_DIGEST}`));
    assert.deepEqual(
      reg.requests.filter((r) => r.method === 'HEAD').map((r) => r.ref).sort(),
      ['sha-1234567', 'sha-deadbee', 'v9.9.9'],
      'every immutable-looking tag is checked, the moving raw tag is not',
    );
    assert.deepEqual(reg.puts(), [], 'nothing tagged');
  });
});

describe('build-push promotes an earlier build of the commit', () => {
  it('puts every tag on the digest the sha- tag holds, in every image, and builds nothing', async () => {
    const { bin, docker, env } = await dockerStandIn();
    const reg = await fakeRegistry({ 'acme/app': { 'sha-1234567': DIGEST, main: DIGEST }, 'acme/mirror': { 'sha-1234567': DIGEST } });
    const context = ctxDir();
    const images = ['app', 'mirror'].map((i) => `${reg.host}/acme/${i}`);
    const run = await runAction('build-push', { inputs: { images: images.join('\n'), context, platforms: 'linux/amd64' }, pathPrepend: [bin], env, context: { ref: 'refs/tags/v1.2.3', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const writes = docker.calls().filter((argv) => (argv[0] === 'buildx' && argv[1] !== 'inspect') || !['buildx', 'info'].includes(argv[0]));
    assert.deepEqual(writes, [], 'nothing built, nothing pushed, no login: only read-only builder inspection ran alongside the lookup');
    for (const repo of ['acme/app', 'acme/mirror']) {
      for (const tag of ['v1.2.3', 'v1.2', 'v1', 'latest', 'sha-1234567']) assert.equal(reg.tags(repo)[tag], DIGEST, `${repo}:${tag}`);
    }
    const metadata = JSON.parse(run.outputs.metadata) as { promoted: boolean; alreadyHeld: string[]; platforms: string[]; labels: Record<string, string>; builder: string };
    assert.equal(metadata.promoted, true);
    assert.deepEqual(metadata.alreadyHeld, images, 'every image held the digest: nothing uploaded anywhere');
    assert.deepEqual(metadata.platforms, ['linux/amd64'], 'the platforms read from the promoted image');
    assert.equal(metadata.labels['org.opencontainers.image.revision'], SHA);
    assert.equal(metadata.builder, '');
    assert.equal(run.outputs.digest, DIGEST);
    assert.equal(run.outputs['image-ref'], `${images[0]}@${DIGEST}`);
    assert.equal(run.outputs['tagged-ref'], `${images[0]}:v1.2.3@${DIGEST}`, 'the exact release version, the first tag that never moves');
    assert.match(run.main.stdout, /built from this commit \(1234567000\d+\) for linux\/amd64: promoting it, nothing is built/);
    assert.match(run.summary, /\|\s*Built\s*\|\s*no: promoted sha-1234567, built earlier from this commit\s*\|/);
  });

  it('reads the sha- tag again after the claim window before trusting it; claim-window: 0s does not wait', async () => {
    const { bin, env } = await dockerStandIn();
    const context = ctxDir();
    for (const [window, waits] of [['', true], ['0s', false]] as const) {
      const reg = await fakeRegistry({ 'acme/app': { 'sha-1234567': DIGEST } });
      const inputs = { images: `${reg.host}/acme/app`, context, platforms: 'linux/amd64', ...(window ? { 'claim-window': window } : {}) };
      const run = await runAction('build-push', { inputs, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
      assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
      assert.equal(/Reading sha-1234567 again in \d+ ms/.test(run.main.stdout), waits, `claim-window '${window || 'default 2s'}'`);
      const reads = reg.requests.filter((r) => r.method === 'GET' && r.ref === 'sha-1234567').length;
      assert.ok(reads >= 2, `the sha- tag is read again after tagging (${reads} reads)`);
      assert.equal(reg.tags('acme/app').main, DIGEST);
    }
  });

  it('refuses a claim-window that is not a duration, before anything runs', async () => {
    const { bin, docker, env } = await dockerStandIn();
    const run = await runAction('build-push', { inputs: { images: '127.0.0.1:5999/acme/app', context: ctxDir(), 'claim-window': 'soon' }, pathPrepend: [bin], env });
    assert.notEqual(run.main.exitCode, 0);
    assert.match(run.main.stdout, /Input 'claim-window'/);
    assert.deepEqual(docker.calls().filter((argv) => argv[0] === 'buildx' && argv[1] === 'build'), []);
  });

  it('with rebuild: true, builds and never reads the sha- tag for promotion', async () => {
    const { bin, docker, env } = await dockerStandIn();
    const reg = await fakeRegistry({ 'acme/app': { 'sha-1234567': DIGEST } });
    const context = ctxDir();
    const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context, rebuild: 'true' }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.ok(docker.calls().some((argv) => argv[0] === 'buildx' && argv[1] === 'build'), 'built');
    assert.ok(!reg.requests.some((r) => r.method === 'GET' && r.ref === 'sha-1234567'), 'no promotion lookup');
    assert.match(run.main.stdout, /rebuild: true: building/);
    assert.equal(JSON.parse(run.outputs.metadata).promoted, false);
  });

  it('a rebuild whose digest the guard finds under the sha- tag uploads nothing: the other tags are put on it; an image without it is pushed', async () => {
    const { bin, env, enginePushes } = await dockerStandIn();
    const reg = await fakeRegistry({ 'acme/app': { 'sha-1234567': DIGEST } });
    const context = ctxDir();
    const images = ['app', 'mirror'].map((i) => `${reg.host}/acme/${i}`);
    const run = await runAction('build-push', { inputs: { images: images.join('\n'), context, rebuild: 'true' }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual(enginePushes().map((p) => p.ref), [`${images[1]}:main`], 'only the image whose registry lacks the digest is pushed');
    assert.match(run.main.stdout, new RegExp(`${images[0]} already holds ${DIGEST} \\(sha-1234567\\): nothing to push`));
    assert.deepEqual(reg.puts().sort(), ['acme/app:dev', 'acme/app:main', 'acme/mirror:dev', 'acme/mirror:sha-1234567'], 'the held tag is not put again');
    assert.deepEqual(reg.tags('acme/app'), { dev: DIGEST, main: DIGEST, 'sha-1234567': DIGEST });
    assert.deepEqual(JSON.parse(run.outputs.metadata).alreadyHeld, [images[0]]);
    assert.match(run.summary, new RegExp(`\\|\\s*Pushed\\s*\\|\\s*yes \\(${images[0].replace(/\./g, '\\.')} already held the digest: nothing uploaded\\)\\s*\\|`));
  });

  it('fails before tagging anything when another image lacks the digest (promotion never copies between registries)', async () => {
    const { bin, docker, env } = await dockerStandIn();
    const reg = await fakeRegistry({ 'acme/app': { 'sha-1234567': DIGEST } });
    const other = await fakeRegistry({}, false);
    const context = ctxDir();
    const run = await runAction('build-push', {
      inputs: { images: `${reg.host}/acme/app\n${other.host}/acme/elsewhere`, context, platforms: 'linux/amd64' },
      pathPrepend: [bin],
      env,
      context: { ref: 'refs/heads/main', sha: SHA, workspace: context },
    });
    assert.equal(run.main.exitCode, 1, run.main.stdout);
    assert.match(run.main.stdout, new RegExp(`::error::${reg.host}/acme/app:sha-1234567 is ${DIGEST}, built from this commit, but ${other.host}/acme/elsewhere does not hold that digest: nothing was tagged`));
    assert.deepEqual([...reg.puts(), ...other.puts()], []);
    assert.ok(!docker.calls().some((argv) => argv[1] === 'build' || argv[0] === 'push'), 'nothing built or pushed either');
  });
});

describe('build-push converges with a concurrent run of the same commit (one commit, one digest)', () => {
  /** The registry makes the commit's sha- tag hold CONCURRENT when it is read (GET) for the n-th time: a concurrent run's claim landing then. */
  const concurrentClaimAt = (n: number) => {
    let reads = 0;
    const tags: Record<string, Record<string, string>> = { 'acme/app': {} };
    const hook = (r: { method: string; repo: string; ref: string }): void => {
      if (r.method === 'GET' && r.repo === 'acme/app' && r.ref === 'sha-1234567' && ++reads === n) tags['acme/app']['sha-1234567'] = CONCURRENT_DIGEST;
    };
    return { tags, hook };
  };

  it('adopts the digest a concurrent run claimed after this one built: every tag goes on it, the pushed branch tag is re-pointed, the own build stays unpublished', async () => {
    const { bin, env, enginePushes } = await dockerStandIn();
    // GET 1: the promotion lookup before building; GET 2: the look before the guard (both absent); GET 3: the claim,
    // after the push, finds the concurrent image.
    const { tags, hook } = concurrentClaimAt(3);
    const reg = await fakeRegistry(tags, true, hook);
    const context = ctxDir();
    const image = `${reg.host}/acme/app`;
    const run = await runAction('build-push', { inputs: { images: image, context, platforms: 'linux/amd64' }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual(enginePushes().map((p) => p.ref), [`${image}:main`], 'the build was uploaded under its branch tag before the claim');
    assert.deepEqual(reg.tags('acme/app'), { main: CONCURRENT_DIGEST, dev: CONCURRENT_DIGEST, 'sha-1234567': CONCURRENT_DIGEST }, 'every tag of the commit serves the one digest');
    assert.equal(run.outputs.digest, CONCURRENT_DIGEST);
    assert.equal(run.outputs['image-ref'], `${image}@${CONCURRENT_DIGEST}`);
    const metadata = JSON.parse(run.outputs.metadata) as { adopted: boolean; promoted: boolean; builtDigest: string; corrected: string[] };
    assert.deepEqual([metadata.adopted, metadata.promoted, metadata.builtDigest], [true, false, DIGEST]);
    assert.deepEqual(metadata.corrected, [`${image}:main`]);
    assert.match(run.main.stdout, new RegExp(`::notice::adopted ${CONCURRENT_DIGEST} pushed by a concurrent run of this commit \\(this run built ${DIGEST}: not published\\); re-pointed ${image}:main`));
    assert.match(run.summary, new RegExp(`no: adopted ${CONCURRENT_DIGEST} pushed by a concurrent run of this commit`));
    assert.match(run.summary, /Re-pointed to the adopted digest \| [^|]*acme\/app:main/);
  });

  it('a claim overwritten within the window loses to the last write: this run re-points its tags to it', async () => {
    const { bin, env } = await dockerStandIn();
    // GET 3: the claim finds the tag absent and PUTs it; GET 4, after the window: the concurrent run's PUT replaced it.
    const { tags, hook } = concurrentClaimAt(4);
    const reg = await fakeRegistry(tags, true, hook);
    const context = ctxDir();
    const image = `${reg.host}/acme/app`;
    const run = await runAction('build-push', { inputs: { images: image, context, platforms: 'linux/amd64' }, pathPrepend: [bin], env, context: { ref: 'refs/tags/v1.2.3', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.ok(reg.puts().includes('acme/app:sha-1234567'), 'this run did claim the tag first');
    for (const tag of ['v1.2.3', 'v1.2', 'v1', 'latest', 'sha-1234567']) assert.equal(reg.tags('acme/app')[tag], CONCURRENT_DIGEST, tag);
    const metadata = JSON.parse(run.outputs.metadata) as { adopted: boolean; corrected: string[] };
    assert.equal(metadata.adopted, true);
    assert.deepEqual(metadata.corrected.sort(), [`${image}:sha-1234567`, `${image}:v1.2`].sort(), 'the upload tag (v1.2, a moving one) and the claim it lost');
    assert.equal(run.outputs.digest, CONCURRENT_DIGEST);
  });

  it('a concurrent image found right after building is adopted before anything of this run is pushed', async () => {
    const { bin, env, enginePushes } = await dockerStandIn();
    const { tags, hook } = concurrentClaimAt(2);
    const reg = await fakeRegistry(tags, true, hook);
    const context = ctxDir();
    const image = `${reg.host}/acme/app`;
    const run = await runAction('build-push', { inputs: { images: image, context, platforms: 'linux/amd64' }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual(enginePushes(), [], 'nothing of this build was uploaded');
    assert.deepEqual(reg.tags('acme/app'), { main: CONCURRENT_DIGEST, dev: CONCURRENT_DIGEST, 'sha-1234567': CONCURRENT_DIGEST });
    assert.deepEqual((JSON.parse(run.outputs.metadata) as { corrected: string[] }).corrected, [], 'nothing to put right');
  });

  it('never adopts a sha- tag holding another commit\'s image: the guard refuses, naming both digests', async () => {
    const { bin, env } = await dockerStandIn();
    let reads = 0;
    const tags: Record<string, Record<string, string>> = { 'acme/app': {} };
    const reg = await fakeRegistry(tags, true, (r) => {
      if (r.method === 'GET' && r.ref === 'sha-1234567' && ++reads === 3) tags['acme/app']['sha-1234567'] = OTHER_DIGEST;
    });
    const context = ctxDir();
    const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app` , context }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.notEqual(run.main.exitCode, 0);
    assert.match(run.main.stdout, new RegExp(`already pushed with a different digest[\\s\\S]*sha-1234567 → ${OTHER_DIGEST}`));
    assert.equal(reg.tags('acme/app')['sha-1234567'], OTHER_DIGEST, 'the sha- tag did not move');
    assert.ok(!reg.puts().includes('acme/app:dev'), 'nothing more was tagged');
  });
});

describe('build-push logins, summary and metadata', () => {
  it('a registry with no username and no password means no login (existing docker logins are used)', async () => {
    const { bin, docker, env } = await dockerStandIn();
    const reg = await fakeRegistry();
    const context = ctxDir();
    const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context, registry: reg.host }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.ok(!docker.calls().some((argv) => argv[0] === 'login'), `no docker login: ${JSON.stringify(docker.calls())}`);
    assert.match(run.main.stdout, /No credentials given: using existing docker logins/);
  });

  it('says the immutable-tag guard was skipped with allow-overwrite, and — only when nothing was pushed', async () => {
    const row = (summary: string): string | undefined => summary.split('\n').find((l) => l.includes('Immutable tags checked'));
    const runs = [];
    const variants: Record<string, string>[] = [{ 'allow-overwrite': 'true' }, { push: 'false' }, {}];
    for (const inputs of variants) {
      const { bin, env } = await dockerStandIn();
      const reg = await fakeRegistry();
      const context = ctxDir();
      const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context, ...inputs }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
      assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
      runs.push({ run, guardCalls: reg.requests.filter((r) => r.method === 'HEAD').length });
    }
    const [overwrite, buildOnly, guarded] = runs;
    assert.match(row(overwrite.run.summary) ?? '', /\|\s*Immutable tags checked\s*\|\s*skipped \(allow-overwrite\)\s*\|/);
    assert.equal(overwrite.guardCalls, 0);
    assert.match(row(buildOnly.run.summary) ?? '', /\|\s*Immutable tags checked\s*\|\s*—\s*\|/);
    assert.equal(buildOnly.guardCalls, 0);
    assert.match(row(guarded.run.summary) ?? '', /\|\s*Immutable tags checked\s*\|\s*sha-1234567\s*\|/);
  });

  it('documents every key of the metadata output in action.yml', async () => {
    const { bin, env } = await dockerStandIn();
    const reg = await fakeRegistry();
    const context = ctxDir();
    const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const manifest = YAML.parse(fs.readFileSync(path.join(ROOT, 'build-push', 'action.yml'), 'utf8')) as { outputs: Record<string, { description: string }> };
    const described = [...manifest.outputs.metadata.description.matchAll(/(?:^JSON object: |, )([A-Za-z]+)/g)].map((m) => m[1]);
    assert.deepEqual(described, Object.keys(JSON.parse(run.outputs.metadata) as object), 'action.yml names the keys the code writes, in order');
  });
});

/** A GitHub-hosted runner's docker: docker driver on overlay2 (no containerd snapshotter); `buildx create` makes a docker-container builder. */
async function hostedRunnerDocker(engine: 'classic' | 'cli' = 'classic') {
  const metadata = METADATA;
  const standIn = await scriptedDocker([
    { match: ['buildx create'] },
    { match: ['buildx rm '] },
    { match: ['buildx inspect platform-actions-'], stdout: 'Name:          created\nDriver:        docker-container\n\nNodes:\nName:      created0\nStatus:    running\nPlatforms: linux/amd64, linux/amd64/v2, linux/arm64\n' },
    { match: ['buildx inspect'], stdout: 'Name:          default\nDriver:        docker\n\nNodes:\nName:      default\nPlatforms: linux/amd64, linux/amd64/v2\n' },
    { match: ['info --format'], stdout: '[["Storage Driver","overlay2"],["Backing Filesystem","extfs"],["Supports d_type","true"],["Using metacopy","false"],["Native Overlay Diff","true"],["userxattr","false"]]\n' },
    { match: ['buildx build'], writeFileArg: { flag: '--metadata-file', from: metadata } },
  ], engine, 'bp-hosted-');
  return { ...standIn, context: ctxDir() };
}

describe('build-push publishing on a GitHub-hosted runner (docker driver without the containerd store)', () => {
  it('creates a docker-container builder, pushes by digest, checks the sha- tag, tags every image by digest, removes the builder itself', async () => {
    const { bin, docker, env, context } = await hostedRunnerDocker();
    const reg = await fakeRegistry();
    const images = ['app', 'mirror'].map((i) => `${reg.host}/acme/${i}`);
    const run = await runAction('build-push', { inputs: { images: images.join('\n'), context }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.equal(run.postIf, false, 'post-if (failure() || cancelled()) skips the post step after a green job');
    assert.equal(run.post, undefined);

    // The default builder is read from buildx's store; `buildx inspect` of it runs only to explain a failed build.
    const calls = docker.calls().filter((argv) => !(argv.length === 2 && argv[0] === 'buildx' && argv[1] === 'inspect'));
    assert.equal(docker.calls().length - calls.length, 0, 'no inspect of the default builder when the build passes');
    const create = calls.findIndex((argv) => argv[1] === 'create' && argv[0] === 'buildx');
    assert.ok(create >= 0, `no buildx create in ${JSON.stringify(calls)}`);
    const name = calls[create][calls[create].indexOf('--name') + 1];
    assert.match(name, /^platform-actions-1-\d+$/);
    assert.deepEqual(calls[create], ['buildx', 'create', '--name', name, '--driver', 'docker-container', '--bootstrap']);
    const after = calls.slice(create);
    assert.deepEqual(after.slice(0, 2), [calls[create], ['buildx', 'inspect', name]]);
    const build = after[2];
    assert.deepEqual(build.slice(0, 4), ['buildx', 'build', '--builder', name]);
    assert.equal(build[build.indexOf('--output') + 1], `type=image,"name=${images.join(',')}",push-by-digest=true,name-canonical=true,push=true,oci-mediatypes=true,rewrite-timestamp=true`);
    assert.ok(!build.some((a) => /:(main|dev|sha-1234567)\b/.test(a) || a === '--tag' || a === '-t' || a === '--push'), `the build pushes no tag by name: ${build.join(' ')}`);
    assert.deepEqual(after.slice(3), [['buildx', 'rm', name]], 'after the build, main removes the builder');
    assert.ok(!calls.some((argv) => argv[0] === 'push'), 'no docker push with a docker-container builder');

    const heads = reg.requests.filter((r) => r.method === 'HEAD');
    assert.deepEqual(heads.map((r) => `${r.repo}:${r.ref}`).sort(), ['acme/app:sha-1234567', 'acme/mirror:sha-1234567'], 'the guard inspects the sha- tag of every image');
    const firstPut = Math.min(...reg.requests.filter((r) => r.method === 'PUT').map((r) => r.at));
    assert.ok(heads.every((r) => r.at <= firstPut), 'the guard runs before any tag');
    for (const repo of ['acme/app', 'acme/mirror']) assert.deepEqual(reg.tags(repo), { main: DIGEST, dev: DIGEST, 'sha-1234567': DIGEST });

    assert.equal(run.state.createdBuilder, '""', 'the state no longer names a builder for post to remove');
    assert.equal(run.outputs.digest, DIGEST);
    assert.deepEqual(run.outputs.tags.split('\n'), images.flatMap((img) => ['main', 'dev', 'sha-1234567'].map((t) => `${img}:${t}`)));
    assert.equal(JSON.parse(run.outputs.metadata).builder, name);
    assert.match(run.summary, /docker-container, created for this build/);
    assert.match(run.main.stdout, new RegExp(`Removed builder ${name}`));
    assert.deepEqual(fs.readdirSync(run.runnerTemp), [], 'main removed its private DOCKER_CONFIG and build metadata folder');
  });

  it('fails naming both digests when the sha- tag already points elsewhere, tags nothing, and still removes the builder', async () => {
    const { bin, docker, env, context } = await hostedRunnerDocker();
    const reg = await fakeRegistry({ 'acme/app': { 'sha-1234567': OTHER_DIGEST } });
    const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 1, run.main.stdout + run.main.stderr);
    assert.match(run.main.stdout, /was built from revision 1234567f+, not 1234567000+: building/, 'another commit with the same short sha is not promoted');
    const error = run.main.stdout.split('\n').find((l) => l.startsWith('::error'));
    assert.ok(error, `no ::error:: line in ${run.main.stdout}`);
    assert.ok(error.includes(DIGEST), `the error names this build's digest: ${error}`);
    assert.ok(error.includes(`${reg.host}/acme/app:sha-1234567 → ${OTHER_DIGEST}`), `the error names the tag and the digest it has: ${error}`);
    const calls = docker.calls().filter((argv) => !(argv.length === 2 && argv[0] === 'buildx' && argv[1] === 'inspect'));
    assert.ok(calls.some((argv) => argv.includes('--builder') && argv.some((a) => a.includes('push-by-digest=true'))), 'built by digest first');
    assert.deepEqual(reg.puts(), [], 'no tag after a guard failure');
    const name = calls.find((argv) => argv[1] === 'create')![3];
    assert.deepEqual(calls.at(-1), ['buildx', 'rm', name], 'main removes the builder of a failed run');
    assert.equal(calls.filter((argv) => argv[1] === 'rm').length, 1, 'the post step (run: the job failed) finds nothing left to remove');
    assert.equal(run.post?.exitCode, 0);
    assert.equal(run.outputs.digest, undefined, 'no outputs from a failed publish');
    assert.match(run.summary, /\|\s*Error\s*\|\s*Immutable tag already pushed with a different digest/, 'the summary says why it failed');
    assert.match(run.summary, /\|\s*Pushed or tagged\s*\|\s*nothing\s*\|/, 'and that nothing was tagged');
  });
});

describe('build-push asks the daemon and buildx directly (no `docker info`, no `docker buildx` dispatch)', () => {
  it('reads the containerd image store from the Engine API /info and builds on the default builder', async () => {
    const { bin, docker, env, engineRequests } = await dockerStandIn();
    const reg = await fakeRegistry();
    const context = ctxDir();
    const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual(engineRequests().filter((r) => !r.includes('/push')), ['GET /info'], 'the store is read once, from /info');
    assert.ok(!docker.calls().some((argv) => argv[0] === 'info'), 'no docker info');
    assert.ok(!docker.calls().some((argv) => argv[1] === 'create'), 'no builder created');
    assert.match(run.main.stdout, /builder 'default' \(docker driver with the containerd image store\) supports the request/);
    assert.match(run.main.stdout, /^buildx: \S+\/docker-config-[0-9a-f]{12}\/cli-plugins\/docker-buildx \(the docker CLI's plugin, run directly\)$/m, 'the plugin linked from DOCKER_CONFIG runs directly');
  });

  it('asks `docker info` when the daemon is not on a local socket (DOCKER_HOST=tcp://…), and reads its answer', async () => {
    const { bin, docker, env, context } = await hostedRunnerDocker('cli');
    const reg = await fakeRegistry();
    const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context }, pathPrepend: [bin], env, context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    assert.deepEqual(docker.calls().filter((argv) => argv[0] === 'info'), [['info', '--format', '{{json .DriverStatus}}']]);
    assert.ok(docker.calls().some((argv) => argv[1] === 'create'), 'the overlay2 answer means a docker-container builder');
  });

  for (const how of ['killed by the step timeout', 'cancelled'] as const) {
    it(`leaves its clean-up to the post step when main is ${how} mid-build`, async () => {
      const { bin, env } = await scriptedDocker([{ match: ['buildx', 'build'], delayMs: 6000 }], 'containerd', 'bp-killed-');
      const reg = await fakeRegistry();
      const context = ctxDir();
      const run = await runAction('build-push', { inputs: { images: `${reg.host}/acme/app`, context }, pathPrepend: [bin], env, timeoutMs: 2500, cancelled: how === 'cancelled', context: { ref: 'refs/heads/main', sha: SHA, workspace: context } });
      assert.notEqual(run.main.exitCode, 0);
      assert.deepEqual(
        JSON.parse(run.state.sensitivePaths).map((p: string) => path.basename(p).replace(/-[0-9a-f]{12}$/, '')),
        ['docker-config', 'build-metadata'],
        'main had made its private folders when it was stopped',
      );
      assert.equal(run.postIf, true);
      assert.equal(run.post?.exitCode, 0, run.post?.stdout);
      assert.match(run.post!.stdout, /Removed 2 temporary credential directories/);
      assert.deepEqual(fs.readdirSync(run.runnerTemp), [], 'post removed what main left');
    });
  }
});

describe('where build-push looks for things (pure)', () => {
  const tree = (files: Record<string, string | { mode: number }>): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-find-'));
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (typeof content === 'string') fs.writeFileSync(file, content);
      else fs.writeFileSync(file, '#!/bin/sh\n', { mode: content.mode });
    }
    return dir;
  };
  const exe = { mode: 0o755 };
  it('finds the buildx plugin in the docker CLI order: cliPluginsExtraDirs, <DOCKER_CONFIG>/cli-plugins, then the system folders', () => {
    const root = tree({ 'extra/docker-buildx': exe, 'config/cli-plugins/docker-buildx': exe, 'sys1/docker-buildx': exe, 'sys2/docker-buildx': exe });
    const config = path.join(root, 'config');
    const sys = [path.join(root, 'sys1'), path.join(root, 'sys2')];
    assert.equal(findBuildxPlugin(config, sys, 'linux'), path.join(config, 'cli-plugins', 'docker-buildx'));
    fs.writeFileSync(path.join(config, 'config.json'), JSON.stringify({ cliPluginsExtraDirs: [path.join(root, 'extra')] }));
    assert.equal(findBuildxPlugin(config, sys, 'linux'), path.join(root, 'extra', 'docker-buildx'));
    fs.rmSync(path.join(root, 'extra'), { recursive: true });
    fs.rmSync(path.join(config, 'cli-plugins'), { recursive: true });
    assert.equal(findBuildxPlugin(config, sys, 'linux'), path.join(root, 'sys1', 'docker-buildx'));
  });
  it('skips a plugin file that is not executable, and gives up (→ `docker buildx`) when none is found or off Linux', () => {
    const root = tree({ 'config/cli-plugins/docker-buildx': { mode: 0o644 }, 'sys/docker-buildx': exe });
    const config = path.join(root, 'config');
    assert.equal(findBuildxPlugin(config, [path.join(root, 'sys')], 'linux'), path.join(root, 'sys', 'docker-buildx'));
    assert.equal(findBuildxPlugin(config, [path.join(root, 'none')], 'linux'), undefined);
    assert.equal(findBuildxPlugin(config, [path.join(root, 'sys')], 'darwin'), undefined);
  });
  it('encodes X-Registry-Auth as the docker CLI does (Go URL base64 with padding: `e30=` for no credentials)', () => {
    assert.equal(registryAuthHeader(undefined), 'e30=');
    const header = registryAuthHeader({ username: 'u', password: 'p?>~', serveraddress: 'r.example:5000' });
    assert.equal(header.length % 4, 0, 'padded');
    assert.match(header, /^[A-Za-z0-9_-]+=*$/, 'URL alphabet');
    assert.deepEqual(JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')), { username: 'u', password: 'p?>~', serveraddress: 'r.example:5000' });
  });
  it('reads a failure out of the push stream the daemon answers with 200 (captured streams)', () => {
    const read = (name: string): string => fs.readFileSync(path.join(ROOT, 'test/fixtures/docker', name), 'utf8');
    assert.equal(pushStreamError(read('engine-push-ok.stream')), undefined);
    assert.equal(pushStreamError(read('engine-push-401.stream')), 'authorization failed: no basic auth credentials');
    assert.match(pushStreamError(read('engine-push-refused.stream')) ?? '', /dial tcp 127\.0\.0\.1:5099: connect: connection refused$/);
    assert.equal(pushStreamError(read('engine-push-nosuch.stream')), 'tag does not exist: 127.0.0.1:5000/capture/nosuch:x');
  });
  it('asks the push endpoint for the image name (registry port included) and the tag as they are given', async () => {
    const api = await engineStandIn(fs.mkdtempSync(path.join(os.tmpdir(), 'bp-engine-push-')), ENGINE_INFO.containerd, [], 0);
    await enginePush(api.socket, '127.0.0.1:5000/acme/app', 'main', undefined);
    await enginePush(api.socket, 'ghcr.io/acme/app', 'sha-1234567', undefined);
    assert.deepEqual(api.requests().filter((r) => r.startsWith('POST')), ['POST /images/127.0.0.1:5000/acme/app/push?tag=main', 'POST /images/ghcr.io/acme/app/push?tag=sha-1234567']);
    assert.deepEqual(api.pushes().map((p) => p.ref), ['127.0.0.1:5000/acme/app:main', 'ghcr.io/acme/app:sha-1234567']);
  });
  it('sends /info as the bundle starts and hands that one answer to the first engineInfo on the same socket', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-prefetch-'));
    const api = await engineStandIn(dir, ENGINE_INFO.containerd);
    await prefetchEngineInfo({ DOCKER_HOST: `unix://${api.socket}` }, dir);
    const first = await engineInfo(api.socket);
    assert.deepEqual(first.DriverStatus, [['driver-type', 'io.containerd.snapshotter.v1']]);
    assert.deepEqual(api.requests(), ['GET /info'], 'the prefetched request, once');
    await engineInfo(api.socket);
    assert.deepEqual(api.requests(), ['GET /info', 'GET /info'], 'a later call asks again');
    await prefetchEngineInfo({ DOCKER_HOST: `unix://${path.join(dir, 'none.sock')}` }, dir); // no daemon there: resolves, no throw
    await assert.rejects(engineInfo(path.join(dir, 'none.sock')), /ENOENT/);
    await prefetchEngineInfo({ DOCKER_HOST: 'tcp://127.0.0.1:9' }, dir); // not a local socket: nothing sent
  });
  it('talks to the daemon itself only on a local unix socket', () => {
    const config = tree({ 'config.json': '{}' });
    assert.equal(localEngineSocket(config, {}), '/var/run/docker.sock');
    assert.equal(localEngineSocket(config, { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }), '/run/user/1000/docker.sock');
    assert.equal(localEngineSocket(config, { DOCKER_HOST: 'tcp://10.0.0.1:2376' }), undefined);
    assert.equal(localEngineSocket(config, { DOCKER_HOST: 'ssh://me@host' }), undefined);
    assert.equal(localEngineSocket(config, { DOCKER_CONTEXT: 'remote' }), undefined);
    fs.writeFileSync(path.join(config, 'config.json'), '{"currentContext":"desktop-linux"}');
    assert.equal(localEngineSocket(config, {}), undefined);
  });
});

describe('the default builder read from buildx\'s store (no `docker buildx inspect` before the build)', () => {
  const dockerDir = (files: Record<string, string>): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-dockercfg-'));
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
  };
  const cases: { name: string; files: Record<string, string>; env?: NodeJS.ProcessEnv; expected: string | undefined }[] = [
    { name: 'no buildx store: the context default builder', files: { 'config.json': '{}' }, expected: 'default' },
    { name: 'buildx current without a name (what buildx writes for the default)', files: { 'config.json': '{}', 'buildx/current': '{"Key":"unix:///var/run/docker.sock","Name":"","Global":false}' }, expected: 'default' },
    { name: 'a named builder is current (setup-buildx-action): ask buildx', files: { 'buildx/current': '{"Key":"unix:///var/run/docker.sock","Name":"builder-1","Global":false}' }, expected: undefined },
    { name: 'another docker context: ask buildx', files: { 'config.json': '{"currentContext":"remote"}' }, expected: undefined },
    { name: 'BUILDX_BUILDER set: ask buildx', files: {}, env: { BUILDX_BUILDER: 'x' }, expected: undefined },
    { name: 'an unreadable store: ask buildx', files: { 'buildx/current': '{not json' }, expected: undefined },
  ];
  for (const c of cases) it(c.name, () => assert.equal(defaultDockerBuilder(dockerDir(c.files), c.env ?? {}), c.expected));
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
