// Runs a built action (dist/<name>/index.js) the way the GitHub runner does: node24, INPUT_* env with
// action.yml defaults, real GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE / GITHUB_ENV / GITHUB_PATH
// files, an event payload, then the post step with the saved state when its `post-if` (GitHub's expression engine,
// status functions over the job: main's exit code, or `cancelled`) says so. Used by action tests and the main job.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { truthy } from '@actions/expressions/result';
import YAML from 'yaml';
import { evaluateStatus } from './expressions.js';
import { loadStack } from './stack.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface GitHubContext {
  eventName?: string;
  ref?: string;
  sha?: string;
  repository?: string;
  actor?: string;
  token?: string;
  workspace?: string;
  event?: Record<string, unknown>;
  serverUrl?: string;
  runId?: string;
}

export interface RunActionOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string | undefined>;
  context?: GitHubContext;
  /** Directories put in front of PATH (stand-in CLIs). */
  pathPrepend?: string[];
  /** Reuse a runner temp (e.g. to share a tool cache between runs). */
  runnerDir?: string;
  skipPost?: boolean;
  /** The job was cancelled while main ran (post-if's cancelled()); main is killed after `timeoutMs` either way. */
  cancelled?: boolean;
  /** Kill the step after this many ms (default 5 min). */
  timeoutMs?: number;
}

export interface StepResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** From spawning node to its exit (what the runner spends on the step, without this harness's own file work). */
  durationMs?: number;
}

export interface ActionRun {
  main: StepResult;
  /** Undefined when the action has no post step, skipPost was given, or its post-if was false. */
  post?: StepResult;
  /** The post step's `post-if` as evaluated (true when the action has none or no post step). */
  postIf: boolean;
  outputs: Record<string, string>;
  summary: string;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  addedPath: string[];
  runnerDir: string;
  runnerTemp: string;
  /** Everything both steps printed. */
  allOutput: string;
  /** What a reader of the job log sees: allOutput without the `::add-mask::` commands the runner consumes. */
  visibleOutput: string;
}

export function node24(): string {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'node');
  return fs.existsSync(bin) ? bin : process.execPath;
}

/** Parses the runner's file-command format (`k=v` or `k<<DELIM … DELIM`). */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delim] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]);
      out[key] = value.join('\n');
    } else {
      const eq = line.indexOf('=');
      if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

interface ActionManifest {
  inputs?: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

export function readManifest(name: string): ActionManifest {
  return YAML.parse(fs.readFileSync(path.join(ROOT, name, 'action.yml'), 'utf8')) as ActionManifest;
}

function expandDefault(value: string, ctx: Required<Pick<GitHubContext, 'token' | 'actor' | 'workspace' | 'repository' | 'serverUrl'>>): string {
  return value.replace(/\$\{\{\s*github\.(\w+)\s*\}\}/g, (_, key: string) => {
    const map: Record<string, string> = { token: ctx.token, actor: ctx.actor, workspace: ctx.workspace, repository: ctx.repository, server_url: ctx.serverUrl };
    return map[key] ?? '';
  });
}

function runStep(script: string, env: Record<string, string>, cwd: string, timeoutMs: number): Promise<StepResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(node24(), [script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr, durationMs: performance.now() - started });
    });
  });
}

export async function runAction(name: string, options: RunActionOptions = {}): Promise<ActionRun> {
  const manifest = readManifest(name);
  const runnerDir = options.runnerDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `run-${name}-`));
  const runnerTemp = path.join(runnerDir, 'temp');
  const toolCache = path.join(runnerDir, 'tool-cache');
  const files = path.join(runnerDir, 'files');
  for (const d of [runnerTemp, toolCache, files]) fs.mkdirSync(d, { recursive: true });
  const f = (n: string): string => path.join(files, n);
  for (const n of ['output', 'summary', 'state', 'env', 'path']) fs.writeFileSync(f(n), '');

  const c = options.context ?? {};
  const ctx = {
    eventName: c.eventName ?? 'push',
    ref: c.ref ?? 'refs/heads/main',
    sha: c.sha ?? '0123456789abcdef0123456789abcdef01234567',
    repository: c.repository ?? 'acme/app',
    actor: c.actor ?? 'octocat',
    token: c.token ?? '',
    workspace: c.workspace ?? ROOT,
    serverUrl: c.serverUrl ?? 'https://github.com',
    runId: c.runId ?? '1',
    event: c.event ?? { repository: { default_branch: 'main' } },
  };
  fs.writeFileSync(f('event.json'), JSON.stringify(ctx.event));

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // The runner gives a step no INPUT_/STATE_ left over from elsewhere.
    if (v !== undefined && !k.startsWith('INPUT_') && !k.startsWith('STATE_') && !k.startsWith('GITHUB_') && !k.startsWith('ACTIONS_')) env[k] = v;
  }
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: f('output'),
    GITHUB_STEP_SUMMARY: f('summary'),
    GITHUB_STATE: f('state'),
    GITHUB_ENV: f('env'),
    GITHUB_PATH: f('path'),
    GITHUB_EVENT_PATH: f('event.json'),
    GITHUB_EVENT_NAME: ctx.eventName,
    GITHUB_REF: ctx.ref,
    GITHUB_REF_NAME: ctx.ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_REF_TYPE: ctx.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_SHA: ctx.sha,
    GITHUB_REPOSITORY: ctx.repository,
    GITHUB_REPOSITORY_OWNER: ctx.repository.split('/')[0],
    GITHUB_ACTOR: ctx.actor,
    GITHUB_WORKSPACE: ctx.workspace,
    GITHUB_SERVER_URL: ctx.serverUrl,
    GITHUB_API_URL: 'http://127.0.0.1:9/api',
    GITHUB_RUN_ID: ctx.runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'test',
    GITHUB_WORKFLOW: 'test',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: toolCache,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_DEBUG: '1',
  });
  for (const [key, spec] of Object.entries(manifest.inputs ?? {})) {
    const given = options.inputs?.[key];
    const value = given ?? (spec.default !== undefined ? expandDefault(String(spec.default), ctx) : '');
    env[`INPUT_${key.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const key of Object.keys(options.inputs ?? {})) {
    if (!(key in (manifest.inputs ?? {}))) throw new Error(`runAction(${name}): input '${key}' is not declared in ${name}/action.yml`);
  }
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  if (options.pathPrepend?.length) env.PATH = [...options.pathPrepend, env.PATH ?? ''].join(path.delimiter);

  const actionDir = path.join(ROOT, name);
  const timeoutMs = options.timeoutMs ?? 300_000;
  const main = await runStep(path.resolve(actionDir, manifest.runs.main), env, ctx.workspace, timeoutMs);
  const state = parseFileCommands(fs.readFileSync(f('state'), 'utf8'));
  let post: StepResult | undefined;
  // The runner evaluates post-if against the job's status (default always()): here main is the job's only step.
  const failed = main.exitCode !== 0;
  const status = { success: !failed && !options.cancelled, failure: failed && !options.cancelled, cancelled: Boolean(options.cancelled) };
  const postIf = !manifest.runs.post || truthy(evaluateStatus(manifest.runs['post-if'] ?? 'always()', { runner: { os: 'Linux', temp: runnerTemp }, github: { event_name: ctx.eventName } }, status));
  if (manifest.runs.post && !options.skipPost && postIf) {
    const postEnv = { ...env };
    for (const [k, v] of Object.entries(state)) postEnv[`STATE_${k}`] = v;
    post = await runStep(path.resolve(actionDir, manifest.runs.post), postEnv, ctx.workspace, timeoutMs);
  }
  const allOutput = [main.stdout, main.stderr, post?.stdout ?? '', post?.stderr ?? ''].join('\n');
  const run: ActionRun = {
    main,
    post,
    postIf,
    outputs: parseFileCommands(fs.readFileSync(f('output'), 'utf8')),
    summary: fs.readFileSync(f('summary'), 'utf8'),
    state,
    exportedEnv: parseFileCommands(fs.readFileSync(f('env'), 'utf8')),
    addedPath: fs.readFileSync(f('path'), 'utf8').split('\n').filter(Boolean),
    runnerDir,
    runnerTemp,
    allOutput,
    visibleOutput: allOutput.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'),
  };
  // Suite-wide: with a test stack up, no run may expose its registry password (the raw files also hold what post wrote).
  const rawFiles = { 'GITHUB_OUTPUT file': f('output'), 'GITHUB_STEP_SUMMARY file': f('summary'), 'GITHUB_STATE file': f('state') };
  assertNoSecretLeak(name, run, stackRegistryPassword(), 'the test stack registry password', Object.fromEntries(Object.entries(rawFiles).map(([k, p]) => [k, fs.readFileSync(p, 'utf8')])));
  return run;
}

let stackPassword: { value: string | undefined } | undefined;

/** The running test stack's registry password, read once per process; undefined without a stack. */
function stackRegistryPassword(): string | undefined {
  stackPassword ??= { value: loadStack()?.registryPassword };
  return stackPassword.value;
}

/**
 * Where `secret` occurs in what a run exposes (visible log, outputs, summary, state, and any extra named texts).
 * An empty or blank secret is never looked for: it would "occur" everywhere.
 */
export function secretLeaks(run: Pick<ActionRun, 'visibleOutput' | 'outputs' | 'summary' | 'state'>, secret: string | undefined, extra: Record<string, string> = {}): string[] {
  if (!secret || !secret.trim()) return [];
  const places: string[] = [];
  if (run.visibleOutput.includes(secret)) places.push('visible output');
  for (const [k, v] of Object.entries(run.outputs)) if (k.includes(secret) || v.includes(secret)) places.push(`output '${k}'`);
  if (run.summary.includes(secret)) places.push('step summary');
  for (const [k, v] of Object.entries(run.state)) if (k.includes(secret) || v.includes(secret)) places.push(`state '${k}'`);
  for (const [k, v] of Object.entries(extra)) if (v.includes(secret)) places.push(k);
  return places;
}

/** Throws (without echoing the secret) when secretLeaks finds it anywhere. */
export function assertNoSecretLeak(name: string, run: Pick<ActionRun, 'visibleOutput' | 'outputs' | 'summary' | 'state'>, secret: string | undefined, label: string, extra: Record<string, string> = {}): void {
  const places = secretLeaks(run, secret, extra);
  if (places.length) throw new Error(`runAction(${name}): ${label} leaked into ${places.join(', ')}`);
}

/** Renders a step's workflow-command log roughly as the Actions UI shows it. */
export function renderLog(stdout: string): string {
  return stdout
    .split('\n')
    .filter((l) => !l.startsWith('::debug::') && !l.startsWith('::add-mask::') && !l.startsWith('::save-state') && !l.startsWith('::set-output'))
    .map((l) => l.replace(/^::group::(.*)$/, '▶ $1').replace(/^::endgroup::$/, '').replace(/^::(warning|error|notice)[^:]*::(.*)$/, (_m, k: string, msg: string) => `${k.toUpperCase()}: ${msg}`))
    .join('\n');
}
