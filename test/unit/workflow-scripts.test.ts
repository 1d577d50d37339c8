// The bash inside cd.yml and pr.yml, run as the runner runs it (bash -e, env from `env:`, GITHUB_OUTPUT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFileCommands, ROOT } from '../support/run-action.js';
import { findStep } from '../support/workflows.js';

function runStep(file: string, job: string, step: string, env: Record<string, string>): { code: number; out: string; outputs: Record<string, string>; summary: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-script-'));
  const output = path.join(dir, 'output');
  const summary = path.join(dir, 'summary');
  fs.writeFileSync(output, '');
  fs.writeFileSync(summary, '');
  const r = spawnSync('bash', ['-e', '-c', String(findStep(file, job, step).run)], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: dir, ...env },
  });
  return { code: r.status ?? 1, out: r.stdout + r.stderr, outputs: parseFileCommands(fs.readFileSync(output, 'utf8')), summary: fs.readFileSync(summary, 'utf8') };
}

const CD = '.github/workflows/cd.yml';
const DIGEST = `sha256:${'c'.repeat(64)}`;

test('cd.yml resolve: an image given by digest is deployed as is, repository lower-cased, its tag kept (for tag@digest keys), without a registry call', () => {
  const r = runStep(CD, 'resolve', 'image', { IMAGE_REF: `ghcr.io/Acme/App:1.2.0-RC@${DIGEST}`, IMAGE: '', TAG: '' });
  assert.equal(r.code, 0, r.out);
  assert.equal(r.outputs.ref, `ghcr.io/acme/app:1.2.0-RC@${DIGEST}`);
  const untagged = runStep(CD, 'resolve', 'image', { IMAGE_REF: `ghcr.io/acme/app@${DIGEST}`, IMAGE: '', TAG: '' });
  assert.equal(untagged.outputs.ref, `ghcr.io/acme/app@${DIGEST}`);
});

test('cd.yml resolve: an images map keeps each tag next to its digest (build-services tagged-image-map)', { skip: spawnSync('jq', ['--version']).status === 0 ? false : 'jq not installed' }, () => {
  const images = { api: `ghcr.io/acme/october-api:sha-1a2b3c4@${DIGEST}`, worker: `ghcr.io/acme/october-worker@${DIGEST}` };
  const r = runStep(CD, 'resolve', 'image', { IMAGES: JSON.stringify(images), IMAGE_REF: '', IMAGE: '', TAG: '', RELEASE: 'october' });
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(JSON.parse(r.outputs.images), images);
  assert.equal(r.outputs.ref, images.api);
});

test('cd.yml resolve: keeps a registry port that looks like a tag separator', () => {
  const r = runStep(CD, 'resolve', 'image', { IMAGE_REF: `127.0.0.1:5000/team/app@${DIGEST}`, IMAGE: '', TAG: '' });
  assert.equal(r.outputs.ref, `127.0.0.1:5000/team/app@${DIGEST}`);
});

test('cd.yml resolve: fails with an annotation when neither image-ref nor image and tag are given', () => {
  const r = runStep(CD, 'resolve', 'image', { IMAGE_REF: '', IMAGE: 'ghcr.io/acme/app', TAG: '' });
  assert.equal(r.code, 1);
  assert.match(r.out, /::error title=cd: no image::/);
});

test('cd.yml target: namespace defaults to the environment, values file to <chart>/values-<environment>.yaml', () => {
  const r = runStep(CD, 'resolve', 'target', { ENVIRONMENT: 'staging', NAMESPACE: '', CHART: 'examples/chart', VALUES_FILES: '', RELEASE: 'app', SERVICE: '' });
  assert.equal(r.code, 0, r.out);
  assert.deepEqual([r.outputs.namespace, r.outputs['values-files'], r.outputs.service], ['staging', 'examples/chart/values-staging.yaml', 'app']);
});

test('cd.yml target: explicit namespace, values files and service win; a missing default values file is not invented', () => {
  const r = runStep(CD, 'resolve', 'target', { ENVIRONMENT: 'qa', NAMESPACE: 'team-a', CHART: 'examples/chart', VALUES_FILES: '', RELEASE: 'app', SERVICE: 'web' });
  assert.deepEqual([r.outputs.namespace, r.outputs['values-files'], r.outputs.service], ['team-a', '', 'web']);
});

test('pr.yml summary: one table with build, both scans and each environment; passed=false when a chart check failed', { skip: spawnSync('jq', ['--version']).status === 0 ? false : 'jq not installed' }, () => {
  const counts = JSON.stringify({ total: { CRITICAL: 0, HIGH: 2, MEDIUM: 1, LOW: 0, UNKNOWN: 0 }, gated: { HIGH: 2 } });
  const r = runStep('.github/workflows/pr.yml', 'summary', 'summary', {
    BUILD_RESULT: 'failure',
    CHART_RESULT: 'failure',
    DIGEST,
    IMAGE: 'ghcr.io/acme/app:pr-7',
    FS_PASSED: 'true',
    FS_COUNTS: JSON.stringify({ total: { CRITICAL: 0, HIGH: 0 } }),
    IMAGE_PASSED: 'false',
    IMAGE_COUNTS: counts,
    CHART_RESULTS: 'dev:ok:ok,production:failed:ok',
  });
  assert.equal(r.code, 0, r.out);
  assert.equal(r.outputs.passed, 'false');
  const md = r.outputs.markdown;
  assert.ok(md.startsWith('<!-- platform-actions:pr-checks -->'));
  assert.match(md, /\| Repository scan \| ✅ \| no findings \|/);
  assert.match(md, /\| Image scan \| ❌ \| HIGH 2, MEDIUM 1 \|/);
  assert.match(md, /\| Chart \(dev\) \| ✅ \| lint ok, template ok \|/);
  assert.match(md, /\| Chart \(production\) \| ❌ \| lint failed, template ok \|/);
  assert.equal(r.summary.trim(), md.trim());
});
