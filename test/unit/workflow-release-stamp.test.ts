// scripts/stamp-workflows.ts: the GHES / old-runner fallback of `$/` rewrites exactly the self-repository
// references of the reusable workflows to <repository>/<path>@<ref>, and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { argumentProblem, stampText, stampWorkflows } from '../../scripts/stamp-workflows.js';
import { PENDING_ACTIONS, resolveActionRef, ROOT } from '../support/workflows.js';

const SHA = 'c0ffee0000000000000000000000000000c0ffee';

test('rewrites $/ action and workflow references, keeps indentation, quotes and comments, leaves every other line alone', () => {
  const text = [
    'jobs:',
    '  build:',
    '    uses: $/.github/workflows/build-services.yml',
    '  deploy:',
    '    steps:',
    '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
    "      - uses: '$/helm-deploy'",
    '        uses: $/smoke-test # the smoke test',
    '      - run: echo "uses: $/not-a-step"',
  ].join('\n');
  const r = stampText(text, 'my-org/platform-actions', SHA);
  assert.equal(r.count, 3);
  assert.deepEqual(r.text.split('\n'), [
    'jobs:',
    '  build:',
    `    uses: my-org/platform-actions/.github/workflows/build-services.yml@${SHA}`,
    '  deploy:',
    '    steps:',
    '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
    `      - uses: my-org/platform-actions/helm-deploy@${SHA}`,
    `        uses: my-org/platform-actions/smoke-test@${SHA} # the smoke test`,
    '      - run: echo "uses: $/not-a-step"',
  ]);
  assert.equal(stampText(r.text, 'my-org/platform-actions', SHA).count, 0, 'stamping twice changes nothing');
});

test('refuses a repository or ref that could not be a uses: target', () => {
  assert.match(argumentProblem('platform-actions', SHA) ?? '', /--repository must be <owner>\/<name>/);
  assert.match(argumentProblem('my-org/platform-actions', '') ?? '', /--ref must be a commit SHA or a tag/);
  assert.match(argumentProblem('my-org/platform-actions', 'v1 && rm') ?? '', /--ref must be/);
  assert.equal(argumentProblem('my-org/platform-actions', 'v1.4.2'), undefined);
});

test("stamping a copy of this repository's workflows leaves no $/ and every reference resolves to an action or workflow of this commit", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stamp-'));
  try {
    fs.cpSync(path.join(ROOT, '.github/workflows'), path.join(root, '.github/workflows'), { recursive: true });
    const before = Object.fromEntries(fs.readdirSync(path.join(root, '.github/workflows')).map((f) => [f, fs.readFileSync(path.join(root, '.github/workflows', f), 'utf8')]));
    const changed = stampWorkflows(root, 'my-org/platform-actions', SHA);
    const names = changed.map((c) => c.file);
    for (const f of ['ci.yml', 'cd.yml', 'pr.yml']) assert.ok(names.includes(`.github/workflows/${f}`), f);
    for (const [f, text] of Object.entries(before)) {
      const after = fs.readFileSync(path.join(root, '.github/workflows', f), 'utf8');
      assert.doesNotMatch(after, /^\s*(-\s+)?uses:\s*['"]?\$\//m, f);
      const a = after.split('\n');
      const b = text.split('\n');
      assert.equal(a.length, b.length, f);
      const diff = a.filter((l, i) => l !== b[i]);
      assert.equal(diff.length, changed.find((c) => c.file === `.github/workflows/${f}`)?.count ?? 0, f);
      for (const line of diff) {
        const uses = /uses:\s*(\S+)/.exec(line)?.[1] ?? '';
        const target = uses.slice('my-org/platform-actions/'.length, uses.lastIndexOf('@'));
        assert.ok(uses.startsWith('my-org/platform-actions/') && uses.endsWith(`@${SHA}`), line);
        assert.ok(target.startsWith('.github/workflows/') ? fs.existsSync(path.join(ROOT, target)) : resolveActionRef(`./${target}`) === target || (PENDING_ACTIONS.includes(target) && !fs.existsSync(path.join(ROOT, target))), `${line} names something this commit has`);
      }
      assert.doesNotThrow(() => YAML.parse(after), f);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the command line names what is wrong and stamps nothing on bad arguments', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stamp-cli-'));
  try {
    fs.mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    fs.writeFileSync(path.join(root, '.github/workflows/cd.yml'), 'jobs:\n  a:\n    steps:\n      - uses: $/helm-deploy\n');
    const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
    const bad = spawnSync(tsx, ['scripts/stamp-workflows.ts', '--repository', 'nope', '--ref', SHA, '--root', root], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GITHUB_REPOSITORY: '' } });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--repository must be <owner>\/<name>, got "nope"/);
    assert.match(fs.readFileSync(path.join(root, '.github/workflows/cd.yml'), 'utf8'), /\$\/helm-deploy/);
    const good = spawnSync(tsx, ['scripts/stamp-workflows.ts', '--ref', SHA, '--root', root], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GITHUB_REPOSITORY: 'my-org/platform-actions' } });
    assert.equal(good.status, 0, good.stderr);
    assert.match(good.stdout, /1 reference\(s\) in 1 file\(s\)/);
    assert.match(fs.readFileSync(path.join(root, '.github/workflows/cd.yml'), 'utf8'), new RegExp(`uses: my-org/platform-actions/helm-deploy@${SHA}`));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
