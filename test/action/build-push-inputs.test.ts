import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runAction } from '../support/run-action.js';
import { dockerStandIn } from '../support/docker.js';

const context = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-inputs-'));
fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\n');

const base = { images: 'ghcr.io/acme/app', context };
const cases: { name: string; inputs: Record<string, string>; error: RegExp; actor?: string }[] = [
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
  // The line may be the secret itself: named by its number, no part of it printed, no '…' pretending it was cut.
  { name: 'a build secret without a value separator', inputs: { secrets: 'ID=ok\njust-a-token-value' }, error: /Input 'secrets': line 2 is not key=value \(no '='\); the line is not shown, it may hold a secret value$/m },
  { name: 'a build secret with an empty id', inputs: { secrets: '=just-a-token-value' }, error: /Input 'secrets': line 1 has an empty key \(expected key=value\); the line is not shown/ },
  // A short label is quoted whole: no '…'.
  { name: 'a label without a value separator', inputs: { labels: 'novalue' }, error: /Input 'labels': 'novalue' is not key=value \(no '='\)$/m },
  { name: 'a long label without a value separator', inputs: { labels: 'x'.repeat(100) }, error: new RegExp(`Input 'labels': 'x{59}…' is not key=value`) },
  { name: 'a target with a space', inputs: { target: 'bad target' }, error: /Input 'target': 'bad target' is not a Dockerfile stage name \(a letter, then letters, digits, '-', '_' or '\.'; no spaces\)/ },
  { name: 'a target with a slash', inputs: { target: 'stage/one' }, error: /Input 'target': 'stage\/one' is not a Dockerfile stage name/ },
  { name: 'a username without a password', inputs: { registry: 'r.example.com', username: 'bob' }, error: /Input 'username': is set but password is empty/ },
  // Outside a runner GITHUB_ACTOR may be empty: `docker login ghcr.io --username ""` must never run.
  { name: 'a github-token for ghcr.io with no workflow actor', inputs: { 'github-token': 'ghs-tok-secret' }, actor: '', error: /Input 'github-token': is set for ghcr.io images but the workflow actor \(GITHUB_ACTOR\) is empty/ },
];

describe('build-push rejects bad input before running anything', () => {
  for (const c of cases) {
    it(`fails on ${c.name}, naming the input, with no docker call`, async () => {
      // buildx goes through the stand-in too (its plugin in DOCKER_CONFIG), and /info through a stand-in socket.
      const { bin, docker, env, engineRequests } = await dockerStandIn([{ match: [], stdout: '' }]);
      const run = await runAction('build-push', { inputs: { ...base, ...c.inputs }, pathPrepend: [bin], env, context: { workspace: context, actor: c.actor } });
      assert.equal(run.main.exitCode, 1);
      assert.match(run.main.stdout, new RegExp(`::error::${c.error.source}`, c.error.flags));
      assert.deepEqual(docker.calls(), [], 'docker must not run');
      assert.match(run.summary, new RegExp(`\\|\\s*Error\\s*\\|\\s*${c.error.source.replace(/\$$/, '\\s*\\|')}`, c.error.flags), 'the summary names the input error');
      assert.match(run.summary, /\|\s*Pushed or tagged\s*\|\s*nothing\s*\|/);
      assert.deepEqual(engineRequests().filter((r) => r !== 'GET /info'), [], 'nothing is asked of the daemon but its /info (read as the bundle starts)');
      for (const secret of ['hunter2-secret', 'tok-secret', 'just-a-token-value']) assert.ok(!run.visibleOutput.includes(secret), `${secret} is printed`);
    });
  }
});

describe('build-push outside a runner (no GITHUB_REF, GITHUB_SHA, GITHUB_ACTOR)', () => {
  const outside = { GITHUB_REF: undefined, GITHUB_REF_NAME: undefined, GITHUB_REF_TYPE: undefined, GITHUB_SHA: undefined, GITHUB_ACTOR: undefined, GITHUB_EVENT_NAME: undefined, GITHUB_EVENT_PATH: undefined };

  it('fails with "no tags to push" before any docker call (no empty `Tags:` line, no login)', async () => {
    const { bin, docker, env } = await dockerStandIn([{ match: [], stdout: '' }]);
    const run = await runAction('build-push', {
      inputs: { images: '127.0.0.1:5000/acme/app', context, registry: '127.0.0.1:5000', username: 'bob', password: 'hunter2-secret' },
      pathPrepend: [bin],
      env: { ...env, ...outside },
      context: { workspace: context },
    });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::error::no tags to push: GITHUB_REF is not set and input 'tags' is empty/);
    assert.doesNotMatch(run.main.stdout, /^Tags: /m);
    assert.deepEqual(docker.calls(), [], 'docker must not run');
    assert.ok(!run.visibleOutput.includes('hunter2-secret'));
  });
});
