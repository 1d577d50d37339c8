// The registry's HTTP API (distribution v2 / OCI) for what build-push does registry-side: read a tag's digest,
// read an image's config, and put a tag on an existing manifest by PUTting its exact bytes (the digest never
// changes, unlike `imagetools create`, which wraps a single-platform manifest in a new index).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HttpClient, type HttpClientResponse } from '@actions/http-client';
import { runCommand } from '../toolkit/exec.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
const INDEX_TYPES = new Set(MANIFEST_TYPES.slice(0, 2));

export interface Credentials {
  username: string;
  password: string;
}

export interface Manifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

export interface ImageConfig {
  os?: string;
  architecture?: string;
  variant?: string;
  config?: { Labels?: Record<string, string> | null };
}

/** A registry answered with an error status; the message carries the status and the registry's own error text. */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** Docker's rule: loopback registries speak plain HTTP, every other one HTTPS. */
export function registryBaseUrl(registry: string): string {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const loopback = hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '::1';
  return `${loopback ? 'http' : 'https'}://${host}`;
}

/** `Bearer realm="…",service="…"` → { scheme: 'bearer', realm, service }. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.slice(space + 1).matchAll(/([A-Za-z_]+)="([^"]*)"/g)) params[m[1].toLowerCase()] = m[2];
  return { scheme, params };
}

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
}

export function isIndex(mediaType: string): boolean {
  return INDEX_TYPES.has(mediaType);
}

/** Where `docker login` keeps a registry's entry in config.json. */
function configKey(registry: string): string {
  return registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** The credentials `docker login` stored for a registry in DOCKER_CONFIG (config.json or its credential helper). */
export async function dockerConfigCredentials(dockerConfig: string, registry: string): Promise<Credentials | undefined> {
  const file = path.join(dockerConfig, 'config.json');
  if (!fs.existsSync(file)) return undefined;
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as DockerConfigFile;
  const key = configKey(registry);
  const helper = config.credHelpers?.[key] ?? config.credsStore;
  if (helper) {
    const res = await runCommand(`docker-credential-${helper}`, ['get'], { input: key, allowFailure: true }).catch(() => undefined);
    if (res?.exitCode === 0) {
      const found = JSON.parse(res.stdout) as { Username?: string; Secret?: string };
      if (found.Username && found.Secret) return { username: found.Username, password: found.Secret };
    }
  }
  const entry = config.auths?.[key];
  if (entry?.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry?.username && entry.password) return { username: entry.username, password: entry.password };
  return undefined;
}

/** One registry host; tokens are cached per repository for the life of the object. */
export class Registry {
  private readonly http = new HttpClient('platform-actions-build-push', [], { keepAlive: true, socketTimeout: 60_000 });
  private readonly base: string;
  private readonly tokens = new Map<string, string>();
  private credentials?: Promise<Credentials | undefined>;

  constructor(
    readonly registry: string,
    private readonly findCredentials: () => Promise<Credentials | undefined>,
  ) {
    this.base = registryBaseUrl(registry);
  }

  dispose(): void {
    this.http.dispose();
  }

  /** The digest a tag (or digest) resolves to, or undefined when the registry has no such manifest. */
  async digestOf(repository: string, reference: string): Promise<string | undefined> {
    const res = await this.request('HEAD', repository, `/manifests/${reference}`, { Accept: MANIFEST_TYPES.join(', ') });
    const status = res.message.statusCode ?? 0;
    const body = await res.readBody();
    if (status === 404) return undefined;
    if (status !== 200) throw await this.error(res, `HEAD ${repository}:${reference}`, status, body);
    const digest = header(res, 'docker-content-digest');
    if (digest) return digest;
    return (await this.manifest(repository, reference))?.digest;
  }

  /** A manifest's exact bytes, or undefined when absent. */
  async manifest(repository: string, reference: string): Promise<Manifest | undefined> {
    const res = await this.request('GET', repository, `/manifests/${reference}`, { Accept: MANIFEST_TYPES.join(', ') });
    const status = res.message.statusCode ?? 0;
    if (status === 404) {
      await res.readBody();
      return undefined;
    }
    if (status !== 200) throw await this.error(res, `GET ${repository}:${reference}`, status);
    const bytes = await readBuffer(res);
    const mediaType = header(res, 'content-type')?.split(';')[0].trim() || String((JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? '');
    return { digest: sha256Digest(bytes), mediaType, bytes };
  }

  async blobJson<T>(repository: string, digest: string): Promise<T> {
    const res = await this.request('GET', repository, `/blobs/${digest}`, {});
    const status = res.message.statusCode ?? 0;
    if (status !== 200) throw await this.error(res, `GET blob ${repository}@${digest}`, status);
    return JSON.parse((await readBuffer(res)).toString('utf8')) as T;
  }

  /** Puts `tag` on `manifest` registry-side (same bytes, same digest); checks the digest the registry reports. */
  async putTag(repository: string, tag: string, manifest: Manifest): Promise<void> {
    const res = await this.request('PUT', repository, `/manifests/${tag}`, { 'Content-Type': manifest.mediaType, 'Content-Length': String(manifest.bytes.length) }, manifest.bytes.toString('utf8'));
    const status = res.message.statusCode ?? 0;
    const body = await res.readBody();
    if (status !== 201 && status !== 200) throw await this.error(res, `PUT ${repository}:${tag}`, status, body);
    const reported = header(res, 'docker-content-digest');
    if (reported && reported !== manifest.digest) throw new RegistryError(`PUT ${repository}:${tag}: the registry stored ${reported}, expected ${manifest.digest}`, status);
  }

  private async request(method: string, repository: string, pathTail: string, headers: Record<string, string>, body: string | null = null): Promise<HttpClientResponse> {
    const url = `${this.base}/v2/${repository}${pathTail}`;
    const send = (auth?: string): Promise<HttpClientResponse> => this.http.request(method, url, body, { ...headers, ...(auth ? { Authorization: auth } : {}) });
    const cached = this.tokens.get(repository);
    let res = await send(cached);
    if (res.message.statusCode !== 401) return res;
    const challenge = header(res, 'www-authenticate');
    await res.readBody();
    if (!challenge) return send(cached);
    const auth = await this.authorize(repository, challenge);
    if (!auth) return send(cached);
    this.tokens.set(repository, auth);
    res = await send(auth);
    return res;
  }

  /** Answers a 401 challenge: Basic with the stored credentials, or a Bearer token from the realm (pull,push scope). */
  private async authorize(repository: string, challenge: string): Promise<string | undefined> {
    this.credentials ??= this.findCredentials();
    const creds = await this.credentials;
    const { scheme, params } = parseChallenge(challenge);
    const basic = creds ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` : undefined;
    if (scheme === 'basic') return basic;
    if (scheme !== 'bearer' || !params.realm) return undefined;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', `repository:${repository}:pull,push`);
    const res = await this.http.get(url.toString(), basic ? { Authorization: basic } : {});
    const status = res.message.statusCode ?? 0;
    const text = await res.readBody();
    if (status !== 200) throw new RegistryError(`token request to ${url.origin}${url.pathname} for ${repository} failed: ${status} ${registryMessage(text)}`.trim(), status);
    const json = JSON.parse(text) as { token?: string; access_token?: string };
    const token = json.token ?? json.access_token;
    return token ? `Bearer ${token}` : undefined;
  }

  /** `body`: the text when the caller already read it (a second readBody never resolves: 'end' has fired). */
  private async error(res: HttpClientResponse, what: string, status: number, body?: string): Promise<RegistryError> {
    const text = body ?? (await res.readBody().catch(() => ''));
    return new RegistryError(`${what} on ${this.registry}: ${status} ${res.message.statusMessage ?? ''} ${registryMessage(text)}`.replace(/\s+/g, ' ').trim(), status);
  }
}

function header(res: HttpClientResponse, name: string): string | undefined {
  const value = res.message.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBuffer(res: HttpClientResponse): Promise<Buffer> {
  if (res.readBodyBuffer) return res.readBodyBuffer();
  return Buffer.from(await res.readBody(), 'utf8');
}

/** The registry's error codes and messages ({"errors":[{"code","message"}]}), or the start of the body. */
function registryMessage(body: string): string {
  try {
    const json = JSON.parse(body) as { errors?: { code?: string; message?: string }[] };
    if (json.errors?.length) return json.errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
  } catch {
    // not JSON: the body's start says enough
  }
  return body.trim().slice(0, 200);
}
