// kustomize-cd.yml (many services → one Kustomize overlay): the image-map check run by bash, the job graph
// from GitHub's parser with its conditions evaluated on the needs' results, and the kustomize-deploy step's
// inputs as the runner hands them to the action.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import YAML from 'yaml';
import { parseFileCommands, ROOT } from '../support/run-action.js';
import { auditWorkflow, checkWorkflowContracts, evaluate, findJob, findStep, interpolate, parseWithGitHub, stepInputs, workflowCallDefaults } from '../support/workflows.js';
import type { ExpressionContext } from '../support/workflows.js';

const WF = '.github/workflows/kustomize-cd.yml';
const HAS_JQ = spawnSync('jq', ['--version']).status === 0;
const BASH = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
const ref = (service: string, c: string): string => `ghcr.io/acme/kardon/${service}@sha256:${c.repeat(64)}`;
const MAP = { web: ref('web', 'a'), api: ref('api', 'b'), migrator: ref('migrator', 'c') };

function checkMap(map: string): { code: number; out: string; outputs: Record<string, string> } {
  const s = findStep(WF, 'images', 'images') as { run: string };
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'kcd-'));
  fs.writeFileSync(path.join(temp, 'out'), '');
  fs.writeFileSync(path.join(temp, 'step.sh'), s.run);
  const r = spawnSync(BASH, ['--noprofile', '--norc', '-eo', 'pipefail', path.join(temp, 'step.sh')], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: path.join(temp, 'out'), MAP: map, SOURCE_COMMIT: '5d41402abc4b2a76b9719d911017c592f0a1b2c3', JOBS: 'changed' } });
  return { code: r.status ?? 1, out: r.stdout + r.stderr, outputs: parseFileCommands(fs.readFileSync(path.join(temp, 'out'), 'utf8')) };
}

test('images: one scan leg per service of the map', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const r = checkMap(JSON.stringify(MAP));
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(JSON.parse(r.outputs.matrix), { include: Object.entries(MAP).map(([service, image]) => ({ service, image })) });
});

test('images: refuses a jobs mode that does not exist and a source commit that is not a full SHA, before any scan', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const s = findStep(WF, 'images', 'images') as { run: string };
  const run = (env: Record<string, string>): string => spawnSync(BASH, ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: '/dev/null', MAP: JSON.stringify(MAP), SOURCE_COMMIT: '5d41402abc4b2a76b9719d911017c592f0a1b2c3', JOBS: 'changed', ...env } }).stdout;
  assert.match(run({ JOBS: 'sometimes' }), /::error title=kustomize-cd: jobs::jobs must be changed, always or never, got 'sometimes'/);
  assert.match(run({ SOURCE_COMMIT: 'v1.2.3' }), /::error title=kustomize-cd: source-commit::source-commit must be a full 40-hex commit SHA/);
});

test('images: refuses a map with a tag, an empty image (nothing pushed) or no service, before any scan', { skip: !HAS_JQ && 'jq not installed' }, () => {
  const tagged = checkMap(JSON.stringify({ ...MAP, api: 'ghcr.io/acme/kardon/api:dev', live: '' }));
  assert.equal(tagged.code, 1);
  assert.match(tagged.out, /::error title=kustomize-cd: image map::not an image by digest \(<image>@sha256:…\) for: api live/);
  assert.match(checkMap('{}').out, /image-map must be a non-empty JSON object/);
  assert.match(checkMap('not json').out, /image-map must be a non-empty JSON object/);
});

const STATUS = ['success', 'failure', 'cancelled', 'always'] as const;
function jobRuns(expr: string, needs: Record<string, string>, ctx: ExpressionContext = {}): boolean {
  const results = Object.values(needs);
  const status: Record<(typeof STATUS)[number], boolean> = { success: results.every((r) => r === 'success'), failure: results.includes('failure'), cancelled: false, always: true };
  const funcs = STATUS.map((name) => ({ name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status[name]) }));
  const full = { ...ctx, needs: Object.fromEntries(Object.entries(needs).map(([k, result]) => [k, { result }])) };
  const parsed = new Parser(new Lexer(expr).lex().tokens, Object.keys(full), funcs).parse();
  return truthy(new Evaluator(parsed, JSON.parse(JSON.stringify(full), data.reviver) as data.Dictionary, new Map(funcs.map((f) => [f.name, f]))).evaluate());
}

test('a failed scan of any image blocks the deploy of the whole overlay', async () => {
  const wf = await parseWithGitHub(WF);
  const deploy = wf.template.jobs.find((j) => j.id.value === 'deploy');
  assert.deepEqual(deploy?.needs?.map((n) => n.value), ['images', 'scan']);
  const condition = (deploy as unknown as { if: { expression: string } }).if.expression;
  assert.equal(jobRuns(condition, { images: 'success', scan: 'success' }), true);
  assert.equal(jobRuns(condition, { images: 'success', scan: 'failure' }), false);
  assert.equal(jobRuns(condition, { images: 'failure', scan: 'skipped' }), false);
});

test('the scan gate fails a leg on findings unless warn-only, and a refused SARIF upload does not', () => {
  const gate = String(findStep(WF, 'scan', 'Gate on the findings').if).replace(/^\$\{\{|\}\}$/g, '');
  const ctx = (passed: string, warnOnly: boolean): ExpressionContext => ({ inputs: { ...workflowCallDefaults(WF), 'warn-only': warnOnly }, steps: { image: { outputs: { passed } } } });
  assert.equal(truthy(evaluate(gate, ctx('false', false))), true);
  assert.equal(truthy(evaluate(gate, ctx('true', false))), false);
  assert.equal(truthy(evaluate(gate, ctx('false', true))), false);
  assert.equal((findStep(WF, 'scan', 'sarif') as { 'continue-on-error'?: boolean })['continue-on-error'], true);
});

test('deploy: kustomize-deploy gets the whole image map, the overlay and the kubeconfig; the job is bound to the environment', () => {
  const inputs = { ...workflowCallDefaults(WF), environment: 'prod', 'image-map': JSON.stringify(MAP), overlay: 'deployment/k8s/overlays/prod', name: 'kardon' };
  const commit = '5d41402abc4b2a76b9719d911017c592f0a1b2c3';
  const given = stepInputs(WF, 'deploy', 'deploy', { inputs, secrets: { kubeconfig: 'apiVersion: v1' }, needs: { images: { outputs: { 'source-commit': commit } } }, github: { token: 'ghs_x' } });
  assert.deepEqual(JSON.parse(given.images), MAP);
  assert.deepEqual([given.overlay, given.name, given.kubeconfig, given.prune, given.timeout, given.namespace], ['deployment/k8s/overlays/prod', 'kardon', 'apiVersion: v1', 'true', '5m', '']);
  assert.deepEqual([given.jobs, given['source-commit'], given['allow-older'], given['allow-unordered'], given['github-token']], ['changed', commit, 'false', 'false', 'ghs_x']);
  const never = stepInputs(WF, 'deploy', 'deploy', { inputs: { ...inputs, jobs: 'never', rollback: true }, secrets: {}, needs: { images: { outputs: { 'source-commit': commit } } }, github: {} });
  assert.deepEqual([never.jobs, never['allow-older']], ['never', 'true'], 'jobs per environment (Kardon: migrations by hand), rollback on purpose');
  const job = findJob(WF, 'deploy') as { environment: { name: string; url: string }; permissions: unknown };
  assert.equal(interpolate(job.environment.name, { inputs }), 'prod');
  assert.deepEqual(job.permissions, { contents: 'read' });
  const upload = String(findStep(WF, 'deploy', 'Upload the deploy diagnostics').if);
  assert.match(upload, /failure\(\) && steps\.deploy\.outputs\.diagnostics-path != ''/);
});

test('one deploy per environment and overlay at a time, never cancelled', () => {
  const doc = YAML.parse(fs.readFileSync(path.join(ROOT, WF), 'utf8')) as { concurrency: { group: string; 'cancel-in-progress': boolean }; permissions: unknown; jobs: Record<string, { permissions: unknown }> };
  assert.equal(interpolate(doc.concurrency.group, { github: { repository: 'acme/kardon' }, inputs: { environment: 'dev', overlay: 'deployment/k8s/overlays/dev' } }), 'platform-kustomize-cd-acme/kardon-dev-deployment/k8s/overlays/dev');
  assert.equal(doc.concurrency['cancel-in-progress'], false);
  assert.deepEqual(doc.permissions, {});
  assert.deepEqual(doc.jobs.images.permissions, { packages: 'read' }, 'verify-image reads the labels from the registry');
  assert.deepEqual(doc.jobs.scan.permissions, { contents: 'read', packages: 'read', 'security-events': 'write', actions: 'read' });
});

test('kustomize-cd.yml: parser, contracts (kustomize-deploy/action.yml, trivy-gate/action.yml) and audit are clean', async () => {
  assert.deepEqual(await checkWorkflowContracts(WF), []);
  assert.deepEqual(auditWorkflow(fs.readFileSync(path.join(ROOT, WF), 'utf8'), WF), []);
});
