// The example callers (examples/workflows/kardon-*.yml, argocd-*.yml) and the config layouts they edit or deploy
// (examples/gitops/<layout>): the callers' `with:` as the called workflow gets it, their bash steps run by bash, and
// the inputs gitops.yml hands gitops-promote. Shared by the unit, integration and action tests of the examples.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFileCommands, ROOT } from './run-action.js';
import { findJob, findStep, interpolate, stepInputs, workflowCallDefaults } from './workflows.js';
import type { ExpressionContext } from './workflows.js';

export const GITOPS = '.github/workflows/gitops.yml';
export const SERVICES_WF = '.github/workflows/build-services.yml';
export const KARDON = 'examples/workflows/kardon-deploy.yml';
export const HELM_PER_APP = 'examples/workflows/argocd-helm-per-app.yml';
export const APP_OF_APPS = 'examples/workflows/argocd-app-of-apps.yml';
export const LAYOUT = (name: string): string => path.join(ROOT, 'examples/gitops', name);
const BASH = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
export const SHA = '4f1b2c3d4e5f60718293a4b5c6d7e8f901234567';
export const digest = (c: string): string => `sha256:${c.repeat(64)}`;

export interface Job {
  if?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
}
export const job = (file: string, id: string): Job => findJob(file, id) as Job;

/** A caller job's `with:` as the called workflow receives it. */
export function callerWith(file: string, id: string, ctx: ExpressionContext): Record<string, string> {
  return Object.fromEntries(Object.entries(job(file, id).with ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]));
}

export function bashStep(file: string, jobId: string, step: string, ctx: ExpressionContext, env: Record<string, string> = {}): { code: number; out: string; outputs: Record<string, string> } {
  const s = findStep(file, jobId, step) as { run: string; env?: Record<string, string> };
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'example-step-'));
  const output = path.join(temp, 'output');
  fs.writeFileSync(output, '');
  fs.writeFileSync(path.join(temp, 'step.sh'), s.run);
  const stepEnv = Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]));
  const r = spawnSync(BASH, ['--noprofile', '--norc', '-eo', 'pipefail', path.join(temp, 'step.sh')], {
    cwd: temp,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: path.join(temp, 'summary'), RUNNER_TEMP: temp, GITHUB_SHA: SHA, ...env, ...stepEnv },
  });
  return { code: r.status ?? 1, out: r.stdout + r.stderr, outputs: parseFileCommands(fs.readFileSync(output, 'utf8')) };
}

/** The services an example builds, as build-services.yml's plan step reads them. */
export function plannedServices(file: string, jobId: string, repository: string): { name: string; images: string }[] {
  const services = String(job(file, jobId).with?.services);
  const r = bashStep(SERVICES_WF, 'plan', 'plan', { inputs: { ...workflowCallDefaults(SERVICES_WF), services } }, { GITHUB_REPOSITORY: repository });
  assert.equal(r.code, 0, r.out);
  return (JSON.parse(r.outputs.matrix) as { include: { name: string; images: string }[] }).include;
}

export const push = { event_name: 'push', ref: 'refs/heads/main', sha: SHA, repository: 'acme/shop', token: 'ghs_workflow', actor: 'dev' };
export const dispatch = { ...push, event_name: 'workflow_dispatch' };

/**
 * The `with:` gitops-promote gets when `caller` runs on `github` (dev on push to main) and the run's image map
 * is `{service: image}`: the example's inputs on top of gitops.yml's defaults, the plan step run by bash. The
 * one promote job hands every service over at once (`images`); `{app}`/`{env}` are filled by gitops-promote.
 */
export function promoteInputsFor(caller: string, github: Record<string, string>, service: string, image: string, dispatchInputs: Record<string, string> = {}): Record<string, string> {
  const callerCtx = { github, inputs: dispatchInputs, secrets: { ARGOCD_TOKEN: 'argo', CONFIG_REPO_TOKEN: 'cfg', ARGOCD_KUBECONFIG: 'kc', PROMOTION_APP_PRIVATE_KEY: 'app-key' }, vars: { PROMOTION_APP_ID: '' } };
  const given = callerWith(caller, 'gitops', callerCtx);
  const secrets = Object.fromEntries(Object.entries(job(caller, 'gitops').secrets ?? {}).map(([k, v]) => [k, interpolate(v, callerCtx)]));
  const inputs = { ...workflowCallDefaults(GITOPS), ...given };
  const base = { inputs, github, secrets };
  const plan = bashStep(GITOPS, 'plan', 'plan', base, { GITHUB_EVENT_NAME: github.event_name, GITHUB_REF: github.ref });
  assert.equal(plan.code, 0, plan.out);
  const ctx = { ...base, needs: { plan: { outputs: plan.outputs }, images: { outputs: { 'image-map': JSON.stringify({ [service]: image }) } } }, steps: { 'app-token': { outputs: {} } } };
  return stepInputs(GITOPS, 'promote', 'promote', ctx);
}

export function getPath(doc: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), doc);
}

const HAS_JQ = spawnSync('jq', ['--version']).status === 0;
const HAS_YQ = spawnSync('yq', ['--version']).status === 0;

/**
 * A test's prerequisites: on a developer machine a missing one skips the test (node:test `skip`); under
 * REQUIRE_STACK=1 (CI) nothing is skipped and `check()` fails the test naming what is missing.
 */
export function prerequisites(...missing: (string | false | undefined)[]): { skip: string | false; check: () => void } {
  const why = missing.filter((m): m is string => Boolean(m)).join('; ');
  const required = process.env.REQUIRE_STACK === '1';
  return {
    skip: why && !required ? why : false,
    check: () => assert.ok(!why, `REQUIRE_STACK=1 but ${why}`),
  };
}

/** Why the example workflows' bash steps (build-services' plan, gitops' plan and names) cannot run here, if so. */
export const JQ_YQ_MISSING: string | false = (!HAS_JQ || !HAS_YQ) && `${[!HAS_JQ && 'jq', !HAS_YQ && 'yq'].filter(Boolean).join(' and ')} not installed`;

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'seed', GIT_AUTHOR_EMAIL: 's@e', GIT_COMMITTER_NAME: 'seed', GIT_COMMITTER_EMAIL: 's@e' } });

/** A bare repository whose main holds a copy of the layout (the config repository of the example). */
export function seedConfigRepo(layout: string): { bare: string; url: string } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `example-config-${layout}-`));
  const bare = path.join(work, 'config.git');
  const seed = path.join(work, 'seed');
  git(work, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  fs.cpSync(LAYOUT(layout), seed, { recursive: true });
  git(seed, 'init', '--quiet', '--initial-branch=main');
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
  return { bare, url: `file://${bare}` };
}

