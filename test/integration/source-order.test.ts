// Newest wins: ordering two source commits on real git history (branches, a tag, a force-push) through local git
// and through a compare-API stand-in that answers from the same history the way GitHub does.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compareCommits, decideOrder, parseCommitSha } from '../../actions/toolkit/source-order.js';
import { startGitHubApi, type GitHubApiStandIn } from '../support/github-api.js';
import { git, makeHistory, type History } from '../support/git-history.js';

/** The shared history plus a depth-1 clone (the usual actions/checkout). */
function makeHistoryWithShallow(): History & { shallow: string } {
  const h = makeHistory('source-order');
  const shallow = path.join(h.root, 'shallow');
  git(h.root, 'clone', '--quiet', '--depth', '1', '--no-local', `file://${h.origin}`, shallow);
  return { ...h, shallow };
}

describe('source order', () => {
  let h: History & { shallow: string };
  let api: GitHubApiStandIn;
  const repository = 'acme/app';
  const noSleep = async (): Promise<void> => {};
  before(async () => {
    h = makeHistoryWithShallow();
    api = await startGitHubApi(repository, h.origin);
  });
  after(() => api.close());

  test('local history orders newer, older, identical and diverged commits', async () => {
    const ctx = { workspace: h.full };
    assert.equal((await compareCommits(h.b, h.c, ctx)).relation, 'newer');
    assert.equal((await compareCommits(h.c, h.a, ctx)).relation, 'older');
    assert.equal((await compareCommits(h.c, h.c, ctx)).relation, 'identical');
    const diverged = await compareCommits(h.c, h.feature, ctx);
    assert.equal(diverged.relation, 'diverged');
    assert.equal(diverged.via, 'git');
  });

  test('a shallow checkout asks the compare API, which answers from the same history', async () => {
    const before = api.requests.length;
    // The depth-1 checkout holds C only: A, two commits back, is not in it.
    const res = await compareCommits(h.c, h.a, { workspace: h.shallow, repository, token: 't', apiUrl: api.url, sleep: noSleep });
    assert.equal(res.relation, 'older');
    assert.equal(res.via, 'api');
    assert.match(res.detail, /local git history lacks/);
    assert.match(api.requests[before].path, new RegExp(`/repos/acme/app/compare/${h.c}\\.\\.\\.${h.a}`));
  });

  test("a shallow checkout's own commit names its parent: that order needs no API call", async () => {
    const before = api.requests.length;
    const res = await compareCommits(h.c, h.b, { workspace: h.shallow, repository, token: 't', apiUrl: api.url, sleep: noSleep });
    assert.equal(res.relation, 'older');
    assert.equal(res.via, 'git');
    assert.equal(res.detail, `${h.b.slice(0, 12)} is an ancestor of ${h.c.slice(0, 12)} (local git)`);
    assert.equal(api.requests.length, before);
  });

  test('a live commit force-pushed away is reported unknown by name, not guessed', async () => {
    const res = await compareCommits(h.gone, h.c, { repository, token: 't', apiUrl: api.url, sleep: noSleep });
    assert.equal(res.relation, 'unknown');
    assert.match(res.detail, new RegExp(`does not have the live commit ${h.gone.slice(0, 12)} `));
    assert.doesNotMatch(res.detail, /new commit/);
  });

  test('transient 502s from the API are retried, then answered', async () => {
    api.failNext(2);
    const before = api.requests.length;
    const res = await compareCommits(h.a, h.c, { repository, token: 't', apiUrl: api.url, sleep: noSleep });
    assert.equal(res.relation, 'newer');
    assert.equal(api.requests.length - before, 3);
  });

  test('a permanent API error (404 repository) fails fast with one request', async () => {
    const before = api.requests.length;
    const res = await compareCommits(h.a, h.c, { repository: 'acme/other', token: 't', apiUrl: api.url, sleep: noSleep });
    assert.equal(res.relation, 'unknown');
    // compare, then one lookup per commit: no retries of a 404/422.
    assert.equal(api.requests.length - before, 3);
  });

  test('an older commit is superseded unless allow-older; newer and identical proceed', async () => {
    const ctx = { workspace: h.full };
    const strict = { allowOlder: false, allowUnordered: false };
    const older = await decideOrder(h.c, h.b, ctx, strict, 'release app');
    assert.equal(older.kind, 'superseded');
    assert.match(older.kind === 'superseded' ? older.message : '', new RegExp(`^superseded: ${h.c.slice(0, 12)} is newer than ${h.b.slice(0, 12)}`));
    const rollback = await decideOrder(h.c, h.b, ctx, { ...strict, allowOlder: true }, 'release app');
    assert.equal(rollback.kind, 'proceed');
    assert.match(rollback.kind === 'proceed' ? rollback.note : '', /rolling back on purpose/);
    assert.equal((await decideOrder(h.b, h.c, ctx, strict, 'release app')).kind, 'proceed');
    assert.equal((await decideOrder(h.c, h.c, ctx, strict, 'release app')).kind, 'proceed');
    assert.equal((await decideOrder(undefined, h.a, ctx, strict, 'release app')).kind, 'proceed');
  });

  test('diverged or unknown order refuses by default, naming allow-unordered; allowed it proceeds', async () => {
    const ctx = { workspace: h.full };
    await assert.rejects(decideOrder(h.c, h.feature, ctx, { allowOlder: true, allowUnordered: false }, 'release app'), /histories diverged.*allow-unordered: true/s);
    const apiCtx = { repository, token: 't', apiUrl: api.url, sleep: noSleep };
    await assert.rejects(decideOrder(h.gone, h.c, apiCtx, { allowOlder: false, allowUnordered: false }, 'release app'), /order is unknown.*does not have the live commit/s);
    assert.equal((await decideOrder(h.c, h.feature, ctx, { allowOlder: false, allowUnordered: true }, 'release app')).kind, 'proceed');
  });

  test('without a workspace history or a token the order is unknown and says why', async () => {
    const res = await compareCommits(h.a, h.c, { workspace: h.shallow });
    assert.equal(res.relation, 'unknown');
    assert.match(res.detail, /no github-token/);
  });

  test('source-commit must be a full SHA', () => {
    assert.equal(parseCommitSha('source-commit', 'A'.repeat(40)), 'a'.repeat(40));
    assert.throws(() => parseCommitSha('source-commit', 'abc1234'), /Input 'source-commit': expected a full commit SHA/);
  });
});
