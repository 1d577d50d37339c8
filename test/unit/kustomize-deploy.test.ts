// kustomize-deploy's pure parts, against kubectl's real outputs (test/fixtures/kustomize/captured) where one exists.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyErrors, immutableJobs, onlyJobTemplateChanges, parseApplyOutput } from '../../actions/kustomize-deploy/apply-output.js';
import { applyArgs } from '../../actions/kustomize-deploy/cluster.js';
import type { Outcome } from '../../actions/kustomize-deploy/deploy.js';
import { emptyOutcome } from '../../actions/kustomize-deploy/deploy.js';
import { expectedImage, parseImages, wrapperKustomization } from '../../actions/kustomize-deploy/images.js';
import { defaultName, validateName } from '../../actions/kustomize-deploy/inputs.js';
import { jobStates } from '../../actions/kustomize-deploy/jobs.js';
import { imageMap, matchesSelector, parseLive, podUids } from '../../actions/kustomize-deploy/live.js';
import { APPLYSET_PART_OF, applySetId, checkSet, labelMembers, parseObjects, splitJobsFirst, withNamespace, workloadsOf } from '../../actions/kustomize-deploy/objects.js';
import { parseRecord, recordManifest, RECORD_MAX_BYTES } from '../../actions/kustomize-deploy/record.js';
import { summaryMarkdown } from '../../actions/kustomize-deploy/summary.js';
import { InputError } from '../../actions/toolkit/index.js';
import YAML from 'yaml';
import { ROOT } from '../support/run-action.js';

const CAPTURED = path.join(ROOT, 'test', 'fixtures', 'kustomize', 'captured');
const read = (file: string): string => fs.readFileSync(path.join(CAPTURED, file), 'utf8');
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const devObjects = () => parseObjects(read('01-kustomize-dev.stdout')).objects;

describe('parseImages', () => {
  it('takes build-services\' JSON map service → image-ref', () => {
    const [web] = parseImages(JSON.stringify({ web: `ghcr.io/example-org/kardon/web@${DIGEST}` }));
    assert.deepEqual([web.name, web.service, web.parsed.digest], ['ghcr.io/example-org/kardon/web', 'web', DIGEST]);
  });
  it('takes one reference per line and name=reference to rename', () => {
    const images = parseImages(`ghcr.io/acme/web:v1\nkardon/api=127.0.0.1:5000/acme/api@${DIGEST}`);
    assert.deepEqual(images.map((i) => [i.name, expectedImage(i)]), [['ghcr.io/acme/web', 'ghcr.io/acme/web:v1'], ['kardon/api', `127.0.0.1:5000/acme/api@${DIGEST}`]]);
  });
  it('keeps one entry for a reference given twice', () => assert.equal(parseImages('ghcr.io/acme/web:v1\nghcr.io/acme/web:v1').length, 1));
  const bad: [string, string, RegExp][] = [
    ['no tag or digest', 'ghcr.io/acme/web', /neither a tag nor a digest/],
    ['a malformed digest', 'ghcr.io/acme/web@sha256:abc', /malformed digest/],
    ['the same image twice with different references', 'ghcr.io/acme/web:v1\nghcr.io/acme/web:v2', /given twice/],
    ['a name with a tag', 'ghcr.io/acme/web:v1=ghcr.io/acme/web:v2', /must not carry a tag/],
    ['JSON that does not parse', '{"web": ', /does not parse/],
    ['a JSON map with a non-string', '{"web": 1}', /service 'web'/],
    ['an empty reference in the JSON map (nothing pushed)', '{"web": ""}', /service 'web' has an empty image reference/],
  ];
  for (const [what, raw, message] of bad) {
    it(`refuses ${what}, naming the input`, () => assert.throws(() => parseImages(raw), (err: unknown) => err instanceof InputError && err.input === 'images' && message.test(err.message)));
  }
});

describe('wrapperKustomization', () => {
  it('points at the overlay and sets newName, newTag and digest as Kustomize writes them', () => {
    const doc = YAML.parse(wrapperKustomization('../../work/overlays/dev', parseImages(`ghcr.io/example-org/kardon/web=127.0.0.1:5000/kardon/web:v2@${DIGEST}`))) as Record<string, unknown>;
    assert.deepEqual(doc, { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['../../work/overlays/dev'], images: [{ name: 'ghcr.io/example-org/kardon/web', newName: '127.0.0.1:5000/kardon/web', newTag: 'v2', digest: DIGEST }] });
  });
});

describe('rendered set checks', () => {
  it('parses the captured dev render into its 11 objects', () => assert.deepEqual(devObjects().map((o) => o.kind), ['Namespace', 'ConfigMap', 'Service', 'Service', 'Service', 'Deployment', 'Deployment', 'Deployment', 'Deployment', 'Job', 'Ingress']));
  it('takes the namespace from the overlay', () => assert.equal(checkSet(devObjects(), '', []).namespace, 'kardon-dev'));
  it('refuses a namespace input that contradicts the overlay', () => assert.match(checkSet(devObjects(), 'kardon-prod', []).problems.join(), /overlay sets namespace 'kardon-dev' but the namespace input is 'kardon-prod'/));
  it('finds an image override no container uses', () => {
    const unused = checkSet(devObjects(), '', parseImages(`ghcr.io/example-org/kardon/wbe:v1`)).unusedImages;
    assert.deepEqual(unused.map((u) => u.name), ['ghcr.io/example-org/kardon/wbe']);
    assert.deepEqual(checkSet(devObjects(), '', parseImages('ghcr.io/example-org/kardon/web:sha-3f9c2e1')).unusedImages, []);
  });
  it('finds an object given twice', () => assert.match(checkSet([...devObjects(), devObjects()[5]], '', []).problems.join(), /Deployment\/api appears twice/));
  it('refuses a document that is not an object', () => assert.match(parseObjects('apiVersion: v1\nkind: ConfigMap\n---\nfoo: bar\n').problems.join(), /document 2: not a Kubernetes object/));
  it('fills in the namespace of namespaced objects only', () => {
    const set = withNamespace(parseObjects('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n').objects, 'team');
    assert.deepEqual(set.map((o) => o.metadata.namespace), [undefined, 'team']);
  });
  it('runs Jobs first with everything but the workloads', () => {
    const { first, jobs, workloads } = splitJobsFirst(devObjects());
    assert.deepEqual(jobs.map((j) => j.metadata.name), ['migrator']);
    assert.deepEqual(workloads.map((w) => w.metadata.name), ['api', 'live', 'web', 'worker']);
    assert.ok(first.some((o) => o.kind === 'ConfigMap') && !first.some((o) => o.kind === 'Deployment'));
  });
  it('watches each workload by its selector', () => assert.deepEqual(workloadsOf(devObjects()).map((w) => w.selector), ['app.kubernetes.io/name=api', 'app.kubernetes.io/name=live', 'app.kubernetes.io/name=web', 'app.kubernetes.io/name=worker']));
});

describe('ApplySet', () => {
  it('computes the id kubectl gave the real parent Secret', () => {
    const parent = JSON.parse(read('03-applyset-parent.stdout')) as { metadata: { name: string; namespace: string; labels: Record<string, string> } };
    assert.equal(applySetId(parent.metadata.name, parent.metadata.namespace), parent.metadata.labels['applyset.kubernetes.io/id']);
  });
  it('labels members the way kubectl --applyset does, keeping their own labels', () => {
    const [labelled] = labelMembers(devObjects().slice(5, 6), 'applyset-x-v1');
    assert.equal(labelled.metadata.labels?.[APPLYSET_PART_OF], 'applyset-x-v1');
    assert.equal(labelled.metadata.labels?.['app.kubernetes.io/part-of'], 'kardon');
  });
  it('builds the apply argv: server-side, field manager, dry run, ApplySet prune', () => {
    assert.deepEqual(applyArgs('/t/r.yaml', { fieldManager: 'platform-actions', namespace: 'kardon-dev', dryRun: true }), ['apply', '--server-side', '--field-manager=platform-actions', '--dry-run=server', '--namespace', 'kardon-dev', '--filename', '/t/r.yaml']);
    assert.deepEqual(applyArgs('/t/r.yaml', { fieldManager: 'fm', namespace: 'ns', applySet: 'kardon', forceConflicts: true }), ['apply', '--server-side', '--field-manager=fm', '--force-conflicts', '--applyset=kardon', '--prune', '--namespace', 'ns', '--filename', '/t/r.yaml']);
  });
  it('skips the client-side schema check only for a set the server dry run validated', () => {
    assert.ok(applyArgs('/t/r.yaml', { fieldManager: 'fm', namespace: 'ns', validated: true }).includes('--validate=false'));
    assert.ok(!applyArgs('/t/r.yaml', { fieldManager: 'fm', namespace: 'ns', dryRun: true }).some((a) => a.startsWith('--validate')));
  });
});

describe('kubectl apply output', () => {
  it('lists what the first apply did', () => assert.equal(parseApplyOutput(read('02-apply-first.stdout')).applied.length, 11));
  it('reads a dry run the same way', () => assert.deepEqual(parseApplyOutput(read('03-apply-dry-run-server.stdout')).applied[0], { object: 'namespace/kardon-dev', verb: 'serverside-applied' }));
  it('lists what the ApplySet apply pruned', () => assert.deepEqual(parseApplyOutput(read('03-applyset-prune.stdout')).pruned, ['service/live', 'deployment.apps/live']));
  it('recognises the changed migrator Job as the only dry-run error', () => {
    const stderr = read('04-apply-job-image-changed.stderr');
    assert.deepEqual(immutableJobs(stderr), ['migrator']);
    assert.equal(onlyJobTemplateChanges(stderr, ['migrator']), true);
    assert.equal(onlyJobTemplateChanges(stderr, ['other']), false);
  });
  it('does not take a schema error for a Job change', () => assert.equal(onlyJobTemplateChanges(read('04-apply-unknown-field-strict.stderr'), ['migrator']), false));
  it('cuts the 3 KB Go dump of a Job error', () => assert.ok(applyErrors(read('04-apply-job-image-changed.stderr'))[0].length <= 300));
  it('keeps each error line of the SSA conflict', () => assert.match(applyErrors(read('06-apply-after-undo-conflict.stderr')).join(), /^error: Apply failed with 1 conflict/));
});

describe('Jobs', () => {
  it('sees the migrator complete', () => assert.deepEqual(jobStates(read('05-get-healthy.stdout'), ['migrator']), [{ name: 'migrator', state: 'complete' }]));
  it('sees the migrator failed with its reason', () => assert.deepEqual(jobStates(read('05-get-job-failed.stdout'), ['migrator']), [{ name: 'migrator', state: 'failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]));
  it('says when the Job is not there', () => assert.equal(jobStates(read('05-get-healthy.stdout'), ['seed'])[0].state, 'missing'));
});

describe('live workloads', () => {
  it('reads revisions and images before and during a bad rollout', () => {
    const before = parseLive(read('05-get-healthy.stdout'));
    const during = parseLive(read('05-get-imagepull.json'));
    assert.deepEqual([before.get('Deployment/web')?.revision, during.get('Deployment/web')?.revision], [1, 6]);
    assert.equal(imageMap([before.get('Deployment/web')!]).web, 'ghcr.io/example-org/kardon/web:sha-3f9c2e1');
  });
  it('names containers when a workload has several', () => assert.deepEqual(imageMap([{ name: 'web', images: { web: 'a:1', proxy: 'b:2' } }]), { 'web/web': 'a:1', 'web/proxy': 'b:2' }));
  it('leaves the pods and ReplicaSets of the combined list out of the workloads', () => assert.deepEqual([...parseLive(read('05-get-healthy.stdout')).keys()], ['Deployment/api', 'Deployment/live', 'Deployment/web', 'Deployment/worker', 'Job/migrator']));
  it('takes the uids of the pods a workload selector matches, and only those', () => {
    const healthy = JSON.parse(read('05-get-healthy.stdout')) as { items: { kind: string; metadata: { name: string; uid: string } }[] };
    const uidOf = (name: string): string => healthy.items.find((i) => i.kind === 'Pod' && i.metadata.name.startsWith(name))!.metadata.uid;
    assert.deepEqual([...podUids(read('05-get-healthy.stdout'), ['app.kubernetes.io/name=web'])], [uidOf('web-')]);
    assert.deepEqual(podUids(read('05-get-healthy.stdout'), ['app.kubernetes.io/name=api,app.kubernetes.io/part-of=nothing']).size, 0, 'every term of a selector must match');
  });
  it('matches k=v selectors term by term', () => {
    assert.ok(matchesSelector({ app: 'web', tier: 'front' }, 'app=web,tier=front'));
    assert.ok(!matchesSelector({ app: 'web' }, 'app=web,tier=front'));
    assert.ok(!matchesSelector(undefined, 'app=web'));
  });
});

describe('record', () => {
  it('round-trips the rendered set through the Secret', () => {
    const manifest = recordManifest('kardon', 'kardon-dev', read('01-kustomize-dev.stdout'), { images: { web: 'w:1' }, revision: 'abc', deployedAt: '2026-11-29T10:00:00Z', runUrl: 'https://github.com/acme/kardon/actions/runs/1', sourceCommit: 'a'.repeat(40), jobHashes: { migrator: 'h1' } });
    assert.ok(manifest);
    const secret = YAML.parse(manifest) as { metadata: { name: string } };
    assert.equal(secret.metadata.name, 'kustomize-deploy.kardon');
    const back = parseRecord(JSON.stringify(secret));
    assert.equal(back?.rendered, read('01-kustomize-dev.stdout'));
    assert.deepEqual([back?.images, back?.revision, back?.sourceCommit, back?.jobHashes], [{ web: 'w:1' }, 'abc', 'a'.repeat(40), { migrator: 'h1' }]);
  });
  it('is absent when kubectl found none', () => assert.equal(parseRecord(''), undefined));
  it('refuses a set too big for a Secret', () => {
    const random = randomBytes(RECORD_MAX_BYTES + 10_000).toString('base64');
    assert.equal(recordManifest('k', 'ns', random, { images: {}, revision: '', deployedAt: '', runUrl: '', sourceCommit: '', jobHashes: {} }), undefined);
  });
});

describe('inputs', () => {
  it('defaults the name to the repository', () => assert.equal(defaultName('Example-Org/Kardon_App'), 'kardon-app'));
  it('refuses a name that cannot name a Secret', () => assert.throws(() => validateName('Kardon App'), /Input 'name': 'Kardon App' is not a DNS-1123 name/));
  it('requires a name when there is no repository', () => assert.throws(() => validateName(''), /Input 'name': is required/));
});

describe('summary', () => {
  const base: Outcome = { ...emptyOutcome('kardon-dev'), status: 'rolled-back', rendered: ['Deployment/web'], applied: ['deployment.apps/web'], jobs: [{ name: 'migrator', state: 'complete' }], previousImages: { web: 'w:1' }, images: { web: 'w:1' }, rolledBack: true, notes: ['Rolled back: re-applied the set.'], timings: [['Apply', 1200]], rollbackApplied: ['deployment.apps/web'] };
  it('says what was applied and rolled back, and the images before and after', () => {
    const md = summaryMarkdown({ overlay: 'overlays/dev', name: 'kardon', kubectlVersion: 'v1.33.9' }, { ...base, error: new Error('Pods failing: web-1/web: CrashLoopBackOff; rolled back') });
    assert.match(md, /### ↩️ kustomize-deploy: `overlays\/dev`/);
    assert.match(md, /\| kardon-dev \| kardon \| rolled-back \| 1 of 1 \| 0 \| true \| v1\.33\.9 \|/);
    assert.match(md, /\*\*Error:\*\* Pods failing/);
    assert.match(md, /- Rolled back: re-applied the set\./);
    assert.match(md, /\| web \| w:1 \| w:1 \|/);
    assert.match(md, /\| migrator \| complete \|/);
    assert.match(md, /\| Rolled back \|\n\| --- \|\n\| deployment\.apps\/web \|/);
  });
});
