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

/** `key.path=value` → its key path and raw value; errors name the input and never quote the value. */
export function parseSetLine(inputName: string, line: string): { keys: string[]; raw: string } {
  const eq = line.indexOf('=');
  if (eq <= 0) throw new InputError(inputName, `'${line.split('=')[0].slice(0, 40)}…' is not key=value (the value is not shown)`);
  return { keys: splitKey(inputName, line.slice(0, eq).trim()), raw: line.slice(eq + 1) };
}

/**
 * `set` values worth hiding from tool output: an API server that rejects an object quotes the value.
 * Short values, numbers and booleans would garble every line they occur in and are not secrets.
 */
export function echoableValues(setLines: string[]): string[] {
  return setLines
    .map((line) => line.slice(line.indexOf('=') + 1).trim())
    .filter((v) => v.length >= 4 && typeof parseScalar(v) === 'string');
}

/** `set` then `set-sensitive` lines (`key.path=value`) and the mapped image → the generated values object (set wins over image). */
export function buildValues(setLines: string[], image: ImageRef | undefined, keys: ImageKeys, sensitiveLines: string[] = []): Values {
  const values: Values = {};
  if (image) {
    if (keys.repository) setPath(values, splitKey('image-keys', keys.repository), image.repository);
    if (keys.tag && image.tag !== undefined) setPath(values, splitKey('image-keys', keys.tag), image.tag);
    if (keys.digest && image.digest !== undefined) setPath(values, splitKey('image-keys', keys.digest), image.digest);
  }
  for (const [inputName, lines] of [['set', setLines], ['set-sensitive', sensitiveLines]] as const) {
    for (const line of lines) {
      const { keys: path, raw } = parseSetLine(inputName, line);
      // A sensitive value stays the string it was given: never re-typed, so it cannot be cut (1.10 → 1.1).
      setPath(values, path, inputName === 'set-sensitive' ? raw : parseScalar(raw));
    }
  }
  return values;
}
