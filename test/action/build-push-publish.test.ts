// How build-push publishes with the docker driver (containerd store), against a scripted docker CLI:
// every tag of every image is pushed, one `docker push` at a time, after the immutable-tag guard.
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
    { match: ['buildx', 'inspect'], stdout: 'Name:          default\nDriver:        docker\n\nNodes:\nName:      default\nPlatforms: linux/amd64, linux/arm64\n' },
    { match: ['info', '--format'], stdout: '[["driver-type","io.containerd.snapshotter.v1"]]\n' },
    { match: ['buildx', 'build'], writeFileArg: { flag: '--metadata-file', from: metadata } },
    ...pushExitCodes.map((exitCode) => ({ match: ['push'], times: 1, exitCode, delayMs: 120, stderr: exitCode ? 'received unexpected HTTP status: 503 Service Unavailable\n' : '' })),
    { match: ['push'], delayMs: 120 },
  ]);
  return { bin, docker };
}

describe('build-push publishing with the docker driver', () => {
  it('pushes every tag of every image, one push at a time (concurrent pushes of one index race in the daemon)', async () => {
    const { bin, docker } = dockerStandIn();
    const context = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-ctx-'));
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\n');
    const run = await runAction('build-push', {
      inputs: { images: '127.0.0.1:5000/acme/app\n127.0.0.1:5000/acme/mirror', context },
      pathPrepend: [bin],
      context: { ref: 'refs/heads/main', sha: `1234567${'0'.repeat(33)}`, workspace: context },
    });
    assert.equal(run.main.exitCode, 0, run.main.stdout + run.main.stderr);
    const pushes = docker.spans().filter((s) => s.argv[0] === 'push');
    assert.deepEqual(
      pushes.map((s) => s.argv[1]).sort(),
      ['app', 'mirror'].flatMap((img) => ['main', 'dev', 'sha-1234567'].map((t) => `127.0.0.1:5000/acme/${img}:${t}`)).sort(),
    );
    const ordered = [...pushes].sort((a, b) => a.start - b.start);
    for (let i = 1; i < ordered.length; i++) assert.ok(ordered[i].start >= ordered[i - 1].end, `${ordered[i].argv[1]} started before ${ordered[i - 1].argv[1]} ended`);
    const guard = docker.spans().filter((s) => s.argv.includes('imagetools'));
    assert.equal(guard.length, 2, 'the sha- tag of each image is checked');
    assert.ok(Math.max(...guard.map((s) => s.end)) <= ordered[0].start, 'the guard runs before the first push');
    assert.equal(run.outputs.digest, DIGEST);
  });

  it('retries a push that failed with a 503 and still pushes the rest in order', async () => {
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
    assert.equal(pushes.length, 4, 'three tags plus one retry');
    assert.equal(pushes[0], pushes[1], 'the failed push is retried first');
    assert.match(run.main.stdout, /transient error, retrying/);
  });
});
