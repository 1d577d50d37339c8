import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isTransientRegistryError } from '../../actions/toolkit/registry-errors.js';
import { conflictMessage, immutableConflicts } from '../../actions/build-push/guard.js';
import { parseImageName, platformError, sanitizeTag, type ImageName } from '../../actions/build-push/images.js';
import { buildxArgs, cacheArgs, chooseBuilder, outputArg, publishStrategy, resolveCacheMode } from '../../actions/build-push/plan.js';
import { ROOT } from '../support/run-action.js';

const img = (s: string): ImageName => parseImageName(s) as ImageName;

describe('image names', () => {
  const valid: [string, string, string, string][] = [
    ['ghcr.io/Acme/App', 'ghcr.io/acme/app', 'ghcr.io', 'acme/app'],
    ['docker.io/acme/app', 'docker.io/acme/app', 'docker.io', 'acme/app'],
    ['acme/app', 'acme/app', 'docker.io', 'acme/app'],
    ['nginx', 'nginx', 'docker.io', 'library/nginx'],
    ['127.0.0.1:5000/team/svc-a', '127.0.0.1:5000/team/svc-a', '127.0.0.1:5000', 'team/svc-a'],
    ['localhost/app', 'localhost/app', 'localhost', 'app'],
  ];
  for (const [raw, name, registry, repository] of valid) {
    it(`parses ${raw} as ${registry} ${repository}, lowercased`, () => {
      assert.deepEqual(parseImageName(raw), { name, registry, repository });
    });
  }
  const invalid: [string, RegExp][] = [
    ['ghcr.io/acme/app:v1', /must not contain a tag/],
    ['ghcr.io/acme/app@sha256:abc', /must not contain a digest/],
    ['ghcr.io/acme/-app', /not a valid image name/],
    ['ghcr.io//app', /not a valid image name/],
    ['acme/app name', /not a valid image name/],
  ];
  for (const [raw, re] of invalid) {
    it(`rejects ${raw}`, () => {
      const got = parseImageName(raw);
      assert.equal(typeof got, 'string');
      assert.match(got as string, re);
    });
  }
});

describe('platforms', () => {
  for (const ok of ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/amd64/v3', 'windows/amd64']) {
    it(`accepts ${ok}`, () => assert.equal(platformError(ok), undefined));
  }
  for (const [bad, re] of [['linux', /os\/arch/], ['linux/x86_64', /unknown architecture/], ['plan9/amd64', /unknown OS/], ['linux/arm/v9', /unknown variant/], ['linux/amd64/v3/x', /os\/arch/]] as const) {
    it(`rejects ${bad}`, () => assert.match(platformError(bad) ?? '', re));
  }
});

describe('sanitizeTag', () => {
  const cases: [string, string][] = [
    ['feature/login', 'feature-login'],
    ['-leading', 'leading'],
    ['.hidden', 'hidden'],
    ['ümlaut', 'mlaut'],
    ['///', 'unnamed'],
  ];
  for (const [raw, want] of cases) it(`${raw} → ${want}`, () => assert.equal(sanitizeTag(raw), want));
});

describe('chooseBuilder', () => {
  const multi = ['linux/amd64', 'linux/arm64'];
  it('keeps a docker-container builder', () => assert.equal(chooseBuilder({ name: 'b', driver: 'docker-container' }, false, multi, 'gha', true).use, 'current'));
  it('keeps the docker driver with the containerd store for multi-platform + gha + push', () => assert.equal(chooseBuilder({ name: 'default', driver: 'docker' }, true, multi, 'gha', true).use, 'current'));
  it('creates a builder for multi-platform on the classic docker store', () => assert.equal(chooseBuilder({ name: 'default', driver: 'docker' }, false, multi, 'none', false).use, 'create'));
  it('creates a builder for gha cache export on the classic docker store', () => assert.equal(chooseBuilder({ name: 'default', driver: 'docker' }, false, ['linux/amd64'], 'gha', false).use, 'create'));
  it('keeps the classic docker driver for a single platform without cache export or push', () => assert.equal(chooseBuilder({ name: 'default', driver: 'docker' }, false, ['linux/amd64'], 'inline', false).use, 'current'));
  it('creates a builder to push from the classic docker store: its build reports the image ID, not the manifest digest', () => {
    const metadata = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/docker/buildx-classic-single-plugin.metadata.json'), 'utf8')) as Record<string, string>;
    assert.equal(metadata['containerimage.digest'], metadata['containerimage.config.digest'], 'the captured classic-store build names the config digest');
    const choice = chooseBuilder({ name: 'default', driver: 'docker' }, false, ['linux/amd64'], 'none', true);
    assert.equal(choice.use, 'create');
    assert.match(choice.reason, /a push whose digest is known before any tag moves/);
  });
});

describe('cache and output', () => {
  const images = [img('ghcr.io/acme/app'), img('docker.io/acme/app')];
  it('auto cache is gha on GitHub and none elsewhere', () => {
    assert.equal(resolveCacheMode('auto', true), 'gha');
    assert.equal(resolveCacheMode('auto', false), 'none');
  });
  it('gha cache is scoped per image and never fails the build on export errors', () => {
    assert.deepEqual(cacheArgs('gha', images, 'dev'), ['--cache-from', 'type=gha,scope=acme-app', '--cache-to', 'type=gha,mode=max,scope=acme-app,ignore-error=true']);
  });
  it('registry cache uses <image>:buildcache with ignore-error', () => {
    assert.deepEqual(cacheArgs('registry', images, 'dev'), ['--cache-from', 'type=registry,ref=ghcr.io/acme/app:buildcache', '--cache-to', 'type=registry,ref=ghcr.io/acme/app:buildcache,mode=max,ignore-error=true']);
  });
  it('docker driver builds into the image store and pushes after the guard', () => {
    assert.equal(publishStrategy('docker', true), 'docker-push');
    assert.equal(outputArg('docker-push', 'docker', ['a/b:1', 'a/b:2'], images), 'type=image,"name=a/b:1,a/b:2",push=false,oci-mediatypes=true');
  });
  it('container drivers push by digest, untagged, before the guard', () => {
    assert.equal(publishStrategy('docker-container', true), 'push-by-digest');
    assert.equal(outputArg('push-by-digest', 'docker-container', [], images), 'type=image,"name=ghcr.io/acme/app,docker.io/acme/app",push-by-digest=true,name-canonical=true,push=true,oci-mediatypes=true,rewrite-timestamp=true');
  });
  it('no push on a container driver keeps the result in the cache only', () => assert.equal(outputArg('none', 'docker-container', ['a/b:1'], images), 'type=cacheonly'));
});

describe('buildxArgs', () => {
  it('passes secrets by environment variable name, never by value', () => {
    const args = buildxArgs({ context: '.', file: 'Dockerfile', target: '', platforms: ['linux/amd64'], labels: { a: 'b' }, buildArgs: ['X=1'], secretIds: ['npm_token'], cache: [], output: 'type=cacheonly', provenance: 'false', sbom: false, metadataFile: 'm.json' });
    assert.ok(args.includes('id=npm_token,env=BUILD_SECRET_NPM_TOKEN'));
    assert.deepEqual(args.slice(0, 2), ['--platform', 'linux/amd64']);
    assert.deepEqual(args.slice(args.indexOf('--provenance'), args.indexOf('--provenance') + 4), ['--provenance', 'false', '--sbom', 'false']);
  });
});

describe('registry error classification', () => {
  const transient = [
    'failed to push: unexpected status from PUT request to http://r/v2/a/manifests/v1: 503 Service Unavailable',
    'Error response from daemon: Get "https://ghcr.io/v2/": net/http: TLS handshake timeout',
    'read tcp 10.0.0.1:443: read: connection reset by peer',
    'dial tcp: i/o timeout',
    'received unexpected HTTP status: 502 Bad Gateway',
    'toomanyrequests: rate limit exceeded',
    // Captured: the daemon push of the branch run while the tag run of the same commit pushed shared blobs.
    'push 127.0.0.1:5000/it/race10-0693db29:main: failed commit on ref "manifest-sha256:cd41803304f86a624e6863cfdd06277b0da88314315b541a4e1390d71af9e185": unexpected status from PUT request to http://127.0.0.1:5000/v2/it/race10-0693db29/manifests/main: 400 Bad Request',
  ];
  const permanent = [
    'Error response from daemon: login attempt to http://127.0.0.1:5001/v2/ failed with status: 401 Unauthorized',
    'denied: permission_denied: write_package',
    'unexpected status: 403 Forbidden',
    'failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory',
    'unauthorized: authentication required (after a 503 earlier)',
    'unexpected status from PUT request to http://r/v2/a/manifests/v1: 400 Bad Request',
    'failed commit on ref "manifest-sha256:cd41803304f86a624e6863cfdd06277b0da88314315b541a4e1390d71af9e185": unexpected status from PUT request to http://r/v2/a/manifests/v1: 400 Bad Request (denied: requested access to the resource is denied)',
  ];
  for (const m of transient) it(`retries: ${m.slice(0, 60)}`, () => assert.equal(isTransientRegistryError(m), true));
  for (const m of permanent) it(`fails fast: ${m.slice(0, 60)}`, () => assert.equal(isTransientRegistryError(m), false));
});

describe('immutable tag guard', () => {
  const D = 'sha256:' + 'a'.repeat(64);
  const E = 'sha256:' + 'b'.repeat(64);
  it('allows absent tags and the same digest (a re-run)', () => {
    assert.deepEqual(immutableConflicts([{ ref: 'x:sha-1', digest: undefined }, { ref: 'x:v1.0.0', digest: D }], D), []);
  });
  it('refuses a tag that points at another digest and says which', () => {
    const conflicts = immutableConflicts([{ ref: 'x:sha-1', digest: E }], D);
    assert.equal(conflicts.length, 1);
    assert.match(conflictMessage(conflicts, D), /x:sha-1 → sha256:b{64}/);
    assert.match(conflictMessage(conflicts, D), /allow-overwrite/);
  });
});
