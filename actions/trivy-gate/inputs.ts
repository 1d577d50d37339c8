import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, formatDuration, input, parseImageReference, parseList } from '../toolkit/index.js';
import { SEVERITIES, type Severity } from './gate.js';

export const SCAN_KINDS = ['fs', 'image', 'config'] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];
export const SCANNERS = ['vuln', 'secret', 'misconfig', 'license'] as const;

export interface Inputs {
  mode: 'scan' | 'report';
  targets: ScanKind[];
  /** Absolute path scanned by fs and config. */
  path: string;
  imageRef: string;
  scanners: string[];
  severities: Severity[];
  ignoreUnfixed: boolean;
  /** Absolute paths of the ignore files to apply (explicit or found). */
  ignoreFiles: string[];
  warnOnly: boolean;
  /** Absolute path of the report to evaluate (mode report). */
  report: string;
  sarif: boolean;
  table: boolean;
  summaryLimit: number;
  trivyVersion: string;
  trivyDownloadUrl: string;
  usePathTrivy: boolean;
  cache: boolean;
  cacheDir: string;
  dbRepositories: string[];
  javaDbRepositories: string[];
  skipDbUpdate: 'auto' | 'true' | 'false';
  timeout: string;
  registryUsername: string;
  registryPassword: string;
}

export function workspace(): string {
  return process.env.GITHUB_WORKSPACE || process.cwd();
}

export function parseSeverities(name: string, raw: string): Severity[] {
  const items = parseList(raw).map((s) => s.toUpperCase());
  if (items.length === 0) throw new InputError(name, `list at least one of ${SEVERITIES.join(', ')}`);
  for (const s of items) {
    if (!(SEVERITIES as readonly string[]).includes(s)) throw new InputError(name, `unknown severity '${s}' (use ${SEVERITIES.join(', ')})`);
  }
  return [...new Set(items)] as Severity[];
}

export function parseTargets(raw: string, imageRef: string): ScanKind[] {
  const items = parseList(raw).map((s) => s.toLowerCase());
  if (items.length === 0 || (items.length === 1 && items[0] === 'auto')) return imageRef ? ['image'] : ['fs'];
  for (const t of items) {
    if (!(SCAN_KINDS as readonly string[]).includes(t)) throw new InputError('targets', `unknown target '${t}' (use ${SCAN_KINDS.join(', ')} or auto)`);
  }
  const targets = [...new Set(items)] as ScanKind[];
  if (targets.includes('image') && !imageRef) throw new InputError('image-ref', 'is required when targets include image');
  return targets;
}

export function parseVersion(raw: string): string {
  const version = raw.trim().replace(/^v/, '');
  if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/.test(version)) {
    throw new InputError('trivy-version', `'${raw}' is not an exact release version such as 0.72.0 (ranges and 'latest' are not pinned)`);
  }
  return version;
}

function resolveIn(base: string, p: string): string {
  return path.resolve(base, p);
}

/** Explicit files must exist; by default the workspace's .trivyignore.yaml / .yml / .trivyignore, when present. */
export function resolveIgnoreFiles(raw: string, base: string): string[] {
  const items = parseList(raw);
  if (items.length === 1 && items[0].toLowerCase() === 'none') return [];
  if (items.length === 0) {
    return ['.trivyignore.yaml', '.trivyignore.yml', '.trivyignore'].map((f) => path.join(base, f)).filter((f) => fs.existsSync(f));
  }
  return items.map((item) => {
    const file = resolveIn(base, item);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new InputError('ignore-file', `${item} does not exist (resolved to ${file})`);
    return file;
  });
}

/**
 * The image-ref input: an image reference as Trivy parses it (toolkit parseImageReference). Empty stays empty
 * (image-ref is only needed by the image target).
 */
export function parseImageRef(raw: string): string {
  const ref = raw.trim();
  if (ref === '') return '';
  const parsed = parseImageReference(ref);
  if (typeof parsed === 'string') throw new InputError('image-ref', `'${ref}' ${parsed} (expected [registry/]repository[:tag][@sha256:<64 hex>], e.g. ghcr.io/acme/app:1.2.3)`);
  return ref;
}

/** Reads and validates every input before any side effect. */
export function readInputs(): Inputs {
  const ws = workspace();
  const mode = input.choice('mode', ['scan', 'report'] as const, 'scan');
  const imageRef = parseImageRef(input.string('image-ref'));
  const scanners = parseList(input.string('scanners') || 'vuln,secret').map((s) => s.toLowerCase());
  for (const s of scanners) {
    if (!(SCANNERS as readonly string[]).includes(s)) throw new InputError('scanners', `unknown scanner '${s}' (use ${SCANNERS.join(', ')})`);
  }
  const severities = parseSeverities('severity', input.string('severity') || 'HIGH,CRITICAL');
  const ignoreUnfixed = input.boolean('ignore-unfixed', false);
  const warnOnly = input.boolean('warn-only', false);
  const sarif = input.boolean('sarif', true);
  const table = input.boolean('table', true);
  const summaryLimit = input.integer('summary-limit', 50, { min: 0, max: 1000 });
  const usePathTrivy = input.boolean('use-path-trivy', false);
  const trivyVersion = usePathTrivy ? '' : parseVersion(input.string('trivy-version') || '0.72.0');
  const trivyDownloadUrl = (input.string('trivy-download-url') || 'https://github.com/aquasecurity/trivy/releases/download').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(trivyDownloadUrl)) throw new InputError('trivy-download-url', `'${trivyDownloadUrl}' is not an http(s) URL`);
  const cache = input.boolean('cache', true);
  const cacheDirRaw = input.string('cache-dir');
  const cacheDir = cacheDirRaw ? resolveIn(ws, cacheDirRaw) : path.join(process.env.RUNNER_TEMP || path.join(ws, '..'), 'trivy-cache');
  const dbRepositories = input.list('db-repositories');
  if (dbRepositories.length === 0) throw new InputError('db-repositories', 'list at least one OCI repository');
  const javaDbRepositories = input.list('java-db-repositories');
  const skipDbUpdate = input.choice('skip-db-update', ['auto', 'true', 'false'] as const, 'auto');
  // Trivy takes Go durations only: a bare number of seconds (300) is handed on as 5m.
  const timeout = formatDuration(input.duration('timeout', '10m'));
  const registryUsername = input.string('registry-username');
  const registryPassword = input.secret('registry-password');
  if (Boolean(registryUsername) !== Boolean(registryPassword)) {
    throw new InputError(registryUsername ? 'registry-password' : 'registry-username', 'registry-username and registry-password go together');
  }

  let targets: ScanKind[] = [];
  let scanPath = '';
  let report = '';
  if (mode === 'scan') {
    targets = parseTargets(input.string('targets') || 'auto', imageRef);
    if (targets.includes('fs') || targets.includes('config')) {
      const raw = input.string('path') || '.';
      scanPath = resolveIn(ws, raw);
      if (!fs.existsSync(scanPath)) throw new InputError('path', `${raw} does not exist (resolved to ${scanPath})`);
    }
  } else {
    const raw = input.string('report', { required: true });
    report = resolveIn(ws, raw);
    try {
      fs.accessSync(report, fs.constants.R_OK);
    } catch {
      throw new InputError('report', `${raw} cannot be read (resolved to ${report})`);
    }
    if (!fs.statSync(report).isFile()) throw new InputError('report', `${raw} is not a file`);
  }
  const ignoreFiles = resolveIgnoreFiles(input.string('ignore-file'), ws);

  return {
    mode,
    targets,
    path: scanPath,
    imageRef,
    scanners,
    severities,
    ignoreUnfixed,
    ignoreFiles,
    warnOnly,
    report,
    sarif,
    table,
    summaryLimit,
    trivyVersion,
    trivyDownloadUrl,
    usePathTrivy,
    cache,
    cacheDir,
    dbRepositories,
    javaDbRepositories,
    skipDbUpdate,
    timeout,
    registryUsername,
    registryPassword,
  };
}
