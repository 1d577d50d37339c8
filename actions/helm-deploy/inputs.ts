// Every input of helm-deploy/action.yml, parsed and validated before any side effect.
import * as fs from 'node:fs';
import * as path from 'node:path';
import semver from 'semver';
import * as core from '@actions/core';
import { DEFAULT_CLUSTER_RETRY_BUDGET_MS, DNS1123_SUBDOMAIN, InputError, describeYamlValue, input, maskSecret, parseDuration, parseList, parseYamlInput, readKubeconfigInputs, resolveInsideWorkspace, validateNamespace } from '../toolkit/index.js';
import type { ImageKeys, ImageRef, ServiceImage } from './values.js';
import { buildValues, checkImageFitsKeys, echoableValues, parseImageKeys, parseImageRef, parseImagesInput, parseImageValues } from './values.js';
import type { Values } from './values.js';
import type { CompareContext, OrderPolicy } from '../toolkit/source-order.js';
import { readOrderInputs } from '../toolkit/source-order.js';

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
  /** `set-sensitive` values (masked) and longer `set` values: hidden from every tool output. */
  hiddenValues: string[];
  image?: ImageRef;
  /** The `image` input as given (empty when not set). */
  imageReference: string;
  imageKeys: ImageKeys;
  /** `images` with their `image-values` keys, in the order of the JSON object. */
  images: ServiceImage[];
  kubeconfig: string;
  context: string;
  timeoutMs: number;
  historyMax: number;
  attempts: number;
  /** How long one cluster call keeps retrying a transient error (at most `timeout`). */
  retryBudgetMs: number;
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
  /** Newest wins (mode deploy only): the commit deployed, recorded in the release, compared with the live one. */
  order?: { sourceCommit: string; policy: OrderPolicy; ctx: CompareContext };
}


export function validateRelease(name: string): string {
  if (!name) throw new InputError('release', 'is required');
  if (name.length > 53) throw new InputError('release', `'${name}' is ${name.length} characters; Helm allows at most 53`);
  if (!DNS1123_SUBDOMAIN.test(name)) throw new InputError('release', `'${name}' is not a DNS-1123 name (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)`);
  return name;
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

/**
 * Each values file must be a YAML mapping: a broken one fails here, naming the input and the position, never
 * quoting its content (values files may hold secrets).
 */
export function validateValuesFile(file: string, shown: string): void {
  const data = parseYamlInput('values-files', fs.readFileSync(file, 'utf8'), `'${shown}' `, 'its content is not shown');
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    throw new InputError('values-files', `'${shown}' is not a values file: expected a YAML mapping of values, got ${describeYamlValue(data)}`);
  }
}

/** `set-sensitive`: read and masked (each value on its own, too) before anything else sees it. */
function readSensitiveLines(): string[] {
  const raw = core.getInput('set-sensitive');
  if (!raw.trim()) return [];
  core.setSecret(raw);
  const lines = parseList(raw, { comma: false });
  for (const line of lines) {
    const value = line.slice(line.indexOf('=') + 1);
    maskSecret(value);
    if (value.trim() !== value) maskSecret(value.trim());
  }
  return lines;
}

/** `images` + `image-values`: every service's reference parsed and fitted to its keys. */
export function readImages(): ServiceImage[] {
  const map = parseImagesInput(input.string('images'));
  const lines = input.list('image-values', { comma: false });
  const services = Object.keys(map);
  if (!services.length) {
    if (lines.length) throw new InputError('image-values', 'is set but the images input is empty');
    return [];
  }
  const keys = parseImageValues(lines, services);
  return services.map((service) => {
    const reference = map[service];
    const image = parseImageRef(reference, 'images', `service '${service}': `);
    const k = keys.get(service)!;
    checkImageFitsKeys('images', `service '${service}': `, reference, image, k, `image-values ('${service}')`);
    return { service, reference, image, keys: k };
  });
}

export function readInputs(): Inputs {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const mode = input.choice<Mode>('mode', ['deploy', 'rollback'], 'deploy');
  const release = validateRelease(input.string('release', { required: true }));
  const namespace = validateNamespace(input.string('namespace') || 'default');
  const { kubeconfig, context } = readKubeconfigInputs();
  const timeoutMs = input.duration('timeout', '5m');
  if (timeoutMs < 1000) throw new InputError('timeout', 'must be at least 1s');
  const helmVersion = input.string('helm-version') || '>=3.17.0 <5';
  if (!semver.validRange(helmVersion)) throw new InputError('helm-version', `'${helmVersion}' is not a semver range`);
  const imageRaw = input.string('image');
  const image = imageRaw ? parseImageRef(imageRaw) : undefined;
  const imageKeys = parseImageKeys(input.string('image-keys'));
  if (image) checkImageFitsKeys('image', '', imageRaw, image, imageKeys, "image-keys");
  const images = readImages();
  if (image && images.length) throw new InputError('images', 'cannot be combined with the image input: put that image into the images map too');
  const sensitiveLines = readSensitiveLines();
  const setLines = input.list('set', { comma: false });
  const generatedValues = buildValues(setLines, image, imageKeys, sensitiveLines, images);
  const hiddenValues = [...sensitiveLines.map((l) => l.slice(l.indexOf('=') + 1)).filter(Boolean), ...echoableValues(setLines)];
  const order = mode === 'deploy' ? readOrderInputs() : undefined;
  const chartRaw = input.string('chart');
  const chart = mode === 'deploy' ? resolveChart(chartRaw, input.string('repo'), workspace) : undefined;
  const valuesFiles = mode === 'deploy' ? input.list('values-files').map((f) => resolveInsideWorkspace('values-files', workspace, f)) : [];
  input.list('values-files').forEach((shown, i) => valuesFiles[i] !== undefined && validateValuesFile(valuesFiles[i], shown));
  const retryBudgetMs = Math.min(input.duration('retry-budget', `${DEFAULT_CLUSTER_RETRY_BUDGET_MS / 1000}s`), timeoutMs);
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
    hiddenValues,
    image,
    imageReference: imageRaw,
    imageKeys,
    images,
    kubeconfig,
    context,
    timeoutMs,
    historyMax: input.integer('history-max', 10, { min: 0 }),
    attempts: input.integer('attempts', 3, { min: 1, max: 10 }),
    retryBudgetMs,
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
    order,
  };
}
