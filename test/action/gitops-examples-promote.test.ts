// The promotion of the examples: the inputs gitops.yml hands gitops-promote for an example caller, given to the
// built gitops-promote bundle against a bare git copy of the example's config layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { APP_OF_APPS, HELM_PER_APP, JQ_YQ_MISSING, LAYOUT, SHA, digest, git, prerequisites, promoteInputsFor, push, seedConfigRepo } from '../support/gitops-examples.js';
import { ROOT, runAction } from '../support/run-action.js';

const BUNDLE = path.join(ROOT, 'dist/gitops-promote/index.js');
const bundleAndJq = prerequisites(!fs.existsSync(BUNDLE) && 'the gitops-promote bundle is not built (node scripts/build.mjs gitops-promote)', JQ_YQ_MISSING);

async function promoteWithBundle(caller: string, layout: string, service: string, image: string): Promise<{ bare: string; file: string; before: string; after: string; outputs: Record<string, string>; log: string }> {
  const { bare, url } = seedConfigRepo(layout);
  const given = promoteInputsFor(caller, push, service, image);
  // Only what cannot exist here is replaced: the remote (a local bare copy), no token, and no Argo CD to wait for.
  const inputs = { ...given, repository: url, token: '', 'argocd-app': '', 'argocd-server': '', kubeconfig: '', 'argocd-token': '' };
  const r = await runAction('gitops-promote', { inputs, context: { sha: SHA, repository: 'acme/shop', runId: '77', token: '' } });
  const file = given.file.replace('{app}', service).replace('{env}', given.environment);
  return { bare, file, before: fs.readFileSync(path.join(LAYOUT(layout), file), 'utf8'), after: git(bare, 'show', `main:${file}`), outputs: r.outputs, log: r.allOutput };
}

test('argocd-helm-per-app → gitops.yml → gitops-promote: a push to main commits the api digest into values-dev.yaml, comments kept', { skip: bundleAndJq.skip }, async () => {
  bundleAndJq.check();
  const image = `ghcr.io/acme/k3d-platform/api@${digest('d')}`;
  const r = await promoteWithBundle(HELM_PER_APP, 'helm-per-app', 'api', image);
  assert.equal(r.outputs.changed, 'true', r.log);
  assert.equal(r.file, 'applications/api/values-dev.yaml');
  // The digest changes, and the source commit is recorded after the line's own comment (newest wins reads it back).
  assert.equal(r.after, r.before.replace(/"sha256:1{64}" # promoted dev/, `"${digest('d')}" # promoted dev # source-commit: ${SHA}`), 'only the digest line changed; comments, order and quoting kept');
  assert.match(git(r.bare, 'log', '-1', '--format=%B', 'main'), /App: api\n[\s\S]*Environment: dev/);
});

test('argocd-app-of-apps → gitops.yml → gitops-promote: each service edits only its own block of environments/dev/values.yaml', { skip: bundleAndJq.skip }, async () => {
  bundleAndJq.check();
  const r = await promoteWithBundle(APP_OF_APPS, 'app-of-apps', 'event-router', `ghcr.io/acme/platform/event-router@${digest('e')}`);
  assert.equal(r.outputs.changed, 'true', r.log);
  const before = YAML.parse(r.before) as { apps: Record<string, { image: { digest: string } }> };
  const after = YAML.parse(r.after) as typeof before;
  assert.equal(after.apps['event-router'].image.digest, digest('e'));
  assert.deepEqual(after.apps.backstage, before.apps.backstage, 'the other service is untouched');
  assert.equal(r.after.split('\n').filter((l, i) => l !== r.before.split('\n')[i]).length, 1, 'one line changed');
  assert.ok(r.after.startsWith('# App of apps, dev.'), 'the header comment is kept');
});
