import assert from 'node:assert/strict';
import { test } from 'node:test';
import { namingRace } from '../../actions/build-push/publish.js';

// Captured in this project's CI: the branch run and the tag run of one commit building on one daemon.
const CAPTURED = `#9 naming to 127.0.0.1:5000/it/race8-90134ee0:sha-55ed895 done
#9 ERROR: image "127.0.0.1:5000/it/race8-90134ee0:sha-55ed895": already exists
------
 > exporting to image:
------
ERROR: failed to solve: image "127.0.0.1:5000/it/race8-90134ee0:sha-55ed895": already exists`;

test('a daemon build refused because a concurrent build of the same tag named it first is built again', () => {
  assert.equal(namingRace(new Error(CAPTURED)), true);
});

test('any other build failure is not retried on the daemon', () => {
  assert.equal(namingRace(new Error('ERROR: failed to solve: failed to compute cache key: "/missing" not found')), false);
  assert.equal(namingRace(new Error('ERROR: failed to solve: failed to push 127.0.0.1:5000/x:1: unexpected status: 401 Unauthorized')), false);
});
