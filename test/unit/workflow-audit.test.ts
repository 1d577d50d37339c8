import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { auditWorkflow, pinningProblem, ROOT, untrustedReason, workflowFiles } from '../support/workflows.js';
import type { AuditRule } from '../support/workflows.js';

for (const file of workflowFiles()) {
  test(`${file} passes the security audit`, () => {
    assert.deepEqual(auditWorkflow(fs.readFileSync(path.join(ROOT, file), 'utf8'), file), []);
  });
}

const CHECKOUT = 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0';

function sample(body: { on?: string; top?: string; job?: string; steps: string }): string {
  return `on: ${body.on ?? 'push'}
${body.top ?? 'permissions: {}'}
jobs:
  build:
    runs-on: ubuntu-latest
${body.job ?? '    permissions:\n      contents: read'}
    steps:
${body.steps}
`;
}

function rules(source: string): AuditRule[] {
  return auditWorkflow(source).map((f) => f.rule);
}

test('a clean sample has no findings', () => {
  assert.deepEqual(auditWorkflow(sample({ steps: `      - uses: ${CHECKOUT}\n      - env:\n          TITLE: \${{ github.event.pull_request.title }}\n        run: echo "$TITLE"` })), []);
});

const bad: { name: string; source: string; rule: AuditRule }[] = [
  { name: 'catches a third-party action pinned to a tag', source: sample({ steps: '      - uses: actions/checkout@v5' }), rule: 'unpinned-action' },
  { name: 'catches a third-party action pinned to a branch', source: sample({ steps: '      - uses: aquasecurity/trivy-action@master' }), rule: 'unpinned-action' },
  { name: 'catches an abbreviated SHA', source: sample({ steps: '      - uses: actions/checkout@08c6903 # v5.0.0' }), rule: 'unpinned-action' },
  { name: 'catches a docker:// action without a digest', source: sample({ steps: '      - uses: docker://alpine:3.20' }), rule: 'unpinned-action' },
  { name: 'catches a reusable workflow of another repository pinned to a tag', source: `on: push\npermissions: {}\njobs:\n  call:\n    permissions: {}\n    uses: someone/workflows/.github/workflows/x.yml@v2\n`, rule: 'unpinned-action' },
  { name: 'catches a SHA pin without the release comment', source: sample({ steps: '      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8' }), rule: 'missing-version-comment' },
  { name: 'catches a workflow with no permissions anywhere', source: sample({ top: '', job: '', steps: `      - uses: ${CHECKOUT}` }), rule: 'missing-permissions' },
  { name: 'catches permissions: write-all', source: sample({ top: 'permissions: write-all', steps: `      - uses: ${CHECKOUT}` }), rule: 'write-all' },
  { name: 'catches a pull_request_target trigger (mapping)', source: sample({ on: '\n  pull_request_target:\n    types: [opened]', steps: `      - uses: ${CHECKOUT}` }), rule: 'pull-request-target' },
  { name: 'catches a pull_request_target trigger (list)', source: sample({ on: '[push, pull_request_target]', steps: `      - uses: ${CHECKOUT}` }), rule: 'pull-request-target' },
  { name: 'catches github.event.* expanded in run', source: sample({ steps: '      - run: echo "${{ github.event.pull_request.title }}"' }), rule: 'untrusted-expression' },
  { name: 'catches github.head_ref expanded in run', source: sample({ steps: '      - run: git checkout ${{ github.head_ref }}' }), rule: 'untrusted-expression' },
  {
    name: 'catches a string input expanded in run',
    source: `on:\n  workflow_call:\n    inputs:\n      cmd:\n        type: string\n        default: ''\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: \${{ inputs.cmd }}\n`,
    rule: 'untrusted-expression',
  },
  { name: 'catches a step output expanded in run', source: sample({ steps: '      - id: a\n        run: echo x\n      - run: echo ${{ steps.a.outputs.tags }}' }), rule: 'untrusted-expression' },
  { name: 'catches a secret expanded in run', source: sample({ steps: '      - run: docker login -p ${{ secrets.TOKEN }}' }), rule: 'untrusted-expression' },
  { name: 'catches an untrusted expression in github-script', source: sample({ steps: '      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1\n        with:\n          script: console.log("${{ github.event.issue.title }}")' }), rule: 'untrusted-expression' },
];
for (const c of bad) {
  test(c.name, () => {
    const found = rules(c.source);
    assert.ok(found.includes(c.rule), `expected ${c.rule}, got ${JSON.stringify(auditWorkflow(c.source))}`);
  });
}

test('job-level permissions on every job satisfy the permissions rule without a workflow-level block', () => {
  assert.deepEqual(rules(sample({ top: '', steps: `      - uses: ${CHECKOUT}` })), []);
});

test('one job without permissions is caught when the workflow has none', () => {
  const source = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: echo a\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo b\n`;
  assert.deepEqual(auditWorkflow(source).map((f) => [f.rule, f.where]), [['missing-permissions', 'workflow job b']]);
});

test('boolean and number inputs may be expanded in run, string inputs may not', () => {
  const types = new Map([
    ['dry', 'boolean'],
    ['n', 'number'],
    ['name', 'string'],
  ]);
  assert.equal(untrustedReason(' inputs.dry ', types), undefined);
  assert.equal(untrustedReason(' inputs.n ', types), undefined);
  assert.match(untrustedReason(' inputs.name ', types) ?? '', /inputs\.name \(string\)/);
  assert.match(untrustedReason(' inputs.undeclared ', types) ?? '', /inputs\.undeclared/);
});

test('trusted contexts may be expanded in run', () => {
  for (const expr of ['runner.temp', 'github.workspace', 'github.sha', 'github.run_id', 'matrix.os']) assert.equal(untrustedReason(expr, new Map()), undefined, expr);
});

test('pinning rules: local, first-party @vN, SHA and digest pins pass; tags and branches do not', () => {
  const table: [string, boolean][] = [
    ['./build-push', true],
    ['platform-org/platform-actions/build-push@v1', true],
    ['platform-org/platform-actions/.github/workflows/cd.yml@v1', true],
    ['platform-org/platform-actions/build-push@main', false],
    ['actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8', true],
    ['github/codeql-action/upload-sarif@0499de31b99561a6d14a36a5f662c2a54f91beee', true],
    ['github/codeql-action/upload-sarif@v4', false],
    ['docker://alpine@sha256:' + 'a'.repeat(64), true],
    ['docker://alpine:latest', false],
  ];
  for (const [uses, ok] of table) assert.equal(pinningProblem(uses) === undefined, ok, uses);
});
