// release.yml refuses a release whose reusable workflows would run actions of another version: every
// reference to this repository inside .github/workflows must be `$/<path>` (the workflow's own commit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findStep, pinningProblem, ROOT } from '../support/workflows.js';

const CHECK = String(findStep('.github/workflows/release.yml', 'verify', "Check the reusable workflows use their own commit's actions").run);

function check(files: Record<string, string>): { code: number; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-check-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', CHECK], { cwd: dir, encoding: 'utf8' });
    return { code: r.status ?? 1, out: r.stdout + r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const GOOD = 'jobs:\n  a:\n    steps:\n      - uses: $/helm-deploy\n  b:\n    uses: $/.github/workflows/ci.yml\n';

test('the release check accepts $/ references and the examples\' versioned calls', () => {
  const r = check({ '.github/workflows/cd.yml': GOOD, 'examples/workflows/push.yml': '    uses: platform-org/platform-actions/.github/workflows/cd.yml@v1\n' });
  assert.equal(r.code, 0, r.out);
});

test('the release check refuses an action referenced by a moving tag', () => {
  const r = check({ '.github/workflows/cd.yml': GOOD + '      - uses: platform-org/platform-actions/smoke-test@v1\n' });
  assert.equal(r.code, 1);
  assert.match(r.out, /::error title=release::Reference this repository's actions and workflows as \$\/<path>/);
  assert.match(r.out, /cd\.yml:7:.*smoke-test@v1/);
});

test('the release check refuses a nested reusable workflow referenced by a moving tag', () => {
  const r = check({ '.github/workflows/gitops.yml': '  build:\n    uses: platform-org/platform-actions/.github/workflows/build-services.yml@v1\n' });
  assert.equal(r.code, 1);
  assert.match(r.out, /gitops\.yml:2:/);
});

test('the reusable workflows of issue 9 (ci, cd, pr) pass the release check today', () => {
  const files = Object.fromEntries(['ci.yml', 'cd.yml', 'pr.yml'].map((f) => [`.github/workflows/${f}`, fs.readFileSync(path.join(ROOT, '.github/workflows', f), 'utf8')]));
  const r = check(files);
  assert.equal(r.code, 0, r.out);
});

test('the audit takes $/<name> as pinned (the workflow\'s own commit) and still refuses a third-party tag', () => {
  assert.equal(pinningProblem('$/helm-deploy'), undefined);
  assert.equal(pinningProblem('$/.github/workflows/ci.yml'), undefined);
  assert.match(pinningProblem('actions/checkout@v5') ?? '', /not pinned by a full commit SHA/);
});
