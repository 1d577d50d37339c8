import * as semver from 'semver';
import { ActionError, runCommand, type ExecResult } from '../toolkit/index.js';
import type { ScanKind } from './inputs.js';

export interface ScanOptions {
  kind: ScanKind;
  /** Path (fs, config) or image reference. */
  target: string;
  output: string;
  /** Empty file: Trivy's own ignore processing is switched off, ours applies. */
  emptyIgnoreFile: string;
  cacheDir: string;
  scanners: string[];
  timeout: string;
  dbRepositories: string[];
  javaDbRepositories: string[];
  skipDbUpdate: boolean;
  skipJavaDbUpdate: boolean;
  /** Directories inside the scanned path to leave out (the Trivy cache when it lives there). */
  skipDirs?: string[];
}

const ALL_SEVERITIES = 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL';

/**
 * argv of one scan: JSON of every severity, unfiltered (the gate, ignore file and SARIF are ours),
 * no --exit-code (a non-zero exit is a scan error, findings never change it).
 */
export function buildScanArgs(o: ScanOptions, version: string): string[] {
  const args = [o.kind, '--format', 'json', '--output', o.output, '--severity', ALL_SEVERITIES, '--ignorefile', o.emptyIgnoreFile, '--cache-dir', o.cacheDir, '--timeout', o.timeout];
  if (o.kind !== 'config') {
    // Older Trivy takes a single repository; fallback lists arrived in 0.56.
    const lists = version === 'dev' || semver.gte(semver.coerce(version) ?? '0.0.0', '0.56.0');
    const repos = (r: string[]): string => (lists ? r.join(',') : r[0]);
    args.push('--scanners', o.scanners.join(','), '--list-all-pkgs=false', '--no-progress');
    args.push('--db-repository', repos(o.dbRepositories));
    if (o.javaDbRepositories.length) args.push('--java-db-repository', repos(o.javaDbRepositories));
    if (o.skipDbUpdate) args.push('--skip-db-update');
    if (o.skipJavaDbUpdate) args.push('--skip-java-db-update');
  }
  for (const dir of o.skipDirs ?? []) args.push('--skip-dirs', dir);
  args.push(o.target);
  return args;
}

/** Environment settings that would filter or fail Trivy's JSON behind the gate's back are removed. */
export const NEUTRALISED_ENV = ['TRIVY_SEVERITY', 'TRIVY_IGNORE_UNFIXED', 'TRIVY_IGNORE_STATUS', 'TRIVY_EXIT_CODE', 'TRIVY_EXIT_ON_EOL', 'TRIVY_IGNOREFILE', 'TRIVY_FORMAT', 'TRIVY_OUTPUT', 'TRIVY_TEMPLATE', 'TRIVY_IGNORE_POLICY', 'TRIVY_QUIET'];

export function parseTrivyVersion(output: string): string | undefined {
  const m = /Version:\s*v?([0-9]+\.[0-9]+\.[0-9]+[^\s]*|dev)/.exec(output);
  return m?.[1];
}

/** The trivy CLI, over the toolkit's runCommand; failure is its exit code alone. */
export class Trivy {
  readonly bin: string;
  private readonly env: Record<string, string | undefined>;
  private cachedVersion?: Promise<string>;

  constructor(bin: string, env: Record<string, string | undefined> = {}) {
    this.bin = bin;
    this.env = { ...Object.fromEntries(NEUTRALISED_ENV.map((k) => [k, undefined])), ...env };
  }

  version(): Promise<string> {
    this.cachedVersion ??= runCommand(this.bin, ['--version'], { env: this.env }).then((r) => {
      const v = parseTrivyVersion(r.stdout);
      if (!v) throw new ActionError(`could not read the version of ${this.bin} from: ${r.stdout.trim().split('\n')[0] ?? ''}`);
      return v;
    });
    return this.cachedVersion;
  }

  async scan(options: ScanOptions, cwd: string): Promise<ExecResult> {
    const version = await this.version();
    return runCommand(this.bin, buildScanArgs(options, version), { env: this.env, cwd });
  }

  /**
   * `trivy convert` re-renders a saved JSON report (SARIF, table…) without scanning again; the empty
   * ignore file stops it from re-applying the workspace's .trivyignore on top of ours.
   */
  async convert(format: 'sarif' | 'table', input: string, emptyIgnoreFile: string, output?: string): Promise<ExecResult> {
    const args = ['convert', '--format', format, '--ignorefile', emptyIgnoreFile, ...(output ? ['--output', output] : []), input];
    return runCommand(this.bin, args, { env: this.env });
  }
}
