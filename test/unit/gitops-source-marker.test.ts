// The source-commit marker gitops-promote keeps next to each promoted value (newest wins reads it back from the
// one blob it fetches), the tag@digest key part, and the `images` input: tables of cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImage, parseImages, parseKeys } from '../../actions/gitops-promote/inputs.js';
import { applyPlan, liveCommitOf, planPromotion, recordSourceCommit } from '../../actions/gitops-promote/targets.js';
import type { Target } from '../../actions/gitops-promote/targets.js';
import { parseDocument, readSourceMarker, writeSourceMarker } from '../../actions/gitops-promote/yaml-edit.js';

const S1 = '1'.repeat(40);
const S2 = '2'.repeat(40);
const D = `sha256:${'d'.repeat(64)}`;

describe('source-commit marker', () => {
  const cases: Array<[string, string, string | undefined, string]> = [
    ['appended after a plain value', 'image:\n  digest: x\n', S1, `image:\n  digest: x  # source-commit: ${S1}\n`],
    ['replaced, spacing kept', `image:\n  digest: x   # source-commit: ${S2}\n`, S1, `image:\n  digest: x   # source-commit: ${S1}\n`],
    ['after another comment, which is kept', 'image:\n  digest: "x"  # set by CI\n', S1, `image:\n  digest: "x"  # set by CI # source-commit: ${S1}\n`],
    ['removed, the other comment kept', `image:\n  digest: x  # set by CI # source-commit: ${S2}\n`, undefined, 'image:\n  digest: x  # set by CI\n'],
    ['inside a flow map, at the end of its line', 'image: {repository: r, digest: x}\n', S1, `image: {repository: r, digest: x}  # source-commit: ${S1}\n`],
    ['no newline at the end of the file', 'digest: x', S1, `digest: x  # source-commit: ${S1}`],
  ];
  for (const [name, source, sha, expected] of cases) {
    it(`writes and reads it back: ${name}`, () => {
      const path = source.startsWith('digest') ? ['digest'] : ['image', 'digest'];
      const out = writeSourceMarker(source, 'values.yaml', path, sha);
      assert.equal(out, expected);
      assert.equal(readSourceMarker(out, parseDocument(out, 'values.yaml'), path), sha);
      assert.deepEqual(parseDocument(out, 'values.yaml').toJS(), parseDocument(source, 'values.yaml').toJS(), 'the data is unchanged');
    });
  }

  it('leaves a block scalar alone (nothing recorded, nothing read)', () => {
    const source = 'digest: |\n  x\n';
    assert.equal(writeSourceMarker(source, 'v.yaml', ['digest'], S1), source);
  });

  it('goes next to the key that pins the digest: image.tag for tag@digest, the images entry digest for a kustomization', () => {
    const image = parseImage(`ghcr.io/o/api:1.2.0@${D}`);
    const helm: Target = { kind: 'helm-values', keys: parseKeys(['image.repository', 'image.tag@digest'], image) };
    const values = 'image:\n  repository: r\n  tag: ""\n';
    const plan = planPromotion(values, 'v.yaml', helm, image, false);
    const text = applyPlan(values, 'v.yaml', plan, false, { target: helm, sourceCommit: S1 }).text;
    assert.equal(text, `image:\n  repository: ghcr.io/o/api\n  tag: "1.2.0@${D}"  # source-commit: ${S1}\n`);
    assert.equal(liveCommitOf(text, 'v.yaml', helm), S1);
    assert.equal(planPromotion(text, 'v.yaml', helm, image, false).previousImage, `ghcr.io/o/api:1.2.0@${D}`);
    const kust: Target = { kind: 'kustomization', name: 'api' };
    const k = `images:\n  - name: api\n    newTag: v1\n`;
    const kplan = planPromotion(k, 'kustomization.yaml', kust, image, false);
    const ktext = applyPlan(k, 'kustomization.yaml', kplan, false, { target: kust, sourceCommit: S2 }).text;
    assert.match(ktext, new RegExp(`    digest: ${D}  # source-commit: ${S2}\\n`));
    assert.equal(liveCommitOf(ktext, 'kustomization.yaml', kust), S2);
    assert.equal(recordSourceCommit(ktext, 'kustomization.yaml', kust, undefined).includes('source-commit'), false);
  });
});

describe('tag@digest key part and the images input', () => {
  it('refuses tag@digest for an image without a tag, naming keys and asking for <image>:<tag>@sha256:…', () => {
    const image = parseImage(`ghcr.io/o/api@${D}`);
    assert.throws(() => parseKeys(['image.tag@digest'], image), /^InputError: Input 'keys': 'image\.tag@digest' writes <tag>@sha256:… into one field, but image 'ghcr\.io\/o\/api@sha256:d{64}' has no tag: pass <image>:<tag>@sha256:…$/);
    assert.throws(() => parseKeys(['image.tag=tag@digest'], image, "images (service 'api')"), /but images \(service 'api'\) 'ghcr\.io/);
  });

  const bad: Array<[string, RegExp]> = [
    ['not json', /Input 'images': is not JSON/],
    ['["a"]', /Input 'images': must be a JSON object service → image reference/],
    ['{}', /Input 'images': has no services/],
    [`{"a b":"ghcr.io/o/a@${D}"}`, /Input 'images': service name 'a b' must be/],
    ['{"api":1}', /Input 'images': the image of 'api' must be a string/],
    ['{"api":"ghcr.io/o/api:1.0"}', /Input 'images \(service 'api'\)': 'ghcr\.io\/o\/api:1\.0' has no digest/],
  ];
  for (const [raw, error] of bad) {
    it(`refuses images ${raw}`, () => assert.throws(() => parseImages(raw), error));
  }

  it('reads images in the order given', () => {
    const got = parseImages(JSON.stringify({ worker: `ghcr.io/o/worker:1.0@${D}`, api: `ghcr.io/o/api@${D}` }));
    assert.deepEqual(got.map((s) => [s.name, s.image.repository, s.image.tag ?? '']), [['worker', 'ghcr.io/o/worker', '1.0'], ['api', 'ghcr.io/o/api', '']]);
  });
});
