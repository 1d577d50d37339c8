// How build-push publishes with the docker driver (containerd store), against a scripted docker CLI:
// after the immutable-tag guard, each image's first tag is `docker push`ed and its other tags are put on that
// digest registry-side (imagetools create), one image after the other, never two publishing calls at once.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runAction } from '../support/run-action.js';
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
