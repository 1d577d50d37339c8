// .ci/run's guard around `stack.sh up`: the machine's python3, perl and libc are recorded before and after,
// and any change fails CI. Run here with `up` replaced, so no package is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../../scripts/workflow-pins.js';

const UP = 'bash scripts/stack.sh up';

/** The stack step of .ci/run, with `stack.sh up` replaced by `up` (a shell snippet). */
function stackStep(up: string): string {
  const lines = fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('step "test stack'));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('step '));
  assert.ok(start >= 0 && end > start, '.ci/run has a "test stack" step');
  const block = lines.slice(start, end);
  assert.equal(block.filter((l) => l === UP).length, 1, `the step runs ${UP} once`);
  return ['set -euo pipefail', `cd ${JSON.stringify(ROOT)}`, 'step() { printf "\\n== %s\\n" "$*"; }', ...block.map((l) => (l === UP ? up : l))].join('\n');
}

function run(up: string, env: Record<string, string> = {}): { code: number; out: string } {
  const r = spawnSync('bash', ['-c', stackStep(up)], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status ?? 1, out: r.stdout + r.stderr };
}

test('stack.sh versions records python3, perl and libc (the first non-empty line of each) and the release', () => {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/stack.sh'), 'versions'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.slice(0, l.indexOf(':'))), ['python3', '/usr/bin/python3', 'perl', 'libc', 'release']);
  for (const l of lines) assert.ok(l.slice(l.indexOf(':') + 1).trim().length > 0, l);
  if (spawnSync('perl', ['-v']).status === 0) assert.match(lines[2], /^perl: This is perl /);
  assert.match(lines[3], /^libc: ldd \(/);
});

test('.ci/run passes when stack.sh up leaves python3, perl and libc as they were', () => {
  const r = run('true');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /before stack\.sh up:\npython3: /);
  assert.match(r.out, /unchanged after stack\.sh up/);
});

test('.ci/run fails, showing the difference, when stack.sh up changed the python3 on PATH', () => {
  const shim = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-shim-'));
  try {
    const up = `printf '#!/bin/sh\\necho Python 3.13.5\\n' > ${shim}/python3 && chmod +x ${shim}/python3`;
    const r = run(up, { PATH: `${shim}:${process.env.PATH ?? ''}` });
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /stack\.sh up changed the machine's own python3, perl, libc or release/);
    assert.match(r.out, /> python3: Python 3\.13\.5/);
    assert.doesNotMatch(r.out, /unchanged after stack\.sh up/);
  } finally {
    fs.rmSync(shim, { recursive: true, force: true });
  }
});
