// `set` lines and the `image` input → one generated values file (no `--set` escaping traps).
import YAML from 'yaml';
import { InputError, parseImageReference } from '../toolkit/index.js';

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

/** `registry:5000/org/app:1.2@sha256:…` → parts (toolkit parseImageReference). */
export function parseImageRef(ref: string): ImageRef {
  const parsed = parseImageReference(ref);
  if (typeof parsed === 'string') throw new InputError('image', `'${ref}' ${parsed} (expected repository[:tag][@sha256:<64 hex>])`);
  return { repository: parsed.name, ...(parsed.tag !== undefined ? { tag: parsed.tag } : {}), ...(parsed.digest !== undefined ? { digest: parsed.digest } : {}) };
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
