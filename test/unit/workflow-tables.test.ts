import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempTree } from '../support/workflows.js';
import { DOC, render, reusableWorkflows, workflowBlock } from '../../scripts/workflow-tables.js';
import { ROOT } from '../../scripts/workflow-pins.js';

const CALLEE = `on:
  workflow_call:
    inputs:
      environment:
        description: Environment to deploy to.
        type: string
        required: true
      dry-run:
        description: |
          Render only,
          never apply.
        type: boolean
        default: false
      image:
        description: Image, e.g. ghcr.io/<owner>/<repo>.
        type: string
        default: ''
    secrets:
      kubeconfig:
        description: Cluster access | per environment.
        required: true
    outputs:
      revision:
        description: Helm revision.
        value: \${{ jobs.a.outputs.revision }}
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: {}
    outputs:
      revision: '1'
    steps:
      - run: echo
`;

const tree = (files: Record<string, string>): string => tempTree('wf-tables-', files);

test('docs/workflows.md tables are the ones generated from every reusable workflow (npm run docs)', () => {
  const doc = fs.readFileSync(path.join(ROOT, DOC), 'utf8');
  const { text, problems } = render(doc);
  assert.deepEqual(problems, []);
  assert.ok(text === doc, `${DOC} differs from the workflows' on.workflow_call: run npm run docs`);
  for (const f of ['ci.yml', 'cd.yml', 'pr.yml']) assert.ok(reusableWorkflows().includes(f), f);
});

test('a block lists inputs with type, required and default, secrets, and outputs, in one line per row', () => {
  const block = workflowBlock('deploy.yml', CALLEE);
  assert.match(block, /^<!-- workflow-docs:deploy\.yml -->\n/);
  assert.match(block, /\n\| `environment` \| string \| yes \| {2}\| Environment to deploy to\. \|\n/);
  assert.match(block, /\n\| `dry-run` \| boolean \| no \| `false` \| Render only, never apply\. \|\n/);
  assert.match(block, /\| Image, e\.g\. ghcr\.io\/&lt;owner>\/&lt;repo>\. \|/, 'an <owner> outside code is escaped, or GitHub drops it as a tag');
  assert.match(block, /\n\| `kubeconfig` \| yes \| Cluster access \\\| per environment\. \|\n/);
  assert.match(block, /\n\| `revision` \| Helm revision\. \|\n/);
  assert.match(block, /\n<!-- \/workflow-docs:deploy\.yml -->$/);
});

test('a workflow without inputs, secrets or outputs says so instead of an empty table', () => {
  const block = workflowBlock('x.yml', 'on:\n  workflow_call:\njobs: {}\n');
  assert.match(block, /No inputs\.\n\nNo secrets\.\n\nNo outputs\./);
});

test('a new reusable workflow without a block fails with the lines to add; a stale or doubled block fails too', () => {
  const root = tree({
    '.github/workflows/deploy.yml': CALLEE,
    '.github/workflows/test.yml': 'on: push\njobs: {}\n',
    [DOC]: '# x\n<!-- workflow-docs:old.yml -->\n<!-- /workflow-docs:old.yml -->\n<!-- pinned-actions -->\n<!-- /pinned-actions -->\n',
  });
  try {
    assert.deepEqual(reusableWorkflows(root), ['deploy.yml']);
    const { problems } = render(fs.readFileSync(path.join(root, DOC), 'utf8'), root);
    assert.ok(problems.some((p) => p.includes('has no block for .github/workflows/deploy.yml') && p.includes('<!-- workflow-docs:deploy.yml -->\n<!-- /workflow-docs:deploy.yml -->') && p.includes('npm run docs')), problems.join('\n'));
    assert.ok(problems.some((p) => /block for old\.yml, which is not a reusable workflow/.test(p)), problems.join('\n'));
    const doubled = '<!-- workflow-docs:deploy.yml -->\n<!-- /workflow-docs:deploy.yml -->\n'.repeat(2) + '<!-- pinned-actions -->\n<!-- /pinned-actions -->\n';
    assert.ok(render(doubled, root).problems.some((p) => /two blocks for deploy\.yml/.test(p)));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the pinned-actions table lists each third-party action of the workflows with its release and commit', () => {
  const root = tree({
    '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n      - uses: $/build-push\n',
    [DOC]: 'before\n<!-- pinned-actions -->\nstale\n<!-- /pinned-actions -->\nafter\n',
  });
  try {
    const { text, problems } = render(fs.readFileSync(path.join(root, DOC), 'utf8'), root);
    assert.deepEqual(problems, []);
    assert.equal(text, 'before\n<!-- pinned-actions -->\n| Action | Release | Commit |\n| --- | --- | --- |\n| `actions/checkout` | v7.0.1 | `3d3c42e5aac5ba805825da76410c181273ba90b1` |\n<!-- /pinned-actions -->\nafter\n');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
