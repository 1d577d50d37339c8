// Every input of helm-deploy/action.yml, parsed and validated before any side effect.
import * as fs from 'node:fs';
import * as path from 'node:path';
import semver from 'semver';
import YAML from 'yaml';
import { InputError, input, parseDuration } from '../toolkit/index.js';
import type { ImageKeys, ImageRef } from './values.js';
import { buildValues, parseImageKeys, parseImageRef } from './values.js';
import type { Values } from './values.js';

export type Mode = 'deploy' | 'rollback';
export type ServerSide = 'auto' | 'true' | 'false';

export type ChartSource =
  | { kind: 'local'; dir: string; ref: string }
  | { kind: 'oci'; ref: string }
  | { kind: 'repo'; ref: string; repo: string };

export interface Inputs {
  mode: Mode;
  release: string;
  namespace: string;
  chart?: ChartSource;
  chartVersion: string;
  valuesFiles: string[];
  generatedValues: Values;
  image?: ImageRef;
  imageKeys: ImageKeys;
  kubeconfig: string;
  context: string;
  timeoutMs: number;
  historyMax: number;
  attempts: number;
  helmVersion: string;
  atomic: boolean;
  keepFailedInstall: boolean;
  serverSide: ServerSide;
  forceConflicts: boolean;
  forceReplace: boolean;
  createNamespace: boolean;
  pendingThresholdMs: number;
  crashChecks: number;
  pollIntervalMs: number;
  revision?: number;
  lint: boolean;
  diagnosticsPath: string;
  workspace: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validateRelease(name: string): string {
  if (!name) throw new InputError('release', 'is required');
  if (name.length > 53) throw new InputError('release', `'${name}' is ${name.length} characters; Helm allows at most 53`);
  if (!DNS1123_SUBDOMAIN.test(name)) throw new InputError('release', `'${name}' is not a DNS-1123 name (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)`);
  return name;
}

export function validateNamespace(name: string): string {
  if (name.length > 63 || !DNS1123_LABEL.test(name)) throw new InputError('namespace', `'${name}' is not a valid namespace (DNS-1123 label: lowercase letters, digits and '-', at most 63 characters)`);
  return name;
}

/** Resolves `file` against the workspace and refuses anything outside it (symlinks resolved). */
export function resolveInsideWorkspace(inputName: string, workspace: string, file: string): string {
  const root = fs.realpathSync(workspace);
  const candidate = path.resolve(root, file);
  if (!fs.existsSync(candidate)) throw new InputError(inputName, `'${file}' does not exist`);
  const real = fs.realpathSync(candidate);
  if (real !== root && !real.startsWith(root + path.sep)) throw new InputError(inputName, `'${file}' is outside the workspace`);
  return real;
}

export function resolveChart(raw: string, repo: string, workspace: string): ChartSource {
  if (!raw) throw new InputError('chart', 'is required for mode deploy');
  if (raw.startsWith('oci://')) {
    if (repo) throw new InputError('repo', 'must be empty for an oci:// chart');
    if (!/^oci:\/\/[^/\s]+\/\S+$/.test(raw)) throw new InputError('chart', `'${raw}' is not an oci://registry/path/chart reference`);
    return { kind: 'oci', ref: raw };
  }
  if (repo) {
    if (!/^https?:\/\/\S+$/.test(repo)) throw new InputError('repo', `'${repo}' is not an http(s) URL`);
    if (!/^[\w.-]+$/.test(raw)) throw new InputError('chart', `'${raw}' is not a chart name in ${repo}`);
    return { kind: 'repo', ref: raw, repo };
  }
  const dir = resolveInsideWorkspace('chart', workspace, raw);
  if (!fs.existsSync(path.join(dir, 'Chart.yaml'))) throw new InputError('chart', `'${raw}' has no Chart.yaml`);
  return { kind: 'local', dir, ref: dir };
}

export function parseRevision(raw: string): number | undefined {
  if (!raw.trim()) return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) throw new InputError('revision', `expected a revision number, got '${raw}'`);
  return Number(raw);
}

function named(list: unknown[]): string[] {
  return list.map((item) => (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string' ? (item as { name: string }).name : '')).filter(Boolean);
}

/**
 * Checks the kubeconfig input is a kubeconfig (YAML or JSON with clusters and contexts) and that the
 * context to use is one of them, so a broken secret fails here, not at the first helm call. Errors
 * never quote the content (it holds tokens and keys): only positions and context names.
 */
export function validateKubeconfig(content: string, context: string): void {
  if (!content.trim()) return;
  const hidden = 'its content is not shown, it holds credentials';
  const doc = YAML.parseDocument(content);
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    throw new InputError('kubeconfig', `is not valid YAML (${error.code.toLowerCase().replace(/_/g, ' ')}${at}); ${hidden}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new InputError('kubeconfig', `is not valid YAML (its aliases cannot be resolved); ${hidden}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError('kubeconfig', `is not a kubeconfig: expected a YAML mapping with clusters, contexts and users, got ${Array.isArray(data) ? 'a list' : data === null || data === undefined ? 'nothing' : `a ${typeof data}`}; ${hidden}`);
  }
  const config = data as { clusters?: unknown; contexts?: unknown; 'current-context'?: unknown };
  for (const key of ['clusters', 'contexts'] as const) {
    if (!Array.isArray(config[key]) || config[key].length === 0) throw new InputError('kubeconfig', `has no ${key} (not a kubeconfig, or an empty one); ${hidden}`);
  }
  const contexts = named(config.contexts as unknown[]);
  const list = contexts.length ? contexts.map((c) => `'${c}'`).join(', ') : 'none with a name';
  if (context) {
    if (!contexts.includes(context)) throw new InputError('context', `'${context}' is not a context of the kubeconfig input (its contexts: ${list})`);
    return;
  }
  const current = typeof config['current-context'] === 'string' ? config['current-context'] : '';
  if (!current) throw new InputError('context', `is required: the kubeconfig input has no current-context (its contexts: ${list})`);
  if (!contexts.includes(current)) throw new InputError('kubeconfig', `its current-context '${current}' is not one of its contexts (${list}); fix it or set the context input`);
}

export function readInputs(): Inputs {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const mode = input.choice<Mode>('mode', ['deploy', 'rollback'], 'deploy');
  const release = validateRelease(input.string('release', { required: true }));
  const namespace = validateNamespace(input.string('namespace') || 'default');
  const kubeconfig = input.secret('kubeconfig');
  const context = input.string('context');
  validateKubeconfig(kubeconfig, context);
  const timeoutMs = input.duration('timeout', '5m');
  if (timeoutMs < 1000) throw new InputError('timeout', 'must be at least 1s');
  const helmVersion = input.string('helm-version') || '>=3.17.0 <5';
  if (!semver.validRange(helmVersion)) throw new InputError('helm-version', `'${helmVersion}' is not a semver range`);
  const imageRaw = input.string('image');
  const image = imageRaw ? parseImageRef(imageRaw) : undefined;
  const imageKeys = parseImageKeys(input.list('image-keys'));
  const setLines = input.list('set', { comma: false });
  const generatedValues = buildValues(setLines, image, imageKeys);
  const chartRaw = input.string('chart');
  const chart = mode === 'deploy' ? resolveChart(chartRaw, input.string('repo'), workspace) : undefined;
  const valuesFiles = mode === 'deploy' ? input.list('values-files').map((f) => resolveInsideWorkspace('values-files', workspace, f)) : [];
  const diagnosticsRaw = input.string('diagnostics-path');
  const diagnosticsPath = diagnosticsRaw ? path.resolve(workspace, diagnosticsRaw) : '';
  return {
    mode,
    release,
    namespace,
    chart,
    chartVersion: input.string('chart-version'),
    valuesFiles,
    generatedValues,
    image,
    imageKeys,
    kubeconfig,
    context,
    timeoutMs,
    historyMax: input.integer('history-max', 10, { min: 0 }),
    attempts: input.integer('attempts', 3, { min: 1, max: 10 }),
    helmVersion,
    atomic: input.boolean('atomic', true),
    keepFailedInstall: input.boolean('keep-failed-install', false),
    serverSide: input.choice<ServerSide>('server-side', ['auto', 'true', 'false'], 'auto'),
    forceConflicts: input.boolean('force-conflicts', false),
    forceReplace: input.boolean('force-replace', false),
    createNamespace: input.boolean('create-namespace', false),
    pendingThresholdMs: parseDuration('pending-threshold', input.string('pending-threshold') || '10m'),
    crashChecks: input.integer('crash-checks', 3, { min: 1, max: 100 }),
    pollIntervalMs: parseDuration('poll-interval', input.string('poll-interval') || '5s'),
    revision: parseRevision(input.string('revision')),
    lint: input.boolean('lint', true),
    diagnosticsPath,
    workspace,
  };
}
