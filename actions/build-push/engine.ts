// The Docker Engine API on its local unix socket, for the two things build-push asks the daemon directly (the
// docker CLI costs ~0.05 s to start, and `docker info` gathers far more than the image store): GET /info and
// POST /images/{name}/push. Only where the CLI would talk to a local socket; elsewhere the CLI is used.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

/** A docker config file: undefined when absent, 'unreadable' when not JSON. */
export function readJson(file: string): Record<string, unknown> | undefined | 'unreadable' {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return 'unreadable';
  }
}

/** True when the docker CLI would talk to its default context (no DOCKER_CONTEXT, no currentContext in config.json). */
export function defaultContext(dockerConfig: string, env: NodeJS.ProcessEnv): boolean {
  if (env.DOCKER_CONTEXT && env.DOCKER_CONTEXT !== 'default') return false;
  const config = readJson(path.join(dockerConfig, 'config.json'));
  return config !== 'unreadable' && (!config?.currentContext || config.currentContext === 'default');
}


/**
 * The daemon's unix socket when the docker CLI's endpoint is one: DOCKER_HOST=unix://…, or the default context's
 * /var/run/docker.sock. Undefined for any other endpoint (tcp, ssh, a named context): ask the CLI.
 */
export function localEngineSocket(dockerConfig: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DOCKER_HOST) return env.DOCKER_HOST.startsWith('unix://') ? env.DOCKER_HOST.slice('unix://'.length) : undefined;
  return defaultContext(dockerConfig, env) ? '/var/run/docker.sock' : undefined;
}

export interface EngineInfo {
  Driver?: string;
  DriverStatus?: [string, string][] | null;
}

let early: { socket: string; info: Promise<EngineInfo> } | undefined;

/**
 * Sends GET /info as the bundle starts, for the socket the user's docker config points at, and resolves once the
 * request is written (~1 ms): the daemon then works on it (~0.05 s) while the action's modules load, which blocks
 * the event loop (a request only started would be sent after them). engineInfo on the same socket takes that
 * answer. A read, nothing else: bad input still fails before anything is done.
 */
export async function prefetchEngineInfo(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): Promise<void> {
  const socket = localEngineSocket(env.DOCKER_CONFIG || path.join(home, '.docker'), env);
  if (!socket) return;
  const { info, sent } = requestInfo(socket);
  info.catch(() => undefined);
  early = { socket, info };
  await sent;
}

/** GET /info on the Engine API over a unix socket (the prefetched answer when there is one for this socket). */
export function engineInfo(socketPath: string, timeoutMs = 10_000): Promise<EngineInfo> {
  if (early?.socket === socketPath) {
    const { info } = early;
    early = undefined;
    return info;
  }
  return requestInfo(socketPath, timeoutMs).info;
}

/**
 * GET /info on the Engine API over a unix socket. `info` rejects on a connection error or a non-200 answer; `sent`
 * resolves when the request is flushed to the socket, or when it failed (then `info` says why).
 */
function requestInfo(socketPath: string, timeoutMs = 10_000): { info: Promise<EngineInfo>; sent: Promise<void> } {
  let flushed: () => void = () => undefined;
  const sent = new Promise<void>((resolve) => (flushed = resolve));
  const info = new Promise<EngineInfo>((resolve, reject) => {
    const req = http.get({ socketPath, path: '/info', timeout: timeoutMs, headers: { Host: 'docker' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET /info on ${socketPath}: ${res.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as EngineInfo);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      res.on('error', reject);
    });
    req.on('finish', flushed);
    req.on('timeout', () => req.destroy(new Error(`GET /info on ${socketPath}: no answer in ${timeoutMs} ms`)));
    req.on('error', (err) => {
      flushed();
      reject(err);
    });
  });
  return { info, sent };
}

/** Registry credentials for X-Registry-Auth (the docker CLI sends the same JSON, base64url). */
export interface EngineAuth {
  username: string;
  password: string;
  serveraddress: string;
}

/** A push the daemon reported failed: its own message (the one `docker push` prints). */
export class EnginePushError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnginePushError';
  }
}

/**
 * The error in a push's JSON-lines progress stream: the daemon answers 200 and reports a failure in the stream
 * (`{"errorDetail":{"message":…},"error":…}`), so the stream is read to its end. Undefined when it has none.
 */
export function pushStreamError(stream: string): string | undefined {
  for (const line of stream.split('\n')) {
    if (!line.trim()) continue;
    try {
      const msg = JSON.parse(line) as { error?: string; errorDetail?: { message?: string } };
      if (msg.errorDetail?.message || msg.error) return msg.errorDetail?.message ?? msg.error;
    } catch {
      // a partial line: nothing to report
    }
  }
  return undefined;
}

/**
 * X-Registry-Auth: the credentials' JSON in Go's base64.URLEncoding, as the docker CLI sends it (`e30=` for none):
 * the URL alphabet WITH padding. Node's base64url has no padding, and the daemon then ignores the credentials
 * ("authorization failed: no basic auth credentials", seen on Docker 26).
 */
export function registryAuthHeader(auth: EngineAuth | undefined): string {
  return Buffer.from(JSON.stringify(auth ?? {})).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** POST /images/{name}/push?tag={tag}; resolves when the daemon's stream ends without an error. */
export function enginePush(socketPath: string, name: string, tag: string, auth: EngineAuth | undefined): Promise<void> {
  const ref = `${name}:${tag}`;
  const header = registryAuthHeader(auth);
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method: 'POST', path: `/images/${name}/push?tag=${encodeURIComponent(tag)}`, headers: { Host: 'docker', 'X-Registry-Auth': header } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) {
          const message = (() => {
            try {
              return (JSON.parse(body) as { message?: string }).message;
            } catch {
              return undefined;
            }
          })();
          return reject(new EnginePushError(`push ${ref}: ${res.statusCode} ${message ?? body.trim().slice(0, 300)}`));
        }
        const error = pushStreamError(body);
        if (error) reject(new EnginePushError(`push ${ref}: ${error}`));
        else resolve();
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
