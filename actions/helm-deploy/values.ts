// `set` lines and the `image` input → one generated values file (no `--set` escaping traps).
import YAML from 'yaml';
import { InputError } from '../toolkit/index.js';

export type Values = Record<string, unknown>;

export interface ImageRef {
  repository: string;
  tag?: string;
  digest?: string;
}

export interface ImageKeys {
  repository: string;
  tag: string;
  digest: string;
}

/** `registry:5000/org/app:1.2@sha256:…` → parts. The tag is a colon after the last slash. */
export function parseImageRef(ref: string): ImageRef {
  const value = ref.trim();
  const at = value.indexOf('@');
  const namePart = at >= 0 ? value.slice(0, at) : value;
  const digest = at >= 0 ? value.slice(at + 1) : undefined;
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) throw new InputError('image', `'${ref}' has a malformed digest (expected sha256:<64 hex>)`);
  const slash = namePart.lastIndexOf('/');
  const colon = namePart.lastIndexOf(':');
  const hasTag = colon > slash;
  const repository = hasTag ? namePart.slice(0, colon) : namePart;
  const tag = hasTag ? namePart.slice(colon + 1) : undefined;
  if (!/^[a-z0-9]+(?:[._:-][a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository.replace(/^[^/]+(?=\/)/, (h) => (/[.:]/.test(h) || h === 'localhost' ? h.toLowerCase() : h)))) {
    throw new InputError('image', `'${ref}' is not an image reference (repository[:tag][@sha256:digest])`);
  }
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) throw new InputError('image', `'${ref}' has an invalid tag '${tag}'`);
  return { repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

export function parseImageKeys(raw: string[]): ImageKeys {
  if (raw.length !== 3 && raw.length !== 0) throw new InputError('image-keys', `expected three keys 'repository,tag,digest', got ${raw.length}`);
  const [repository = 'image.repository', tag = 'image.tag', digest = 'image.digest'] = raw.map((k) => (k === '-' ? '' : k));
  for (const key of [repository, tag, digest]) if (key) splitKey('image-keys', key);
  return { repository, tag, digest };
}

/** `a.b\.c` → ['a', 'b.c']; every segment must be non-empty. */
export function splitKey(inputName: string, key: string): string[] {
  const parts = key.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.'));
  if (parts.some((p) => p.trim() === '' || /\s/.test(p))) throw new InputError(inputName, `'${key}' is not a value key path (use a.b.c)`);
  return parts;
}

/** A YAML scalar as Helm would type it, except that numbers which would lose digits stay strings (1.10, 007). */
export function parseScalar(raw: string): unknown {
  let value: unknown;
  try {
    value = YAML.parse(raw);
  } catch {
    return raw;
  }
  if (typeof value === 'number' && String(value) !== raw.trim()) return raw;
  return value === undefined ? '' : value;
}

export function setPath(target: Values, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Values;
  }
  node[keys[keys.length - 1]] = value;
}

/** `set` lines (`key.path=value`) and the mapped image → the generated values object (set wins over image). */
export function buildValues(setLines: string[], image: ImageRef | undefined, keys: ImageKeys): Values {
  const values: Values = {};
  if (image) {
    if (keys.repository) setPath(values, splitKey('image-keys', keys.repository), image.repository);
    if (keys.tag && image.tag !== undefined) setPath(values, splitKey('image-keys', keys.tag), image.tag);
    if (keys.digest && image.digest !== undefined) setPath(values, splitKey('image-keys', keys.digest), image.digest);
  }
  for (const line of setLines) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new InputError('set', `'${line.split('=')[0]}…' is not key=value`);
    setPath(values, splitKey('set', line.slice(0, eq).trim()), parseScalar(line.slice(eq + 1)));
  }
  return values;
}
