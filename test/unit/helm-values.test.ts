import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../actions/toolkit/index.js';
import { resolveChart, validateRelease } from '../../actions/helm-deploy/inputs.js';
import { resolveInsideWorkspace, validateNamespace } from '../../actions/toolkit/index.js';
import { buildValues, checkImageFitsKeys, parseImageKeys, parseImageRef, parseImagesInput, parseImageValues, parseKeySpec, parseScalar } from '../../actions/helm-deploy/values.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const KEYS = parseImageKeys([]);

describe('parseImageRef', () => {
  const table: [string, object][] = [
    [`ghcr.io/acme/app:1.2.3@${DIGEST}`, { repository: 'ghcr.io/acme/app', tag: '1.2.3', digest: DIGEST }],
    ['127.0.0.1:5000/app:v1', { repository: '127.0.0.1:5000/app', tag: 'v1' }],
    [`localhost:5000/team/app@${DIGEST}`, { repository: 'localhost:5000/team/app', digest: DIGEST }],
    ['nginx', { repository: 'nginx' }],
  ];
  for (const [ref, expected] of table) it(`parses ${ref.slice(0, 40)}`, () => assert.deepEqual(parseImageRef(ref), expected));
  for (const bad of ['app@sha256:short', 'UPPER/app:1', 'app:bad tag', '']) {
    it(`rejects '${bad}' naming the image input`, () => assert.throws(() => parseImageRef(bad), (e: unknown) => e instanceof InputError && e.input === 'image'));
  }
});

describe('buildValues', () => {
  it('maps the image onto the default keys', () => {
    assert.deepEqual(buildValues([], parseImageRef(`ghcr.io/acme/app:1.2.3@${DIGEST}`), KEYS), { image: { repository: 'ghcr.io/acme/app', tag: '1.2.3', digest: DIGEST } });
  });
  it('maps the image onto custom keys and skips a "-" key', () => {
    assert.deepEqual(buildValues([], parseImageRef('r/app:1'), parseImageKeys(['app.img.repo', 'app.img.version', '-'])), { app: { img: { repo: 'r/app', version: '1' } } });
  });
  it('types set values like YAML but keeps numbers that would lose digits as strings', () => {
    assert.deepEqual(buildValues(['a.b=true', 'a.n=3', 'v=1.10', 'zip=007', 's=hello, world', 'esc\\.key=x', 'list=[1, 2]'], undefined, KEYS), {
      a: { b: true, n: 3 },
      v: '1.10',
      zip: '007',
      s: 'hello, world',
      'esc.key': 'x',
      list: [1, 2],
    });
  });
  it('lets set override the image', () => assert.deepEqual(buildValues(['image.tag=pinned'], parseImageRef('r/app:1'), KEYS), { image: { repository: 'r/app', tag: 'pinned' } }));
  it('rejects a line without = and never echoes its value', () => {
    assert.throws(() => buildValues(['password'], undefined, KEYS), (e: unknown) => e instanceof InputError && e.input === 'set');
  });
  it('rejects an empty key segment', () => assert.throws(() => buildValues(['a..b=1'], undefined, KEYS), /Input 'set'/));
  it('parses scalars', () => assert.deepEqual(['null', '"5"', 'x: y'].map(parseScalar), [null, '5', { x: 'y' }]));
});

describe('input validation', () => {
  const releases: [string, boolean][] = [['web', true], ['my-app.v2', true], ['a'.repeat(53), true], ['a'.repeat(54), false], ['Web', false], ['-web', false], ['web_1', false]];
  for (const [name, ok] of releases) {
    it(`release '${name.slice(0, 20)}' is ${ok ? 'valid' : 'rejected'}`, () => (ok ? assert.equal(validateRelease(name), name) : assert.throws(() => validateRelease(name), /Input 'release'/)));
  }
  const namespaces: [string, boolean][] = [['team-a', true], ['default', true], ['team.a', false], ['Team', false], ['a'.repeat(64), false]];
  for (const [name, ok] of namespaces) {
    it(`namespace '${name.slice(0, 20)}' is ${ok ? 'valid' : 'rejected'}`, () => (ok ? assert.equal(validateNamespace(name), name) : assert.throws(() => validateNamespace(name), /Input 'namespace'/)));
  }
  it('accepts a values file inside the workspace and rejects one outside', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'out-'));
    fs.writeFileSync(path.join(ws, 'v.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(outside, 'v.yaml'), 'a: 1\n');
    fs.symlinkSync(path.join(outside, 'v.yaml'), path.join(ws, 'link.yaml'));
    assert.equal(resolveInsideWorkspace('values-files', ws, 'v.yaml'), fs.realpathSync(path.join(ws, 'v.yaml')));
    assert.throws(() => resolveInsideWorkspace('values-files', ws, path.join(outside, 'v.yaml')), /outside the workspace/);
    assert.throws(() => resolveInsideWorkspace('values-files', ws, '../' + path.basename(outside) + '/v.yaml'), /outside the workspace/);
    assert.throws(() => resolveInsideWorkspace('values-files', ws, 'link.yaml'), /outside the workspace/);
    assert.throws(() => resolveInsideWorkspace('values-files', ws, 'missing.yaml'), /does not exist/);
  });
  it('resolves chart sources', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-'));
    fs.mkdirSync(path.join(ws, 'chart'));
    fs.writeFileSync(path.join(ws, 'chart', 'Chart.yaml'), 'name: c\n');
    assert.equal(resolveChart('chart', '', ws).kind, 'local');
    assert.deepEqual(resolveChart('oci://127.0.0.1:5000/charts/app', '', ws), { kind: 'oci', ref: 'oci://127.0.0.1:5000/charts/app' });
    assert.deepEqual(resolveChart('nginx', 'https://charts.example.com', ws), { kind: 'repo', ref: 'nginx', repo: 'https://charts.example.com' });
    assert.throws(() => resolveChart('missing', '', ws), /Input 'chart'.*does not exist/);
    assert.throws(() => resolveChart('', '', ws), /Input 'chart'/);
    assert.throws(() => resolveChart('oci://x', '', ws), /Input 'chart'/);
  });
});

describe('image keys: prefix, triple and the <key>@digest tag part', () => {
  const ref = parseImageRef(`ghcr.io/acme/api:1.4.0@${DIGEST}`);
  it('a prefix maps onto prefix.repository/tag/digest', () => {
    assert.deepEqual(buildValues([], ref, parseKeySpec('image-values', 'worker.image')), { worker: { image: { repository: 'ghcr.io/acme/api', tag: '1.4.0', digest: DIGEST } } });
  });
  it('a tag key written <key>@digest gets <tag>@sha256:… and an empty digest part is skipped', () => {
    assert.deepEqual(buildValues([], ref, parseImageKeys('image.repository,image.tag@digest,')), { image: { repository: 'ghcr.io/acme/api', tag: `1.4.0@${DIGEST}` } });
  });
  it('image-keys keeps an empty middle part (skipped) instead of dropping it', () => {
    assert.deepEqual(parseImageKeys('image.repository,,image.digest'), { repository: 'image.repository', tag: '', digest: 'image.digest' });
  });
  const bad: [string, RegExp][] = [
    ['a,b', /expected three keys/],
    ['image.repository@digest,image.tag,', /only the tag key may be written <key>@digest/],
    ['image@digest', /'@digest' belongs on the tag key/],
    ['a,@digest,c', /names no tag key before '@digest'/],
  ];
  for (const [spec, text] of bad) it(`rejects '${spec}' naming image-keys`, () => assert.throws(() => parseImageKeys(spec), (e: unknown) => e instanceof InputError && e.input === 'image-keys' && text.test(e.message)));
  for (const [reference, missing] of [[`ghcr.io/acme/api@${DIGEST}`, 'tag'], ['ghcr.io/acme/api:1.4.0', 'digest']] as const) {
    it(`refuses ${missing === 'tag' ? 'a reference without a tag' : 'a reference without a digest'} for a <key>@digest tag key, naming the input`, () => {
      assert.throws(
        () => checkImageFitsKeys('images', "service 'api': ", reference, parseImageRef(reference), parseImageKeys('image.repository,image.tag@digest,'), 'image-values'),
        (e: unknown) => e instanceof InputError && e.input === 'images' && new RegExp(`has no ${missing}.*give <image>:<tag>@sha256:…`).test(e.message),
      );
    });
  }
});

describe('images and image-values', () => {
  const images = parseImagesInput(JSON.stringify({ api: `ghcr.io/o/api:1.0@${DIGEST}`, worker: `ghcr.io/o/worker:1.0@${DIGEST}` }));
  it('maps every service onto its own keys in one values object', () => {
    const keys = parseImageValues(['api: image', 'worker: worker.image.repository,worker.image.tag@digest,'], Object.keys(images));
    const list = Object.entries(images).map(([service, reference]) => ({ service, reference, image: parseImageRef(reference), keys: keys.get(service)! }));
    assert.deepEqual(buildValues(['worker.replicas=2'], undefined, KEYS, [], list), {
      image: { repository: 'ghcr.io/o/api', tag: '1.0', digest: DIGEST },
      worker: { image: { repository: 'ghcr.io/o/worker', tag: `1.0@${DIGEST}` }, replicas: 2 },
    });
  });
  const bad: [string, () => unknown, string, RegExp][] = [
    ['images that are not JSON', () => parseImagesInput('{api: x}'), 'images', /is not JSON/],
    ['images that are a list', () => parseImagesInput('["a"]'), 'images', /expected a JSON object/],
    ['an image that is not a string', () => parseImagesInput('{"api": 1}'), 'images', /must be a string/],
    ['a service with no keys', () => parseImageValues(['api: image'], ['api', 'worker']), 'image-values', /no values keys for 'worker'/],
    ['keys for an unknown service', () => parseImageValues(['api: image', 'wrker: worker.image', 'worker: w'], ['api', 'worker']), 'image-values', /'wrker' is not a service of the images input/],
    ['a line that is not service: spec', () => parseImageValues(['api image'], ['api']), 'image-values', /is not 'service: key-spec'/],
    ['a service listed twice', () => parseImageValues(['api: image', 'api: other'], ['api']), 'image-values', /listed twice/],
  ];
  for (const [what, fn, inputName, text] of bad) it(`rejects ${what}, naming ${inputName}`, () => assert.throws(fn, (e: unknown) => e instanceof InputError && e.input === inputName && text.test(e.message)));
});
