// Workflow tooling for the tests: GitHub's own parser (@actions/workflow-parser) with a file provider that
// resolves this repository's reusable workflows and actions locally, the caller↔callee and step↔action.yml
// contract checks, and the security audit (pinning, permissions, triggers, script injection).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { convertWorkflowTemplate, isBasicExpression, isLiteral, isMapping, isSequence, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { WorkflowTemplate } from '@actions/workflow-parser';
import type { ErrorPolicy } from '@actions/workflow-parser/model/convert';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';
import YAML from 'yaml';
import { FIRST_PARTY, workflowFiles } from '../../scripts/workflow-pins.js';
import { ROOT } from './run-action.js';

/** Every workflow file of the repository and of the examples (the list scripts/workflow-pins.ts checks). */
export { ROOT, workflowFiles };

/** Owner/repo under which app repositories reference this repository's actions and reusable workflows. */
export { FIRST_PARTY };

/** A throwaway repository layout with the given files (relative path → content); returns its root. */
export function tempTree(prefix: string, files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

/** Folders at the root holding an action.yml (the actions this repository ships). */
export function actionDirs(root: string = ROOT): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules' && fs.existsSync(path.join(root, d.name, 'action.yml')))
    .map((d) => d.name)
    .sort();
}

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionManifest {
  name?: string;
  description?: string;
  inputs?: Record<string, ActionInput | null>;
  outputs?: Record<string, { description?: string } | null>;
  runs?: { using?: string; main?: string; post?: string; 'post-if'?: string };
}

export function readActionManifest(dir: string, root: string = ROOT): ActionManifest {
  return YAML.parse(fs.readFileSync(path.join(root, dir, 'action.yml'), 'utf8')) as ActionManifest;
}

/** Problems of one action.yml: node24, main/post present on disk, descriptions on every input and output. */
export function checkActionManifest(dir: string, root: string = ROOT): string[] {
  const problems: string[] = [];
  const m = readActionManifest(dir, root);
  if (!m.name) problems.push('no name');
  if (!m.description) problems.push('no description');
  if (m.runs?.using !== 'node24') problems.push(`runs.using is ${JSON.stringify(m.runs?.using)}, expected node24`);
  for (const key of ['main', 'post'] as const) {
    const rel = m.runs?.[key];
    if (key === 'main' && !rel) problems.push('runs.main is missing');
    if (rel && !fs.existsSync(path.resolve(root, dir, rel))) problems.push(`runs.${key} ${rel} does not exist (npm run build -- ${dir})`);
  }
  if (m.runs?.post && !m.runs['post-if']) problems.push('runs.post without post-if');
  for (const [name, spec] of Object.entries(m.inputs ?? {})) {
    if (!spec?.description?.trim()) problems.push(`input ${name} has no description`);
  }
  for (const [name, spec] of Object.entries(m.outputs ?? {})) {
    if (!spec?.description?.trim()) problems.push(`output ${name} has no description`);
  }
  return problems;
}

/**
 * The local folder of an action reference: `./<name>`, `$/<name>` (GitHub's self-repository syntax: this
 * repository at the commit of the running workflow) or `<FIRST_PARTY>/<name>@<ref>`. Undefined for
 * third-party actions and for references that are not actions of this repository.
 */
export function resolveActionRef(uses: string, root: string = ROOT): string | undefined {
  let dir: string | undefined;
  if (uses.startsWith('./') || uses.startsWith('$/')) dir = uses.slice(2).replace(/\/$/, '');
  else if (uses.startsWith(`${FIRST_PARTY}/`) && uses.includes('@')) dir = uses.slice(FIRST_PARTY.length + 1, uses.lastIndexOf('@'));
  if (dir === undefined || dir.startsWith('.github/')) return undefined;
  return fs.existsSync(path.join(root, dir, 'action.yml')) ? dir : undefined;
}

/** The local path of a reusable workflow reference (`./.github/workflows/x.yml` or `<FIRST_PARTY>/.github/workflows/x.yml@ref`). */
export function resolveWorkflowRef(uses: string): string | undefined {
  if (uses.startsWith('./.github/workflows/') || uses.startsWith('$/.github/workflows/')) return uses.slice(2);
  const m = /^([^/]+\/[^/]+)\/(\.github\/workflows\/[^@]+)@.+$/.exec(uses);
  return m && m[1] === FIRST_PARTY ? m[2] : undefined;
}

function localFileProvider(root: string) {
  return {
    getFileContent: async (ref: FileReference) => {
      let rel: string;
      if ('repository' in ref) {
        if (`${ref.owner}/${ref.repository}` !== FIRST_PARTY) throw new Error(`not a workflow of this repository: ${ref.owner}/${ref.repository}`);
        rel = ref.path;
      } else {
        rel = ref.path;
      }
      return { name: rel, content: fs.readFileSync(path.join(root, rel), 'utf8') };
    },
  };
}

/**
 * Actions of this repository that land from other branches (issue 18: verify-image, by the build-push owner):
 * the workflows reference them before their action.yml exists here; once it exists it is checked like any other.
 */
export const PENDING_ACTIONS = ['verify-image'];

const pendingAction = (uses: string, root: string): boolean => PENDING_ACTIONS.some((a) => uses === `$/${a}` && !fs.existsSync(path.join(root, a, 'action.yml')));

export interface ParsedWorkflow {
  path: string;
  template: WorkflowTemplate;
  /** The parsed token tree (keeps what the converted template drops, such as a step's `with:`). */
  root: TemplateToken | undefined;
  errors: string[];
}

const TRY_CONVERSION = 1 as ErrorPolicy;

/** Parses with GitHub's parser and loads each called reusable workflow of this repository (depth 1). */
export async function parseWithGitHub(relPath: string, source?: string, root: string = ROOT): Promise<ParsedWorkflow> {
  const content = source ?? fs.readFileSync(path.join(root, relPath), 'utf8');
  const parsed = parseWorkflow({ name: relPath, content }, new NoOperationTraceWriter());
  const template = parsed.value
    ? await convertWorkflowTemplate(parsed.context, parsed.value, localFileProvider(root), { fetchReusableWorkflowDepth: 1, errorPolicy: TRY_CONVERSION })
    : ({ errors: [{ Message: 'the parser returned no value' }] } as WorkflowTemplate);
  const errors = (template.errors ?? []).map((e) => e.Message);
  return { path: relPath, template, root: parsed.value, errors };
}

/** Value of `key` in a mapping token. */
export function child(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  for (const pair of token) if (isLiteral(pair.key) && pair.key.toString() === key) return pair.value;
  return undefined;
}

export function keysOf(token: TemplateToken | undefined): string[] {
  if (!token || !isMapping(token)) return [];
  const keys: string[] = [];
  for (const pair of token) keys.push(pair.key.toString());
  return keys;
}

/** Every expression (without `${{ }}`) inside a token tree. */
export function expressionsIn(token: TemplateToken | undefined): string[] {
  if (!token) return [];
  if (isBasicExpression(token)) return [token.expression];
  const out: string[] = [];
  if (isMapping(token)) {
    for (const pair of token) out.push(...expressionsIn(pair.key), ...expressionsIn(pair.value));
  } else if (isSequence(token)) {
    for (const item of token) out.push(...expressionsIn(item));
  }
  return out;
}

function literalString(token: TemplateToken | undefined): string | undefined {
  return token && isLiteral(token) ? token.toString() : undefined;
}

/** Input names a workflow declares for `workflow_call` (with their type) and `workflow_dispatch`. */
function declaredInputs(root: TemplateToken | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const on = child(root, 'on');
  for (const event of ['workflow_call', 'workflow_dispatch']) {
    const inputs = child(child(on, event), 'inputs');
    for (const name of keysOf(inputs)) out.set(name, literalString(child(child(inputs, name), 'type')) ?? 'string');
  }
  return out;
}

/**
 * Contract problems of one workflow: what GitHub's parser reports when it loads the called reusable
 * workflows (unknown `with:`/`secrets:` keys, missing required inputs and secrets), plus: referenced
 * `needs.<job>.outputs.<x>` / `jobs.<job>.outputs.<x>` / `steps.<id>.outputs.<x>` exist, `inputs.<x>` are
 * declared, every step's `with:` keys are inputs of the called action.yml and its required inputs are given.
 */
export async function checkWorkflowContracts(relPath: string, source?: string, root: string = ROOT): Promise<string[]> {
  const wf = await parseWithGitHub(relPath, source, root);
  const problems = wf.errors.map((e) => `parser: ${e}`);
  const jobsToken = child(wf.root, 'jobs');
  const inputs = declaredInputs(wf.root);
  const jobOutputs = new Map<string, Set<string>>();
  for (const job of wf.template.jobs ?? []) {
    const id = job.id.value;
    jobOutputs.set(id, new Set(keysOf(job.outputs)));
    if (job.type === 'reusableWorkflowJob') {
      const ref = job.ref.value;
      const local = resolveWorkflowRef(ref);
      if (ref.includes('/.github/workflows/') && ref.split('/')[0] + '/' + ref.split('/')[1] === FIRST_PARTY && !local) problems.push(`job ${id}: cannot resolve ${ref}`);
      if (local && !fs.existsSync(path.join(root, local))) problems.push(`job ${id}: ${ref} → ${local} does not exist`);
    }
  }

  const checkRefs = (where: string, exprs: string[], stepOutputs: Map<string, Set<string> | undefined>, needs: Set<string>): void => {
    for (const expr of exprs) {
      for (const m of expr.matchAll(/\bneeds\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
        if (!needs.has(m[1])) problems.push(`${where}: needs.${m[1]} is not in this job's needs`);
        else if (!jobOutputs.get(m[1])?.has(m[2])) problems.push(`${where}: needs.${m[1]}.outputs.${m[2]} is not an output of job ${m[1]}`);
      }
      for (const m of expr.matchAll(/\bjobs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
        if (!jobOutputs.get(m[1])?.has(m[2])) problems.push(`${where}: jobs.${m[1]}.outputs.${m[2]} is not an output of job ${m[1]}`);
      }
      for (const m of expr.matchAll(/\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
        if (!stepOutputs.has(m[1])) problems.push(`${where}: no step with id ${m[1]}`);
        else {
          const outs = stepOutputs.get(m[1]);
          if (outs && !outs.has(m[2])) problems.push(`${where}: steps.${m[1]}.outputs.${m[2]} is not an output of that action`);
        }
      }
      for (const m of expr.matchAll(/(?<![.\w-])inputs\.([A-Za-z0-9_-]+)/g)) {
        if (!inputs.has(m[1])) problems.push(`${where}: inputs.${m[1]} is not declared`);
      }
    }
  };

  // Outputs of a reusable workflow refer to its jobs' outputs.
  const callOutputs = child(child(child(wf.root, 'on'), 'workflow_call'), 'outputs');
  for (const name of keysOf(callOutputs)) checkRefs(`on.workflow_call.outputs.${name}`, expressionsIn(child(child(callOutputs, name), 'value')), new Map(), new Set(jobOutputs.keys()));

  for (const job of wf.template.jobs ?? []) {
    const id = job.id.value;
    const jobToken = child(jobsToken, id);
    const needs = new Set((job.needs ?? []).map((n) => n.value));
    const stepOutputs = new Map<string, Set<string> | undefined>();
    const steps = child(jobToken, 'steps');
    if (steps && isSequence(steps)) {
      let index = 0;
      for (const step of steps) {
        index++;
        const uses = literalString(child(step, 'uses'));
        const stepId = literalString(child(step, 'id'));
        const where = `job ${id} step ${stepId ?? index}`;
        const dir = uses ? resolveActionRef(uses, root) : undefined;
        if (uses && !dir && !pendingAction(uses, root) && (uses.startsWith('./') || uses.startsWith('$/') || uses.startsWith(`${FIRST_PARTY}/`))) problems.push(`${where}: ${uses} does not resolve to an action.yml of this repository`);
        if (dir) {
          const manifest = readActionManifest(dir, root);
          const declared = manifest.inputs ?? {};
          const given = keysOf(child(step, 'with'));
          for (const key of given) if (!(key in declared)) problems.push(`${where}: with.${key} is not an input of ${dir}/action.yml`);
          for (const [key, spec] of Object.entries(declared)) {
            if (spec?.required && spec.default === undefined && !given.includes(key)) problems.push(`${where}: required input ${key} of ${dir}/action.yml is not given`);
          }
          if (stepId) stepOutputs.set(stepId, new Set(Object.keys(manifest.outputs ?? {})));
        } else if (stepId) {
          // A run step or a third-party action: outputs are not declared anywhere we can check.
          stepOutputs.set(stepId, undefined);
        }
      }
    }
    checkRefs(`job ${id}`, expressionsIn(jobToken), stepOutputs, needs);
  }
  return problems;
}

export type AuditRule = 'unpinned-action' | 'missing-version-comment' | 'missing-permissions' | 'write-all' | 'pull-request-target' | 'untrusted-expression';

export interface AuditFinding {
  rule: AuditRule;
  where: string;
  message: string;
}

type Yaml = Record<string, unknown>;

function asRecord(value: unknown): Yaml | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Yaml) : undefined;
}

const SHA_PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/;

/** Why a `uses:` reference is not acceptable, or undefined when it is. */
export function pinningProblem(uses: string): string | undefined {
  // `$/` is this repository at the running workflow's own commit: pinned by construction.
  if (uses.startsWith('./') || uses.startsWith('$/')) return undefined;
  if (uses.startsWith('docker://')) return /@sha256:[0-9a-f]{64}$/.test(uses) ? undefined : `${uses} is not pinned by digest`;
  if (uses.startsWith(`${FIRST_PARTY}/`)) return /@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(uses) ? undefined : `${uses}: first-party references use @vN (moved by the release workflow) or a full SHA`;
  return SHA_PINNED.test(uses) ? undefined : `${uses} is not pinned by a full commit SHA`;
}

/** Contexts whose values a pull request author, a dispatcher or an earlier step controls. */
const UNTRUSTED = [/\bgithub\.event\b/, /\bgithub\.head_ref\b/, /\bsteps\.[\w-]+\.outputs\b/, /\bneeds\.[\w-]+\.outputs\b/, /\benv\./, /\bsecrets\./];

/** Why an expression used inside a script is unsafe, or undefined. `inputs` maps input names to types. */
export function untrustedReason(expression: string, inputs: Map<string, string>): string | undefined {
  for (const pattern of UNTRUSTED) if (pattern.test(expression)) return `${pattern.source.replace(/\\b|\\/g, '')} is expanded into the script`;
  for (const m of expression.matchAll(/(?<![.\w-])inputs\.([\w-]+)/g)) {
    const type = inputs.get(m[1]) ?? 'string';
    if (type !== 'boolean' && type !== 'number') return `inputs.${m[1]} (${type}) is expanded into the script`;
  }
  if (/(?<![.\w-])inputs\[/.test(expression)) return 'inputs[…] is expanded into the script';
  return undefined;
}

function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys(asRecord(on) ?? {});
}

/**
 * Security audit of one workflow: third-party actions pinned by full SHA with a `# vX.Y.Z` comment,
 * permissions declared (workflow level, else on every job; never write-all), no pull_request_target,
 * and no untrusted `${{ }}` inside `run:` (or github-script's `script:`) — such values go through `env:`.
 */
export function auditWorkflow(source: string, where = 'workflow'): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const doc = asRecord(YAML.parse(source)) ?? {};
  const on = doc.on ?? doc.true; // YAML 1.1 readers turn a bare `on` key into true
  if (triggers(on).includes('pull_request_target')) findings.push({ rule: 'pull-request-target', where, message: 'pull_request_target runs with a write token and secrets on code from forks' });

  const inputTypes = new Map<string, string>();
  for (const event of ['workflow_call', 'workflow_dispatch']) {
    const inputs = asRecord(asRecord(asRecord(on)?.[event])?.inputs) ?? {};
    for (const [name, spec] of Object.entries(inputs)) inputTypes.set(name, String(asRecord(spec)?.type ?? 'string'));
  }

  const topPermissions = 'permissions' in doc;
  if (doc.permissions === 'write-all') findings.push({ rule: 'write-all', where, message: 'permissions: write-all' });
  const jobs = asRecord(doc.jobs) ?? {};
  const lines = source.split('\n');
  const usesLines = (uses: string): string[] => lines.filter((l) => new RegExp(`^\\s*(-\\s+)?uses:\\s*['"]?${uses.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?(\\s|$)`).test(l));

  const checkUses = (uses: string, at: string): void => {
    const problem = pinningProblem(uses);
    if (problem) {
      findings.push({ rule: 'unpinned-action', where: at, message: problem });
      return;
    }
    if (SHA_PINNED.test(uses) && !uses.startsWith(`${FIRST_PARTY}/`)) {
      const missing = usesLines(uses).filter((l) => !/#\s*v\d+\.\d+\.\d+\b/.test(l));
      if (missing.length) findings.push({ rule: 'missing-version-comment', where: at, message: `${uses} needs a '# vX.Y.Z' comment naming the release the SHA belongs to` });
    }
  };

  for (const [id, value] of Object.entries(jobs)) {
    const job = asRecord(value) ?? {};
    const at = `${where} job ${id}`;
    if (!topPermissions && !('permissions' in job)) findings.push({ rule: 'missing-permissions', where: at, message: 'no permissions block on the workflow or on this job' });
    if (job.permissions === 'write-all') findings.push({ rule: 'write-all', where: at, message: 'permissions: write-all' });
    if (typeof job.uses === 'string') checkUses(job.uses, at);
    const steps = Array.isArray(job.steps) ? job.steps : [];
    steps.forEach((s, i) => {
      const step = asRecord(s) ?? {};
      const stepAt = `${at} step ${String(step.id ?? step.name ?? i + 1)}`;
      if (typeof step.uses === 'string') checkUses(step.uses, stepAt);
      const scripts: string[] = [];
      if (typeof step.run === 'string') scripts.push(step.run);
      if (typeof step.uses === 'string' && step.uses.startsWith('actions/github-script@')) {
        const script = asRecord(step.with)?.script;
        if (typeof script === 'string') scripts.push(script);
      }
      for (const script of scripts) {
        for (const m of script.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
          const reason = untrustedReason(m[1], inputTypes);
          if (reason) findings.push({ rule: 'untrusted-expression', where: stepAt, message: `\${{${m[1]}}}: ${reason}; pass it through env: instead` });
        }
      }
    });
  }
  return findings;
}

/** Plain values of the contexts an expression may read (inputs, needs, steps, secrets, github, env…). */
export type ExpressionContext = Record<string, unknown>;

/** Evaluates one expression (without `${{ }}`) with GitHub's expression engine (@actions/expressions). */
export function evaluate(expression: string, context: ExpressionContext): data.ExpressionData {
  const lexed = new Lexer(expression).lex();
  const parsed = new Parser(lexed.tokens, Object.keys(context), []).parse();
  const dict = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
  return new Evaluator(parsed, dict).evaluate();
}

/** A workflow value with its `${{ }}` parts evaluated, as the runner passes it to an action (a string). */
export function interpolate(value: unknown, context: ExpressionContext): string {
  if (typeof value !== 'string') return value === undefined || value === null ? '' : String(value);
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, expr: string) => evaluate(expr, context).coerceString());
}

/** A step of a workflow job, found by id or name, as plain YAML. */
export function findStep(relPath: string, jobId: string, step: string, root: string = ROOT): Record<string, unknown> {
  const doc = YAML.parse(fs.readFileSync(path.join(root, relPath), 'utf8')) as Yaml;
  const job = asRecord(asRecord(doc.jobs)?.[jobId]);
  if (!job) throw new Error(`${relPath}: no job ${jobId}`);
  const steps = (Array.isArray(job.steps) ? job.steps : []).map((s) => asRecord(s) ?? {});
  const found = steps.find((s) => s.id === step || s.name === step);
  if (!found) throw new Error(`${relPath}: job ${jobId} has no step ${step}`);
  return found;
}

/** A job of a workflow as plain YAML. */
export function findJob(relPath: string, jobId: string, root: string = ROOT): Record<string, unknown> {
  const doc = YAML.parse(fs.readFileSync(path.join(root, relPath), 'utf8')) as Yaml;
  const job = asRecord(asRecord(doc.jobs)?.[jobId]);
  if (!job) throw new Error(`${relPath}: no job ${jobId}`);
  return job;
}

/** The defaults of a reusable workflow's inputs, typed as GitHub passes them (boolean, number, string). */
export function workflowCallDefaults(relPath: string, root: string = ROOT): Record<string, string | boolean | number> {
  const doc = YAML.parse(fs.readFileSync(path.join(root, relPath), 'utf8')) as Yaml;
  const inputs = asRecord(asRecord(asRecord(doc.on)?.workflow_call)?.inputs) ?? {};
  const out: Record<string, string | boolean | number> = {};
  for (const [name, spec] of Object.entries(inputs)) {
    const s = asRecord(spec) ?? {};
    const type = String(s.type ?? 'string');
    const d = s.default;
    out[name] = type === 'boolean' ? d === true : type === 'number' ? Number(d ?? 0) : d === undefined ? '' : String(d);
  }
  return out;
}

/** The `with:` of a step, evaluated in `context`: exactly the inputs the runner would hand the action. */
export function stepInputs(relPath: string, jobId: string, step: string, context: ExpressionContext, root: string = ROOT): Record<string, string> {
  const w = asRecord(findStep(relPath, jobId, step, root).with) ?? {};
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, interpolate(v, context)]));
}
