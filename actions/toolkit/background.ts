import * as core from '@actions/core';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { CommandError } from './errors.js';
import type { ExecOptions, ExecResult } from './exec.js';
import { formatCommand, redact } from './exec.js';

export interface BackgroundResult extends ExecResult {
  /** The signal that ended the process (e.g. 'SIGKILL' after kill()), or null when it exited. */
  signal: NodeJS.Signals | null;
}

export interface BackgroundOptions extends ExecOptions {
  /** Sees the (unredacted) output as it arrives, e.g. to wait for a line that says the process is ready. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

export interface BackgroundCommand {
  result: Promise<BackgroundResult>;
  /** Stops the process (default SIGKILL: a process that must not get to clean up after itself). */
  kill(signal?: NodeJS.Signals): void;
  /**
   * SIGTERM to the whole process group, SIGKILL after graceMs to whatever is left of it; resolves once
   * no process of the group runs (a wrapper script's children included).
   */
  stop(graceMs?: number): Promise<void>;
  readonly killed: boolean;
  /** The process id, also its process group id (undefined when it could not be started). */
  readonly pid: number | undefined;
}

/**
 * True while a process of group pgid runs (zombies do not count). Linux: from /proc, where each process's
 * stat names its group; elsewhere kill(-pgid, 0), which also counts zombies.
 */
export function groupRunning(pgid: number | undefined): boolean {
  if (!pgid) return false;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
}

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  for (const until = Date.now() + ms; !done() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Like runCommand, but returns at once with a handle that can stop the process: for long waits that a
 * watcher may end early. Argv array only; failure is the exit code alone (a kill() is not a failure:
 * the result says which signal ended it); output is redacted like runCommand's.
 */
export function startCommand(command: string, args: readonly string[], options: BackgroundOptions = {}): BackgroundCommand {
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
    options.onOutput?.(d.toString(), 'stdout');
    if (options.stream) process.stdout.write(redact(d.toString(), options.secrets));
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    options.onOutput?.(d.toString(), 'stderr');
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
    async stop(graceMs = 3000) {
      const pgid = child.pid;
      const running = (): boolean => (child.exitCode === null && child.signalCode === null) || groupRunning(pgid);
      const signal = (sig: NodeJS.Signals): void => {
        if (!pgid) return;
        killedByUs = true;
        try {
          process.kill(-pgid, sig);
        } catch {
          // ESRCH: the whole group has exited.
        }
      };
      if (running()) {
        signal('SIGTERM');
        await waitUntil(() => !running(), graceMs);
        if (running()) {
          signal('SIGKILL');
          await waitUntil(() => !running(), graceMs);
        }
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
    get killed() {
      return killedByUs;
    },
    get pid() {
      return child.pid;
    },
  };
}
