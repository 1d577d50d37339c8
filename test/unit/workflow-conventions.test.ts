import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { FIRST_PARTY, resolveWorkflowRef, ROOT, workflowFiles } from '../support/workflows.js';

type Node = Record<string, unknown>;
const load = (rel: string): Node => YAML.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as Node;
const obj = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});
const jobsOf = (wf: Node): [string, Node][] => Object.entries(obj(wf.jobs)).map(([id, j]) => [id, obj(j)]);
const stepsOf = (job: Node): Node[] => (Array.isArray(job.steps) ? job.steps.map(obj) : []);
const REUSABLE = ['ci.yml', 'cd.yml', 'pr.yml'].map((f) => `.github/workflows/${f}`);

// House rule for the workflows of this issue (the audit, which covers every workflow, accepts either level).
const OWN = workflowFiles().filter((f) => f.startsWith('examples/') || ['ci', 'cd', 'pr', 'test', 'check-dist', 'e2e', 'e2e-helm', 'release'].some((n) => f === `.github/workflows/${n}.yml`));
for (const file of OWN) {
  test(`${file}: permissions at the workflow level and on every job`, () => {
    const wf = load(file);
    assert.ok('permissions' in wf, 'workflow-level permissions');
    const top = wf.permissions;
    assert.ok(top === undefined || (typeof top === 'object' && Object.values(obj(top)).every((v) => v === 'read' || v === 'none')), 'workflow level grants at most read');
    for (const [id, job] of jobsOf(wf)) assert.ok('permissions' in job, `job ${id} has permissions`);
  });
}

for (const file of REUSABLE) {
  test(`${file}: every workflow_call input is typed, described and has a default or is required`, () => {
    const call = obj(obj(load(file).on).workflow_call);
    for (const [name, spec] of Object.entries(obj(call.inputs)).map(([n, s]) => [n, obj(s)] as const)) {
      assert.ok(['string', 'boolean', 'number'].includes(String(spec.type)), `${name} type`);
      assert.ok(String(spec.description ?? '').length > 10, `${name} description`);
      assert.ok(spec.required === true || 'default' in spec, `${name} default`);
    }
    for (const [name, spec] of Object.entries(obj(call.secrets))) assert.ok(String(obj(spec).description ?? '').length > 10, `secret ${name} description`);
    for (const [name, spec] of Object.entries(obj(call.outputs))) assert.ok(String(obj(spec).description ?? '').length > 5, `output ${name} description`);
  });

  test(`${file}: uses this repository's actions as $/<name>, i.e. at the commit of the workflow itself (never ${FIRST_PARTY}/<name>@<moving tag>, never ./<name>)`, () => {
    const uses = jobsOf(load(file)).flatMap(([, job]) => stepsOf(job).map((s) => String(s.uses ?? ''))).filter(Boolean);
    const ours = uses.filter((u) => !/^(actions|docker|github)\//.test(u));
    assert.ok(ours.length > 0);
    for (const u of ours) assert.match(u, /^\$\/(build-push|trivy-gate|helm-deploy|smoke-test|verify-image)$/);
    assert.ok(!uses.some((u) => u.startsWith(`${FIRST_PARTY}/`)), 'no reference that would float to another version');
  });
}

test('ci.yml pushes except on pull requests and outputs the digest reference and the tags', () => {
  const wf = load('.github/workflows/ci.yml');
  const call = obj(obj(wf.on).workflow_call);
  assert.equal(obj(obj(call.inputs).push).default, 'auto');
  assert.deepEqual(Object.keys(obj(call.outputs)).filter((k) => k === 'image-ref' || k === 'tags').sort(), ['image-ref', 'tags']);
  const build = stepsOf(obj(obj(wf.jobs).build)).find((s) => s.uses === '$/build-push');
  assert.equal(obj(build?.with).push, '${{ inputs.push }}');
  assert.deepEqual(obj(obj(obj(wf.jobs).build).permissions), { contents: 'read', packages: 'write' });
});

test('cd.yml: one deploy per environment and release, never cancelled', () => {
  const c = obj(load('.github/workflows/cd.yml').concurrency);
  assert.match(String(c.group), /inputs\.environment/);
  assert.match(String(c.group), /inputs\.release/);
  assert.equal(c['cancel-in-progress'], false);
});

test('cd.yml: scan, then deploy → smoke → rollback as steps of one job bound to the environment', () => {
  const wf = load('.github/workflows/cd.yml');
  const jobs = obj(wf.jobs);
  assert.deepEqual(Object.keys(jobs), ['resolve', 'scan', 'deploy']);
  const uses = (id: string): string[] => stepsOf(obj(jobs[id])).map((s) => String(s.uses ?? ''));
  assert.equal(uses('scan').filter((u) => u === '$/trivy-gate').length, 2);
  assert.ok(uses('scan').some((u) => /^github\/codeql-action\/upload-sarif@[0-9a-f]{40}$/.test(u)));
  assert.deepEqual(obj(jobs.scan).permissions, { contents: 'read', packages: 'read', 'security-events': 'write', actions: 'read' });
  const deploy = obj(jobs.deploy);
  assert.deepEqual(deploy.needs, ['resolve', 'scan']);
  assert.deepEqual(Object.keys(obj(deploy.environment)).sort(), ['name', 'url']);
  const steps = stepsOf(deploy);
  const order = ['deploy', 'smoke', 'rollback', 'verdict'].map((id) => steps.findIndex((s) => s.id === id));
  assert.ok(order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1])), `deploy → smoke → rollback → verdict: ${order.join(',')}`);
  assert.equal(steps[order[0]].uses, '$/helm-deploy');
  assert.equal(steps[order[1]].uses, '$/smoke-test');
  assert.equal(obj(steps[order[2]].with).mode, 'rollback');
  assert.match(String(steps[order[2]].if), /steps\.smoke\.outcome == 'failure'/);
  assert.ok(uses('deploy').some((u) => /^actions\/upload-artifact@[0-9a-f]{40}$/.test(u)));
  // The environment's kubeconfig reaches each step that talks to the cluster.
  for (const i of order.slice(0, 3)) assert.equal(obj(steps[i].with).kubeconfig, '${{ secrets.kubeconfig }}');
  const outputs = Object.keys(obj(obj(obj(wf.on).workflow_call).outputs));
  for (const o of ['image-ref', 'revision', 'status', 'rolled-back', 'smoke-passed', 'verified']) assert.ok(outputs.includes(o), o);
});

test('cd.yml promotes a tag by resolving its digest with imagetools, never by building', () => {
  const text = fs.readFileSync(path.join(ROOT, '.github/workflows/cd.yml'), 'utf8');
  assert.match(text, /docker buildx imagetools inspect/);
  assert.doesNotMatch(text, /build-push/);
});

test('pr.yml builds without pushing, renders every environment, and asks for no write permission', () => {
  const wf = load('.github/workflows/pr.yml');
  const build = stepsOf(obj(obj(wf.jobs)['build-scan'])).find((s) => s.uses === '$/build-push');
  assert.equal(obj(build?.with).push, 'false');
  for (const [id, job] of jobsOf(wf)) for (const level of Object.values(obj(job.permissions))) assert.notEqual(level, 'write', `job ${id}`);
  assert.equal(obj(obj(obj(wf.on).workflow_call).inputs).environments && obj(obj(obj(obj(wf.on).workflow_call).inputs).environments).default, 'dev,staging,production');
});

test('release.yml: vX.Y.Z tags only, dist verified with git status --porcelain, the major tag moved', () => {
  const wf = load('.github/workflows/release.yml');
  assert.deepEqual(obj(obj(wf.on).push).tags, ['v[0-9]+.[0-9]+.[0-9]+']);
  const text = fs.readFileSync(path.join(ROOT, '.github/workflows/release.yml'), 'utf8');
  assert.match(text, /git status --porcelain/);
  assert.match(text, /git\/refs\/tags\/\$MAJOR/);
  assert.deepEqual(obj(obj(obj(wf.jobs).verify).permissions), { contents: 'read' });
  assert.deepEqual(obj(obj(obj(wf.jobs).publish).permissions), { contents: 'write' });
});

const LEVEL: Record<string, number> = { none: 0, read: 1, write: 2 };

for (const file of workflowFiles().filter((f) => f.startsWith('examples/'))) {
  test(`${file}: each caller grants exactly the permissions its reusable workflow's jobs request`, () => {
    for (const [id, job] of jobsOf(load(file))) {
      if (typeof job.uses !== 'string') continue;
      const callee = resolveWorkflowRef(job.uses);
      assert.ok(callee, `${id}: ${job.uses}`);
      const needed = new Map<string, number>();
      for (const [, calleeJob] of jobsOf(load(callee))) {
        for (const [scope, level] of Object.entries(obj(calleeJob.permissions))) needed.set(scope, Math.max(needed.get(scope) ?? 0, LEVEL[String(level)]));
      }
      const granted = obj(job.permissions);
      for (const [scope, level] of needed) if (level > 0) assert.ok(LEVEL[String(granted[scope] ?? 'none')] >= level, `${id}: ${scope} must be granted`);
      for (const [scope, level] of Object.entries(granted)) assert.ok((needed.get(scope) ?? 0) >= LEVEL[String(level)], `${id}: ${scope}: ${String(level)} is more than ${callee} needs`);
    }
  });

  test(`${file}: the chart, values files and build context it names exist in this repository`, () => {
    for (const [, job] of jobsOf(load(file))) {
      const w = obj(job.with);
      if (typeof w.chart === 'string') {
        assert.ok(fs.existsSync(path.join(ROOT, w.chart, 'Chart.yaml')), w.chart);
        const envs = typeof w.environment === 'string' && !w.environment.includes('${{') ? [w.environment] : ['dev', 'staging', 'production'];
        for (const env of envs) assert.ok(fs.existsSync(path.join(ROOT, w.chart, `values-${env}.yaml`)), `${w.chart}/values-${env}.yaml`);
      }
      if (typeof w.context === 'string') assert.ok(fs.existsSync(path.join(ROOT, w.context, 'Dockerfile')), `${w.context}/Dockerfile`);
    }
  });
}

test('the manual deploy example promotes an existing tag chosen at dispatch time, to production by default', () => {
  const wf = load('examples/workflows/deploy.yml');
  const inputs = obj(obj(obj(wf.on).workflow_dispatch).inputs);
  assert.deepEqual(obj(inputs.environment).options, ['production', 'staging', 'dev']);
  assert.equal(obj(inputs.environment).default, 'production');
  assert.ok('version' in inputs);
  const w = obj(obj(obj(wf.jobs).deploy).with);
  assert.equal(w.tag, '${{ inputs.version }}');
  assert.equal(w['image-ref'], undefined);
});
