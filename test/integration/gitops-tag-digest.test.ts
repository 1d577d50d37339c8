// The `tag@digest` key part on a real public chart: `helm create`'s values.yaml reads only image.repository
// and image.tag. gitops-promote writes `<tag>@sha256:…` into image.tag (comments and everything else kept,
// golden file), and the real `helm template` (Helm 3 and Helm 4) renders `image: repo:tag@sha256:…`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import YAML from 'yaml';
import { parseImage, parseKeys } from '../../actions/gitops-promote/inputs.js';
import { applyPlan, planPromotion } from '../../actions/gitops-promote/targets.js';
import type { Target } from '../../actions/gitops-promote/targets.js';
import { ROOT } from '../support/run-action.js';
import { loadStack, stackSkip } from '../support/stack.js';

const CHART = path.join(ROOT, 'test', 'fixtures', 'gitops', 'helm-create', 'october');
const GOLDEN = path.join(ROOT, 'test', 'fixtures', 'gitops', 'golden', 'helm-create-tag-at-digest.yaml');
const DIGEST = `sha256:${'4e'.repeat(32)}`;
const SOURCE = '4f1b2c3d4e5f60718293a4b5c6d7e8f901234567';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-tagdigest-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));

function promoted(keys: string[]): string {
  const image = parseImage(`ghcr.io/october/api:1.4.0@${DIGEST}`);
  const target: Target = { kind: 'helm-values', keys: parseKeys(keys, image) };
  const source = fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8');
  const plan = planPromotion(source, 'values.yaml', target, image, false);
  return applyPlan(source, 'values.yaml', plan, false, { target, sourceCommit: SOURCE }).text;
}

describe('gitops-promote tag@digest on helm create’s chart', () => {
  it('writes <tag>@sha256:… into image.tag and changes nothing else (golden file, comments kept)', () => {
    const text = promoted(['image.repository', 'image.tag@digest']);
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, text);
    assert.equal(text, fs.readFileSync(GOLDEN, 'utf8'));
    const source = fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8').split('\n');
    const changed = text.split('\n').filter((l, i) => l !== source[i]);
    assert.deepEqual(changed, ['  repository: ghcr.io/october/api', `  tag: "1.4.0@${DIGEST}"  # source-commit: ${SOURCE}`]);
    assert.equal(promoted(['image.repository', 'image.tag=tag@digest']), text, 'the long form writes the same');
  });

  const stack = loadStack();
  for (const helm of ['helm3', 'helm4'] as const) {
    it(`the real ${helm} template renders image: ghcr.io/october/api:1.4.0@sha256:…`, { skip: stackSkip(stack) }, () => {
      const values = path.join(work, `${helm}-values.yaml`);
      fs.writeFileSync(values, fs.readFileSync(GOLDEN, 'utf8'));
      const out = execFileSync(stack![helm], ['template', 'october', CHART, '--values', values], { encoding: 'utf8' });
      const deployment = YAML.parseAllDocuments(out).map((d) => d.toJS() as { kind?: string; spec?: { template?: { spec?: { containers?: Array<{ image?: string }> } } } }).find((d) => d?.kind === 'Deployment');
      assert.equal(deployment?.spec?.template?.spec?.containers?.[0]?.image, `ghcr.io/october/api:1.4.0@${DIGEST}`);
      assert.match(out, new RegExp(`image: "ghcr.io/october/api:1.4.0@${DIGEST}"`));
    });
  }
});
