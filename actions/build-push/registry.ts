// build-push's registry writes over the toolkit's registry client: put a tag on an existing manifest by PUTting its
// exact bytes (the digest never changes, unlike `imagetools create`, which wraps a single-platform manifest in a new
// index), and the credentials `docker login` stored.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCommand } from '../toolkit/exec.js';
import { responseHeader, RegistryClient, RegistryError, type Credentials, type Manifest } from '../toolkit/registry.js';

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

/** One registry host, read and written (token scope pull,push). */
export class Registry extends RegistryClient {
  constructor(registry: string, findCredentials: () => Promise<Credentials | undefined>) {
    super(registry, findCredentials, { userAgent: 'platform-actions-build-push', access: 'pull,push' });
  }

  /** Puts `tag` on `manifest` registry-side (same bytes, same digest); checks the digest the registry reports. */
  async putTag(repository: string, tag: string, manifest: Manifest): Promise<void> {
    const res = await this.request('PUT', repository, `/manifests/${tag}`, { 'Content-Type': manifest.mediaType, 'Content-Length': String(manifest.bytes.length) }, manifest.bytes.toString('utf8'));
    const status = res.message.statusCode ?? 0;
    const body = await res.readBody();
    if (status !== 201 && status !== 200) throw await this.error(res, `PUT ${repository}:${tag}`, status, body);
    const reported = responseHeader(res, 'docker-content-digest');
    if (reported && reported !== manifest.digest) throw new RegistryError(`PUT ${repository}:${tag}: the registry stored ${reported}, expected ${manifest.digest}`, status);
  }
}
