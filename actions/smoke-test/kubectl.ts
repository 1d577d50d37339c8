import * as core from '@actions/core';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { ActionError, formatCommand, redact } from '../toolkit/index.js';

export interface KubectlOptions {
  /** kubectl executable (default: `kubectl` on PATH). */
  bin?: string;
  /** Kubeconfig file (KUBECONFIG for the child); undefined: the ambient one. */
  kubeconfig?: string;
  context?: string;
}

export interface PortForwardTarget {
  service: string;
  namespace: string;
  /** Service port number or name. */
  port: string;
  localPort: number;
  /** How long to wait for kubectl's "Forwarding from" line. */
  readyTimeoutMs: number;
}

/** Binds 127.0.0.1:0 to let the kernel pick a free port, then releases it for kubectl. */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not pick a free local port'))));
    });
  });
}

/** The "Forwarding from 127.0.0.1:<local> -> <remote>" line kubectl prints when the forward listens. */
export function forwardingLine(output: string, localPort: number): string | undefined {
  return output.split('\n').find((l) => l.trim().startsWith(`Forwarding from 127.0.0.1:${localPort} -> `));
}

/** A running `kubectl port-forward` child. */
export class PortForward {
  readonly pid: number;
  readonly localPort: number;
  private readonly child: ChildProcess;
  private exited: Promise<void>;

  constructor(child: ChildProcess, localPort: number, exited: Promise<void>) {
    this.child = child;
    this.pid = child.pid ?? 0;
    this.localPort = localPort;
    this.exited = exited;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL if kubectl has not gone after graceMs. */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const killed = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs).unref())]);
    if (!killed && this.running) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

export class Kubectl {
  private readonly options: KubectlOptions;

  constructor(options: KubectlOptions = {}) {
    this.options = options;
  }

  private globalArgs(): string[] {
    return this.options.context ? ['--context', this.options.context] : [];
  }

  portForwardArgs(t: PortForwardTarget): string[] {
    return ['port-forward', `svc/${t.service}`, `${t.localPort}:${t.port}`, '-n', t.namespace, '--address', '127.0.0.1', ...this.globalArgs()];
  }

  /** Starts `kubectl port-forward` (argv array, no shell) and resolves once it listens on 127.0.0.1. */
  portForward(t: PortForwardTarget): Promise<PortForward> {
    const bin = this.options.bin ?? 'kubectl';
    const args = this.portForwardArgs(t);
    core.info(`$ ${redact(formatCommand(bin, args))}`);
    const env = { ...process.env };
    if (this.options.kubeconfig) env.KUBECONFIG = this.options.kubeconfig;
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return new Promise<PortForward>((resolve, reject) => {
      let done = false;
      const finish = (err?: Error): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          reject(err);
        } else {
          // Keep draining so kubectl never blocks on a full pipe; log its later complaints.
          child.stdout?.removeAllListeners('data').on('data', () => undefined);
          child.stderr?.removeAllListeners('data').on('data', (d: Buffer) => core.debug(`kubectl: ${redact(d.toString().trim())}`));
          resolve(new PortForward(child, t.localPort, exited));
        }
      };
      const tail = (): string => redact((stderr || stdout).trim().split('\n').slice(-5).join('\n'));
      const timer = setTimeout(() => finish(new ActionError(`kubectl port-forward did not report "Forwarding from 127.0.0.1:${t.localPort}" within ${Math.round(t.readyTimeoutMs / 1000)}s${tail() ? `:\n${tail()}` : ''}`)), t.readyTimeoutMs);
      child.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        const line = forwardingLine(stdout, t.localPort);
        if (line) {
          core.info(line.trim());
          finish();
        }
      });
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', (err: NodeJS.ErrnoException) =>
        finish(new ActionError(err.code === 'ENOENT' ? `kubectl not found (${bin}): install it (e.g. azure/setup-kubectl) to use the port-forward fallback` : `kubectl port-forward: ${err.message}`)),
      );
      child.once('exit', (code, signal) => finish(new ActionError(`kubectl port-forward exited (${signal ?? `exit code ${code}`}) before forwarding${tail() ? `:\n${tail()}` : ''}`)));
    });
  }
}

/** True while pid runs; a zombie (exited, not yet reaped by its new parent) counts as gone. */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Post-step clean-up of a forward main could not stop (main killed or cancelled): SIGTERM, then
 * SIGKILL after graceMs; only if pid is still a kubectl port-forward (pids get reused).
 */
export async function killLeftoverPortForward(pid: number, graceMs = 2000): Promise<boolean> {
  if (!pid || !processRunning(pid)) return false;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('port-forward')) return false;
  } catch {
    // No /proc (macOS runners): trust the saved pid.
  }
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  for (const until = Date.now() + graceMs; Date.now() < until && processRunning(pid); ) await new Promise((r) => setTimeout(r, 50));
  if (processRunning(pid)) process.kill(pid, 'SIGKILL');
  return true;
}
