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
  /** The tag key was written `<key>@digest`: it gets `<tag>@sha256:…` (charts that read only repository + tag). */
  tagWithDigest?: boolean;
}

export const DEFAULT_IMAGE_KEYS: ImageKeys = { repository: 'image.repository', tag: 'image.tag', digest: 'image.digest' };

/** One service's image and where it goes in the values. */
export interface ServiceImage {
  service: string;
  reference: string;
  image: ImageRef;
  keys: ImageKeys;
}

const DIGEST_SUFFIX = '@digest';

/**
 * A key spec: `a.b` (a prefix: a.b.repository, a.b.tag, a.b.digest) or a `repository,tag,digest` triple where
 * a part may be empty or `-` (skipped) and the tag part may be written `<key>@digest`.
 */
export function parseKeySpec(inputName: string, raw: string): ImageKeys {
  const spec = raw.trim();
  if (!spec) return { ...DEFAULT_IMAGE_KEYS };
  if (!spec.includes(',')) {
    if (spec.endsWith(DIGEST_SUFFIX)) throw new InputError(inputName, `'${spec}': '@digest' belongs on the tag key of a 'repository,tag,digest' triple (e.g. '${spec.slice(0, -DIGEST_SUFFIX.length)}.repository,${spec.slice(0, -DIGEST_SUFFIX.length)}.tag@digest,')`);
    splitKey(inputName, spec);
    return { repository: `${spec}.repository`, tag: `${spec}.tag`, digest: `${spec}.digest` };
  }
  const parts = spec.split(',').map((k) => k.trim());
  if (parts.length !== 3) throw new InputError(inputName, `expected three keys 'repository,tag,digest' (or one key prefix), got ${parts.length} in '${spec}'`);
  const [repository, tagPart, digest] = parts.map((k) => (k === '-' ? '' : k));
  const tagWithDigest = tagPart.endsWith(DIGEST_SUFFIX);
  const tag = tagWithDigest ? tagPart.slice(0, -DIGEST_SUFFIX.length) : tagPart;
  for (const [part, key] of [['repository', repository], ['digest', digest]] as const) {
    if (key.endsWith(DIGEST_SUFFIX)) throw new InputError(inputName, `'${key}': only the tag key may be written <key>@digest (it is the ${part} key here)`);
  }
  if (tagWithDigest && !tag) throw new InputError(inputName, `'${tagPart}' names no tag key before '@digest'`);
  for (const key of [repository, tag, digest]) if (key) splitKey(inputName, key);
  return { repository, tag, digest, ...(tagWithDigest ? { tagWithDigest } : {}) };
}

/** `image-keys`: newline- or comma-separated, empty parts kept (a trailing comma skips the digest key). */
export function parseImageKeys(raw: string | string[]): ImageKeys {
  const text = Array.isArray(raw) ? raw.join(',') : raw.trim().split(/\s*\n\s*/).join(',');
  return parseKeySpec('image-keys', text);
}

/** `images`: a JSON object service → image reference (build-services' `images` output). */
export function parseImagesInput(raw: string): Record<string, string> {
  if (!raw.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new InputError('images', `is not JSON (${err instanceof Error ? err.message : String(err)}); expected an object like {"api":"ghcr.io/o/api:1.0@sha256:…"}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError('images', 'expected a JSON object service → image reference');
  const out: Record<string, string> = {};
  for (const [service, ref] of Object.entries(parsed)) {
    if (!/^[A-Za-z0-9][\w.-]*$/.test(service)) throw new InputError('images', `'${service}' is not a service name (letters, digits, '.', '_', '-')`);
    if (typeof ref !== 'string') throw new InputError('images', `the image of '${service}' must be a string`);
    out[service] = ref;
  }
  if (!Object.keys(out).length) throw new InputError('images', 'is an empty object: give at least one service');
  return out;
}

/** `image-values`: one `service: key-spec` per line, for every service of `images` and no other. */
export function parseImageValues(lines: string[], services: string[]): Map<string, ImageKeys> {
  const specs = new Map<string, ImageKeys>();
  for (const line of lines) {
    const m = /^([^:\s]+)\s*:\s*(.+)$/.exec(line.trim());
    if (!m) throw new InputError('image-values', `'${line}' is not 'service: key-spec' (e.g. 'api: image' or 'worker: worker.image.repository,worker.image.tag@digest,')`);
    const [, service, spec] = m;
    if (!services.includes(service)) throw new InputError('image-values', `'${service}' is not a service of the images input (${services.join(', ') || 'none'})`);
    if (specs.has(service)) throw new InputError('image-values', `'${service}' is listed twice`);
    specs.set(service, parseKeySpec('image-values', spec));
  }
  const missing = services.filter((s) => !specs.has(s));
  if (missing.length) throw new InputError('image-values', `no values keys for ${missing.map((s) => `'${s}'`).join(', ')} of the images input (add a line like '${missing[0]}: ${missing[0]}.image')`);
  return specs;
}

/** Checks that an image can fill its keys (a `<key>@digest` tag key needs `<image>:<tag>@sha256:…`). */
export function checkImageFitsKeys(inputName: string, what: string, reference: string, image: ImageRef, keys: ImageKeys, keysInput: string): void {
  if (!keys.tagWithDigest) return;
  if (image.tag === undefined || image.digest === undefined) {
    throw new InputError(inputName, `${what}'${reference}' has no ${image.tag === undefined ? 'tag' : 'digest'}, but ${keysInput} writes '${keys.tag}' as <tag>@digest: give <image>:<tag>@sha256:…`);
  }
}

/** `registry:5000/org/app:1.2@sha256:…` → parts (toolkit parseImageReference); errors name `inputName` (and the service). */
export function parseImageRef(ref: string, inputName = 'image', what = ''): ImageRef {
  const parsed = parseImageReference(ref);
  if (typeof parsed === 'string') throw new InputError(inputName, `${what}'${ref}' ${parsed} (expected repository[:tag][@sha256:<64 hex>])`);
  return { repository: parsed.name, ...(parsed.tag !== undefined ? { tag: parsed.tag } : {}), ...(parsed.digest !== undefined ? { digest: parsed.digest } : {}) };
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

/** Writes one image into its keys. */
export function setImageValues(values: Values, image: ImageRef, keys: ImageKeys, inputName: string): void {
  if (keys.repository) setPath(values, splitKey(inputName, keys.repository), image.repository);
  if (keys.tag && image.tag !== undefined) setPath(values, splitKey(inputName, keys.tag), keys.tagWithDigest && image.digest ? `${image.tag}@${image.digest}` : image.tag);
  if (keys.digest && image.digest !== undefined) setPath(values, splitKey(inputName, keys.digest), image.digest);
}

/** `set` then `set-sensitive` lines (`key.path=value`) and the mapped images → the generated values object (set wins over images). */
export function buildValues(setLines: string[], image: ImageRef | undefined, keys: ImageKeys, sensitiveLines: string[] = [], images: ServiceImage[] = []): Values {
  const values: Values = {};
  if (image) setImageValues(values, image, keys, 'image-keys');
  for (const s of images) setImageValues(values, s.image, s.keys, 'image-values');
  for (const [inputName, lines] of [['set', setLines], ['set-sensitive', sensitiveLines]] as const) {
    for (const line of lines) {
      const { keys: path, raw } = parseSetLine(inputName, line);
      // A sensitive value stays the string it was given: never re-typed, so it cannot be cut (1.10 → 1.1).
      setPath(values, path, inputName === 'set-sensitive' ? raw : parseScalar(raw));
    }
  }
  return values;
}
