import * as core from '@actions/core';
import * as actionsExec from '@actions/exec';
import { CommandError } from './errors.js';

export interface ExecOptions {
  cwd?: string;
  /** Merged over process.env. */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin (e.g. a password for --password-stdin). */
  input?: string;
  /** Stream the child's output to the log (default false: captured only). */
  stream?: boolean;
  /** Return a non-zero exit instead of throwing CommandError. */
  allowFailure?: boolean;
  /** Extra strings to hide in the logged command line (on top of core.setSecret). */
  secrets?: string[];
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const registeredSecrets = new Set<string>();

/** Registers a secret with the runner and with the command-line masking of this module. */
export function maskSecret(value: string | undefined): void {
  if (!value) return;
  core.setSecret(value);
  registeredSecrets.add(value);
}

export function redact(text: string, extra: string[] = []): string {
  let out = text;
  for (const secret of [...registeredSecrets, ...extra]) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}

export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/**
 * Runs one program with an argv array (never a shell string). Failure is the exit code alone:
 * a non-zero exit throws CommandError unless allowFailure is set; stderr output never decides.
 */
export async function runCommand(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const line = redact(formatCommand(command, args), options.secrets);
  core.debug(`exec: ${line}`);
  const env = options.env ? mergeEnv(options.env) : undefined;
  const result = await actionsExec.getExecOutput(command, [...args], {
    cwd: options.cwd,
    env,
    input: options.input === undefined ? undefined : Buffer.from(options.input),
    silent: !options.stream,
    ignoreReturnCode: true,
    windowsVerbatimArguments: false,
  });
  const out: ExecResult = {
    exitCode: result.exitCode,
    stdout: redact(result.stdout, options.secrets),
    stderr: redact(result.stderr, options.secrets),
  };
  if (out.exitCode !== 0 && !options.allowFailure) {
    throw new CommandError(line, out.exitCode, out.stdout, out.stderr);
  }
  return out;
}

function mergeEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...extra })) {
    if (v !== undefined) env[k] = v;
  }
  return env;
}
