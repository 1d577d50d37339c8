// The git CLI over the toolkit's one exec helper. Credentials never reach argv: an http.extraheader lives in
// a 0600 config file under RUNNER_TEMP (removed in post) that git includes through GIT_CONFIG_* variables.
import { writeSecretFile } from './credentials.js';
import type { ExecResult } from './exec.js';
import { maskSecret, runCommand } from './exec.js';

export interface GitIdentity {
  name: string;
  email: string;
}

/** One ref line of `git push --porcelain`: flag `!` is a rejection, reason in brackets' words. */
export interface PushRefStatus {
  flag: string;
  from: string;
  to: string;
  summary: string;
  reason: string;
}

export type PushOutcome =
  | { ok: true }
  | { ok: false; kind: 'race' | 'rejected'; reason: string; output: string };

/** Parses `git push --porcelain` stdout (`<flag>\t<from>:<to>\t<summary> (<reason>)`). */
export function parsePushPorcelain(stdout: string): PushRefStatus[] {
  const out: PushRefStatus[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^([ +\-*=!])\t([^:\t]*):([^\t]+)\t(.*)$/.exec(line);
    if (!m) continue;
    const rest = m[4];
    const r = /^(.*?)(?: \((.*)\))?$/.exec(rest);
    out.push({ flag: m[1], from: m[2], to: m[3], summary: (r?.[1] ?? rest).trim(), reason: (r?.[2] ?? '').trim() });
  }
  return out;
}

/**
 * A rejection caused by someone else updating the branch meanwhile (retry on the new tip) vs anything else
 * (a hook, branch protection, permissions: retrying cannot help).
 */
export function classifyPushRejection(status: PushRefStatus): 'race' | 'rejected' {
  const text = `${status.summary} ${status.reason}`.toLowerCase();
  if (status.summary === '[rejected]' && /fetch first|non-fast-forward|stale info/.test(text)) return 'race';
  // Two pushes racing inside the server: the loser's ref update finds another old value.
  if (/cannot lock ref|failed to update ref|incorrect old value|failed to lock/.test(text)) return 'race';
  return 'rejected';
}

/** The git config (to include) that sends the token as basic auth to one server, as actions/checkout does. */
export function authConfig(serverUrl: string, token: string): string {
  const origin = new URL(serverUrl).origin;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  maskSecret(basic);
  return `[http "${origin}/"]\n\textraheader = AUTHORIZATION: basic ${basic}\n`;
}

/** What a promotion needs of a repository: the CLI's `Git` and the in-process `WireGit` both serve it. */
export interface TipStore {
  fetchTip(branch: string): Promise<string>;
  readFiles(ref: string, paths: readonly string[]): Promise<{ commit: string; files: Map<string, { mode: string; blob: string; text: string }> }>;
  commitFiles(parent: string, files: ReadonlyArray<{ path: string; mode: string; text: string }>, message: string): Promise<string>;
  push(branch: string, options?: { force?: boolean; source?: string }): Promise<PushOutcome>;
}

export interface GitOptions {
  bin?: string;
  env?: Record<string, string>;
  identity?: GitIdentity;
  /** A git config file to include (the auth config), passed by path through GIT_CONFIG_* variables. */
  includeConfig?: string;
}

export class Git implements TipStore {
  readonly bin: string;
  private readonly env: Record<string, string>;

  constructor(
    readonly cwd: string,
    private readonly options: GitOptions = {},
  ) {
    this.bin = options.bin ?? 'git';
    this.env = { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '', ...options.env };
    if (options.identity) {
      Object.assign(this.env, {
        GIT_AUTHOR_NAME: options.identity.name,
        GIT_AUTHOR_EMAIL: options.identity.email,
        GIT_COMMITTER_NAME: options.identity.name,
        GIT_COMMITTER_EMAIL: options.identity.email,
      });
    }
    if (options.includeConfig) {
      Object.assign(this.env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'include.path', GIT_CONFIG_VALUE_0: options.includeConfig });
    }
  }

  /** Writes the auth config for `serverUrl` 0600 under RUNNER_TEMP; pass the path as `includeConfig`. */
  static writeAuthConfig(serverUrl: string, token: string): string {
    maskSecret(token);
    return writeSecretFile('git-auth', 'auth.gitconfig', authConfig(serverUrl, token));
  }

  withCwd(cwd: string): Git {
    return new Git(cwd, this.options);
  }

  async run(args: readonly string[], options: { allowFailure?: boolean; input?: string } = {}): Promise<ExecResult> {
    return runCommand(this.bin, args, { cwd: this.cwd, env: this.env, allowFailure: options.allowFailure, input: options.input });
  }

  /** A shallow single-branch clone of `branch` into `dir`. */
  async clone(url: string, dir: string, branch: string, depth = 1): Promise<ExecResult> {
    return runCommand(this.bin, ['clone', '--quiet', '--no-tags', '--single-branch', '--depth', String(depth), '--branch', branch, url, dir], { env: this.env, allowFailure: true });
  }

  /** Fetches `branch` from origin into refs/remotes/origin/<branch> (returned). */
  async fetchBranch(branch: string, depth = 1): Promise<string> {
    await this.run(['fetch', '--quiet', '--no-tags', '--depth', String(depth), 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
    return `refs/remotes/origin/${branch}`;
  }

  /** Moves the working copy to `ref`, discarding local changes (only ever used in the action's own clone). */
  async checkoutDetached(ref: string): Promise<void> {
    await this.run(['checkout', '--quiet', '--force', '--detach', ref]);
  }

  async revParse(ref: string): Promise<string> {
    return (await this.run(['rev-parse', '--verify', `${ref}^{commit}`])).stdout.trim();
  }

  async add(paths: readonly string[]): Promise<void> {
    await this.run(['add', '--', ...paths]);
  }

  /** Commits what is staged, or only `paths` (tracked files) when given; the message goes through stdin. `revParse('HEAD')` gives the commit. */
  async commit(message: string, paths: readonly string[] = []): Promise<void> {
    await this.run(['commit', '--quiet', '--no-verify', '--file=-', ...(paths.length ? ['--only', '--', ...paths] : [])], { input: message });
  }

  async diff(from: string, to: string, paths: readonly string[] = []): Promise<string> {
    return (await this.run(['diff', '--no-color', '--no-ext-diff', from, to, '--', ...paths])).stdout;
  }

  /**
   * A bare clone of the tip of `branch` only: `--depth 1`, no tags, no checkout, and (`filter`, default
   * `blob:none`) no file contents — blobs are fetched when read (`readFiles`). A server that does not
   * support filters sends them anyway (git warns and carries on).
   */
  async cloneTip(url: string, dir: string, branch: string, options: { filter?: string } = {}): Promise<ExecResult> {
    const filter = options.filter ?? 'blob:none';
    // A throw-away repository: no background maintenance after the blob fetch, and fast-import keeps its pack
    // (no `unpack-objects` process for a handful of objects).
    const config = ['maintenance.auto=false', 'gc.auto=0', 'fastimport.unpackLimit=0'].flatMap((c) => ['--config', c]);
    return runCommand(this.bin, ['clone', '--quiet', '--bare', '--no-tags', '--single-branch', '--depth', '1', ...(filter ? [`--filter=${filter}`] : []), ...config, '--branch', branch, url, dir], { env: this.env, allowFailure: true });
  }

  /** In a `cloneTip` repository: fetches the new tip of `branch` (trees only) into refs/heads/<branch>, the ref returned. */
  async fetchTip(branch: string): Promise<string> {
    await this.run(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--depth', '1', 'origin', `+refs/heads/${branch}:refs/heads/${branch}`]);
    return `refs/heads/${branch}`;
  }

  /**
   * The commit `ref` names, and the mode, blob and text of each path there: one `cat-file --batch` (the commit
   * and the blobs; a partial clone fetches the missing blobs then) beside one `ls-tree` (the modes). A path
   * that is not a file there is absent from the map.
   */
  async readFiles(ref: string, paths: readonly string[]): Promise<{ commit: string; files: Map<string, { mode: string; blob: string; text: string }> }> {
    const files = new Map<string, { mode: string; blob: string; text: string }>();
    const names = [`${ref}^{commit}`, ...paths.map((p) => `${ref}:${p}`)];
    const [listed, batch] = await Promise.all([
      paths.length ? this.run(['ls-tree', '-z', '--full-tree', ref, '--', ...paths]) : Promise.resolve({ exitCode: 0, stdout: '', stderr: '' }),
      this.run(['cat-file', '--batch'], { input: names.join('\n') + '\n' }),
    ]);
    const modes = new Map<string, string>();
    for (const line of listed.stdout.split('\0').filter(Boolean)) {
      const m = /^(\d{6}) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(line);
      if (m && m[2] === 'blob') modes.set(m[4], m[1]);
    }
    // Per name: `<oid> <type> <size>\n<content>\n`, or `<name> missing\n`; sizes are bytes, so a Buffer is walked.
    const buf = Buffer.from(batch.stdout, 'utf8');
    let at = 0;
    let commit = '';
    for (let i = 0; i < names.length; i++) {
      const nl = buf.indexOf(0x0a, at);
      const header = buf.subarray(at, nl < 0 ? buf.length : nl).toString();
      at = nl + 1;
      const m = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(header);
      if (!m) {
        if (i === 0) throw new Error(`git cat-file: ${ref} is not a commit here ('${header}')`);
        continue;
      }
      const size = Number(m[3]);
      const content = buf.subarray(at, at + size);
      at += size + 1;
      if (i === 0) commit = m[1];
      else if (m[2] === 'blob' && modes.has(paths[i - 1])) files.set(paths[i - 1], { mode: modes.get(paths[i - 1]) ?? '100644', blob: m[1], text: content.toString('utf8') });
    }
    return { commit, files };
  }

  /**
   * One commit on `parent` that replaces the given files (`git fast-import`: blobs, trees and the commit in one
   * process, no index, no work tree; untouched trees are reused as they are). Returns the new commit's SHA.
   */
  async commitFiles(parent: string, files: ReadonlyArray<{ path: string; mode: string; text: string }>, message: string, ref = 'refs/gitops-promote/commit'): Promise<string> {
    const identity = this.options.identity ?? { name: 'git', email: 'git@localhost' };
    const when = `${Math.floor(Date.now() / 1000)} +0000`;
    const who = `${identity.name.replace(/[<>\n]/g, '')} <${identity.email.replace(/[<>\n]/g, '')}> ${when}`;
    // `data <bytes>` then exactly those bytes: the contents go through untouched (trailing newlines included).
    const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
    const stream = [
      `commit ${ref}\nmark :1\nauthor ${who}\ncommitter ${who}\n`,
      data(message),
      `from ${parent}\n`,
      ...files.map((f) => `M ${f.mode} inline ${fastImportPath(f.path)}\n${data(f.text)}`),
      '\nget-mark :1\ndone\n',
    ].join('');
    const res = await this.run(['fast-import', '--quiet', '--done', '--force'], { input: stream });
    const sha = res.stdout.trim().split('\n').pop() ?? '';
    if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new Error(`git fast-import did not report the commit (got '${sha}')`);
    return sha;
  }

  /** Pushes `HEAD` (or `source`, e.g. a commit SHA) to `refs/heads/<branch>`; a rejection is returned, classified, never thrown. */
  async push(branch: string, options: { force?: boolean; source?: string } = {}): Promise<PushOutcome> {
    const args = ['push', '--porcelain', ...(options.force ? ['--force'] : []), 'origin', `${options.source ?? 'HEAD'}:refs/heads/${branch}`];
    const res = await this.run(args, { allowFailure: true });
    if (res.exitCode === 0) return { ok: true };
    const output = `${res.stdout}\n${res.stderr}`.trim();
    const refs = parsePushPorcelain(res.stdout).filter((r) => r.flag === '!');
    if (!refs.length) return { ok: false, kind: 'rejected', reason: lastLine(res.stderr) || `git push exited with ${res.exitCode}`, output };
    const kind = refs.some((r) => classifyPushRejection(r) === 'race') ? 'race' : 'rejected';
    return { ok: false, kind, reason: refs.map((r) => `${r.summary}${r.reason ? ` (${r.reason})` : ''}`).join('; '), output };
  }
}

/** A fast-import path in its plain form (anything but a leading quote or control characters). */
function fastImportPath(p: string): string {
  if (!p || p.startsWith('"') || [...p].some((c) => c.charCodeAt(0) < 0x20)) throw new Error(`git fast-import: cannot write the path ${JSON.stringify(p)}`);
  return p;
}

function lastLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(-1)[0] ?? '';
}
