import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseManifest, parseWorkloads, podSelectors } from '../../actions/toolkit/kube/manifest.js';
import { eventTime, sortEvents } from '../../actions/toolkit/kube/events.js';
import { annotationPath, findTemplateLocation } from '../../actions/helm-deploy/template-errors.js';
import { ROOT } from '../support/run-action.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'helm');
const read = (major: number, file: string): string => fs.readFileSync(path.join(FIXTURES, `helm${major}`, file), 'utf8');

describe('manifest → workloads', () => {
  it('lists every resource of the release', () => assert.deepEqual(parseManifest(read(3, '01-get-manifest.stdout')).map((r) => `${r.kind}/${r.name}`), ['Service/shop', 'Deployment/shop']));
  it('keeps only workloads, with their pod selector', () => {
    assert.deepEqual(parseWorkloads(read(3, '01-get-manifest.stdout')), [{ kind: 'Deployment', name: 'shop', selector: 'app.kubernetes.io/name=shop,app.kubernetes.io/instance=shop' }]);
  });
  it('falls back to the Helm instance label without workloads', () => assert.deepEqual(podSelectors([], 'web'), ['app.kubernetes.io/instance=web']));
  it('handles StatefulSets, DaemonSets and empty documents', () => {
    const text = '---\n# empty\n---\nkind: StatefulSet\nmetadata: {name: db, namespace: data}\nspec: {selector: {matchLabels: {app: db}}}\n---\nkind: DaemonSet\nmetadata: {name: agent}\nspec: {selector: {matchExpressions: []}}\n';
    assert.deepEqual(parseWorkloads(text), [{ kind: 'StatefulSet', name: 'db', namespace: 'data', selector: 'app=db' }, { kind: 'DaemonSet', name: 'agent' }]);
  });
});

describe('events', () => {
  it('sorts events by time whichever timestamp field they carry', () => {
    const sorted = sortEvents(read(3, '02-events-crashloop.json'));
    assert.deepEqual(sorted.map((e) => e.reason), ['SuccessfulCreate', 'ScalingReplicaSet', 'Scheduled', 'BackOff']);
  });
  it('prefers lastTimestamp, then eventTime', () => assert.equal(eventTime({ eventTime: '2026-01-01T00:00:00Z', lastTimestamp: null }), '2026-01-01T00:00:00Z'));
});

describe('findTemplateLocation', () => {
  for (const major of [3, 4]) {
    it(`reads file, line and column from a Helm ${major} render error`, () => {
      assert.deepEqual(findTemplateLocation(read(major, '05-template-render-error.stderr')), { file: 'templates/configmap.yaml', line: 6, column: 20 });
    });
  }
  it('is undefined when Helm names no file', () => assert.equal(findTemplateLocation('Error: 1 chart(s) linted, 1 chart(s) failed'), undefined));
  it('maps the location into the workspace', () => assert.equal(annotationPath('/ws', '/ws/deploy/chart', { file: 'templates/a.yaml', line: 1 }), 'deploy/chart/templates/a.yaml'));
});
