import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { utcSeconds } from '../../actions/build-push/commit-time.js';
import { promotionDecision, REVISION_LABEL, type ExistingImage } from '../../actions/build-push/existing.js';
import { isTransientRegistryError } from '../../actions/toolkit/registry-errors.js';
import { Registry } from '../../actions/build-push/registry.js';
import { parseChallenge, RegistryError, registryBaseUrl, sha256Digest } from '../../actions/toolkit/registry.js';

const REV = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

function image(labels: Record<string, string>, platforms: string[]): ExistingImage {
  return { manifest: { digest: DIGEST, mediaType: 'application/vnd.oci.image.index.v1+json', bytes: Buffer.from('{}') }, platforms, labels };
}

describe('promotionDecision: when an earlier build of the commit is tagged instead of building', () => {
  const ref = '127.0.0.1:5000/acme/app:sha-0123456';
  const cases: { name: string; existing: ExistingImage | undefined; platforms: string[]; promote: boolean; reason: RegExp }[] = [
    { name: 'no sha- tag yet: build', existing: undefined, platforms: ['linux/amd64'], promote: false, reason: /sha-0123456 does not exist yet: building/ },
    { name: 'sha- tag of this revision with the platforms asked: promote', existing: image({ [REVISION_LABEL]: REV }, ['linux/amd64', 'linux/arm64']), platforms: ['linux/amd64', 'linux/arm64'], promote: true, reason: /built from this commit \(0123456789ab\) for linux\/amd64, linux\/arm64: promoting it, nothing is built/ },
    { name: 'a variant in the index matches the platform asked', existing: image({ [REVISION_LABEL]: REV }, ['linux/arm64/v8']), platforms: ['linux/arm64'], promote: true, reason: /promoting/ },
    { name: 'another commit with the same 7-character prefix: build', existing: image({ [REVISION_LABEL]: `0123456${'f'.repeat(33)}` }, ['linux/amd64']), platforms: ['linux/amd64'], promote: false, reason: /was built from revision 0123456f+, not 0123456789/ },
    { name: 'no revision label: build', existing: image({}, ['linux/amd64']), platforms: ['linux/amd64'], promote: false, reason: /an image without a revision label/ },
    { name: 'a platform asked is missing: build', existing: image({ [REVISION_LABEL]: REV }, ['linux/amd64']), platforms: ['linux/amd64', 'linux/arm64'], promote: false, reason: /has linux\/amd64, not linux\/arm64: building/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = promotionDecision(c.existing, ref, REV, c.platforms);
      assert.equal(got.promote, c.promote);
      assert.match(got.reason, c.reason);
    });
  }
});

describe('commit time as the image timestamp', () => {
  it('spells one instant one way whatever the source (event offset, git %cI, API Z)', () => {
    for (const t of ['2026-03-04T06:06:07+01:00', '2026-03-04T05:06:07+00:00', '2026-03-04T05:06:07Z', '2026-03-04T05:06:07.900Z']) assert.equal(utcSeconds(t), '2026-03-04T05:06:07Z', t);
  });
});

describe('registry HTTP client helpers', () => {
  it('speaks plain HTTP to loopback registries only, and to registry-1.docker.io for docker.io', () => {
    assert.equal(registryBaseUrl('127.0.0.1:5000'), 'http://127.0.0.1:5000');
    assert.equal(registryBaseUrl('localhost:5000'), 'http://localhost:5000');
    assert.equal(registryBaseUrl('[::1]:5000'), 'http://[::1]:5000');
    assert.equal(registryBaseUrl('ghcr.io'), 'https://ghcr.io');
    assert.equal(registryBaseUrl('docker.io'), 'https://registry-1.docker.io');
    assert.equal(registryBaseUrl('127.example.com'), 'https://127.example.com');
  });

  it('parses Bearer and Basic challenges', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/app:pull"'), {
      scheme: 'bearer',
      params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:acme/app:pull' },
    });
    assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
  });

  it('computes the digest of the exact bytes', () => {
    assert.equal(sha256Digest(Buffer.from('')), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('retries socket errors and 5xx of the HTTP client, never 401/403', () => {
    assert.equal(isTransientRegistryError('connect ECONNREFUSED 127.0.0.1:5000'), true);
    assert.equal(isTransientRegistryError('read ECONNRESET'), true);
    assert.equal(isTransientRegistryError('PUT acme/app:v1 on ghcr.io: 503 Service Unavailable'), true);
    assert.equal(isTransientRegistryError('GET acme/app:sha-1 on 127.0.0.1:5001: 401 Unauthorized UNAUTHORIZED: authentication required'), false);
  });
});

describe('registry client error statuses', () => {
  // The body of an error answer used to be read twice; the second read never ended and the step hung.
  it('fails at once with the status and the registry error text when HEAD or PUT gets a 500', async () => {
    const server = http.createServer((req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'boom' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const registry = new Registry(`127.0.0.1:${port}`, async () => undefined);
    try {
      await assert.rejects(registry.digestOf('a/b', 'x'), (err: unknown) => err instanceof RegistryError && err.status === 500);
      const bytes = Buffer.from('{}');
      await assert.rejects(registry.putTag('a/b', 'x', { digest: sha256Digest(bytes), mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes }), (err: unknown) => err instanceof RegistryError && err.status === 500 && /boom/.test(err.message));
    } finally {
      registry.dispose();
      server.close();
    }
  });
});
