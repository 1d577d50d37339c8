import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeTags, looksImmutable, noTagsMessage, pinningTag, type RefContext, type TagOptions } from '../../actions/build-push/tags.js';

const SHA = 'abcdef1234567890abcdef1234567890abcdef12';
const HEAD = '9999999aaaaaaabbbbbbbcccccccdddddddeeeee';
const defaults: TagOptions = { devBranches: [], latest: 'auto', extraTags: [] };

interface Case {
  name: string;
  ctx: Partial<RefContext>;
  options?: Partial<TagOptions>;
  tags: string[];
  immutable: string[];
  version: string;
}

const cases: Case[] = [
  { name: 'push to main gets the branch, dev and sha tags', ctx: { eventName: 'push', ref: 'refs/heads/main' }, tags: ['main', 'dev', 'sha-abcdef1'], immutable: ['sha-abcdef1'], version: 'main' },
  { name: 'push to develop gets dev', ctx: { eventName: 'push', ref: 'refs/heads/develop' }, tags: ['develop', 'dev', 'sha-abcdef1'], immutable: ['sha-abcdef1'], version: 'develop' },
  { name: 'push to a feature branch gets a sanitized branch tag, no dev', ctx: { eventName: 'push', ref: 'refs/heads/feature/JIRA-1_new thing' }, tags: ['feature-JIRA-1_new-thing', 'sha-abcdef1'], immutable: ['sha-abcdef1'], version: 'feature-JIRA-1_new-thing' },
  { name: 'default branch other than main gets dev', ctx: { eventName: 'push', ref: 'refs/heads/trunk', defaultBranch: 'trunk' }, tags: ['trunk', 'dev', 'sha-abcdef1'], immutable: ['sha-abcdef1'], version: 'trunk' },
  { name: 'main is not a dev branch when dev-branches is configured without it', ctx: { eventName: 'push', ref: 'refs/heads/main' }, options: { devBranches: ['release'] }, tags: ['main', 'sha-abcdef1'], immutable: ['sha-abcdef1'], version: 'main' },
  { name: 'pull request uses the PR head sha, not the merge sha', ctx: { eventName: 'pull_request', ref: 'refs/pull/42/merge', prNumber: 42, prHeadSha: HEAD }, tags: ['pr-42', 'sha-9999999'], immutable: ['sha-9999999'], version: 'pr-42' },
  { name: 'release tag gets version, minor, major and latest', ctx: { eventName: 'push', ref: 'refs/tags/v1.2.3' }, tags: ['v1.2.3', 'v1.2', 'v1', 'sha-abcdef1', 'latest'], immutable: ['v1.2.3', 'sha-abcdef1'], version: 'v1.2.3' },
  { name: 'release tag without v keeps no prefix', ctx: { eventName: 'push', ref: 'refs/tags/2.0.1' }, tags: ['2.0.1', '2.0', '2', 'sha-abcdef1', 'latest'], immutable: ['2.0.1', 'sha-abcdef1'], version: '2.0.1' },
  { name: 'pre-release gets only its exact tag and never moves v1, v1.2 or latest', ctx: { eventName: 'push', ref: 'refs/tags/v1.2.3-rc.1' }, tags: ['v1.2.3-rc.1', 'sha-abcdef1'], immutable: ['v1.2.3-rc.1', 'sha-abcdef1'], version: 'v1.2.3-rc.1' },
  { name: '0.x release does not move v0', ctx: { eventName: 'push', ref: 'refs/tags/v0.4.1' }, tags: ['v0.4.1', 'v0.4', 'sha-abcdef1', 'latest'], immutable: ['v0.4.1', 'sha-abcdef1'], version: 'v0.4.1' },
  { name: 'build metadata is dropped from the tag', ctx: { eventName: 'push', ref: 'refs/tags/v1.0.0+build.7' }, tags: ['v1.0.0', 'v1.0', 'v1', 'sha-abcdef1', 'latest'], immutable: ['v1.0.0', 'sha-abcdef1'], version: 'v1.0.0' },
  { name: 'non-semver tag is used as is, sanitized', ctx: { eventName: 'push', ref: 'refs/tags/nightly/2026' }, tags: ['nightly-2026', 'sha-abcdef1'], immutable: ['sha-abcdef1'], version: 'nightly-2026' },
  { name: 'workflow_dispatch on main gets the branch and sha, not dev', ctx: { eventName: 'workflow_dispatch', ref: 'refs/heads/main' }, tags: ['main', 'sha-abcdef1'], immutable: ['sha-abcdef1'], version: 'main' },
  { name: 'latest: false never tags latest on a release', ctx: { eventName: 'push', ref: 'refs/tags/v3.0.0' }, options: { latest: 'false' }, tags: ['v3.0.0', 'v3.0', 'v3', 'sha-abcdef1'], immutable: ['v3.0.0', 'sha-abcdef1'], version: 'v3.0.0' },
  { name: 'extra raw tags are appended once', ctx: { eventName: 'push', ref: 'refs/heads/main' }, options: { extraTags: ['stable', 'dev'] }, tags: ['main', 'dev', 'sha-abcdef1', 'stable'], immutable: ['sha-abcdef1'], version: 'main' },
  { name: 'raw tags that look immutable are guarded like computed ones', ctx: { eventName: 'push', ref: 'refs/heads/main' }, options: { extraTags: ['sha-deadbee', 'v9.9.9', '1.0.0-rc.1', 'stable', 'v9.9', 'sha-xyz1234'] }, tags: ['main', 'dev', 'sha-abcdef1', 'sha-deadbee', 'v9.9.9', '1.0.0-rc.1', 'stable', 'v9.9', 'sha-xyz1234'], immutable: ['sha-abcdef1', 'sha-deadbee', 'v9.9.9', '1.0.0-rc.1'], version: 'main' },
  { name: 'a raw tag equal to a computed immutable one is guarded once', ctx: { eventName: 'push', ref: 'refs/tags/v1.2.3' }, options: { extraTags: ['v1.2.3'], latest: 'false' }, tags: ['v1.2.3', 'v1.2', 'v1', 'sha-abcdef1'], immutable: ['v1.2.3', 'sha-abcdef1'], version: 'v1.2.3' },
];

describe('looksImmutable', () => {
  const table: [string, boolean][] = [
    ['sha-deadbee', true],
    ['sha-0123456789abcdef0123456789abcdef01234567', true],
    ['sha-dead', false],
    ['sha-DEADBEE', false],
    ['v9.9.9', true],
    ['V1.0.0', true],
    ['2.0.1', true],
    ['v1.2.3-rc.1', true],
    ['v1.2', false],
    ['v1', false],
    ['latest', false],
    ['dev', false],
    ['v01.2.3', false],
  ];
  for (const [tag, expected] of table) it(`${tag} → ${expected}`, () => assert.equal(looksImmutable(tag), expected));
});

describe('computeTags', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ctx: RefContext = { eventName: 'push', ref: '', sha: SHA, ...c.ctx };
      const got = computeTags(ctx, { ...defaults, ...c.options });
      assert.deepEqual(got.tags, c.tags);
      assert.deepEqual(got.immutable, c.immutable);
      assert.equal(got.version, c.version);
    });
  }

  it('keeps a sanitized branch tag within 128 characters', () => {
    const got = computeTags({ eventName: 'push', ref: `refs/heads/${'x/'.repeat(100)}end`, sha: SHA }, defaults);
    assert.ok(got.tags[0].length <= 128, `length ${got.tags[0].length}`);
    assert.match(got.tags[0], /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
  });

  it('revision is the PR head sha on pull_request events', () => {
    const got = computeTags({ eventName: 'pull_request', ref: 'refs/pull/7/merge', sha: SHA, prHeadSha: HEAD, prNumber: 7 }, defaults);
    assert.equal(got.revision, HEAD);
  });

  it('gives no tag (and no "sha-" version) with no ref, no sha and no extra tags: outside a runner', () => {
    const got = computeTags({ eventName: '', ref: '', sha: '' }, defaults);
    assert.deepEqual(got.tags, []);
    assert.equal(got.version, '');
    assert.equal(noTagsMessage({ ref: '' }).split('.')[0], "no tags to push: GITHUB_REF is not set and input 'tags' is empty (and no GITHUB_SHA for a sha- tag)");
    assert.match(noTagsMessage({ ref: 'refs/notes/x' }), /^no tags to push: GITHUB_REF 'refs\/notes\/x' gives no tag and input 'tags' is empty/);
  });

  it('with only extra tags and no ref or sha, the version is the first extra tag', () => {
    const got = computeTags({ eventName: '', ref: '', sha: '' }, { ...defaults, extraTags: ['local', 'x'] });
    assert.deepEqual(got.tags, ['local', 'x']);
    assert.equal(got.version, 'local');
  });
});

describe('pinningTag: the tag of <image>:<tag>@sha256:… for charts that read only a tag', () => {
  const tagsOf = (ref: string, extraTags: string[] = []) => computeTags({ eventName: 'push', ref, sha: SHA, defaultBranch: 'main' } as RefContext, { ...defaults, extraTags });
  it('is the exact release version on a release, never v1, v1.2 or latest', () => assert.equal(pinningTag(tagsOf('refs/tags/v1.2.3')), 'v1.2.3'));
  it("is the commit's sha- tag on a branch, never the moving branch or dev tag", () => assert.equal(pinningTag(tagsOf('refs/heads/main')), 'sha-abcdef1'));
  it('is the first tag when none is immutable', () => assert.equal(pinningTag({ tags: ['stable', 'edge'], immutable: [] }), 'stable'));
});
