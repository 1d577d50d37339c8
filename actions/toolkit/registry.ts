// A registry's HTTP API (distribution v2 / OCI), read side: a tag's digest, a manifest's exact bytes, an image's
// config, with the registry's token auth (Basic, or a Bearer token from the challenge's realm). An index is
// followed to a platform image's config by readImage. Shared by build-push (which adds the tag writes) and
// verify-image.
import * as crypto from 'node:crypto';
import { HttpClient, type HttpClientResponse } from '@actions/http-client';

export const MANIFEST_TYPES = [
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

export interface RegistryClientOptions {
  /** The User-Agent of every request. */
  userAgent: string;
  /** The token scope's actions: `pull` to read, `pull,push` to write too. */
  access: 'pull' | 'pull,push';
}

/** One registry host; tokens are cached per repository for the life of the object. */
export class RegistryClient {
  private readonly http: HttpClient;
  private readonly base: string;
  private readonly tokens = new Map<string, string>();
  private credentials?: Promise<Credentials | undefined>;

  constructor(
    readonly registry: string,
    private readonly findCredentials: () => Promise<Credentials | undefined>,
    private readonly options: RegistryClientOptions = { userAgent: 'platform-actions', access: 'pull' },
  ) {
    this.base = registryBaseUrl(registry);
    this.http = new HttpClient(options.userAgent, [], { keepAlive: true, socketTimeout: 60_000 });
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
    const digest = responseHeader(res, 'docker-content-digest');
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
    const mediaType = responseHeader(res, 'content-type')?.split(';')[0].trim() || String((JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? '');
    return { digest: sha256Digest(bytes), mediaType, bytes };
  }

  async blobJson<T>(repository: string, digest: string): Promise<T> {
    const res = await this.request('GET', repository, `/blobs/${digest}`, {});
    const status = res.message.statusCode ?? 0;
    if (status !== 200) throw await this.error(res, `GET blob ${repository}@${digest}`, status);
    return JSON.parse((await readBuffer(res)).toString('utf8')) as T;
  }

  protected async request(method: string, repository: string, pathTail: string, headers: Record<string, string>, body: string | null = null): Promise<HttpClientResponse> {
    const url = `${this.base}/v2/${repository}${pathTail}`;
    const send = (auth?: string): Promise<HttpClientResponse> => this.http.request(method, url, body, { ...headers, ...(auth ? { Authorization: auth } : {}) });
    const cached = this.tokens.get(repository);
    let res = await send(cached);
    if (res.message.statusCode !== 401) return res;
    const challenge = responseHeader(res, 'www-authenticate');
    await res.readBody();
    if (!challenge) return send(cached);
    const auth = await this.authorize(repository, challenge);
    if (!auth) return send(cached);
    this.tokens.set(repository, auth);
    res = await send(auth);
    return res;
  }

  /** Answers a 401 challenge: Basic with the stored credentials, or a Bearer token from the realm (the access asked). */
  private async authorize(repository: string, challenge: string): Promise<string | undefined> {
    this.credentials ??= this.findCredentials();
    const creds = await this.credentials;
    const { scheme, params } = parseChallenge(challenge);
    const basic = creds ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` : undefined;
    if (scheme === 'basic') return basic;
    if (scheme !== 'bearer' || !params.realm) return undefined;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', `repository:${repository}:${this.options.access}`);
    const res = await this.http.get(url.toString(), basic ? { Authorization: basic } : {});
    const status = res.message.statusCode ?? 0;
    const text = await res.readBody();
    if (status !== 200) throw new RegistryError(`token request to ${url.origin}${url.pathname} for ${repository} failed: ${status} ${registryMessage(text)}`.trim(), status);
    const json = JSON.parse(text) as { token?: string; access_token?: string };
    const token = json.token ?? json.access_token;
    return token ? `Bearer ${token}` : undefined;
  }

  /** `body`: the text when the caller already read it (a second readBody never resolves: 'end' has fired). */
  protected async error(res: HttpClientResponse, what: string, status: number, body?: string): Promise<RegistryError> {
    const text = body ?? (await res.readBody().catch(() => ''));
    return new RegistryError(`${what} on ${this.registry}: ${status} ${res.message.statusMessage ?? ''} ${registryMessage(text)}`.replace(/\s+/g, ' ').trim(), status);
  }
}

export function responseHeader(res: HttpClientResponse, name: string): string | undefined {
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

/** An image as a registry serves it: its exact manifest, the platforms it has, and a platform image's labels. */
export interface RegistryImage {
  manifest: Manifest;
  /** os/arch[/variant] of each image (attestation manifests, `unknown/unknown`, left out). */
  platforms: string[];
  /** Labels of the first platform's image config (an index is followed to that image's manifest, then its config). */
  labels: Record<string, string>;
  /** The platform image whose config gave the labels (the manifest itself for a single-platform image). */
  labelsFrom?: string;
  /** Every platform image's labels, in the index's order (read only with `allPlatforms`; one entry for a single image). */
  platformLabels?: PlatformLabels[];
}

/** One platform image of an index and the labels of its config. */
export interface PlatformLabels {
  platform: string;
  digest: string;
  labels: Record<string, string>;
}

interface Descriptor {
  digest: string;
  platform?: { os?: string; architecture?: string; variant?: string };
}

const platformOf = (p: { os?: string; architecture?: string; variant?: string }): string => [p.os, p.architecture, p.variant].filter(Boolean).join('/');

/** The labels of one platform image of an index: its manifest, then its config. */
async function platformImageLabels(registry: RegistryClient, repository: string, index: Manifest, image: Descriptor): Promise<PlatformLabels> {
  const m = await registry.manifest(repository, image.digest);
  if (!m) throw new RegistryError(`${repository}@${index.digest} lists ${image.digest}, which the registry ${registry.registry} does not have`, 404);
  const configDigest = (JSON.parse(m.bytes.toString('utf8')) as { config?: { digest: string } }).config?.digest;
  const config = configDigest ? await registry.blobJson<ImageConfig>(repository, configDigest) : {};
  return { platform: platformOf(image.platform ?? {}), digest: image.digest, labels: config.config?.Labels ?? {} };
}

/**
 * Reads a tag's or digest's manifest and, through its first platform image's config, its labels; undefined when
 * absent. With `allPlatforms`, every platform image of an index is read (concurrently) into `platformLabels`:
 * what a node pulls is its own platform's image, so provenance must hold for each.
 */
export async function readImage(registry: RegistryClient, repository: string, reference: string, { allPlatforms = false }: { allPlatforms?: boolean } = {}): Promise<RegistryImage | undefined> {
  const manifest = await registry.manifest(repository, reference);
  if (!manifest) return undefined;
  const json = JSON.parse(manifest.bytes.toString('utf8')) as { manifests?: Descriptor[]; config?: { digest: string } };
  if (isIndex(manifest.mediaType)) {
    const images = (json.manifests ?? []).filter((m) => m.platform && m.platform.architecture !== 'unknown');
    if (images.length === 0) return { manifest, platforms: [], labels: {}, ...(allPlatforms ? { platformLabels: [] } : {}) };
    const read = await Promise.all((allPlatforms ? images : images.slice(0, 1)).map((image) => platformImageLabels(registry, repository, manifest, image)));
    return { manifest, platforms: images.map((m) => platformOf(m.platform!)), labels: read[0].labels, labelsFrom: images[0].digest, ...(allPlatforms ? { platformLabels: read } : {}) };
  }
  const config = json.config?.digest ? await registry.blobJson<ImageConfig>(repository, json.config.digest) : {};
  const labels = config.config?.Labels ?? {};
  const platform = platformOf(config);
  return { manifest, platforms: [platform].filter(Boolean), labels, labelsFrom: manifest.digest, ...(allPlatforms ? { platformLabels: [{ platform, digest: manifest.digest, labels }] } : {}) };
}
