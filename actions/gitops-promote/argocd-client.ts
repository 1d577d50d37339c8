// Reads an Argo CD Application (through the Argo CD API with a bearer token, or the applications.argoproj.io
// object through kubectl) and polls it until Argo CD's verdict on the promoted revision, or the deadline.
import * as core from '@actions/core';
import { HttpClient } from '@actions/http-client';
import type { Kubectl } from '../toolkit/index.js';
import { ActionError, classifyClusterError, errorMessage, sleep } from '../toolkit/index.js';
import type { AppState, Verdict } from './argocd.js';
import { judge } from './argocd.js';

/** A read that failed in a way worth trying again on the next poll (5xx, 429, connection errors). */
export class TransientReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientReadError';
  }
}

export interface ApplicationSource {
  describe: string;
  /** The Application as JSON; TransientReadError for a retryable failure, ActionError for a permanent one. */
  read(first: boolean): Promise<unknown>;
}

const TRANSIENT_NET = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|socket hang up|timeout/i;

export class ArgoCdApi implements ApplicationSource {
  private readonly http: HttpClient;
  readonly describe: string;

  constructor(
    private readonly server: string,
    private readonly token: string,
    private readonly app: string,
    private readonly appNamespace: string,
  ) {
    this.http = new HttpClient('platform-actions-gitops-promote', [], { socketTimeout: 30_000, allowRetries: false, maxRetries: 0 });
    this.describe = `Argo CD API ${new URL(server).origin}`;
  }

  url(first: boolean): string {
    const q = new URLSearchParams();
    if (this.appNamespace) q.set('appNamespace', this.appNamespace);
    // The first read asks for a refresh so Argo CD looks at the new commit without waiting for its poll.
    if (first) q.set('refresh', 'normal');
    const query = q.toString();
    return `${this.server.replace(/\/+$/, '')}/api/v1/applications/${encodeURIComponent(this.app)}${query ? `?${query}` : ''}`;
  }

  async read(first: boolean): Promise<unknown> {
    let status: number;
    let body: string;
    try {
      const res = await this.http.get(this.url(first), { Authorization: `Bearer ${this.token}`, Accept: 'application/json' });
      status = res.message.statusCode ?? 0;
      body = await res.readBody();
    } catch (err) {
      const msg = errorMessage(err);
      if (TRANSIENT_NET.test(msg)) throw new TransientReadError(`${this.describe}: ${msg}`);
      throw new ActionError(`${this.describe}: ${msg}`);
    }
    if (status === 200) {
      try {
        return JSON.parse(body) as unknown;
      } catch {
        throw new TransientReadError(`${this.describe}: HTTP 200 with a body that is not JSON`);
      }
    }
    const message = apiErrorMessage(body);
    const text = `${this.describe}: GET application '${this.app}' returned HTTP ${status}${message ? `: ${message}` : ''}`;
    if (status === 429 || status >= 500) throw new TransientReadError(text);
    throw new ActionError(text);
  }
}

/** The `message` of Argo CD's runtimeError body, when there is one. */
export function apiErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : typeof parsed.error === 'string' ? parsed.error : '';
  } catch {
    return body.trim().split('\n')[0]?.slice(0, 200) ?? '';
  }
}

export class ArgoCdKubectl implements ApplicationSource {
  readonly describe: string;

  constructor(
    private readonly kubectl: Kubectl,
    private readonly app: string,
    private readonly namespace: string,
  ) {
    this.describe = `applications.argoproj.io/${app} in namespace ${namespace}`;
  }

  async read(): Promise<unknown> {
    const r = await this.kubectl.run(['get', 'applications.argoproj.io', this.app, '--namespace', this.namespace, '--output', 'json'], { retry: false, allowFailure: true });
    if (r.exitCode !== 0) {
      const text = `kubectl get ${this.describe} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? ''}`;
      if (classifyClusterError(r.stderr || r.stdout).kind === 'transient') throw new TransientReadError(text);
      throw new ActionError(text);
    }
    try {
      return JSON.parse(r.stdout) as unknown;
    } catch {
      throw new TransientReadError(`kubectl get ${this.describe} printed something that is not JSON`);
    }
  }
}

export type WaitResult =
  | { kind: 'done'; state: AppState; polls: number }
  | { kind: 'failed'; state: AppState; why: string; polls: number }
  | { kind: 'timeout'; state?: AppState; why: string; polls: number };

export interface WaitOptions {
  revision: string;
  /** Prefix of the log lines (several Applications are waited for at once). */
  label?: string;
  timeoutMs: number;
  pollMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Polls until done/failed or the deadline; transient read errors are logged and polled again. */
export async function waitForApplication(source: ApplicationSource, o: WaitOptions): Promise<WaitResult> {
  const now = o.now ?? Date.now;
  const pause = o.sleep ?? sleep;
  const deadline = now() + o.timeoutMs;
  let last: Verdict | undefined;
  let lastNote = '';
  let lastError = '';
  for (let polls = 1; ; polls++) {
    try {
      const verdict = judge(await source.read(polls === 1), o.revision);
      last = verdict;
      lastError = '';
      if (verdict.kind === 'done') return { kind: 'done', state: verdict.state, polls };
      if (verdict.kind === 'failed') return { kind: 'failed', state: verdict.state, why: verdict.why, polls };
      if (verdict.why !== lastNote) core.info(`${o.label ? `${o.label}: ` : ''}Waiting: ${verdict.why}`);
      lastNote = verdict.why;
    } catch (err) {
      if (!(err instanceof TransientReadError)) throw err;
      if (err.message !== lastError) core.warning(`${o.label ? `${o.label}: ` : ''}${err.message} (will poll again)`);
      lastError = err.message;
    }
    const left = deadline - now();
    if (left <= 0) {
      const why = lastError || (last?.kind === 'wait' ? last.why : 'no answer');
      return { kind: 'timeout', state: last?.state, why: `no verdict within the wait-timeout: ${why}`, polls };
    }
    await pause(Math.min(o.pollMs, left));
  }
}
