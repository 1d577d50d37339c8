// The config-file edit of gitops-promote: golden files over the app teams' layouts prove only the promoted
// bytes change (comments, order, quoting, flow style, blank lines kept); tables cover missing paths,
// idempotency, revert and key/part parsing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isKustomizationFile, parseImage, parseKeys, parseRepository, resolveFile } from '../../actions/gitops-promote/inputs.js';
import type { Target } from '../../actions/gitops-promote/targets.js';
import { applyPlan, applyRevert, planPromotion, planRevert } from '../../actions/gitops-promote/targets.js';
import { editYaml, parseKeyPath, renderScalar } from '../../actions/gitops-promote/yaml-edit.js';
import { ROOT } from '../support/run-action.js';

const FIX = path.join(ROOT, 'test', 'fixtures', 'gitops');
const read = (rel: string): string => fs.readFileSync(path.join(FIX, rel), 'utf8');
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

function helm(image: string, keys: string[]): { target: Target; image: ReturnType<typeof parseImage> } {
  const img = parseImage(image);
  return { target: { kind: 'helm-values', keys: parseKeys(keys, img) }, image: img };
}
function kust(image: string, name: string): { target: Target; image: ReturnType<typeof parseImage> } {
  return { target: { kind: 'kustomization', name }, image: parseImage(image) };
}

interface GoldenCase {
  name: string;
  file: string;
  spec: { target: Target; image: ReturnType<typeof parseImage> };
  create?: boolean;
  /** Exactly these 1-based lines of the input change or are added (a diff by line). */
  changedLines: number;
  previousImage: string;
}

const cases: GoldenCase[] = [
  {
    name: 'helm-dev-digest-and-worker-tag',
    file: 'helm-per-app/applications/my-app/values-dev.yaml',
    spec: helm(`ghcr.io/acme/my-app@${A}`, ['image.repository', 'image.digest', 'worker.image.tag=digest']),
    changedLines: 2,
    previousImage: '',
  },
  {
    name: 'helm-production-digest-trailing-comment',
    file: 'helm-per-app/applications/my-app/values-production.yaml',
    spec: helm(`ghcr.io/acme/my-app@${A}`, ['image.repository', 'image.digest']),
    changedLines: 1,
    previousImage: `ghcr.io/acme/my-app@sha256:${'1'.repeat(64)}`,
  },
  {
    name: 'helm-staging-created',
    file: 'helm-per-app/applications/my-app/values-staging.yaml',
    spec: helm(`ghcr.io/acme/my-app:1.9.0@${A}`, ['image.repository', 'image.tag', 'image.digest']),
    create: true,
    changedLines: 4,
    previousImage: '',
  },
  {
    name: 'kardon-dev-api-digest',
    file: 'kardon/overlays/dev/kustomization.yaml',
    spec: kust(`ghcr.io/example-org/kardon/api@${A}`, 'ghcr.io/example-org/kardon/api'),
    changedLines: 1,
    previousImage: 'ghcr.io/example-org/kardon/api:sha-3f9c2e1',
  },
  {
    name: 'kardon-prod-web-newname-tag-digest',
    file: 'kardon/overlays/prod/kustomization.yaml',
    spec: kust(`ghcr.io/acme/kardon-web:v1.9.0@${B}`, 'ghcr.io/example-org/kardon/web'),
    changedLines: 3,
    previousImage: 'ghcr.io/example-org/kardon/web:v1.8.2@sha256:4b1c7e9d2a0f3e6c8b5d7a9f1e3c5b7d9f0a2c4e6b8d0f1a3c5e7b9d1f3a5c7e',
  },
  {
    name: 'kardon-prod-new-entry',
    file: 'kardon/overlays/prod/kustomization.yaml',
    spec: kust(`ghcr.io/example-org/kardon/proxy@${B}`, 'ghcr.io/example-org/kardon/proxy'),
    create: true,
    changedLines: 2,
    previousImage: '',
  },
];

/** Lines of `after` not in `before` at the same place, counted with a plain LCS over lines. */
function changedLineCount(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  const dp: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  return b.length - dp[0][0];
}

describe('gitops-promote edit: golden files over the app teams layouts', () => {
  for (const c of cases) {
    it(`${c.name}: only the promoted lines change, and the result matches the golden file`, () => {
      const source = read(c.file);
      const plan = planPromotion(source, c.file, c.spec.target, c.spec.image, c.create ?? false);
      assert.equal(plan.changed, true);
      assert.equal(plan.previousImage, c.previousImage);
      const { text, inPlace } = applyPlan(source, c.file, plan, c.create ?? false);
      assert.equal(inPlace, true, 'edited in place, never re-serialised');
      const goldenFile = path.join(FIX, 'golden', `${c.name}.yaml`);
      if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(goldenFile, text);
      assert.equal(text, fs.readFileSync(goldenFile, 'utf8'));
      assert.equal(changedLineCount(source, text), c.changedLines);
      // Every comment line of the input is still there, in order.
      const comments = (s: string): string[] => s.split('\n').filter((l) => /#/.test(l) && !l.includes('sha256:')).map((l) => l.slice(l.indexOf('#')));
      assert.deepEqual(comments(text), comments(source));
      // Promoting again is a no-op: already at that digest.
      const again = planPromotion(text, c.file, c.spec.target, c.spec.image, c.create ?? false);
      assert.equal(again.changed, false);
    });
  }

  it('a revert on the promoted text gives back the original bytes (in-place edits both ways)', () => {
    for (const c of cases.filter((x) => !x.create)) {
      const source = read(c.file);
      const plan = planPromotion(source, c.file, c.spec.target, c.spec.image, false);
      const promoted = applyPlan(source, c.file, plan, false).text;
      const revert = planRevert(promoted, c.file, c.spec.target, plan);
      assert.ok(revert.ok, c.name);
      assert.equal(applyRevert(promoted, c.file, revert.edits).text, source, c.name);
    }
  });
});

describe('gitops-promote edit: rules', () => {
  it('refuses a key path that does not exist unless create-missing, naming the path', () => {
    const source = read('helm-per-app/applications/my-app/values-production.yaml');
    const { target, image } = helm(`ghcr.io/acme/my-app@${A}`, ['image.repository', 'image.digest', 'worker.image.digest']);
    assert.throws(() => planPromotion(source, 'values-production.yaml', target, image, false), /worker\.image\.digest does not exist \(set create-missing to add it\)/);
  });

  it('refuses a kustomization without the images entry, listing the entries', () => {
    const source = read('kardon/overlays/dev/kustomization.yaml');
    const { target, image } = kust(`ghcr.io/example-org/kardon/proxy@${A}`, 'ghcr.io/example-org/kardon/proxy');
    assert.throws(() => planPromotion(source, 'kustomization.yaml', target, image, false), /has no images entry named 'ghcr\.io\/example-org\/kardon\/proxy' \(entries: ghcr\.io\/example-org\/kardon\/web, .*migrator; set create-missing/);
  });

  it('refuses a key path that points at a map', () => {
    const source = 'image:\n  repository: x\n';
    const { target, image } = helm(`ghcr.io/acme/my-app@${A}`, ['image=digest']);
    assert.throws(() => planPromotion(source, 'v.yaml', target, image, false), /image is a map, not a single value/);
  });

  it('refuses a file that is not valid YAML, naming it', () => {
    const { target, image } = helm(`ghcr.io/acme/my-app@${A}`, ['image.digest']);
    assert.throws(() => planPromotion('image: [\n', 'values-dev.yaml', target, image, false), /values-dev\.yaml is not valid YAML/);
  });

  it('keeps each quoting style, and quotes a plain value only when plain would change its type', () => {
    const table: Array<[string, Parameters<typeof renderScalar>[1], string]> = [
      ['sha256:abc', 'PLAIN', 'sha256:abc'],
      ['1.20', 'PLAIN', '"1.20"'],
      ['true', 'PLAIN', '"true"'],
      ['v1.2', 'QUOTE_SINGLE', "'v1.2'"],
      ["it's", 'QUOTE_SINGLE', "'it''s'"],
      ['x', 'QUOTE_DOUBLE', '"x"'],
      ['a # b', 'PLAIN', '"a # b"'],
    ];
    for (const [value, type, want] of table) assert.equal(renderScalar(value, type), want, `${value} ${type}`);
  });

  it('fills an empty `key:` in place before its comment, and a list item by index', () => {
    const r = editYaml('a:\n  digest:   # pinned\n  list:\n    - x\n', [{ path: ['a', 'digest'], value: 'sha256:1' }, { path: ['a', 'list', 0], value: 'y' }], [], { create: false, file: 'f.yaml' });
    assert.equal(r.text, 'a:\n  digest:   sha256:1 # pinned\n  list:\n    - y\n');
  });

  it('removes a key line and only that line', () => {
    const r = editYaml('e:\n  name: n\n  newTag: v1 # old\n  digest: d\n', [{ path: ['e', 'newTag'], value: undefined }], [], { create: false, file: 'f.yaml' });
    assert.equal(r.text, 'e:\n  name: n\n  digest: d\n');
  });

  it('parses key paths and image parts, and rejects what cannot be mapped', () => {
    assert.deepEqual(parseKeyPath('containers[0].image'), ['containers', 0, 'image']);
    assert.deepEqual(parseKeyPath('worker.image.tag'), ['worker', 'image', 'tag']);
    assert.match(String(parseKeyPath('a..b')), /malformed/);
    const img = parseImage(`ghcr.io/acme/app@${A}`);
    assert.deepEqual(parseKeys(['image.repository', 'worker.image.tag=digest', 'img=reference'], img).map((k) => k.part), ['repository', 'digest', 'reference']);
    assert.throws(() => parseKeys(['image.tag'], img), /Input 'keys': 'image.tag' takes the image tag, but image .* has none; write 'image.tag=digest'/);
    assert.throws(() => parseKeys(['image.name'], img), /cannot tell which image part/);
    assert.throws(() => parseKeys(['image.digest=sha'], img), /part 'sha' is not one of repository, tag, digest, reference/);
    assert.throws(() => parseKeys(['image.digest', 'image.digest'], img), /given twice/);
  });

  it('requires the image by digest and names the input', () => {
    assert.throws(() => parseImage('ghcr.io/acme/app:1.2.3'), /Input 'image': 'ghcr.io\/acme\/app:1.2.3' has no digest/);
    assert.throws(() => parseImage('ghcr.io/acme/app@sha256:xyz'), /Input 'image': .*malformed digest/);
    assert.deepEqual(parseImage(`ghcr.io/acme/app:1.2@${A}`), { repository: 'ghcr.io/acme/app', tag: '1.2', digest: A, reference: `ghcr.io/acme/app:1.2@${A}` });
  });

  it('resolves the file inside the repository and tells a kustomization by its name', () => {
    assert.equal(resolveFile('apps/{app}/values-{env}.yaml', 'dev', 'api'), 'apps/api/values-dev.yaml');
    assert.throws(() => resolveFile('../x/values.yaml', 'dev', 'api'), /Input 'file': .* points outside the config repository/);
    assert.throws(() => resolveFile('/etc/values.yaml', 'dev', 'api'), /not an absolute path/);
    assert.equal(isKustomizationFile('overlays/dev/kustomization.yaml'), true);
    assert.equal(isKustomizationFile('apps/api/values-dev.yaml'), false);
  });

  it('reads the repository as owner/name on the server or as a URL without credentials', () => {
    assert.deepEqual(parseRepository('acme/config', 'https://github.com'), { url: 'https://github.com/acme/config.git', owner: 'acme', name: 'config', authOrigin: 'https://github.com', display: 'acme/config' });
    assert.equal(parseRepository('file:///tmp/r/acme/config.git', 'https://github.com').authOrigin, undefined);
    assert.throws(() => parseRepository('https://user:pw@example.com/a/b.git', 'https://github.com'), /Input 'repository': must not carry credentials/);
    assert.throws(() => parseRepository('ssh://example.com/a/b.git', 'https://github.com'), /only https:\/\/, http:\/\/ and file:\/\//);
  });

  it('will not revert a field a newer promotion changed since', () => {
    const source = read('kardon/overlays/dev/kustomization.yaml');
    const { target, image } = kust(`ghcr.io/example-org/kardon/api@${A}`, 'ghcr.io/example-org/kardon/api');
    const plan = planPromotion(source, 'k.yaml', target, image, false);
    const promoted = applyPlan(source, 'k.yaml', plan, false).text;
    const newer = promoted.replace(A, B);
    const r = planRevert(newer, 'k.yaml', target, plan);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.reason, /images\[name=ghcr\.io\/example-org\/kardon\/api\]\.digest changed since the promotion/);
  });
});
