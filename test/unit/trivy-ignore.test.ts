import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  IgnoreFileError,
  buildRules,
  globToRegExp,
  licenseComponents,
  matchIgnore,
  parsePurl,
  parseTrivyIgnore,
  parseTrivyIgnoreYaml,
  purlMatches,
  type MatchableFinding,
} from '../../actions/trivy-gate/ignore.js';

const NOW = new Date('2026-09-01T12:00:00Z');

describe('.trivyignore', () => {
  it('reads one ID per line, skipping blanks and comments, keeping the trailing comment as the reason', () => {
    const { entries, warnings } = parseTrivyIgnore('# header\n\nCVE-2024-1 # not reachable\n  GHSA-xxxx  \nDS-0002 exp:2027-01-31 until the base image moves\n', '.trivyignore');
    assert.deepEqual(
      entries.map((e) => [e.id, e.expiresAt, e.statement, e.source]),
      [
        ['CVE-2024-1', undefined, 'not reachable', '.trivyignore:3'],
        ['GHSA-xxxx', undefined, undefined, '.trivyignore:4'],
        ['DS-0002', '2027-01-31', undefined, '.trivyignore:5'],
      ],
    );
    assert.deepEqual(warnings, []);
  });

  const badDates = ['exp:2026-02-30', 'exp:26-01-01', 'exp:tomorrow'];
  for (const bad of badDates) {
    it(`drops the whole line and warns on ${bad}, as Trivy does`, () => {
      const { entries, warnings } = parseTrivyIgnore(`CVE-2024-1 ${bad}\n`, 'f');
      assert.equal(entries.length, 0);
      assert.match(warnings[0], /f:1: .* is not a valid exp:YYYY-MM-DD date/);
    });
  }

  const expiry: [string, boolean][] = [
    ['2026-09-02', false],
    ['2026-09-01', true],
    ['2026-08-31', true],
  ];
  for (const [date, expired] of expiry) {
    it(`an entry with exp:${date} is ${expired ? 'expired' : 'active'} on 2026-09-01 12:00 UTC`, () => {
      const rules = buildRules(parseTrivyIgnore(`CVE-1 exp:${date}`, 'f').entries, NOW);
      assert.equal(rules.expired.length, expired ? 1 : 0);
      assert.equal(rules.active.length, expired ? 0 : 1);
    });
  }
});

describe('.trivyignore.yaml', () => {
  const yaml = `
vulnerabilities:
  - id: CVE-2024-1
    paths: ["app/**/package-lock.json"]
    purls: ["pkg:npm/lodash@4.17.20"]
    expired_at: 2027-01-01
    statement: dev only
misconfigurations:
  - id: AVD-DS-0002
secrets:
  - id: aws-access-key-id
    paths: ["test/**"]
licenses:
  - id: GPL-3.0-only
`;
  it('reads the four lists with paths, purls, expired_at and statement', () => {
    const entries = parseTrivyIgnoreYaml(yaml, '.trivyignore.yaml');
    assert.deepEqual(
      entries.map((e) => [e.kind, e.id, e.paths, e.purls.map((p) => p.name), e.expiresAt, e.statement]),
      [
        ['vulnerability', 'CVE-2024-1', ['app/**/package-lock.json'], ['lodash'], '2027-01-01', 'dev only'],
        ['misconfiguration', 'AVD-DS-0002', [], [], undefined, undefined],
        ['secret', 'aws-access-key-id', ['test/**'], [], undefined, undefined],
        ['license', 'GPL-3.0-only', [], [], undefined, undefined],
      ],
    );
  });

  const invalid: [string, RegExp][] = [
    ['vulnerabilities: [{paths: [a]}]', /'id' is required/],
    ['vulnerabilities: {id: x}', /must be a list/],
    ['vulnerabilities: [{id: x, purls: ["npm/lodash"]}]', /not a package URL/],
    ['vulnerabilities: [{id: x, expired_at: soon}]', /not a YYYY-MM-DD date/],
    ['vulnerabilities: [{id: x, paths: ["a/{b"]}]', /invalid glob/],
    ['vulnerabilities:\n  - id: [', /not valid YAML/],
  ];
  for (const [text, message] of invalid) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.throws(() => parseTrivyIgnoreYaml(text, 'y'), (err: unknown) => err instanceof IgnoreFileError && message.test(err.message)));
  }

  it('accepts an empty file', () => assert.deepEqual(parseTrivyIgnoreYaml('', 'y'), []));
});

describe('matching findings', () => {
  const rules = buildRules(
    parseTrivyIgnoreYaml(
      `
vulnerabilities:
  - id: CVE-1
    paths: ["app/**"]
  - id: CVE-2
    purls: ["pkg:deb/debian/libssl1.1?arch=amd64"]
  - id: CVE-3
misconfigurations:
  - id: AVD-DS-0002
    paths: [Dockerfile]
licenses:
  - id: GPL-3.0-only
  - id: LGPL-2.1-only
`,
      'y',
    ),
    NOW,
  ).active;
  const vuln = (over: Partial<MatchableFinding>): MatchableFinding => ({ kind: 'vulnerability', ids: ['CVE-1'], target: 'x', ...over });
  const cases: [string, MatchableFinding, boolean][] = [
    ['a path glob against the PkgPath', vuln({ target: 'Node.js', pkgPath: 'app/node_modules/ws/package.json' }), true],
    ['a path glob against the Target', vuln({ target: 'app/package-lock.json' }), true],
    ['a path glob that matches neither', vuln({ target: 'lib/package-lock.json', pkgPath: 'lib/x' }), false],
    ['a purl without version against any version with the qualifier', vuln({ ids: ['CVE-2'], purl: 'pkg:deb/debian/libssl1.1@1.1.1n-0+deb11u5?arch=amd64&distro=debian-11' }), true],
    ['a purl whose qualifier differs', vuln({ ids: ['CVE-2'], purl: 'pkg:deb/debian/libssl1.1@1.1.1n?arch=arm64' }), false],
    ['a purl entry against a finding without PURL (not applied)', vuln({ ids: ['CVE-2'] }), true],
    ['an entry of another kind', { kind: 'secret', ids: ['CVE-3'], target: 'x' }, false],
    ['a misconfiguration by its AVDID', { kind: 'misconfiguration', ids: ['DS-0002', 'AVD-DS-0002'], target: 'Dockerfile' }, true],
    ['a compound license whose every part is ignored', { kind: 'license', ids: ['GPL-3.0-only OR LGPL-2.1-only'], target: 'OS Packages' }, true],
    ['a compound license with a part not ignored', { kind: 'license', ids: ['GPL-3.0-only AND MIT'], target: 'OS Packages' }, false],
  ];
  for (const [name, finding, ignored] of cases) it(`${ignored ? 'ignores' : 'keeps'} ${name}`, () => assert.equal(matchIgnore(rules, finding) !== undefined, ignored));

  it('applies .trivyignore IDs to every kind', () => {
    const plain = parseTrivyIgnore('private-key\n', 'f').entries;
    assert.ok(matchIgnore(plain, { kind: 'secret', ids: ['private-key'], target: 'a' }));
    assert.ok(matchIgnore(plain, { kind: 'license', ids: ['private-key'], target: 'a' }));
  });
});

describe('glob, purl and license helpers', () => {
  const globs: [string, string, boolean][] = [
    ['**/package-lock.json', 'package-lock.json', true],
    ['**/package-lock.json', 'a/b/package-lock.json', true],
    ['app/*', 'app/x', true],
    ['app/*', 'app/x/y', false],
    ['app/**', 'app/x/y', true],
    ['*.{yaml,yml}', 'values.yml', true],
    ['file?.txt', 'file1.txt', true],
    ['[!a]bc', 'abc', false],
    ['Dockerfile', 'Dockerfile', true],
  ];
  for (const [pattern, p, want] of globs) it(`glob ${pattern} ${want ? 'matches' : 'does not match'} ${p}`, () => assert.equal(globToRegExp(pattern).test(p), want));

  it('parses a purl with namespace, version, qualifiers and subpath', () => {
    assert.deepEqual(parsePurl('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar#src/main'), {
      type: 'maven',
      namespace: 'org.apache.logging.log4j',
      name: 'log4j-core',
      version: '2.14.1',
      qualifiers: { type: 'jar' },
      subpath: 'src/main',
    });
    assert.equal(parsePurl('npm/lodash'), undefined);
  });

  it('compares a scoped npm purl with an encoded @', () => {
    const pattern = parsePurl('pkg:npm/%40babel/traverse');
    const target = parsePurl('pkg:npm/%40babel/traverse@7.23.0');
    assert.ok(pattern && target && purlMatches(pattern, target));
  });

  it('splits license expressions on AND/OR, keeping WITH together', () => {
    assert.deepEqual(licenseComponents('(MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0'), ['MIT', 'Apache-2.0', 'GPL-2.0-only WITH Classpath-exception-2.0']);
  });
});
