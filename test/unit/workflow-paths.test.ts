// Every documented path of every reusable workflow and example caller, run the way GitHub decides it: job
// graphs and `if:`s from GitHub's parser (@actions/workflow-parser, implicit success() included), evaluated
// by @actions/expressions with the status functions of the whole needs chain (a job's implicit success() is
// false when ANY ancestor failed or was skipped: GitHub docs "Using conditions to control job execution",
// actions/runner#2205), matrix jobs per leg (failure when one leg failed), reusable workflow calls simulated
// with their evaluated inputs and outputs (test/support/workflow-sim.ts). Decision jobs run their own bash;
// jobs whose work is a tool (build, scan, deploy) are played. Then every job `if:` is mutated in turn (removed:
// back to the implicit success(); negated) and at least one path must notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { ROOT } from '../support/workflows.js';
import { simulateWorkflow } from '../support/workflow-sim.js';
import type { JobPlay, JobResult, Mock, RunRecord, SimOptions } from '../support/workflow-sim.js';

const HAS_JQ = spawnSync('jq', ['--version']).status === 0;
const SHA = '0123456789abcdef0123456789abcdef01234567';
const TAG_SHA = 'fedcba9876543210fedcba9876543210fedcba98';
const ref = (service: string, c: string): string => `ghcr.io/acme/shop/${service}@sha256:${c.repeat(64)}`;
const MAP = { web: ref('web', 'a'), api: ref('api', 'b') };

interface Path {
  name: string;
  github: Record<string, unknown>;
  inputs?: Record<string, string | boolean | number>;
  secrets?: Record<string, string>;
  play?: Record<string, JobPlay>;
  mocks?: Record<string, Mock<Record<string, unknown>>>;
  /** Job → result (a matrix job: `result` or per leg); jobs of called workflows as `<caller>/<callee>`. */
  expect: Record<string, JobResult | Record<string, JobResult>>;
  conclusion?: RunRecord['conclusion'];
}

interface Suite {
  file: string;
  base: Partial<SimOptions<Record<string, unknown>>>;
  paths: Path[];
}

const push = (ref: string): Record<string, unknown> => ({ event_name: 'push', ref, ref_name: ref.replace(/^refs\/(heads|tags)\//, ''), sha: SHA, repository: 'acme/shop', repository_owner: 'acme' });
const dispatch = (ref: string, sha = SHA): Record<string, unknown> => ({ ...push(ref), event_name: 'workflow_dispatch', sha });
const cancelledRun: JobPlay = { result: 'cancelled' };

// --- gitops.yml ---------------------------------------------------------------------------------------------
const gitopsMocks: Record<string, Mock<Record<string, unknown>>> = {
  'plan/Check the config repository, branch and files': { outcome: 'success' },
  'plan/commit': { outputs: { sha: TAG_SHA } },
  'images/release': { outputs: { 'image-map': JSON.stringify(MAP) } },
  'scan/image': { outputs: { passed: 'true', gated: '0' } },
};
const built: JobPlay = { outputs: { 'image-map': JSON.stringify(MAP) } };
const GITOPS: Suite = {
  file: '.github/workflows/gitops.yml',
  base: { inputs: { services: '[{"name":"web"},{"name":"api"}]', 'config-file': 'apps/{app}/values-{env}.yaml' }, mocks: gitopsMocks },
  paths: [
    { name: 'push to main: build, check, scan every image, promote to dev', github: push('refs/heads/main'), play: { build: built }, expect: { plan: 'success', build: 'success', images: 'success', scan: { web: 'success', api: 'success' }, promote: 'success' } },
    { name: 'release tag: promote to staging', github: push('refs/tags/v1.4.2'), play: { build: built }, expect: { plan: 'success', build: 'success', images: 'success', scan: 'success', promote: 'success' } },
    { name: 'push to another branch: build and scan, promote nowhere', github: push('refs/heads/feature/x'), play: { build: built }, expect: { plan: 'success', build: 'success', images: 'success', scan: 'success', promote: 'skipped' } },
    { name: 'image map given: no build, yet scan and promote (issue 18 item 1)', github: dispatch('refs/heads/main'), inputs: { 'image-map': JSON.stringify(MAP), services: '' }, expect: { plan: 'success', build: 'skipped', images: 'success', scan: 'success', promote: 'success' } },
    { name: 'dispatch of a release tag: its digests looked up, no build, scan and promote', github: dispatch('refs/tags/v1.4.2', TAG_SHA), expect: { plan: 'success', build: 'skipped', images: 'success', scan: 'success', promote: 'success' } },
    { name: 'dispatch from main naming a release: the same, the tag\'s commit looked up', github: dispatch('refs/heads/main'), inputs: { release: 'v1.4.2' }, expect: { plan: 'success', build: 'skipped', images: 'success', scan: 'success', promote: 'success' } },
    { name: 'one scan leg failing blocks every promotion', github: push('refs/heads/main'), play: { build: built, scan: { legs: { api: 'failure' } } }, expect: { plan: 'success', build: 'success', images: 'success', scan: { web: 'success', api: 'failure' }, promote: 'skipped' }, conclusion: 'failure' },
    { name: 'one scan leg failing with an image map given blocks every promotion', github: dispatch('refs/heads/main'), inputs: { 'image-map': JSON.stringify(MAP), services: '' }, play: { scan: { legs: { web: 'failure' } } }, expect: { build: 'skipped', images: 'success', scan: { web: 'failure', api: 'success' }, promote: 'skipped' }, conclusion: 'failure' },
    { name: 'a failed build promotes nothing', github: push('refs/heads/main'), play: { build: { result: 'failure' } }, expect: { plan: 'success', build: 'failure', images: 'skipped', scan: 'skipped', promote: 'skipped' }, conclusion: 'failure' },
    { name: 'a failed promotion fails the run', github: push('refs/heads/main'), play: { build: built, promote: { result: 'failure' } }, expect: { scan: 'success', promote: 'failure' }, conclusion: 'failure' },
    { name: 'cancelled during the build: nothing after it starts', github: push('refs/heads/main'), play: { build: cancelledRun }, expect: { plan: 'success', build: 'cancelled', images: 'skipped', scan: 'skipped', promote: 'skipped' }, conclusion: 'cancelled' },
    { name: 'cancelled during the scan: no promotion', github: push('refs/heads/main'), play: { build: built, scan: cancelledRun }, expect: { images: 'success', scan: 'cancelled', promote: 'skipped' }, conclusion: 'cancelled' },
    { name: 'superseded: the promotion ends green (gitops-promote decides, nothing changes)', github: push('refs/heads/main'), play: { build: built, promote: { outputs: { superseded: 'true' } } }, expect: { promote: 'success' }, conclusion: 'success' },
    { name: 'a config repository without a config token fails in plan, before any approval', github: push('refs/heads/main'), inputs: { 'config-repository': 'acme/platform-gitops' }, play: { build: built }, expect: { plan: 'failure', build: 'skipped', images: 'skipped', scan: 'skipped', promote: 'skipped' }, conclusion: 'failure' },
    { name: 'a config repository with a GitHub App: plan passes', github: push('refs/heads/main'), inputs: { 'config-repository': 'acme/platform-gitops', 'app-id': '12345' }, secrets: { 'app-private-key': 'k' }, play: { build: built }, expect: { plan: 'success', promote: 'success' } },
  ],
};

const SUITES: Suite[] = [GITOPS];

function run(suite: Suite, p: Path, source?: string): Promise<RunRecord> {
  return simulateWorkflow(suite.file, {
    ...suite.base,
    source,
    github: p.github,
    inputs: { ...(suite.base.inputs ?? {}), ...(p.inputs ?? {}) },
    secrets: { ...(suite.base.secrets ?? {}), ...(p.secrets ?? {}) },
    mocks: { ...(suite.base.mocks ?? {}), ...(p.mocks ?? {}) },
    play: { ...(suite.base.play ?? {}), ...(p.play ?? {}) },
    expandCalls: true,
  });
}

/** The job results a path expects, as observed; a call job's inner jobs are read from its simulated run. */
function observed(r: RunRecord, p: Path): Record<string, JobResult | Record<string, JobResult>> {
  const out: Record<string, JobResult | Record<string, JobResult>> = {};
  for (const [key, want] of Object.entries(p.expect)) {
    const [job, inner] = key.split('/');
    const record = inner ? r.jobs[job]?.call?.jobs[inner] : r.jobs[job];
    if (!record) throw new Error(`no job ${key} in the run (${Object.keys(r.jobs).join(', ')})`);
    out[key] = typeof want === 'string' ? record.result : (record.legs ?? {});
  }
  return out;
}

for (const suite of SUITES) {
  for (const p of suite.paths) {
    test(`${suite.file}: ${p.name}`, { skip: !HAS_JQ && 'jq not installed' }, async () => {
      const r = await run(suite, p);
      const why = Object.entries(r.jobs).map(([id, j]) => `${id}=${j.result}${j.steps.filter((s) => s.outcome === 'failure').map((s) => ` [${s.key}: ${s.log.trim().split('\n').slice(-2).join(' | ')}]`).join('')}`).join('\n');
      assert.deepEqual(observed(r, p), p.expect, why);
      if (p.conclusion) assert.equal(r.conclusion, p.conclusion, why);
    });
  }
}

/** Each job `if:` of a workflow, removed (the implicit success()) and negated. */
function mutants(file: string): { name: string; source: string }[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const jobs = (YAML.parse(text) as { jobs: Record<string, { if?: unknown }> }).jobs;
  const out: { name: string; source: string }[] = [];
  for (const [id, job] of Object.entries(jobs)) {
    if (job.if === undefined) continue;
    const raw = String(job.if).trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
    for (const [how, value] of [['removed', undefined], ['negated', `\${{ !(${raw}) }}`]] as const) {
      const doc = YAML.parseDocument(text);
      if (value === undefined) doc.deleteIn(['jobs', id, 'if']);
      else doc.setIn(['jobs', id, 'if'], value);
      out.push({ name: `jobs.${id}.if ${how}`, source: doc.toString({ lineWidth: 0 }) });
    }
  }
  return out;
}

for (const suite of SUITES) {
  test(`${suite.file}: removing or negating any job if: changes what at least one path runs`, { skip: !HAS_JQ && 'jq not installed' }, async () => {
    const list = mutants(suite.file);
    assert.ok(list.length > 0);
    const survivors: string[] = [];
    for (const m of list) {
      let caught = false;
      for (const p of suite.paths) {
        const r = await run(suite, p, m.source);
        if (JSON.stringify(observed(r, p)) !== JSON.stringify(p.expect) || (p.conclusion && r.conclusion !== p.conclusion)) {
          caught = true;
          break;
        }
      }
      if (!caught) survivors.push(m.name);
    }
    assert.deepEqual(survivors, [], 'mutations no path noticed');
  });
}

test('gitops.yml before issue 18, with an image map: images ran, scan/promote/report were skipped and the run was green (what the explicit checks fix)', { skip: !HAS_JQ && 'jq not installed' }, async () => {
  const before = fs.readFileSync(path.join(ROOT, 'test/fixtures/workflows/gitops-before-issue-18.yml'), 'utf8');
  const r = await simulateWorkflow(GITOPS.file, { source: before, github: dispatch('refs/heads/main'), inputs: { 'image-map': JSON.stringify(MAP), services: '', 'config-file': 'apps/{app}/values-{env}.yaml' }, mocks: gitopsMocks });
  assert.deepEqual(Object.fromEntries(Object.entries(r.jobs).map(([id, j]) => [id, j.result])), { plan: 'success', build: 'skipped', images: 'success', scan: 'skipped', promote: 'skipped', report: 'skipped' });
  assert.equal(r.conclusion, 'success', 'green with nothing scanned or promoted');
});
