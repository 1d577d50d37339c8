import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Pod } from '../../actions/toolkit/kube/pods.js';
import { FailureStreak, findPodFailures, parsePodList } from '../../actions/toolkit/kube/pods.js';
import { ROOT } from '../support/run-action.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'helm', 'helm3');
const pods = (file: string): Pod[] => parsePodList(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
const waiting = (reason: string, init = false): Pod => ({
  metadata: { name: `p-${reason}`, uid: reason },
  status: { [init ? 'initContainerStatuses' : 'containerStatuses']: [{ name: 'c', restartCount: 0, state: { waiting: { reason } } }] },
});

describe('findPodFailures', () => {
  it('finds the crash-looping container', () => {
    const failures = findPodFailures(pods('02-pods-crashloop.json'));
    assert.deepEqual(failures.map((f) => [f.pod, f.reason, f.restarts]), [['shop-5f6b8c9d7-fghij', 'CrashLoopBackOff', 2]]);
  });
  it('finds the image that cannot be pulled', () => assert.deepEqual(findPodFailures(pods('03-pods-imagepull.json')).map((f) => f.reason), ['ImagePullBackOff']));
  it('finds nothing in healthy pods', () => assert.deepEqual(findPodFailures(pods('01-pods-healthy.stdout')), []));
  it('ignores pods that existed before the deploy', () => assert.deepEqual(findPodFailures(pods('02-pods-crashloop.json'), new Set(['22222222-bbbb-4bbb-8bbb-000000000002'])), []));
  const table: [string, boolean][] = [
    ['CrashLoopBackOff', true],
    ['ImagePullBackOff', true],
    ['ErrImagePull', true],
    ['CreateContainerConfigError', true],
    ['InvalidImageName', true],
    ['ContainerCreating', false],
    ['PodInitializing', false],
  ];
  for (const [reason, failing] of table) it(`${reason} ${failing ? 'is' : 'is not'} a failure`, () => assert.equal(findPodFailures([waiting(reason)]).length, failing ? 1 : 0));
  it('looks at init containers too', () => assert.equal(findPodFailures([waiting('CrashLoopBackOff', true)]).length, 1));
});

describe('FailureStreak', () => {
  const bad = findPodFailures(pods('02-pods-crashloop.json'));
  it('trips after N consecutive failing checks', () => {
    const s = new FailureStreak(3);
    assert.deepEqual([s.observe(bad), s.observe(bad), s.observe(bad)], [false, false, true]);
  });
  it('resets on a clean check', () => {
    const s = new FailureStreak(2);
    assert.deepEqual([s.observe(bad), s.observe([]), s.observe(bad), s.observe(bad)], [false, false, false, true]);
  });
});
