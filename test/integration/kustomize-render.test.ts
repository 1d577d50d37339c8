// The real `kubectl kustomize` (kubectl 1.33 and 1.31 from the test stack) renders the Kardon-shaped overlays
// through kustomize-deploy's wrapper kustomization: unchanged without images (byte for byte what was captured
// against the real cluster), with the given references otherwise, and the overlay itself never edited.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { kustomize } from '../../actions/kustomize-deploy/cluster.js';
import type { ImageOverride } from '../../actions/kustomize-deploy/images.js';
import { renderErrorText } from '../../actions/kustomize-deploy/apply-output.js';
import { parseImages, wrapperKustomization } from '../../actions/kustomize-deploy/images.js';
import { checkSet, imagesOf, parseObjects } from '../../actions/kustomize-deploy/objects.js';
import { Kubectl } from '../../actions/toolkit/index.js';
import { ROOT } from '../support/run-action.js';
import { loadStack, stackSkip } from '../support/stack.js';

const stack = loadStack();
const TREE = path.join(ROOT, 'test', 'fixtures', 'kustomize', 'tree');
const CAPTURED = path.join(ROOT, 'test', 'fixtures', 'kustomize', 'captured');
const DIGEST = `sha256:${'c3'.repeat(32)}`;
const versions = stack ? [{ label: 'kubectl 1.33', bin: stack.kubectl, captured: CAPTURED }, { label: 'kubectl 1.31', bin: path.join(path.dirname(stack.helm3), 'kubectl'), captured: path.join(CAPTURED, 'v31') }] : [];

/** Renders `overlay` through a wrapper in a fresh temp directory, as the action does. */
async function render(bin: string, overlay: string, images: ImageOverride[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const wrapper = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-wrapper-'));
  fs.writeFileSync(path.join(wrapper, 'kustomization.yaml'), wrapperKustomization(path.relative(wrapper, overlay), images));
  return kustomize(new Kubectl({ bin }), wrapper);
}

describe('kustomize-deploy renders with the real kubectl kustomize', { concurrency: true, skip: stackSkip(stack) }, () => {
  for (const v of versions) {
    for (const env of ['dev', 'prod']) {
      it(`${v.label}: without images, ${env} renders exactly what kubectl kustomize overlays/${env} gave`, async () => {
        const r = await render(v.bin, path.join(TREE, 'overlays', env), []);
        assert.equal(r.exitCode, 0, r.stderr);
        assert.equal(r.stdout, fs.readFileSync(path.join(v.captured, `01-kustomize-${env}.stdout`), 'utf8'));
      });
    }

    it(`${v.label}: sets the given references by digest and renames, leaving the other images and the overlay as they are`, async () => {
      const overlayFile = path.join(TREE, 'overlays', 'dev', 'kustomization.yaml');
      const before = fs.readFileSync(overlayFile, 'utf8');
      const renamed = parseImages(`ghcr.io/example-org/kardon/web@${DIGEST}\nghcr.io/example-org/kardon/migrator=127.0.0.1:5000/kardon/migrator:sha-b71d0aa@${DIGEST}`);
      const r = await render(v.bin, path.dirname(overlayFile), renamed);
      assert.equal(r.exitCode, 0, r.stderr);
      const { objects, problems } = parseObjects(r.stdout);
      assert.deepEqual(problems, []);
      const byObject = Object.fromEntries(imagesOf(objects).map((i) => [i.object, i.image]));
      assert.deepEqual(byObject, {
        'Deployment/api': 'ghcr.io/example-org/kardon/api:sha-3f9c2e1',
        'Deployment/live': 'ghcr.io/example-org/kardon/live:sha-3f9c2e1',
        'Deployment/web': `ghcr.io/example-org/kardon/web@${DIGEST}`,
        'Deployment/worker': 'ghcr.io/example-org/kardon/worker:sha-3f9c2e1',
        'Job/migrator': `127.0.0.1:5000/kardon/migrator:sha-b71d0aa@${DIGEST}`,
      });
      assert.deepEqual(checkSet(objects, '', renamed), { namespace: 'kardon-dev', problems: [], unusedImages: [] });
      assert.equal(fs.readFileSync(overlayFile, 'utf8'), before);
    });

    it(`${v.label}: the staging overlay renders three services and the migrator into kardon-staging`, async () => {
      const r = await render(v.bin, path.join(TREE, 'overlays', 'staging'), parseImages(`ghcr.io/example-org/kardon/api:v1.9.0@${DIGEST}`));
      assert.equal(r.exitCode, 0, r.stderr);
      const { objects } = parseObjects(r.stdout);
      assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`).filter((n) => !n.startsWith('ConfigMap/')), ['Namespace/kardon-staging', 'Service/api', 'Service/web', 'Deployment/api', 'Deployment/web', 'Deployment/worker', 'Job/migrator', 'Ingress/kardon']);
      assert.equal(checkSet(objects, 'kardon-staging', []).problems.length, 0);
      assert.ok(imagesOf(objects).some((i) => i.image === `ghcr.io/example-org/kardon/api:v1.9.0@${DIGEST}`));
    });

    it(`${v.label}: an overlay listing a missing file fails to render with kubectl's own error`, async () => {
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kardon-tree-'));
      fs.cpSync(TREE, copy, { recursive: true });
      const dev = path.join(copy, 'overlays', 'dev', 'kustomization.yaml');
      fs.writeFileSync(dev, fs.readFileSync(dev, 'utf8').replace('  - ../../services/migrator\n', '  - ../../services/migrator\n  - hpa-web.yaml\n'));
      const r = await render(v.bin, path.dirname(dev), []);
      assert.equal(r.exitCode, 1);
      // Through the wrapper, kubectl nests the overlay's own error (captured from `kubectl kustomize overlays/dev`).
      const captured = fs.readFileSync(path.join(CAPTURED, '04-kustomize-missing-file.stderr'), 'utf8').trim().replace(/^error: /, '');
      const expected = captured.split('/home/runner/work/kardon/kardon/deployment/k8s').join(fs.realpathSync(copy));
      assert.ok(r.stderr.includes(`recursed accumulation of path '${fs.realpathSync(path.dirname(dev))}': ${expected}`), r.stderr);
      assert.equal(renderErrorText(r.stderr), `error: ${expected}`);
    });
  }
});
