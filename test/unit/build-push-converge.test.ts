import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLAIM_SETTLE_MS, claimOutcome, correctedRefs, settleRemaining, uploadTag } from '../../actions/build-push/converge.js';
import { REVISION_LABEL, type ExistingImage } from '../../actions/build-push/existing.js';

const REV = '0123456789abcdef0123456789abcdef01234567';
const OURS = `sha256:${'aa'.repeat(32)}`;
const THEIRS = `sha256:${'bb'.repeat(32)}`;
const REF = '127.0.0.1:5000/acme/app:sha-0123456';

function held(digest: string, labels: Record<string, string>, platforms = ['linux/amd64', 'linux/arm64']): ExistingImage {
  return { manifest: { digest, mediaType: 'application/vnd.oci.image.index.v1+json', bytes: Buffer.from('{}') }, platforms, labels };
}

describe('claimOutcome: what the commit sha- tag holds after this run built', () => {
  const platforms = ['linux/amd64', 'linux/arm64'];
  const cases: { name: string; existing: ExistingImage | undefined; kind: string; reason?: RegExp }[] = [
    { name: 'absent: this run may claim it', existing: undefined, kind: 'free' },
    { name: 'this run digest (a concurrent run built the same bytes, or this run put it): its own', existing: held(OURS, { [REVISION_LABEL]: REV }), kind: 'ours' },
    {
      name: 'a concurrent run image of this commit with every platform: adopt it',
      existing: held(THEIRS, { [REVISION_LABEL]: REV }),
      kind: 'adopt',
      reason: new RegExp(`adopted ${THEIRS} pushed by a concurrent run of this commit \\(${REF}\\): this run's build ${OURS} is not published`),
    },
    { name: 'another commit with the same 7-character prefix: foreign, never adopted', existing: held(THEIRS, { [REVISION_LABEL]: `0123456${'f'.repeat(33)}` }), kind: 'foreign', reason: /built from revision 0123456f+/ },
    { name: 'no revision label: foreign', existing: held(THEIRS, {}), kind: 'foreign', reason: /an image without a revision label/ },
    { name: 'this commit but a platform asked is missing: foreign', existing: held(THEIRS, { [REVISION_LABEL]: REV }, ['linux/amd64']), kind: 'foreign', reason: /built from this commit but not for every platform asked \(linux\/amd64\)/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = claimOutcome(c.existing, OURS, REF, REV, platforms);
      assert.equal(got.kind, c.kind);
      if (c.reason) assert.match('reason' in got ? got.reason : '', c.reason);
      if (got.kind === 'adopt' || got.kind === 'foreign') assert.equal(got.digest, THEIRS);
    });
  }
});

describe('uploadTag: the tag `docker push` uploads under before the sha- tag is claimed', () => {
  const cases: { name: string; tags: string[]; immutable: string[]; want: string }[] = [
    { name: 'branch run: its branch tag', tags: ['main', 'dev', 'sha-0123456'], immutable: ['sha-0123456'], want: 'main' },
    { name: 'release run: the first moving tag, not the exact version (moved only after the claim is decided)', tags: ['v1.2.3', 'v1.2', 'v1', 'sha-0123456', 'latest'], immutable: ['v1.2.3', 'sha-0123456'], want: 'v1.2' },
    { name: 'pre-release run (no moving tag): the version, never the sha- tag', tags: ['v1.2.3-rc.1', 'sha-0123456'], immutable: ['v1.2.3-rc.1', 'sha-0123456'], want: 'v1.2.3-rc.1' },
    { name: 'only the sha- tag: the push is the claim', tags: ['sha-0123456'], immutable: ['sha-0123456'], want: 'sha-0123456' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(uploadTag(c.tags, c.immutable, 'sha-0123456'), c.want));
});

describe('the claim window', () => {
  it('waits the rest of the window after the last read or write, never a negative time', () => {
    assert.equal(settleRemaining(1000, 1000), CLAIM_SETTLE_MS);
    assert.equal(settleRemaining(1000, 1500), CLAIM_SETTLE_MS - 500);
    assert.equal(settleRemaining(1000, 1000 + CLAIM_SETTLE_MS + 1), 0);
  });

  it('reports as corrected only the refs this run pushed that now carry the adopted digest, once each', () => {
    const pushed = ['r/app:main', 'r/app:sha-0123456', 'r/app:main', 'other/app:main'];
    assert.deepEqual(correctedRefs(pushed, ['r/app:main', 'r/app:dev', 'r/app:sha-0123456']), ['r/app:main', 'r/app:sha-0123456']);
  });
});
