// An in-process git client for the one thing a promotion does: fetch a branch tip (depth 1, small files only),
// read a few files, write one commit on it and push it. It speaks git's own protocols — protocol v2 `fetch`
// to upload-pack, the push protocol to receive-pack (gitprotocol-v2, gitprotocol-pack) — over smart HTTP
// (gitprotocol-http; GitHub, GitHub Enterprise, `git http-backend`) with Node's fetch, or for a file:// remote
// to `git upload-pack`/`git receive-pack` started directly, as git's own local transport does. A file:// remote's
// objects are read from its store in place (git-local.ts), so there only receive-pack runs: its advertisement
// names the tip. No `git clone`, `index-pack`, `cat-file`, `fast-import` or `git push` process: the server side
// is all that runs.
//
// It answers only what it knows: anything it does not (a proxy, url rewriting or TLS settings in git's config,
// a SHA-256 repository, a server without protocol v2) is a WireUnsupported before anything is sent, and the
// caller uses the git CLI (git.ts) instead. Pushes are compare-and-swap: the old value sent is the commit the
// new one was built on, so a branch that moved is refused by the server itself and planned again by the caller.
import * as core from '@actions/core';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { maskSecret } from './exec.js';
import type { GitIdentity, PushOutcome } from './git.js';
import { classifyPushRejection } from './git.js';
import { LocalObjects } from './git-local.js';
import type { GitObject } from './git-pack.js';
import { DELIM, FLUSH, PktReader, RemoteError, commitTree, entryName, linesToFlush, objectId, parseTree, pkt, readPack, sideBand, writePack, writeTree } from './git-pack.js';
import { retry } from './retry.js';
import { isTransientApiError } from './source-order.js';

/** The wire client cannot serve this remote or this machine's git settings: use the git CLI. */
export class WireUnsupported extends Error {}

/** A connection reset or refused, a timeout, an HTTP 429 or 5xx: the same request may work when sent again. */
export class WireTransient extends Error {}

const AGENT = 'agent=gitops-promote/1';
const PUSH_TRIES = 3;
const ZERO = '0'.repeat(40);

/** One request/response exchange with a git service (upload-pack or receive-pack). */
interface Service {
  /** The service's first answer: v2 capabilities (upload-pack) or the ref advertisement (receive-pack). */
  advertisement(): Promise<PktReader>;
  /** Sends `body` (after the advertisement) and returns the reader of the answer. */
  request(body: Buffer): Promise<PktReader>;
  close(): void;
  /** Waiting for the caller (an open push session): a local process then keeps nothing alive. */
  idle?(): void;
  /** What the service wrote on stderr (a local one), for errors. */
  stderr(): string;
}

/** `read`'s answer; its failure names what the service wrote on stderr too (a local one's own words). */
async function withStderr<T>(s: Service, read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    throw new Error(`${(err as Error).message} ${s.stderr()}`.trim(), { cause: err });
  }
}

interface Transport {
  service(name: 'git-upload-pack' | 'git-receive-pack'): Service;
}

/** file:// remotes: the service runs here, one process for the whole exchange, as `git fetch`/`git push` run it. */
class LocalTransport implements Transport {
  constructor(
    private readonly dir: string,
    private readonly gitBin: string,
  ) {}

  service(name: 'git-upload-pack' | 'git-receive-pack'): Service {
    core.debug(`git wire: ${this.gitBin} ${name.slice(4)} ${this.dir}`);
    const child = spawn(this.gitBin, [name.slice(4), this.dir], {
      env: { ...process.env, ...(name === 'git-upload-pack' ? { GIT_PROTOCOL: 'version=2' } : {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.stdin.on('error', () => undefined);
    // A git that cannot be started (ENOENT) ends stdout at once; its error is what stderr() then says.
    child.on('error', (e) => (err += `${e.message}\n`));
    const reader = new PktReader(child.stdout);
    let requested = false;
    return {
      advertisement: async () => reader,
      idle: () => {
        for (const h of [child, child.stdin, child.stdout, child.stderr] as Array<{ unref?: () => void }>) h.unref?.();
      },
      request: async (body) => {
        requested = true;
        for (const h of [child, child.stdin, child.stdout, child.stderr] as Array<{ ref?: () => void }>) h.ref?.();
        child.stdin.write(body);
        if (name === 'git-receive-pack') child.stdin.end();
        return reader;
      },
      // A flush where a command is expected ends the exchange cleanly (upload-pack v2; receive-pack before any
      // command). Its output is drained, and the process, which exits at once, keeps nothing alive.
      close: () => {
        if (!child.stdin.writableEnded) child.stdin.end(name === 'git-upload-pack' || !requested ? FLUSH : undefined);
        child.stdout.resume();
        child.stderr.resume();
        for (const h of [child, child.stdin, child.stdout, child.stderr] as Array<{ unref?: () => void }>) h.unref?.();
      },
      stderr: () => err,
    };
  }
}

/** Smart HTTP: GET info/refs, then one POST per request (stateless, as git-remote-http does). */
class HttpTransport implements Transport {
  constructor(
    private url: string,
    private readonly authorization: string | undefined,
  ) {}

  private headers(name: string, extra: Record<string, string>): Record<string, string> {
    return {
      'User-Agent': 'git/2.45.0 (gitops-promote)',
      ...(name === 'git-upload-pack' ? { 'Git-Protocol': 'version=2' } : {}),
      ...(this.authorization ? { Authorization: this.authorization } : {}),
      ...extra,
    };
  }

  /**
   * Redirects: the advertisement's are followed, and the requests after it go where it ended (git's
   * `http.followRedirects=initial`); a request's own redirect is an error. fetch drops Authorization on a
   * redirect to another origin.
   */
  private async send(name: string, what: string, url: string, init: RequestInit): Promise<PktReader> {
    let res: Response;
    const advertising = url.includes('/info/refs?service=');
    try {
      res = await fetch(url, { ...init, redirect: advertising ? 'follow' : 'manual' });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const message = `${what}: ${cause?.code ?? ''} ${cause?.message ?? (err as Error).message}`.trim();
      throw new (isTransientApiError(new Error(message)) ? WireTransient : Error)(message, { cause: err });
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new (isTransientApiError({ status: res.status }) ? WireTransient : Error)(`${what}: HTTP ${res.status} ${res.statusText}`);
    }
    if (advertising && res.url && res.url !== url) this.url = res.url.replace(/\/info\/refs\?service=[^&]*$/, '');
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith(`application/x-${name}-`)) {
      await res.body.cancel();
      throw new WireUnsupported(`${what}: not a smart HTTP answer (${type || 'no content type'})`);
    }
    return new PktReader(res.body as unknown as AsyncIterable<Uint8Array>);
  }

  service(name: 'git-upload-pack' | 'git-receive-pack'): Service {
    return {
      advertisement: async () => {
        const r = await this.send(name, `GET info/refs?service=${name}`, `${this.url}/info/refs?service=${name}`, { headers: this.headers(name, {}) });
        // Protocol v0 answers start with "# service=<name>" and a flush (v2 ones need not: git http-backend's do not).
        const first = await r.read();
        if (first?.kind === 'data' && first.data.toString().startsWith('# service=')) {
          if ((await r.read())?.kind !== 'flush') throw new WireUnsupported('not a smart HTTP advertisement');
        } else if (first) {
          r.unread(first);
        }
        return r;
      },
      request: (body) =>
        this.send(name, `POST ${name}`, `${this.url}/${name}`, {
          method: 'POST',
          headers: this.headers(name, { 'Content-Type': `application/x-${name}-request`, Accept: `application/x-${name}-result` }),
          body: new Uint8Array(body),
        }),
      close: () => undefined,
      stderr: () => '',
    };
  }
}

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/** Git config that changes how git would reach a remote (url rewrites, http.* settings, includes) or env settings that do. */
function gitSettingsInTheWay(https: boolean): string | undefined {
  // TLS settings for git's curl (Node's fetch reads NODE_EXTRA_CA_CERTS, not these) matter to https only.
  const tls = https ? ['GIT_SSL_NO_VERIFY', 'GIT_SSL_CAINFO', 'GIT_SSL_CAPATH', 'GIT_SSL_CERT', 'GIT_SSL_KEY'] : [];
  for (const v of ['GIT_CONFIG_COUNT', 'GIT_CONFIG_PARAMETERS', 'GIT_PROXY_COMMAND', ...tls]) {
    if (process.env[v]) return v;
  }
  const home = process.env.HOME ?? os.homedir();
  const xdg = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
  const files = [process.env.GIT_CONFIG_GLOBAL ?? path.join(home, '.gitconfig'), path.join(xdg, 'git', 'config'), process.env.GIT_CONFIG_SYSTEM ?? '/etc/gitconfig'];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    if (/^\s*\[\s*(url|http|include|includeIf|protocol)\b/im.test(text)) return f;
  }
  return undefined;
}

interface ReceiveSession {
  branch: string;
  service: Service;
  advert: Promise<{ advertised: Map<string, string>; caps: string[] }>;
}

/** receive-pack's first answer: each ref's value, and its capabilities (on the first line, after a NUL). */
async function readReceiveAdvertisement(s: Service): Promise<{ advertised: Map<string, string>; caps: string[] }> {
  const { lines } = await withStderr(s, (await s.advertisement()).lines());
  if (!lines.length) throw new Error(`receive-pack sent no advertisement ${s.stderr()}`.trim());
  if (lines[0].startsWith('ERR ')) throw new Error(lines[0].slice(4));
  const [first, capText = ''] = lines[0].split('\0');
  const caps = capText.split(' ');
  const format = caps.find((c) => c.startsWith('object-format='));
  if (format && format !== 'object-format=sha1') throw new WireUnsupported(format);
  s.idle?.();
  return { advertised: new Map([first, ...lines.slice(1)].map((l) => [l.split(' ')[1], l.split(' ')[0]])), caps };
}

export interface WireOptions {
  /** The Authorization header value's secret part (a token sent as basic auth, as actions/checkout sends it). */
  token?: string;
  /** The origin the token is for; other origins get no header. */
  authOrigin?: string;
  identity?: GitIdentity;
  gitBin?: string;
  /** A file:// remote's objects are read from its store (default); false fetches them through upload-pack. */
  readLocal?: boolean;
}

/**
 * The tip, files, commit and push of one branch, with the objects fetched kept in memory. Same methods and
 * results as the CLI's (git.ts `Git`): `fetchTip`, `readFiles`, `commitFiles`, `push`.
 */
export class WireGit {
  private readonly objects = new Map<string, GitObject>();
  private readonly transport: Transport;
  private readonly tips = new Map<string, string>();
  /** The objects each commit of commitFiles added: what its push sends. */
  private readonly created = new Map<string, string[]>();
  /** The push session opened with the last fetch, until a push takes it. */
  private receive?: ReceiveSession;
  /** The last fetchTip read a file:// remote's store in place (no upload-pack). */
  readInPlace = false;

  /** A file:// remote whose store can be read in place: a fetch is no wait. */
  get canReadInPlace(): boolean {
    return this.local !== undefined;
  }

  private constructor(
    transport: Transport,
    private readonly identity: GitIdentity,
    /** A file:// remote's object store, read directly (git-local.ts); upload-pack for what it does not hold. */
    private readonly local?: LocalObjects,
  ) {
    this.transport = transport;
  }

  /** A client for `url`, or a WireUnsupported naming why the git CLI must serve it. */
  static for(url: string, options: WireOptions = {}): WireGit {
    const identity = options.identity ?? { name: 'git', email: 'git@localhost' };
    const u = new URL(url);
    const inTheWay = gitSettingsInTheWay(u.protocol === 'https:');
    if (inTheWay) throw new WireUnsupported(`git settings that change how a remote is reached (${inTheWay})`);
    if (u.protocol === 'file:') {
      const dir = decodeURIComponent(u.pathname);
      return new WireGit(new LocalTransport(dir, options.gitBin ?? 'git'), identity, options.readLocal === false ? undefined : LocalObjects.open(dir));
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new WireUnsupported(`${u.protocol} remotes`);
    const proxy = PROXY_VARS.find((v) => process.env[v]);
    if (proxy) throw new WireUnsupported(`a proxy (${proxy})`);
    let authorization: string | undefined;
    if (options.token && options.authOrigin && u.origin === new URL(options.authOrigin).origin) {
      const basic = Buffer.from(`x-access-token:${options.token}`).toString('base64');
      maskSecret(basic);
      authorization = `basic ${basic}`;
    }
    return new WireGit(new HttpTransport(url.replace(/\/+$/, ''), authorization), identity);
  }

  /** Fetches the tip of `branch` (depth 1, files up to `blobLimit` bytes) and returns its commit id. */
  async fetchTip(branch: string, blobLimit = 32 * 1024): Promise<string> {
    // The push's receive-pack is opened with the fetch: its advertisement names the tip (no ls-refs round trip)
    // and is ready when the commit is. A server that refuses it (no push right) leaves ls-refs to find the tip.
    this.closeReceive();
    const receive = this.openReceive(branch);
    const ref = `refs/heads/${branch}`;
    if (this.local) {
      // A file:// remote: the tip's objects are read where they are, as they are needed.
      const tip = (await receive.advert.catch(() => undefined))?.advertised.get(ref);
      const commit = tip ? this.lookup(tip) : undefined;
      if (tip && commit?.type === 'commit' && this.lookup(commitTree(commit.data))?.type === 'tree') {
        this.tips.set(branch, tip);
        this.readInPlace = true;
        return tip;
      }
    }
    this.readInPlace = false;
    return this.fetchByUploadPack(branch, receive, blobLimit);
  }

  private async fetchByUploadPack(branch: string, receive: ReceiveSession, blobLimit: number): Promise<string> {
    const s = this.transport.service('git-upload-pack');
    try {
      const { lines: caps } = await withStderr(s, (await s.advertisement()).lines());
      if (caps[0]?.startsWith('ERR ')) throw new Error(caps[0].slice(4));
      if (caps[0] !== 'version 2') throw new WireUnsupported(`the server does not speak protocol v2 (${caps[0] || s.stderr().trim() || 'no answer'})`);
      const format = caps.find((c) => c.startsWith('object-format='));
      if (format && format !== 'object-format=sha1') throw new WireUnsupported(format);
      const fetchCaps = (caps.find((c) => c.startsWith('fetch=')) ?? '').slice(6).split(' ');
      if (!fetchCaps.includes('shallow')) throw new WireUnsupported('the server offers no shallow fetch');
      const ref = `refs/heads/${branch}`;
      const advert = await receive.advert.catch(() => undefined);
      let tip = advert?.advertised.get(ref);
      if (!tip) {
        // No push session (no push right), or receive-pack does not show the branch (hidden refs): ls-refs.
        if (!advert) this.closeReceive();
        const listed = await s.request(Buffer.concat([pkt('command=ls-refs\n'), pkt(`${AGENT}\n`), DELIM, pkt(`ref-prefix ${ref}\n`), FLUSH]));
        const { lines: refs } = await listed.lines();
        const error = refs.find((l) => l.startsWith('ERR '));
        if (error) throw new Error(error.slice(4));
        tip = refs.map((l) => l.split(' ')).find((p) => p[1] === ref)?.[0];
      }
      if (!tip) throw new Error(`Remote branch ${branch} not found in upstream origin`);
      const filter = fetchCaps.includes('filter') ? [pkt(`filter blob:limit=${blobLimit}\n`)] : [];
      const got = await s.request(Buffer.concat([pkt('command=fetch\n'), pkt(`${AGENT}\n`), DELIM, pkt('no-progress\n'), pkt('ofs-delta\n'), pkt('deepen 1\n'), ...filter, pkt(`want ${tip}\n`), pkt('done\n'), FLUSH]));
      await this.takePack(got, s);
      if (this.objects.get(tip)?.type !== 'commit') throw new Error(`the server did not send the commit ${tip}`);
      this.tips.set(branch, tip);
      return tip;
    } catch (err) {
      this.closeReceive();
      throw err;
    } finally {
      s.close();
    }
  }

  private openReceive(branch: string): ReceiveSession {
    const service = this.transport.service('git-receive-pack');
    const advert = readReceiveAdvertisement(service);
    advert.catch(() => undefined);
    this.receive = { branch, service, advert };
    return this.receive;
  }

  private closeReceive(): void {
    this.receive?.service.close();
    this.receive = undefined;
  }

  /** Ends an open push session (one opened with a fetch that needed no push). */
  close(): void {
    this.closeReceive();
  }

  /** Reads a fetch answer (shallow-info, packfile sections) into the object map. */
  private async takePack(r: PktReader, s: Service): Promise<void> {
    const chunks: Buffer[] = [];
    let inPack = false;
    for (;;) {
      const p = await withStderr(s, r.read());
      if (!p) throw new Error(`the fetch answer ended early${s.stderr() ? `: ${s.stderr().trim()}` : ''}`);
      if (p.kind === 'flush') break;
      if (p.kind !== 'data') continue;
      if (!inPack) {
        const line = p.data.toString().replace(/\n$/, '');
        if (line.startsWith('ERR ')) throw new Error(line.slice(4));
        if (line === 'packfile') inPack = true;
        continue;
      }
      const packet = sideBand(p.data);
      if (packet.band === 1) chunks.push(packet.data);
    }
    for (const [id, o] of readPack(Buffer.concat(chunks), this.objects)) this.objects.set(id, o);
  }

  /** Fetches objects by id (blobs over the filter's limit); protocol v2 serves any reachable object. */
  private async fetchObjects(ids: readonly string[]): Promise<void> {
    const s = this.transport.service('git-upload-pack');
    try {
      await (await s.advertisement()).lines();
      const got = await s.request(Buffer.concat([pkt('command=fetch\n'), pkt(`${AGENT}\n`), DELIM, pkt('no-progress\n'), pkt('ofs-delta\n'), ...ids.map((id) => pkt(`want ${id}\n`)), pkt('done\n'), FLUSH]));
      await this.takePack(got, s);
    } finally {
      s.close();
    }
  }

  /** An object fetched or written here, or read from a local remote's store. */
  private lookup(id: string): GitObject | undefined {
    let o = this.objects.get(id);
    if (!o && this.local) {
      o = this.local.read(id);
      if (o) this.objects.set(id, o);
    }
    return o;
  }

  private object(id: string, type: string): GitObject {
    const o = this.lookup(id);
    if (!o || o.type !== type) throw new Error(`${type} ${id} was not fetched`);
    return o;
  }

  /** The tree entry at `p` under the tree `root`, if every tree on the way was fetched. */
  private entry(root: string, p: string): { mode: string; id: string } | undefined {
    const parts = p.split('/');
    let tree = root;
    for (let i = 0; i < parts.length; i++) {
      const e = parseTree(this.object(tree, 'tree').data).find((x) => x.name === entryName(parts[i]));
      if (!e) return undefined;
      if (i === parts.length - 1) return e;
      if (e.mode !== '40000') return undefined;
      tree = e.id;
    }
    return undefined;
  }

  /** `ref` is a commit id or a branch fetched; the same answer as Git.readFiles. */
  async readFiles(ref: string, paths: readonly string[]): Promise<{ commit: string; files: Map<string, { mode: string; blob: string; text: string }> }> {
    const commit = /^[0-9a-f]{40}$/.test(ref) ? ref : (this.tips.get(ref.replace(/^refs\/heads\//, '')) ?? '');
    const root = commitTree(this.object(commit, 'commit').data);
    const found = paths.map((p) => ({ p, e: this.entry(root, p) })).filter((x): x is { p: string; e: { mode: string; id: string } } => Boolean(x.e && x.e.mode !== '40000' && x.e.mode !== '160000'));
    const missing = found.filter((x) => !this.lookup(x.e.id)).map((x) => x.e.id);
    if (missing.length) await this.fetchObjects(missing);
    const files = new Map<string, { mode: string; blob: string; text: string }>();
    for (const { p, e } of found) files.set(p, { mode: e.mode, blob: e.id, text: this.object(e.id, 'blob').data.toString('utf8') });
    return { commit, files };
  }

  private put(type: GitObject['type'], data: Buffer): string {
    const id = objectId(type, data);
    this.objects.set(id, { type, data });
    return id;
  }

  /** One commit on `parent` replacing the given files; its new objects are kept for the push. */
  async commitFiles(parent: string, files: ReadonlyArray<{ path: string; mode: string; text: string }>, message: string): Promise<string> {
    const created: string[] = [];
    const put = (type: GitObject['type'], data: Buffer): string => {
      const id = this.put(type, data);
      created.push(id);
      return id;
    };
    // Rewrite each tree on a changed path, deepest first, sharing the ones several files go through.
    const rewrite = (treeId: string | undefined, changes: Array<{ parts: string[]; mode: string; blob: string }>): string => {
      const entries = treeId ? parseTree(this.object(treeId, 'tree').data) : [];
      const byName = new Map(entries.map((e) => [e.name, e]));
      const sub = new Map<string, Array<{ parts: string[]; mode: string; blob: string }>>();
      for (const c of changes) {
        if (c.parts.length === 1) byName.set(c.parts[0], { mode: c.mode, name: c.parts[0], id: c.blob });
        else sub.set(c.parts[0], [...(sub.get(c.parts[0]) ?? []), { ...c, parts: c.parts.slice(1) }]);
      }
      for (const [name, cs] of sub) {
        const current = byName.get(name);
        byName.set(name, { mode: '40000', name, id: rewrite(current?.mode === '40000' ? current.id : undefined, cs) });
      }
      return put('tree', writeTree([...byName.values()]));
    };
    const changes = files.map((f) => ({ parts: f.path.split('/').map(entryName), mode: f.mode, blob: put('blob', Buffer.from(f.text, 'utf8')) }));
    const tree = rewrite(commitTree(this.object(parent, 'commit').data), changes);
    const who = `${this.identity.name.replace(/[<>\n]/g, '')} <${this.identity.email.replace(/[<>\n]/g, '')}> ${Math.floor(Date.now() / 1000)} +0000`;
    const commit = put('commit', Buffer.from(`tree ${tree}\nparent ${parent}\nauthor ${who}\ncommitter ${who}\n\n${message}`, 'utf8'));
    this.created.set(commit, [...new Set(created)]);
    return commit;
  }

  /**
   * Pushes `source` (a commit of commitFiles) to `branch` if the branch is still at its parent; the outcome
   * classified as the CLI's is (`race` when the branch moved, `rejected` for a hook or a permission).
   */
  async push(branch: string, options: { source?: string; force?: boolean } = {}): Promise<PushOutcome> {
    // Sending again is safe: the update is compare-and-swap on the parent, and a push that landed although its
    // answer was lost is recognised by the branch being at this very commit.
    return retry(
      async (attempt) => {
        const outcome = await this.pushOnce(branch, options);
        // A push sent again can lose the compare-and-swap to its own first try, still being applied when the
        // answer was lost: the branch at this very commit says it landed.
        if (!outcome.ok && outcome.kind === 'race' && attempt > 1) {
          const fresh = this.openReceive(branch);
          this.receive = undefined;
          const at = await fresh.advert.then((a) => a.advertised.get(`refs/heads/${branch}`)).catch(() => undefined);
          fresh.service.close();
          if (at && at === options.source) return { ok: true };
        }
        return outcome;
      },
      { attempts: PUSH_TRIES, baseDelayMs: 1000, maxDelayMs: 4000, isTransient: (err) => err instanceof WireTransient, label: `git push to '${branch}'` },
    );
  }

  private async pushOnce(branch: string, options: { source?: string; force?: boolean }): Promise<PushOutcome> {
    const commit = options.source ?? '';
    const ids = this.created.get(commit);
    if (!ids || options.force) throw new Error('the wire client pushes only the commits it wrote, without force');
    const parent = /^tree [0-9a-f]{40}\nparent ([0-9a-f]{40})\n/.exec(this.object(commit, 'commit').data.toString())?.[1] ?? ZERO;
    const ref = `refs/heads/${branch}`;
    // The session opened with the fetch, or a new one (a later push, a push sent again).
    const session = this.receive?.branch === branch ? this.receive : this.openReceive(branch);
    this.receive = undefined;
    const s = session.service;
    const rejected = (summary: string, reason: string, output: string): PushOutcome => {
      const kind = classifyPushRejection({ flag: '!', from: commit, to: ref, summary, reason });
      return { ok: false, kind, reason: `${summary}${reason ? ` (${reason})` : ''}`, output };
    };
    try {
      const { advertised, caps } = await session.advert;
      const live = advertised.get(ref) ?? ZERO;
      if (live === commit) return { ok: true };
      if (live !== parent) {
        s.close();
        return rejected('[rejected]', 'fetch first', `${ref} is at ${live}, not at ${parent}`);
      }
      const want = ['report-status', ...(caps.includes('side-band-64k') ? ['side-band-64k'] : []), ...(caps.includes('quiet') ? ['quiet'] : []), AGENT];
      const pack = writePack(ids.map((id) => this.objects.get(id)!));
      const r = await s.request(Buffer.concat([pkt(`${parent} ${commit} ${ref}\0${want.join(' ')}\n`), FLUSH, pack]));
      const remote: string[] = [];
      let status: string[] = [];
      // The answer is read to its end, as git send-pack reads it: the report (band 1, pkt-lines inside), then what
      // the server's post-receive hook says (band 2). An answer cut off may still have landed: that is for a new
      // advertisement to tell, so it is transient.
      try {
        if (want.includes('side-band-64k')) {
          let inner = Buffer.alloc(0);
          for (;;) {
            const p = await r.read();
            if (!p || p.kind === 'flush') break;
            if (p.kind !== 'data') continue;
            const packet = sideBand(p.data);
            if (packet.band === 1) inner = Buffer.concat([inner, packet.data]);
            else remote.push(...packet.text.split(/\r?\n/).filter(Boolean).map((l) => `remote: ${l}`));
          }
          status = linesToFlush(inner) ?? [];
        } else {
          status = (await r.lines()).lines;
        }
      } catch (err) {
        // The server's own error (band 3, ERR) is its answer; a broken stream is not.
        if (err instanceof RemoteError) throw err;
        throw new WireTransient(`the answer to the push was cut off: ${(err as Error).message}`, { cause: err });
      }
      const error = status.find((l) => l.startsWith('ERR '));
      if (error) throw new Error(error.slice(4));
      if (!status.some((l) => l.startsWith('unpack '))) throw new WireTransient(`receive-pack sent no report${remote.length ? `:\n${remote.join('\n')}` : ''} ${s.stderr()}`.trim());
      const output = [...remote, ...status, s.stderr().trim()].filter(Boolean).join('\n');
      const unpack = status.find((l) => l.startsWith('unpack ')) ?? '';
      const line = status.find((l) => l.startsWith(`ok ${ref}`) || l.startsWith(`ng ${ref}`));
      if (line?.startsWith('ok ') && unpack === 'unpack ok') return { ok: true };
      if (unpack !== 'unpack ok') return rejected('[remote rejected]', `unpacker error: ${unpack.slice(7)}`, output);
      return rejected('[remote rejected]', line ? line.slice(4 + ref.length).trim() : 'no status for the branch', output);
    } finally {
      s.close();
    }
  }
}
