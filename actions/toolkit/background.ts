import * as core from '@actions/core';
import { spawn } from 'node:child_process';
import { CommandError } from './errors.js';
import type { ExecOptions, ExecResult } from './exec.js';
import { formatCommand, redact } from './exec.js';

export interface BackgroundResult extends ExecResult {
  /** The signal that ended the process (e.g. 'SIGKILL' after kill()), or null when it exited. */
  signal: NodeJS.Signals | null;
}

export interface BackgroundCommand {
  result: Promise<BackgroundResult>;
  /** Stops the process (default SIGKILL: a process that must not get to clean up after itself). */
  kill(signal?: NodeJS.Signals): void;
  readonly killed: boolean;
}

/**
 * Like runCommand, but returns at once with a handle that can stop the process: for long waits that a
 * watcher may end early. Argv array only; failure is the exit code alone (a kill() is not a failure:
 * the result says which signal ended it); output is redacted like runCommand's.
 */
export function startCommand(command: string, args: readonly string[], options: ExecOptions = {}): BackgroundCommand {
  const line = redact(formatCommand(command, args), options.secrets);
  core.debug(`exec (background): ${line}`);
  const env = options.env ? Object.fromEntries(Object.entries({ ...process.env, ...options.env }).filter((e): e is [string, string] => e[1] !== undefined)) : process.env;
  // Its own process group, so kill() also stops wrappers' children that would hold the output pipes open.
  const child = spawn(command, [...args], { cwd: options.cwd, env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], detached: true });
  let killedByUs = false;
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (options.stream) process.stdout.write(redact(d.toString(), options.secrets));
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (options.stream) process.stdout.write(redact(d.toString(), options.secrets));
  });
  if (child.stdin) {
    // A child that exits before reading its input must not crash us with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  }
  const result = new Promise<BackgroundResult>((resolve, reject) => {
    child.on('error', (err) => reject(new CommandError(line, 127, '', err.message)));
    child.on('close', (code, signal) => {
      const out: BackgroundResult = { exitCode: code ?? 128, stdout: redact(stdout, options.secrets), stderr: redact(stderr, options.secrets), signal };
      if (out.exitCode !== 0 && !options.allowFailure && !killedByUs) reject(new CommandError(line, out.exitCode, out.stdout, out.stderr));
      else resolve(out);
    });
  });
  return {
    result,
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killedByUs = true;
      try {
        if (child.pid) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        child.kill(signal);
      }
    },
    get killed() {
      return killedByUs;
    },
  };
}
