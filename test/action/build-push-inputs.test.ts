import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runAction } from '../support/run-action.js';
import { createStandIn } from '../support/stand-in.js';

const context = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-inputs-'));
fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\n');

const base = { images: 'ghcr.io/acme/app', context };
const cases: { name: string; inputs: Record<string, string>; error: RegExp }[] = [
  { name: 'an unknown platform', inputs: { platforms: 'linux/amd64,linux/x86' }, error: /Input 'platforms': 'linux\/x86': unknown architecture/ },
  { name: 'platform without arch', inputs: { platforms: 'linux' }, error: /Input 'platforms': 'linux' is not os\/arch/ },
  { name: 'an invalid image name', inputs: { images: 'ghcr.io/acme/Bad Name' }, error: /Input 'images': .* is not a valid image name/ },
  { name: 'an image with a tag', inputs: { images: 'ghcr.io/acme/app:v1' }, error: /Input 'images': .* must not contain a tag/ },
  { name: 'an invalid extra tag', inputs: { tags: 'ok,-bad' }, error: /Input 'tags': '-bad' is not a valid tag/ },
  { name: 'a missing context', inputs: { context: '/nonexistent/ctx' }, error: /Input 'context': directory '\/nonexistent\/ctx' does not exist/ },
  { name: 'a missing Dockerfile', inputs: { file: 'nope/Dockerfile' }, error: /Input 'file': Dockerfile '.*nope\/Dockerfile' does not exist/ },
  { name: 'a password without a username', inputs: { registry: 'r.example.com', password: 'hunter2-secret' }, error: /Input 'password': is set but username is empty/ },
  { name: 'a Docker Hub token without a user', inputs: { 'dockerhub-token': 'tok-secret' }, error: /Input 'dockerhub-token': is set but dockerhub-username is empty/ },
  { name: 'an unknown push mode', inputs: { push: 'maybe' }, error: /Input 'push': expected one of auto, true, false/ },
  { name: 'a build secret without a value separator', inputs: { secrets: 'just-a-token-value' }, error: /Input 'secrets': 'just-a-token-value…' is not key=value/ },
];

describe('build-push rejects bad input before running anything', () => {
  for (const c of cases) {
    it(`fails on ${c.name}, naming the input, with no docker call`, async () => {
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-bin-'));
      const docker = createStandIn(bin, 'docker', [{ match: [], stdout: '' }]);
      const run = await runAction('build-push', { inputs: { ...base, ...c.inputs }, pathPrepend: [bin], context: { workspace: context } });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, new RegExp(`::error::${c.error.source}`));
      assert.deepEqual(docker.calls(), [], 'docker must not run');
      assert.ok(!run.visibleOutput.includes('hunter2-secret') && !run.visibleOutput.includes('tok-secret'));
    });
  }
});
