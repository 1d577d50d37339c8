import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkWorkflowContracts, parseWithGitHub, workflowFiles } from '../support/workflows.js';

for (const file of workflowFiles()) {
  test(`${file}: callers, callees and actions agree`, async () => {
    assert.deepEqual(await checkWorkflowContracts(file), []);
  });
}

const CD = 'platform-org/platform-actions/.github/workflows/cd.yml@v1';

function caller(withBlock: string, secretsBlock = '      kubeconfig: ${{ secrets.KUBECONFIG_DEV }}', extraJob = ''): string {
  return `on: push
permissions: {}
jobs:
  deploy:
    permissions:
      contents: read
    uses: ${CD}
    with:
${withBlock}
    secrets:
${secretsBlock}
${extraJob}`;
}

const GOOD_WITH = '      environment: dev\n      release: app\n      image-ref: ghcr.io/acme/app@sha256:' + 'a'.repeat(64);

async function problemsOf(source: string): Promise<string[]> {
  return checkWorkflowContracts('examples/workflows/sample.yml', source);
}

test('a well-formed caller of cd.yml has no contract problems', async () => {
  assert.deepEqual(await problemsOf(caller(GOOD_WITH)), []);
});

test('GitHub\'s parser loads the callee and exposes its outputs on the calling job', async () => {
  const wf = await parseWithGitHub('examples/workflows/sample.yml', caller(GOOD_WITH));
  const job = wf.template.jobs[0];
  assert.equal(job.type, 'reusableWorkflowJob');
  const outputs: string[] = [];
  for (const pair of job.outputs ?? []) outputs.push(pair.key.toString());
  assert.ok(outputs.includes('revision') && outputs.includes('status'), outputs.join(','));
});

const cases: { name: string; source: string; expect: RegExp }[] = [
  { name: 'flags a with: key the callee does not declare', source: caller(GOOD_WITH + '\n      namespac: dev'), expect: /namespac is not defined in the referenced workflow/ },
  { name: 'flags a missing required input', source: caller('      environment: dev'), expect: /Input release is required/ },
  { name: 'flags a secret the callee does not declare', source: caller(GOOD_WITH, '      kubeconfig: x\n      token: y'), expect: /token is not defined in the referenced workflow/ },
  {
    name: 'flags an output of a called workflow that does not exist',
    source: caller(GOOD_WITH, undefined, '  after:\n    needs: deploy\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - env:\n          R: ${{ needs.deploy.outputs.revison }}\n        run: echo "$R"\n'),
    expect: /needs\.deploy\.outputs\.revison is not an output of job deploy/,
  },
  {
    name: 'flags a needs reference to a job outside needs',
    source: caller(GOOD_WITH, undefined, '  after:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - env:\n          R: ${{ needs.deploy.outputs.revision }}\n        run: echo "$R"\n'),
    expect: /needs\.deploy is not in this job's needs/,
  },
  { name: 'flags a reusable workflow of this repository that does not exist', source: caller(GOOD_WITH).replace('cd.yml@v1', 'deliver.yml@v1'), expect: /Unable to find reusable workflow|does not exist/ },
];
for (const c of cases) {
  test(c.name, async () => {
    const problems = await problemsOf(c.source);
    assert.ok(problems.some((p) => c.expect.test(p)), `expected ${c.expect} in:\n${problems.join('\n')}`);
  });
}

test('flags a missing required secret of the called workflow', async () => {
  // cd.yml's kubeconfig is optional (it may be an environment secret), so the callee here is a sample.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-'));
  try {
    fs.mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    fs.writeFileSync(
      path.join(root, '.github/workflows/needs-secret.yml'),
      'on:\n  workflow_call:\n    secrets:\n      token:\n        description: t\n        required: true\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: echo\n',
    );
    const source = 'on: push\npermissions: {}\njobs:\n  call:\n    permissions: {}\n    uses: platform-org/platform-actions/.github/workflows/needs-secret.yml@v1\n    secrets:\n      other: x\n';
    const problems = await checkWorkflowContracts('.github/workflows/caller.yml', source, root);
    assert.ok(problems.some((p) => /Secret token is required/.test(p)), problems.join('\n'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

function stepJob(step: string): string {
  return `on: push
permissions: {}
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
${step}
`;
}

const stepCases: { name: string; step: string; expect: RegExp }[] = [
  {
    name: 'flags a with: key the called action.yml does not declare',
    step: '      - uses: platform-org/platform-actions/helm-deploy@v1\n        with:\n          release: app\n          namespce: dev',
    expect: /with\.namespce is not an input of helm-deploy\/action\.yml/,
  },
  {
    name: 'resolves $/<name> (self-repository: the workflow\'s own commit) to the local action.yml',
    step: '      - uses: $/helm-deploy\n        with:\n          release: app\n          namespce: dev',
    expect: /with\.namespce is not an input of helm-deploy\/action\.yml/,
  },
  {
    name: 'flags a $/ reference to an action this repository does not have',
    step: '      - uses: $/deploy-it',
    expect: /\$\/deploy-it does not resolve to an action\.yml/,
  },
  {
    name: 'resolves ./<name> to the local action.yml as well',
    step: '      - uses: ./smoke-test\n        with:\n          urls: http://x',
    expect: /with\.urls is not an input of smoke-test\/action\.yml/,
  },
  {
    name: 'flags a missing required action input',
    step: '      - uses: platform-org/platform-actions/helm-deploy@v1\n        with:\n          chart: chart',
    expect: /required input release of helm-deploy\/action\.yml is not given/,
  },
  {
    name: 'flags a step output the action does not declare',
    step: '      - id: scan\n        uses: ./trivy-gate\n      - env:\n          P: ${{ steps.scan.outputs.pass }}\n        run: echo "$P"',
    expect: /steps\.scan\.outputs\.pass is not an output of that action/,
  },
  {
    name: 'flags an action of this repository that does not exist',
    step: '      - uses: platform-org/platform-actions/deploy-it@v1',
    expect: /does not resolve to an action\.yml/,
  },
];
for (const c of stepCases) {
  test(c.name, async () => {
    const problems = await problemsOf(stepJob(c.step));
    assert.ok(problems.some((p) => c.expect.test(p)), `expected ${c.expect} in:\n${problems.join('\n')}`);
  });
}

test('flags a reusable workflow output bound to a job output that does not exist', async () => {
  const source = `on:
  workflow_call:
    outputs:
      digest:
        description: d
        value: \${{ jobs.build.outputs.digst }}
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions: {}
    outputs:
      digest: \${{ steps.b.outputs.digest }}
    steps:
      - id: b
        uses: ./build-push
        with:
          images: x
`;
  const problems = await checkWorkflowContracts('.github/workflows/sample.yml', source);
  assert.ok(problems.some((p) => /jobs\.build\.outputs\.digst is not an output of job build/.test(p)), problems.join('\n'));
});

test('flags an undeclared input', async () => {
  const source = `on:
  workflow_call:
    inputs:
      chart:
        description: c
        type: string
        default: chart
permissions: {}
jobs:
  lint:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - env:
          CHART: \${{ inputs.chrt }}
        run: echo "$CHART"
`;
  const problems = await checkWorkflowContracts('.github/workflows/sample.yml', source);
  assert.ok(problems.some((p) => /inputs\.chrt is not declared/.test(p)), problems.join('\n'));
});
