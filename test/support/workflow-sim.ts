// A small run simulator for workflow logic: the job graph and every job/step `if:` come from GitHub's own
// parser (@actions/workflow-parser, which also adds the implicit `success() &&`), conditions and outputs are
// evaluated by GitHub's expression engine (@actions/expressions) with the status functions bound to the
// simulated run, `run:` steps are executed by bash (env evaluated, GITHUB_OUTPUT/GITHUB_ENV/summary files),
// and `uses:` steps are played by mocks. It models what the runner does with step outcomes and conclusions
// (continue-on-error), job results, cancellation, and "Re-run failed jobs".
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { data } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import { isLiteral } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import YAML from 'yaml';
import { evaluateStatus } from './expressions.js';
import { parseFileCommands } from './run-action.js';
import { interpolate, parseWithGitHub, resolveWorkflowRef, ROOT, workflowCallDefaults } from './workflows.js';
import type { ExpressionContext } from './workflows.js';

export type Outcome = 'success' | 'failure' | 'cancelled' | 'skipped';
export type JobResult = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepPlay {
  outcome?: 'success' | 'failure';
  outputs?: Record<string, string>;
}

/** What a mocked step sees: its evaluated `with:`, the job's env, and a world object shared by the whole test. */
export interface StepCall<W> {
  job: string;
  step: string;
  with: Record<string, string>;
  env: Record<string, string>;
  world: W;
  attempt: number;
}

export type Mock<W> = StepPlay | ((call: StepCall<W>) => StepPlay);

/** A job that calls a reusable workflow: its evaluated `with:` and the secrets it hands over. */
export interface WorkflowCall<W> {
  job: string;
  uses: string;
  with: Record<string, string>;
  secrets: Record<string, string>;
  world: W;
}

export type JobMock<W> = (call: WorkflowCall<W>) => Promise<{ result: JobResult; outputs: Record<string, string> }>;

export interface StepRecord {
  key: string;
  outcome: Outcome;
  conclusion: Outcome;
  outputs: Record<string, string>;
  log: string;
}

export interface JobRecord {
  result: JobResult;
  /** Result of each matrix leg, keyed by the leg's matrix values joined by `/` (matrix jobs only). */
  legs?: Record<string, JobResult>;
  /** The run of the called workflow (jobs calling a reusable workflow simulated with `expandCalls`). */
  call?: RunRecord;
  outputs: Record<string, string>;
  steps: StepRecord[];
  /** Name of the environment the job was bound to (its deployment record takes the job's result). */
  environment?: string;
  summary: string;
  attempt: number;
}

export interface RunRecord {
  jobs: Record<string, JobRecord>;
  /** on.workflow_call.outputs, evaluated over the jobs. */
  outputs: Record<string, string>;
  conclusion: 'success' | 'failure' | 'cancelled';
  attempt: number;
}

export interface SimOptions<W> {
  /** Workflow text instead of the file (e.g. an older revision from git). */
  source?: string;
  inputs?: Record<string, string | boolean | number>;
  secrets?: Record<string, string>;
  github?: Record<string, unknown>;
  /** Keyed by `<job>/<step id or name>` or `<step id or name>`; `uses:` steps without a mock succeed with no outputs. */
  mocks?: Record<string, Mock<W>>;
  world?: W;
  /** The run is cancelled while this step runs (the step ends `cancelled`). */
  cancelAt?: { job: string; step: string };
  /** "Re-run failed jobs" of this earlier attempt: failed/cancelled jobs and their dependents run again. */
  rerunFailedOf?: RunRecord;
  /**
   * Jobs played as a whole instead of running their steps: the result (a matrix job: per leg, by legKey) and outputs.
   * Keys are job ids; inside a called workflow (`expandCalls`), `<caller job>/<callee job>`.
   * A played `cancelled` result means the run was cancelled while that job ran.
   */
  play?: Record<string, JobPlay>;
  /** Simulate the reusable workflows of this repository that jobs call, with the evaluated `with:` and secrets. */
  expandCalls?: boolean;
  /** Jobs that call a reusable workflow (`uses:` at the job level), by job id; without one they succeed with no outputs. */
  jobMocks?: Record<string, JobMock<W>>;
  /** Directories put first on PATH for `run:` steps (stand-in tools). */
  pathPrepend?: string[];
  /** RUNNER_TEMP of the simulated runner, kept after the run when given (else a temporary folder, removed). */
  runnerTemp?: string;
}

/** How a played job ends. `legs`: result per matrix leg (keyed by the leg's first value), the others `result`. */
export interface JobPlay {
  result?: JobResult;
  legs?: Record<string, JobResult>;
  outputs?: Record<string, string>;
}

interface StepSpec {
  key: string;
  id: string;
  name: string;
  condition: string;
  continueOnError: boolean;
  run?: string;
  uses?: string;
  with: Record<string, unknown>;
  env: Record<string, unknown>;
}

interface JobSpec {
  id: string;
  uses?: string;
  with: Record<string, unknown>;
  secrets: unknown;
  needs: string[];
  condition: string;
  environment?: unknown;
  outputs: Record<string, unknown>;
  steps: StepSpec[];
  /** strategy.matrix as written (a mapping, or an expression such as fromJSON(needs.x.outputs.matrix)). */
  matrix?: unknown;
  failFast: boolean;
}

type Yaml = Record<string, unknown>;
const rec = (v: unknown): Yaml => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Yaml) : {});

function conditionOf(token: TemplateToken | undefined): string {
  if (!token) return 'success()';
  const expr = (token as unknown as { expression?: string }).expression;
  if (typeof expr === 'string') return expr;
  return isLiteral(token) ? token.toString() : 'success()';
}

async function loadSpecs(relPath: string, source: string): Promise<JobSpec[]> {
  const wf = await parseWithGitHub(relPath, source);
  if (wf.errors.length) throw new Error(`${relPath}: ${wf.errors.join('; ')}`);
  const doc = rec(YAML.parse(source));
  const jobsYaml = rec(doc.jobs);
  return wf.template.jobs.map((job) => {
    const id = job.id.value;
    const yamlJob = rec(jobsYaml[id]);
    const yamlSteps = Array.isArray(yamlJob.steps) ? yamlJob.steps.map(rec) : [];
    const templateSteps = job.type === 'job' ? job.steps : [];
    const steps: StepSpec[] = templateSteps.map((s, i) => {
      const y = yamlSteps[i] ?? {};
      const coe = s['continue-on-error'];
      return {
        key: String(y.id ?? y.name ?? s.id),
        id: String(s.id),
        name: String(y.name ?? ''),
        condition: conditionOf(s.if),
        continueOnError: coe === true || (typeof coe === 'object' && coe !== null && isLiteral(coe) && coe.toString() === 'true'),
        run: typeof y.run === 'string' ? y.run : undefined,
        uses: typeof y.uses === 'string' ? y.uses : undefined,
        with: rec(y.with),
        env: rec(y.env),
      };
    });
    return {
      id,
      uses: typeof yamlJob.uses === 'string' ? yamlJob.uses : undefined,
      with: rec(yamlJob.with),
      secrets: yamlJob.secrets,
      needs: (job.needs ?? []).map((n) => n.value),
      condition: conditionOf(job.if),
      environment: yamlJob.environment,
      outputs: rec(yamlJob.outputs),
      steps,
      matrix: rec(yamlJob.strategy).matrix,
      failFast: rec(yamlJob.strategy)['fail-fast'] !== false,
    };
  });
}

function ancestors(id: string, byId: Map<string, JobSpec>, seen = new Set<string>()): Set<string> {
  for (const n of byId.get(id)?.needs ?? []) {
    if (!seen.has(n)) {
      seen.add(n);
      ancestors(n, byId, seen);
    }
  }
  return seen;
}

function order(specs: JobSpec[]): JobSpec[] {
  const done = new Set<string>();
  const out: JobSpec[] = [];
  while (out.length < specs.length) {
    const next = specs.find((j) => !done.has(j.id) && j.needs.every((n) => done.has(n)));
    if (!next) throw new Error('job graph has a cycle');
    done.add(next.id);
    out.push(next);
  }
  return out;
}

/** The `${{ }}` parts of a value: each ends at the first `}}` outside a '…' string literal (as GitHub reads them). */
function splitExpressions(value: string): { text: string; expression?: string }[] {
  const parts: { text: string; expression?: string }[] = [];
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf('${{', i);
    if (start < 0) break;
    let j = start + 3;
    let quoted = false;
    while (j < value.length && (quoted || !value.startsWith('}}', j))) {
      if (value[j] === "'") quoted = !quoted;
      j++;
    }
    parts.push({ text: value.slice(i, start) }, { text: '', expression: value.slice(start + 3, j) });
    i = j + 2;
  }
  parts.push({ text: value.slice(i) });
  return parts;
}

function evalValue(value: unknown, ctx: ExpressionContext, status: { success: boolean; failure: boolean; cancelled: boolean }): string {
  if (typeof value !== 'string') return interpolate(value, ctx);
  return splitExpressions(value)
    .map((p) => (p.expression === undefined ? p.text : evaluateStatus(p.expression, ctx, status).coerceString()))
    .join('');
}

function runBash(script: string, env: Record<string, string>, dir: string, pathPrepend: string[]): { code: number; log: string; outputs: Record<string, string>; setEnv: Record<string, string>; summary: string } {
  const files = { GITHUB_OUTPUT: 'output', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary' } as const;
  const paths = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, path.join(dir, `${f}-${Math.random().toString(36).slice(2)}`)])) as Record<keyof typeof files, string>;
  for (const p of Object.values(paths)) fs.writeFileSync(p, '');
  // GitHub's default shell for run steps: bash --noprofile --norc -eo pipefail {0}.
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...env, PATH: [...pathPrepend, process.env.PATH ?? ''].join(path.delimiter), RUNNER_TEMP: dir, ...paths },
  });
  const read = (p: string): string => fs.readFileSync(p, 'utf8');
  return { code: r.status ?? 1, log: (r.stdout ?? '') + (r.stderr ?? ''), outputs: parseFileCommands(read(paths.GITHUB_OUTPUT)), setEnv: parseFileCommands(read(paths.GITHUB_ENV)), summary: read(paths.GITHUB_STEP_SUMMARY) };
}

interface LegRun {
  result: JobResult;
  outputs: Record<string, string>;
  steps: StepRecord[];
  summary: string;
}

/** A job's result from its legs' (or its one run's): failure if any leg failed, then cancelled, else success. */
function aggregate(results: JobResult[]): JobResult {
  if (results.includes('failure')) return 'failure';
  if (results.includes('cancelled')) return 'cancelled';
  return 'success';
}

/** The key of a matrix leg in JobRecord.legs and JobPlay.legs: its first value (e.g. the service name). */
export function legKey(matrix: Record<string, unknown>): string {
  const first = Object.values(matrix)[0];
  return typeof first === 'string' ? first : JSON.stringify(first);
}

/** The legs of strategy.matrix (evaluated when it is an expression): the cross product of its vectors, then include/exclude. */
function matrixLegs(matrix: unknown, ctx: ExpressionContext, status: { success: boolean; failure: boolean; cancelled: boolean }): Record<string, unknown>[] | undefined {
  if (matrix === undefined) return undefined;
  let m: unknown = matrix;
  if (typeof matrix === 'string') {
    const expr = /^\$\{\{([\s\S]*)\}\}$/.exec(matrix.trim());
    m = expr ? (JSON.parse(JSON.stringify(evaluateStatus(expr[1], ctx, status), data.replacer)) as unknown) : matrix;
  }
  const spec = rec(m);
  const vectors = Object.entries(spec).filter(([k, v]) => k !== 'include' && k !== 'exclude' && Array.isArray(v)) as [string, unknown[]][];
  let legs: Record<string, unknown>[] = vectors.length ? [{}] : [];
  for (const [k, values] of vectors) legs = legs.flatMap((l) => values.map((v) => ({ ...l, [k]: v })));
  const matches = (leg: Record<string, unknown>, part: Record<string, unknown>): boolean => Object.entries(part).every(([k, v]) => JSON.stringify(leg[k]) === JSON.stringify(v));
  for (const ex of Array.isArray(spec.exclude) ? spec.exclude.map(rec) : []) legs = legs.filter((l) => !matches(l, ex));
  // An include entry extends every original combination it does not contradict, else it is a leg of its own.
  const original = [...legs];
  const keys = vectors.map(([k]) => k);
  for (const inc of Array.isArray(spec.include) ? spec.include.map(rec) : []) {
    const fits = original.filter((l) => Object.entries(inc).every(([k, v]) => !keys.includes(k) || JSON.stringify(l[k]) === JSON.stringify(v)));
    if (fits.length) fits.forEach((l) => Object.assign(l, inc));
    else legs.push({ ...inc });
  }
  return legs;
}

/** `with:` values of a workflow call as the callee receives them: typed by its boolean/number inputs. */
function typedInputs(callee: string, given: Record<string, string>): Record<string, string | boolean | number> {
  const defaults = workflowCallDefaults(callee);
  return Object.fromEntries(
    Object.entries(given).map(([k, v]) => {
      const d = defaults[k];
      return [k, typeof d === 'boolean' ? v === 'true' : typeof d === 'number' ? Number(v) : v];
    }),
  );
}

/** Runs a workflow_call workflow once (or re-runs the failed jobs of an earlier attempt). */
export async function simulateWorkflow<W = Record<string, unknown>>(relPath: string, options: SimOptions<W> = {}): Promise<RunRecord> {
  const source = options.source ?? fs.readFileSync(path.join(ROOT, relPath), 'utf8');
  const specs = order(await loadSpecs(relPath, source));
  const byId = new Map(specs.map((j) => [j.id, j]));
  const previous = options.rerunFailedOf;
  const attempt = (previous?.attempt ?? 0) + 1;
  const rerun = new Set<string>();
  if (previous) {
    for (const j of specs) {
      const before = previous.jobs[j.id]?.result;
      if (before === 'failure' || before === 'cancelled' || [...ancestors(j.id, byId)].some((a) => rerun.has(a))) rerun.add(j.id);
    }
  }
  const doc = rec(YAML.parse(source));
  const dispatch = rec(rec(rec(doc.on).workflow_dispatch).inputs);
  const defaults = { ...Object.fromEntries(Object.entries(dispatch).filter(([, v]) => 'default' in rec(v)).map(([k, v]) => [k, rec(v).default as string | boolean | number])), ...workflowCallDefaultsFrom(source, relPath) };
  const inputs = { ...defaults, ...(options.inputs ?? {}) };
  const secrets = options.secrets ?? {};
  const github = { repository: 'acme/app', actor: 'octocat', token: 'ghs_sim', sha: '5d41402abc4b2a76b9719d911017c592f0a1b2c3', run_id: '1', run_attempt: String(attempt), ...(options.github ?? {}) };
  const world = (options.world ?? {}) as W;
  const dir = options.runnerTemp ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wf-sim-'));
  const jobs: Record<string, JobRecord> = {};
  let cancelled = false;
  const githubEnv = Object.fromEntries(
    (
      [
        ['GITHUB_SHA', 'sha'],
        ['GITHUB_REF', 'ref'],
        ['GITHUB_EVENT_NAME', 'event_name'],
      ] as const
    )
      .filter(([, k]) => typeof github[k as keyof typeof github] === 'string')
      .map(([e, k]) => [e, String(github[k as keyof typeof github])]),
  );
  // One run of a job's steps (one leg of a matrix job).
  const runLeg = (job: JobSpec, baseCtx: ExpressionContext): LegRun => {
    const steps: StepRecord[] = [];
    const stepsCtx: Record<string, { outcome: Outcome; conclusion: Outcome; outputs: Record<string, string> }> = {};
    const env: Record<string, string> = {};
    let summary = '';
    let failed = false;
    for (const step of job.steps) {
      const status = { success: !cancelled && !failed, failure: failed, cancelled };
      const ctx: ExpressionContext = { ...baseCtx, steps: stepsCtx, env, job: { status: cancelled ? 'cancelled' : failed ? 'failure' : 'success' }, runner: { temp: dir, os: 'Linux' } };
      let outcome: Outcome;
      let outputs: Record<string, string> = {};
      let log = '';
      if (!truthy(evaluateStatus(step.condition, ctx, status))) {
        outcome = 'skipped';
      } else if (options.cancelAt && options.cancelAt.job === job.id && [step.id, step.key, step.name].includes(options.cancelAt.step)) {
        outcome = 'cancelled';
        cancelled = true;
      } else {
        const mock = options.mocks?.[`${job.id}/${step.key}`] ?? options.mocks?.[`${job.id}/${step.name}`] ?? options.mocks?.[step.key] ?? options.mocks?.[step.name];
        if (mock || !step.run) {
          const withEval = Object.fromEntries(Object.entries(step.with).map(([k, v]) => [k, evalValue(v, ctx, status)]));
          const play = typeof mock === 'function' ? mock({ job: job.id, step: step.key, with: withEval, env: { ...env }, world, attempt }) : (mock ?? {});
          outcome = play.outcome ?? 'success';
          outputs = play.outputs ?? {};
        } else {
          const stepEnv = Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, evalValue(v, ctx, status)]));
          const r = runBash(step.run, { ...env, ...stepEnv, GITHUB_RUN_ID: github.run_id, GITHUB_RUN_ATTEMPT: github.run_attempt, GITHUB_ACTOR: String(github.actor), GITHUB_REPOSITORY: String(github.repository), ...githubEnv }, dir, options.pathPrepend ?? []);
          outcome = r.code === 0 ? 'success' : 'failure';
          outputs = r.outputs;
          log = r.log;
          Object.assign(env, r.setEnv);
          summary += r.summary;
        }
      }
      const conclusion: Outcome = outcome === 'failure' && step.continueOnError ? 'success' : outcome;
      if (conclusion === 'failure') failed = true;
      stepsCtx[step.id] = { outcome, conclusion, outputs };
      steps.push({ key: step.key, outcome, conclusion, outputs, log });
    }
    const result: JobResult = cancelled && (steps.some((s) => s.outcome === 'cancelled') || !failed) ? 'cancelled' : failed ? 'failure' : 'success';
    const outCtx: ExpressionContext = { ...baseCtx, steps: stepsCtx, env, job: {}, runner: { temp: dir } };
    const outputs = Object.fromEntries(Object.entries(job.outputs).map(([k, v]) => [k, evalValue(v, outCtx, { success: true, failure: false, cancelled: false })]));
    return { result, outputs, steps, summary };
  };
  try {
    for (const job of specs) {
      if (previous && !rerun.has(job.id) && previous.jobs[job.id]) {
        jobs[job.id] = previous.jobs[job.id];
        continue;
      }
      const needs = Object.fromEntries(job.needs.map((n) => [n, { result: jobs[n].result, outputs: jobs[n].outputs }]));
      const up = [...ancestors(job.id, byId)].map((a) => jobs[a].result);
      const jobStatus = { success: !cancelled && up.every((r) => r === 'success'), failure: up.some((r) => r === 'failure'), cancelled };
      const baseCtx: ExpressionContext = { inputs, secrets, github, needs, vars: {}, strategy: {}, matrix: {} };
      const run = truthy(evaluateStatus(job.condition, baseCtx, jobStatus));
      if (!run) {
        jobs[job.id] = { result: 'skipped', outputs: {}, steps: [], summary: '', attempt };
        continue;
      }
      if (job.uses) {
        const withEval = Object.fromEntries(Object.entries(job.with).map(([k, v]) => [k, evalValue(v, baseCtx, jobStatus)]));
        const handed = job.secrets === 'inherit' ? { ...secrets } : Object.fromEntries(Object.entries(rec(job.secrets)).map(([k, v]) => [k, evalValue(v, baseCtx, jobStatus)]));
        const mock = options.jobMocks?.[job.id];
        const callee = resolveWorkflowRef(job.uses);
        const played = options.play?.[job.id];
        if (played) {
          jobs[job.id] = { result: played.result ?? 'success', outputs: played.outputs ?? {}, steps: [], summary: '', attempt };
        } else if (!mock && options.expandCalls && callee) {
          const prefix = `${job.id}/`;
          const play = Object.fromEntries(Object.entries(options.play ?? {}).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
          const call = await simulateWorkflow<W>(callee, { ...options, source: undefined, inputs: typedInputs(callee, withEval), secrets: handed, play, jobMocks: undefined, rerunFailedOf: undefined, cancelAt: undefined, runnerTemp: undefined, github });
          jobs[job.id] = { result: call.conclusion, outputs: call.outputs, steps: [], summary: '', attempt, call };
        } else {
          const r = (await mock?.({ job: job.id, uses: job.uses, with: withEval, secrets: handed, world })) ?? { result: 'success' as JobResult, outputs: {} };
          jobs[job.id] = { result: r.result, outputs: r.outputs, steps: [], summary: '', attempt };
        }
        if (jobs[job.id].result === 'cancelled') cancelled = true;
        continue;
      }
      let legs: Record<string, unknown>[] | undefined;
      try {
        legs = matrixLegs(job.matrix, baseCtx, jobStatus);
      } catch {
        // GitHub fails the job when its strategy cannot be evaluated (e.g. fromJSON of an empty output).
        jobs[job.id] = { result: 'failure', legs: {}, outputs: {}, steps: [], summary: '', attempt };
        continue;
      }
      const played = options.play?.[job.id];
      if (played) {
        const legResults = legs ? Object.fromEntries(legs.map((m) => [legKey(m), played.legs?.[legKey(m)] ?? played.result ?? 'success'])) : undefined;
        const result = legResults ? aggregate(Object.values(legResults)) : (played.result ?? 'success');
        const environment = job.environment === undefined ? undefined : evalValue(typeof job.environment === 'string' ? job.environment : rec(job.environment).name, baseCtx, jobStatus);
        jobs[job.id] = { result, legs: legResults, outputs: played.outputs ?? {}, steps: [], environment, summary: '', attempt };
        if (result === 'cancelled') cancelled = true;
        continue;
      }
      if (legs && legs.length === 0) {
        // GitHub fails a job whose matrix has no leg ("Matrix vector … does not contain any values").
        jobs[job.id] = { result: 'failure', legs: {}, outputs: {}, steps: [], summary: '', attempt };
        continue;
      }
      const legRuns: { key: string; run: LegRun }[] = [];
      for (const matrix of legs ?? [undefined]) {
        const failedBefore = job.failFast && legRuns.some((l) => l.run.result === 'failure');
        const legCtx: ExpressionContext = matrix ? { ...baseCtx, matrix } : baseCtx;
        const leg: LegRun = failedBefore ? { result: 'cancelled', outputs: {}, steps: [], summary: '' } : runLeg(job, legCtx);
        legRuns.push({ key: matrix ? legKey(matrix) : '', run: leg });
      }
      const environment = job.environment === undefined ? undefined : evalValue(typeof job.environment === 'string' ? job.environment : rec(job.environment).name, legs ? { ...baseCtx, matrix: legs[0] } : baseCtx, jobStatus);
      // A matrix job's outputs: each leg's non-empty values, the last leg's winning (GitHub keeps one leg's).
      const outputs: Record<string, string> = {};
      for (const { run: l } of legRuns) for (const [k, v] of Object.entries(l.outputs)) if (v !== '' || !(k in outputs)) outputs[k] = v;
      const last = legRuns[legRuns.length - 1].run;
      jobs[job.id] = {
        result: aggregate(legRuns.map((l) => l.run.result)),
        legs: legs ? Object.fromEntries(legRuns.map((l) => [l.key, l.run.result])) : undefined,
        outputs,
        steps: last.steps,
        environment,
        summary: legRuns.map((l) => l.run.summary).join(''),
        attempt,
      };
    }
  } finally {
    if (!options.runnerTemp) fs.rmSync(dir, { recursive: true, force: true });
  }
  const callOutputs = rec(rec(rec(doc.on).workflow_call).outputs);
  const jobsCtx = Object.fromEntries(Object.entries(jobs).map(([id, j]) => [id, { result: j.result, outputs: j.outputs }]));
  const outputs = Object.fromEntries(Object.entries(callOutputs).map(([k, v]) => [k, evalValue(rec(v).value, { jobs: jobsCtx, inputs, github }, { success: true, failure: false, cancelled: false })]));
  const results = Object.values(jobs).map((j) => j.result);
  const conclusion = cancelled ? 'cancelled' : results.some((r) => r === 'failure' || r === 'cancelled') ? 'failure' : 'success';
  return { jobs, outputs, conclusion, attempt };
}

function workflowCallDefaultsFrom(source: string, relPath: string): Record<string, string | boolean | number> {
  const file = path.join(ROOT, relPath);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === source) return workflowCallDefaults(relPath);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-src-'));
  try {
    fs.mkdirSync(path.join(dir, path.dirname(relPath)), { recursive: true });
    fs.writeFileSync(path.join(dir, relPath), source);
    return workflowCallDefaults(relPath, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A step of a simulated job by id or name. */
export function stepOf(run: RunRecord, job: string, key: string): StepRecord {
  const s = run.jobs[job]?.steps.find((x) => x.key === key);
  if (!s) throw new Error(`no step ${key} in job ${job} (${run.jobs[job]?.steps.map((x) => x.key).join(', ') ?? 'job did not run'})`);
  return s;
}
