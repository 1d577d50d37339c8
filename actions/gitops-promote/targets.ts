// What a promotion changes in the config file: Helm values key paths or a kustomization `images:` entry.
// Pure: plans from the file text and the image, no I/O.
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';
import type { Append, Edit, EditResult, PathSegment } from './yaml-edit.js';
import { YamlEditError, editYaml, formatPath, parseDocument, readScalar, readSourceMarker, writeSourceMarker } from './yaml-edit.js';
import type { ImagePart } from './key-path.js';

export type { ImagePart } from './key-path.js';
export { IMAGE_PARTS } from './key-path.js';

/** Parts whose value pins the digest: the source-commit marker goes next to the first such key. */
const DIGEST_PARTS: readonly ImagePart[] = ['digest', 'tag@digest', 'reference'];

export interface PromotedImage {
  /** registry/path, without tag or digest. */
  repository: string;
  tag?: string;
  digest: string;
  /** The reference as given (repository[:tag]@digest). */
  reference: string;
}

export interface KeySpec {
  raw: string;
  path: PathSegment[];
  part: ImagePart;
}

export type Target = { kind: 'helm-values'; keys: KeySpec[] } | { kind: 'kustomization'; name: string };

export interface FieldChange {
  /** Where, for the log and summary (`image.digest`, `images[name=api].digest`). */
  label: string;
  path: PathSegment[];
  existed: boolean;
  before: string | undefined;
  /** undefined: the key is removed (a kustomization newTag when the image has no tag). */
  after: string | undefined;
  /** Sibling keys a new key goes after (kustomization order: name, newName, newTag, digest). */
  insertAfter?: string[];
}

const KUSTOMIZE_ORDER: Record<string, string[]> = { newName: ['name'], newTag: ['newName', 'name'], digest: ['newTag', 'newName', 'name'] };

export interface Plan {
  kind: Target['kind'];
  fields: FieldChange[];
  /** A new kustomization images entry (create-missing). */
  append?: Append;
  changed: boolean;
  previousImage: string;
  /** Where the source-commit marker is read and written (undefined: an entry this plan appends). */
  markerPath?: PathSegment[];
  /** The source commit recorded for the value before this plan (undefined: none recorded). */
  liveCommit?: string;
}

export function partOf(image: PromotedImage, part: ImagePart): string | undefined {
  if (part === 'tag@digest') return image.tag ? `${image.tag}@${image.digest}` : undefined;
  return part === 'reference' ? image.reference : image[part];
}

/** The key whose line carries the source-commit marker: the first that pins the digest, else the first. */
export function markerKey(keys: readonly KeySpec[]): KeySpec {
  return keys.find((k) => DIGEST_PARTS.includes(k.part)) ?? keys[0];
}

/** The path of the marker for `target` in `doc`, when the value is there. */
export function markerPathIn(doc: Document, file: string, target: Target): PathSegment[] | undefined {
  if (target.kind === 'helm-values') return markerKey(target.keys).path;
  const index = findEntry(doc, file, target.name);
  return index < 0 ? undefined : ['images', index, 'digest'];
}

/** The source commit recorded next to the target's value in `source`, if any. */
export function liveCommitOf(source: string, file: string, target: Target): string | undefined {
  const doc = parseDocument(source, file);
  const at = markerPathIn(doc, file, target);
  return at ? readSourceMarker(source, doc, at) : undefined;
}

export function formatImage(repository: string, tag: string | undefined, digest: string | undefined): string {
  return `${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/** Plans the promotion of `image` in `source`; throws YamlEditError for a path that is missing (without create). */
export function planPromotion(source: string, file: string, target: Target, image: PromotedImage, create: boolean): Plan {
  const doc = parseDocument(source, file);
  const plan = target.kind === 'helm-values' ? planValues(doc, target.keys, image, create) : planKustomization(doc, file, target.name, image, create);
  const markerPath = markerPathIn(doc, file, target);
  const liveCommit = markerPath ? readSourceMarker(source, doc, markerPath) : undefined;
  return { ...plan, ...(markerPath ? { markerPath } : {}), ...(liveCommit ? { liveCommit } : {}) };
}

function planValues(doc: Document, keys: KeySpec[], image: PromotedImage, create: boolean): Plan {
  const fields: FieldChange[] = keys.map((k) => {
    const current = readScalar(doc, k.path);
    if (!current.exists && !create) throw new YamlEditError(`${formatPath(k.path)} does not exist (set create-missing to add it)`);
    return { label: formatPath(k.path), path: k.path, existed: current.exists, before: current.value, after: partOf(image, k.part) };
  });
  const old = (part: ImagePart): string | undefined => {
    const i = keys.findIndex((k) => k.part === part);
    const v = i >= 0 ? fields[i].before : undefined;
    return v === '' ? undefined : v;
  };
  let previousImage = old('reference') ?? '';
  const pinnedTag = old('tag@digest');
  if (!previousImage && pinnedTag) previousImage = `${old('repository') ?? image.repository}:${pinnedTag}`;
  if (!previousImage && (old('tag') || old('digest'))) previousImage = formatImage(old('repository') ?? image.repository, old('tag'), old('digest'));
  return { kind: 'helm-values', fields, changed: fields.some((f) => f.after !== f.before || !f.existed), previousImage };
}

/** The images entry named `name`: its index, or -1. */
function findEntry(doc: Document, file: string, name: string): number {
  const images = doc.get('images', true);
  if (images === undefined || images === null) return -1;
  if (!isSeq(images)) throw new YamlEditError(`${file}: images is not a list`);
  return images.items.findIndex((item) => isMap(item) && isScalar(item.get('name', true)) && item.get('name') === name);
}

function entryNames(doc: Document): string[] {
  const images = doc.get('images', true);
  return isSeq(images) ? images.items.flatMap((i) => (isMap(i) && typeof i.get('name') === 'string' ? [String(i.get('name'))] : [])) : [];
}

function planKustomization(doc: Document, file: string, name: string, image: PromotedImage, create: boolean): Plan {
  const index = findEntry(doc, file, name);
  // As `kustomize edit set image name=repo[:tag]@digest` writes it: newName only when the name differs.
  const wanted: Array<[string, string | undefined]> = [
    ['newName', image.repository !== name ? image.repository : undefined],
    ['newTag', image.tag],
    ['digest', image.digest],
  ];
  if (index < 0) {
    if (!create) {
      const names = entryNames(doc);
      throw new YamlEditError(`${file} has no images entry named '${name}' (${names.length ? `entries: ${names.join(', ')}` : 'no images entries'}; set create-missing to add it)`);
    }
    const item: Array<[string, string]> = [['name', name], ...wanted.filter((w): w is [string, string] => w[1] !== undefined)];
    return { kind: 'kustomization', fields: [], append: { path: ['images'], item }, changed: true, previousImage: '' };
  }
  const fields: FieldChange[] = [];
  for (const [key, after] of wanted) {
    const path: PathSegment[] = ['images', index, key];
    const current = readScalar(doc, path);
    // An existing newName equal to the name is kept rather than removed: the entry means the same.
    const value = key === 'newName' && after === undefined && current.exists && current.value === name ? current.value : after;
    if (!current.exists && value === undefined) continue;
    fields.push({ label: `images[name=${name}].${key}`, path, existed: current.exists, before: current.value, after: value, insertAfter: KUSTOMIZE_ORDER[key] });
  }
  const before = (k: string): string | undefined => {
    const v = fields.find((f) => f.path[2] === k)?.before;
    return v === '' ? undefined : v;
  };
  const previousImage = formatImage(before('newName') ?? name, before('newTag'), before('digest'));
  return { kind: 'kustomization', fields, changed: fields.some((f) => f.after !== f.before || (!f.existed && f.after !== undefined)), previousImage };
}

/** Applies a plan to the text it was made from. */
export function applyPlan(source: string, file: string, plan: Plan, create: boolean, record?: { target: Target; sourceCommit: string }): { text: string; inPlace: boolean } {
  const edits: Edit[] = plan.fields.filter((f) => f.after !== f.before || !f.existed).map((f) => ({ path: f.path, value: f.after, ...(f.insertAfter ? { after: f.insertAfter } : {}) }));
  // Inside an existing kustomization entry, fields come and go as `kustomize edit set image` does.
  const edited: EditResult = edits.length || plan.append ? editYaml(source, edits, plan.append ? [plan.append] : [], { create: create || plan.kind === 'kustomization', file }) : { text: source, inPlace: true };
  if (!record) return { text: edited.text, inPlace: edited.inPlace };
  return { text: recordSourceCommit(edited.text, file, record.target, record.sourceCommit, edited.doc), inPlace: edited.inPlace };
}

/** Sets (or, with `sha` undefined, removes) the source-commit marker next to the target's value. `parsed`: `text` already parsed. */
export function recordSourceCommit(text: string, file: string, target: Target, sha: string | undefined, parsed?: Document.Parsed): string {
  const doc = parsed ?? parseDocument(text, file);
  const at = markerPathIn(doc, file, target);
  return at ? writeSourceMarker(text, file, at, sha, doc) : text;
}

export type RevertPlan = { ok: true; edits: Edit[] } | { ok: false; reason: string };

/**
 * Undoes a promotion on the current file text, only when every field still holds what the promotion wrote
 * (a newer promotion in between is never overwritten).
 */
export function planRevert(source: string, file: string, target: Target, promoted: Plan): RevertPlan {
  const doc = parseDocument(source, file);
  if (promoted.append) {
    if (target.kind !== 'kustomization') return { ok: false, reason: 'nothing to revert' };
    const index = findEntry(doc, file, target.name);
    if (index < 0) return { ok: false, reason: `${file} no longer has the images entry '${target.name}'` };
    const entry = Object.fromEntries(promoted.append.item);
    for (const [k, v] of Object.entries(entry)) {
      if (readScalar(doc, ['images', index, k]).value !== v) return { ok: false, reason: `images[name=${target.name}].${k} changed since the promotion` };
    }
    return { ok: false, reason: `the images entry '${target.name}' was created by the promotion; remove it by hand if needed` };
  }
  const edits: Edit[] = [];
  for (const f of promoted.fields) {
    const now = readScalar(doc, f.path);
    const promotedValue = f.after;
    if ((promotedValue === undefined && now.exists) || (promotedValue !== undefined && now.value !== promotedValue)) {
      return { ok: false, reason: `${f.label} changed since the promotion (now '${now.value ?? '(absent)'}')` };
    }
    if (f.after === f.before && f.existed) continue;
    edits.push({ path: f.path, value: f.existed ? f.before : undefined, ...(f.insertAfter ? { after: f.insertAfter } : {}) });
  }
  return { ok: true, edits };
}

/** Applies a revert plan; create is on since a removed key (kustomization newTag) may come back. */
export function applyRevert(source: string, file: string, edits: Edit[]): { text: string; inPlace: boolean } {
  return editYaml(source, edits, [], { create: true, file });
}

/**
 * Plans and applies a promotion (source-commit record included) on a small built-in sample. V8 compiles each
 * function on its first call, and the yaml package's first parse is many times slower than the next ones: run
 * while the config repository is being fetched, this moves that work off the critical path.
 */
export function warmUpEditing(): void {
  const file = 'warm-up.yaml';
  const sample = '# sample\nimage:\n  repository: ghcr.io/o/app\n  tag: "1.0"  # pinned\n  digest: \'\'\nresources: {limits: {cpu: 1}}\nenv:\n  - name: A\n    value: b\n';
  const key = (part: ImagePart): KeySpec => ({ raw: `image.${part}`, path: ['image', part], part });
  const target: Target = { kind: 'helm-values', keys: [key('repository'), key('tag'), key('digest')] };
  const digest = `sha256:${'0'.repeat(64)}`;
  const image: PromotedImage = { repository: 'ghcr.io/o/app', tag: '1.1', digest, reference: `ghcr.io/o/app:1.1@${digest}` };
  applyPlan(sample, file, planPromotion(sample, file, target, image, false), false, { target, sourceCommit: '0'.repeat(40) });
}
