import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempTree } from '../support/workflows.js';
import { collectPins, isThirdParty, pinnedFiles, pinProblems, syncPins, usesIn } from '../../scripts/workflow-pins.js';

const CHECKOUT_NEW = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';
const CHECKOUT_OLD = 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0';

function workflow(...uses: string[]): string {
  return `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n${uses.map((u) => `      - uses: ${u}\n`).join('')}`;
}

const tree = (files: Record<string, string>): string => tempTree('pins-', files);

test('every third-party action in the workflows, examples, README and docs is SHA-pinned with its release, one pin per action', () => {
  assert.deepEqual(pinProblems(collectPins()), []);
});

test('the pin check sees the pins it is meant to guard (workflows, README and docs code blocks)', () => {
  const pins = collectPins().filter(isThirdParty);
  const repos = new Set(pins.map((p) => p.repo));
  for (const repo of ['actions/checkout', 'actions/upload-artifact', 'docker/setup-qemu-action', 'helm/kind-action', 'github/codeql-action']) assert.ok(repos.has(repo), repo);
  const files = new Set(pins.map((p) => p.file));
  assert.ok(files.has('README.md') && [...files].some((f) => f.startsWith('docs/')) && [...files].some((f) => f.startsWith('.github/workflows/')), [...files].join(', '));
  assert.ok(pinnedFiles().some((f) => f.startsWith('examples/workflows/')));
});

const bad: { name: string; uses: string; expect: RegExp }[] = [
  { name: 'a tag', uses: 'actions/checkout@v7', expect: /not pinned by a full 40-hex commit SHA/ },
  { name: 'a tag with a version comment', uses: 'actions/checkout@v7.0.1 # v7.0.1', expect: /not pinned by a full 40-hex commit SHA/ },
  { name: 'a branch', uses: 'aquasecurity/trivy-action@master', expect: /not pinned by a full 40-hex commit SHA/ },
  { name: 'an abbreviated SHA', uses: 'actions/checkout@3d3c42e # v7.0.1', expect: /not pinned by a full 40-hex commit SHA/ },
  { name: 'an upper-case SHA', uses: 'actions/checkout@3D3C42E5AAC5BA805825DA76410C181273BA90B1 # v7.0.1', expect: /not pinned by a full 40-hex commit SHA/ },
  { name: 'a SHA without a comment', uses: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1', expect: /no '# vX\.Y\.Z' comment/ },
  { name: 'a SHA with a major-only comment', uses: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7', expect: /no '# vX\.Y\.Z' comment/ },
  { name: 'a docker:// image by tag', uses: 'docker://alpine:3.20', expect: /not pinned by digest/ },
];
for (const c of bad) {
  test(`the pin rule rejects ${c.name}`, () => {
    const problems = pinProblems(usesIn('.github/workflows/x.yml', workflow(c.uses)));
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], c.expect);
    assert.match(problems[0], /^\.github\/workflows\/x\.yml:8: /);
  });
}

test('the pin rule accepts SHA pins with a release, quoted values, local, self-repository ($/) and first-party references', () => {
  const source = workflow(CHECKOUT_NEW, `'${CHECKOUT_NEW.split(' ')[0]}' # v7.0.1`, './build-push', '$/build-push', 'platform-org/platform-actions/build-push@v1', `docker://alpine@sha256:${'a'.repeat(64)}`);
  assert.deepEqual(pinProblems(usesIn('.github/workflows/x.yml', source)), []);
});

test('two pins of one action that disagree fail, naming both and where they are', () => {
  const pins = [...usesIn('.github/workflows/a.yml', workflow(CHECKOUT_NEW)), ...usesIn('examples/workflows/b.yml', workflow(CHECKOUT_OLD))];
  const problems = pinProblems(pins);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^actions\/checkout is pinned 2 ways: /);
  assert.match(problems[0], /3d3c42e5aac5ba805825da76410c181273ba90b1 # v7\.0\.1 \(\.github\/workflows\/a\.yml:8\)/);
  assert.match(problems[0], /08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5\.0\.0 \(examples\/workflows\/b\.yml:8\)/);
});

test('one SHA with two different release comments disagrees too', () => {
  const pins = usesIn('.github/workflows/a.yml', workflow(CHECKOUT_NEW, CHECKOUT_NEW.replace('v7.0.1', 'v7.0.0')));
  assert.match(pinProblems(pins).join('\n'), /actions\/checkout is pinned 2 ways/);
});

test('sub-path actions of one repository must share its pin (codeql-action init and upload-sarif)', () => {
  const pins = usesIn(
    '.github/workflows/a.yml',
    workflow('github/codeql-action/init@8aad20d150bbac5944a9f9d289da16a4b0d87c1e # v4.36.2', 'github/codeql-action/upload-sarif@0499de31b99561a6d14a36a5f662c2a54f91beee # v4.31.2'),
  );
  assert.match(pinProblems(pins).join('\n'), /^github\/codeql-action is pinned 2 ways/);
});

test('Markdown: uses: lines in code blocks are checked, uses: in prose is not', () => {
  const md = ['Prose mentions `uses: actions/checkout@v7` and is not a pin.', '', '```yaml', 'steps:', '  - uses: actions/checkout@v7', '```', '', 'uses: actions/setup-node@v7 after the block'].join('\n');
  const pins = usesIn('docs/x.md', md);
  assert.deepEqual(pins.map((p) => [p.line, p.uses]), [[5, 'actions/checkout@v7']]);
  assert.match(pinProblems(pins)[0], /^docs\/x\.md:5: actions\/checkout@v7 is not pinned/);
});

test('a README code block pinned to an older release than the workflows is caught in a repository layout', () => {
  const root = tree({
    '.github/workflows/ci.yml': workflow(CHECKOUT_NEW),
    'README.md': '# x\n\n```yaml\nsteps:\n  - uses: ' + CHECKOUT_OLD + '\n```\n',
    'docs/guide.md': '```yaml\n- uses: ' + CHECKOUT_NEW + '\n```\n',
  });
  try {
    const problems = pinProblems(collectPins(root));
    assert.equal(problems.length, 1);
    assert.match(problems[0], /README\.md:5/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('syncPins copies the newest release over older pins and keeps the rest of the line', () => {
  const root = tree({
    '.github/workflows/ci.yml': workflow(CHECKOUT_NEW),
    'examples/workflows/push.yml': workflow(`${CHECKOUT_OLD} (then build)`),
    'README.md': '```yaml\n  - uses: ' + CHECKOUT_OLD + '\n```\n',
  });
  try {
    assert.deepEqual(syncPins(root).sort(), ['README.md', 'examples/workflows/push.yml']);
    assert.match(fs.readFileSync(path.join(root, 'examples/workflows/push.yml'), 'utf8'), /uses: actions\/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7\.0\.1 \(then build\)\n/);
    assert.deepEqual(pinProblems(collectPins(root)), []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
