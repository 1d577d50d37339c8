// The example config layouts (examples/gitops/<layout>) render with the test stack's real `kubectl kustomize` and
// `helm template`, as kustomize-deploy and Argo CD render them, images by the digests the callers promote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { parseImages, wrapperKustomization } from '../../actions/kustomize-deploy/images.js';
import { JQ_YQ_MISSING, KARDON, LAYOUT, plannedServices, prerequisites } from '../support/gitops-examples.js';
import { loadStack, stackSkip } from '../support/stack.js';

const stack = loadStack();
const stackOnly = prerequisites(stackSkip(stack));
const stackAndJq = prerequisites(stackSkip(stack), JQ_YQ_MISSING);

// --- Kardon: build-services → kustomize-cd with overlays/<env> ------------------------------------------

test('kardon: both overlays render with the real kubectl kustomize: 8 Deployments, the migrator Job, one namespace', { skip: stackOnly.skip }, () => {
  stackOnly.check();
  for (const env of ['dev', 'prod']) {
    const out = execFileSync(stack!.kubectl, ['kustomize', path.join(LAYOUT('kardon'), `deployment/k8s/overlays/${env}`)], { encoding: 'utf8' });
    const docs = YAML.parseAllDocuments(out).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string }; spec?: { template?: { spec?: { containers?: { image: string }[] } } } });
    const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`);
    assert.equal(docs.filter((d) => d.kind === 'Deployment').length, 8, kinds.join(' '));
    assert.ok(kinds.includes('Job/migrator'), kinds.join(' '));
    assert.ok(kinds.includes(`Namespace/kardon-${env}`));
    for (const d of docs.filter((x) => x.kind !== 'Namespace')) assert.equal(d.metadata.namespace, `kardon-${env}`, `${d.kind}/${d.metadata.name}`);
    const images = docs.flatMap((d) => d.spec?.template?.spec?.containers?.map((c) => c.image) ?? []);
    assert.equal(images.length, 9);
    for (const image of images) assert.match(image, new RegExp(`^ghcr\\.io/acme/kardon/[a-z-]+:${env === 'dev' ? 'dev' : 'latest'}$`));
  }
});

test('kardon: the image map of the build, handed to kustomize-deploy\'s wrapper, puts all nine digests into the rendered overlay (real kubectl kustomize)', { skip: stackAndJq.skip }, () => {
  stackAndJq.check();
  const built = plannedServices(KARDON, 'build', 'acme/kardon');
  const map = Object.fromEntries(built.map((s, i) => [s.name, `${s.images}@sha256:${String(i).repeat(64)}`]));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kardon-wrapper-'));
  const overlay = path.join(LAYOUT('kardon'), 'deployment/k8s/overlays/dev');
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), wrapperKustomization(path.relative(dir, overlay), parseImages(JSON.stringify(map))));
  const out = execFileSync(stack!.kubectl, ['kustomize', dir], { encoding: 'utf8' });
  const images = YAML.parseAllDocuments(out).flatMap((d) => (d.toJS() as { spec?: { template?: { spec?: { containers?: { image: string }[] } } } }).spec?.template?.spec?.containers?.map((c) => c.image) ?? []);
  assert.deepEqual(images.sort(), Object.values(map).sort());
});

// --- Argo CD, k3d + one Helm chart per app: applications/<app>/values-<env>.yaml in the app repository ----

test('argocd-helm-per-app: every chart renders each environment by digest with the real helm', { skip: stackOnly.skip }, () => {
  stackOnly.check();
  for (const app of ['api', 'frontend']) {
    for (const env of ['dev', 'staging', 'production']) {
      const dir = path.join(LAYOUT('helm-per-app'), 'applications', app);
      const out = execFileSync(stack!.helm4, ['template', app, dir, '-f', path.join(dir, `values-${env}.yaml`)], { encoding: 'utf8' });
      assert.match(out, new RegExp(`image: "ghcr\\.io/acme/k3d-platform/${app}@sha256:[0-9a-f]{64}"`), `${app} ${env}`);
    }
  }
});

// --- Argo CD app-of-apps: environments/<env>/values.yaml in a config repository ---------------------------

test('argocd-app-of-apps: the root chart renders one Application <app>-<env> per service, image by digest', { skip: stackOnly.skip }, () => {
  stackOnly.check();
  for (const env of ['dev', 'staging', 'production']) {
    const out = execFileSync(stack!.helm4, ['template', 'root', path.join(LAYOUT('app-of-apps'), 'root'), '-f', path.join(LAYOUT('app-of-apps'), `environments/${env}/values.yaml`)], { encoding: 'utf8' });
    const apps = YAML.parseAllDocuments(out)
      .map((d) => d.toJS() as { kind?: string; metadata?: { name: string }; spec?: { source: { helm: { valuesObject: { image: { digest: string } } } } } } | null)
      .filter((d) => d?.kind === 'Application');
    assert.deepEqual(apps.map((a) => a?.metadata?.name).sort(), [`backstage-${env}`, `event-router-${env}`]);
    for (const a of apps) assert.match(a?.spec?.source.helm.valuesObject.image.digest ?? '', /^sha256:[0-9a-f]{64}$/);
  }
});
