import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImageToVerify } from '../../actions/verify-image/inputs.js';
import { checkLabels, expectedSource, isReleaseTag, platformDisagreements, REVISION_LABEL, SOURCE_LABEL } from '../../actions/verify-image/labels.js';

const REV = '0123456789abcdef0123456789abcdef01234567';
const OTHER = 'f'.repeat(40);
const policy = { source: expectedSource('https://github.com/', 'acme/app'), allowRevisionMismatch: false };

describe('checkLabels: the source and revision labels against this pipeline', () => {
  const cases: { name: string; labels: Record<string, string>; expectedRevision?: string; allow?: boolean; problems: RegExp[]; warnings?: RegExp[] }[] = [
    { name: 'this repository and a full revision: accepted', labels: { [SOURCE_LABEL]: 'https://github.com/acme/app', [REVISION_LABEL]: REV }, problems: [] },
    { name: 'case, a trailing .git and / do not make another repository', labels: { [SOURCE_LABEL]: 'https://GitHub.com/ACME/App.git/', [REVISION_LABEL]: REV }, problems: [] },
    { name: 'another repository: refused, naming the label and the value', labels: { [SOURCE_LABEL]: 'https://github.com/acme/app-fork', [REVISION_LABEL]: REV }, problems: [/label org\.opencontainers\.image\.source is 'https:\/\/github\.com\/acme\/app-fork', not https:\/\/github\.com\/acme\/app/] },
    { name: 'no source label: refused', labels: { [REVISION_LABEL]: REV }, problems: [/label org\.opencontainers\.image\.source is missing/] },
    { name: 'no revision label: refused', labels: { [SOURCE_LABEL]: 'https://github.com/acme/app' }, problems: [/label org\.opencontainers\.image\.revision is missing/] },
    { name: 'an empty revision label counts as missing', labels: { [SOURCE_LABEL]: 'https://github.com/acme/app', [REVISION_LABEL]: ' ' }, problems: [/revision is missing/] },
    { name: 'a short revision: refused (not a full SHA)', labels: { [SOURCE_LABEL]: 'https://github.com/acme/app', [REVISION_LABEL]: 'abc1234' }, problems: [/label org\.opencontainers\.image\.revision is 'abc1234', not a full commit SHA/] },
    { name: 'a revision other than expected: refused, naming the input that relaxes it', labels: { [SOURCE_LABEL]: 'https://github.com/acme/app', [REVISION_LABEL]: OTHER }, expectedRevision: REV, problems: [new RegExp(`revision is ${OTHER}, not the expected revision ${REV} \\(set allow-revision-mismatch: true`)] },
    { name: 'with allow-revision-mismatch the mismatch is a warning', labels: { [SOURCE_LABEL]: 'https://github.com/acme/app', [REVISION_LABEL]: OTHER }, expectedRevision: REV, allow: true, problems: [], warnings: [/not the expected revision .*let through: allow-revision-mismatch/] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = checkLabels(c.labels, { ...policy, expectedRevision: c.expectedRevision, allowRevisionMismatch: Boolean(c.allow) });
      assert.equal(got.problems.length, c.problems.length, got.problems.join('; '));
      c.problems.forEach((re, i) => assert.match(got.problems[i], re));
      assert.equal(got.warnings.length, c.warnings?.length ?? 0);
      c.warnings?.forEach((re, i) => assert.match(got.warnings[i], re));
    });
  }
});

describe('release tags and image references', () => {
  it('counts vX.Y.Z and pre-releases as release tags, not branches or nightlies', () => {
    for (const t of ['v1.2.3', '1.2.3', 'V0.1.0', 'v2.0.0-rc.1']) assert.ok(isReleaseTag(t), t);
    for (const t of ['nightly', 'v1.2', 'v1', 'release/1.0', 'v1.2.3.4']) assert.ok(!isReleaseTag(t), t);
  });

  it('wants a digest; maps a Docker Hub short name to library/', () => {
    assert.match(String(parseImageToVerify('ghcr.io/acme/app:v1')), /has no digest/);
    const d = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(parseImageToVerify(`nginx@${d}`), { ref: `nginx@${d}`, registry: 'docker.io', repository: 'library/nginx', digest: d });
    assert.deepEqual(parseImageToVerify(`ghcr.io/acme/app:v1@${d}`), { ref: `ghcr.io/acme/app:v1@${d}`, registry: 'ghcr.io', repository: 'acme/app', digest: d });
  });
});

describe('platformDisagreements: every platform image of an index carries the same provenance', () => {
  const image = (platform: string, labels: Record<string, string>) => ({ platform, digest: `sha256:${'a'.repeat(64)}`, labels });
  const good = { [SOURCE_LABEL]: 'https://github.com/acme/app', [REVISION_LABEL]: REV };
  it('finds nothing for one platform or for platforms that agree', () => {
    assert.deepEqual(platformDisagreements([]), []);
    assert.deepEqual(platformDisagreements([image('linux/amd64', good)]), []);
    assert.deepEqual(platformDisagreements([image('linux/amd64', good), image('linux/arm64', { ...good })]), []);
  });
  it('names each platform whose revision differs or is missing, with both values', () => {
    const problems = platformDisagreements([image('linux/amd64', good), image('linux/arm64', { ...good, [REVISION_LABEL]: OTHER }), image('linux/arm/v7', { [SOURCE_LABEL]: good[SOURCE_LABEL] })]);
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0], new RegExp(`^platform linux/arm64 .* has label ${REVISION_LABEL.replace(/\./g, '\\.')} '${OTHER}', but linux/amd64 has '${REV}'`));
    assert.match(problems[1], /^platform linux\/arm\/v7 .*image\.revision missing, but linux\/amd64 has/);
  });
});
