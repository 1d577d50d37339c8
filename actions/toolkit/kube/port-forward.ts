// `kubectl port-forward` over the shared Kubectl (same binary, context, KUBECONFIG and secrets as every
// other call) and the toolkit's background helper, which runs it in its own process group.
import * as core from '@actions/core';
import * as net from 'node:net';
import { startCommand, type BackgroundCommand } from '../background.js';
import { ActionError, CommandError } from '../errors.js';
import { formatCommand, redact } from '../exec.js';
import type { Kubectl } from './kubectl.js';

export interface PortForwardTarget {
  /** What to forward to: svc/<name>, pod/<name>, deploy/<name>. */
  resource: string;
  namespace: string;
  localPort: number;
  /** Remote port number or name. */
  remotePort: string;
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

export function portForwardArgs(t: Pick<PortForwardTarget, 'resource' | 'namespace' | 'localPort' | 'remotePort'>): string[] {
  return ['port-forward', t.resource, `${t.localPort}:${t.remotePort}`, '--namespace', t.namespace, '--address', '127.0.0.1'];
}

/** A running `kubectl port-forward` (its own process group). */
export class PortForward {
  constructor(
    private readonly command: BackgroundCommand,
    readonly localPort: number,
  ) {}

  get pid(): number {
    return this.command.pid ?? 0;
  }

  /** SIGTERM to the forward's whole process group, SIGKILL after graceMs: a wrapper script's children too. */
  stop(graceMs = 3000): Promise<void> {
    return this.command.stop(graceMs);
  }
}

/**
 * Starts `kubectl port-forward` (argv array, no shell) and resolves once it listens on 127.0.0.1; fails with
 * kubectl's own error when it exits first, or after readyTimeoutMs.
 */
export function portForward(kubectl: Kubectl, t: PortForwardTarget): Promise<PortForward> {
  const args = [...kubectl.globalArgs(), ...portForwardArgs(t)];
  core.info(`$ ${redact(formatCommand(kubectl.bin, args))}`);
  let stdout = '';
  let ready: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (ready = resolve));
  const command = startCommand(kubectl.bin, args, {
    ...kubectl.execOptions({ allowFailure: true }),
    onOutput: (chunk, stream) => {
      if (stream !== 'stdout') return;
      stdout += chunk;
      const line = forwardingLine(stdout, t.localPort);
      if (line) {
        core.info(line.trim());
        ready();
      }
    },
  });
  const forward = new PortForward(command, t.localPort);
  const tail = (text: string): string => {
    const last = redact(text.trim()).split('\n').slice(-5).join('\n');
    return last ? `:\n${last}` : '';
  };
  return new Promise<PortForward>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void command.stop(0).finally(() => reject(err));
    };
    const timer = setTimeout(() => fail(new ActionError(`kubectl port-forward did not report "Forwarding from 127.0.0.1:${t.localPort}" within ${Math.round(t.readyTimeoutMs / 1000)}s${tail(stdout)}`)), t.readyTimeoutMs);
    void listening.then(() => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(forward);
    });
    void command.result.then(
      (r) => fail(new ActionError(`kubectl port-forward exited (${r.signal ?? `exit code ${r.exitCode}`}) before forwarding${tail(r.stderr || r.stdout)}`)),
      (err: unknown) => {
        const notFound = err instanceof CommandError && err.exitCode === 127 && /ENOENT/.test(err.stderr);
        fail(new ActionError(notFound ? `kubectl not found (${kubectl.bin}): install it (e.g. azure/setup-kubectl) to use the port-forward fallback` : `kubectl port-forward exited before forwarding: ${err instanceof Error ? err.message : String(err)}`));
      },
    );
  });
}
