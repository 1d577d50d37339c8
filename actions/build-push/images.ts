// Image names for `images`: references without tag or digest (tags are computed), lowercased.
import { isValidImageTag, parseImageReference } from '../toolkit/image-ref.js';

export interface ImageName {
  /** As pushed: lowercased, e.g. ghcr.io/acme/app or acme/app. */
  name: string;
  /** Registry host used for login: ghcr.io, docker.io, 127.0.0.1:5000 … */
  registry: string;
  /** Repository path inside the registry (docker.io: library/ added for single names). */
  repository: string;
}

/** Parses one `images` entry; returns an error string instead of throwing, so the caller names the input. */
export function parseImageName(raw: string): ImageName | string {
  const name = raw.trim().toLowerCase();
  if (name.includes('@')) return `'${raw}' must not contain a digest`;
  const lastSlash = name.lastIndexOf('/');
  if (name.slice(lastSlash + 1).includes(':')) return `'${raw}' must not contain a tag (tags are computed; add extra ones with the tags input)`;
  const parsed = parseImageReference(name);
  if (typeof parsed === 'string') return `'${raw}' is not a valid image name: it ${parsed}`;
  const domain = parsed.registry;
  const registry = !domain || domain === 'index.docker.io' || domain === 'registry-1.docker.io' ? 'docker.io' : domain;
  const repository = registry === 'docker.io' && !parsed.path.includes('/') ? `library/${parsed.path}` : parsed.path;
  return { name, registry, repository };
}

export function isValidTag(tag: string): boolean {
  return isValidImageTag(tag);
}

/** Turns a branch or git tag into a valid image tag: invalid characters → '-', no leading '.'/'-', ≤128. */
export function sanitizeTag(raw: string): string {
  let tag = raw.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '');
  tag = tag.slice(0, 128).replace(/[.-]+$/, '');
  return tag === '' ? 'unnamed' : tag;
}

const OS = ['linux', 'windows', 'darwin', 'freebsd'];
const ARCH_VARIANTS: Record<string, string[]> = {
  amd64: ['v1', 'v2', 'v3', 'v4'],
  arm64: ['v8'],
  arm: ['v5', 'v6', 'v7'],
  '386': [],
  ppc64le: [],
  s390x: [],
  riscv64: [],
  mips64le: [],
  loong64: [],
};

/** Validates `os/arch[/variant]`; returns an error string or undefined. */
export function platformError(platform: string): string | undefined {
  const parts = platform.split('/');
  if (parts.length < 2 || parts.length > 3) return `'${platform}' is not os/arch[/variant]`;
  const [os, arch, variant] = parts;
  if (!OS.includes(os)) return `'${platform}': unknown OS '${os}' (expected one of ${OS.join(', ')})`;
  if (!(arch in ARCH_VARIANTS)) return `'${platform}': unknown architecture '${arch}' (expected one of ${Object.keys(ARCH_VARIANTS).join(', ')})`;
  if (variant !== undefined && !ARCH_VARIANTS[arch].includes(variant)) return `'${platform}': unknown variant '${variant}' for ${arch}`;
  return undefined;
}
