import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../actions/toolkit/index.js';
import { resolveChart, validateRelease } from '../../actions/helm-deploy/inputs.js';
import { resolveInsideWorkspace, validateNamespace } from '../../actions/toolkit/index.js';
import { buildValues, parseImageKeys, parseImageRef, parseScalar } from '../../actions/helm-deploy/values.js';

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
