// Edits a YAML file in place: the Document API locates each node, and only the bytes of the changed scalar
// (or the inserted/removed line) are touched, so comments, key order, quoting, blank lines and flow style
// elsewhere stay byte-for-byte. Every result is re-parsed and compared with the intended data.
import { isDeepStrictEqual } from 'node:util';
import YAML, { isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Document, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { PathSegment } from './key-path.js';
import { formatPath } from './key-path.js';

export type { PathSegment } from './key-path.js';
export { formatPath, parseKeyPath } from './key-path.js';

/** Set `path` to `value`; `undefined` removes the key. */
export interface Edit {
  path: PathSegment[];
  value: string | undefined;
  /** When the key is added: put it after the first of these sibling keys that exists (else at the end). */
  after?: string[];
}

/** A new item appended to a sequence (e.g. a kustomization `images:` entry), fields in order. */
export interface Append {
  path: PathSegment[];
  item: Array<[string, string]>;
}

export class YamlEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlEditError';
  }
}

export function parseDocument(source: string, file: string): Document.Parsed {
  const doc = YAML.parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) throw new YamlEditError(`${file} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  return doc;
}

/** The scalar at `path` as a string: undefined when the path is missing, '' for null. */
export function readScalar(doc: Document, path: readonly PathSegment[]): { exists: boolean; value: string | undefined } {
  if (!doc.hasIn(path) && !hasNullIn(doc, path)) return { exists: false, value: undefined };
  const node = doc.getIn(path, true) as Node | null | undefined;
  if (node === undefined) return { exists: false, value: undefined };
  if (node === null) return { exists: true, value: '' };
  if (!isScalar(node)) throw new YamlEditError(`${formatPath(path)} is a ${isMap(node) ? 'map' : isSeq(node) ? 'list' : 'node'}, not a single value`);
  return { exists: true, value: node.value === null ? '' : String(node.value) };
}

function hasNullIn(doc: Document, path: readonly PathSegment[]): boolean {
  // hasIn is false for `key:` with no value; the pair is there though.
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  return isMap(parent) && parent.items.some((p) => keyOf(p) === path[path.length - 1]);
}

function keyOf(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

/** Renders `value` as a scalar in the style of the one it replaces (plain stays plain when it round-trips). */
export function renderScalar(value: string, type: Scalar.Type | undefined): string {
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  return plainRoundTrips(value) ? value : JSON.stringify(value);
}

function plainRoundTrips(value: string): boolean {
  if (value === '' || /^\s|\s$|[\n\r\t]/.test(value)) return false;
  try {
    const doc = YAML.parseDocument(`k: ${value}\n`);
    return doc.errors.length === 0 && doc.get('k') === value;
  } catch {
    return false;
  }
}

function lineStart(src: string, pos: number): number {
  return src.lastIndexOf('\n', pos - 1) + 1;
}

function lineEnd(src: string, pos: number): number {
  if (pos > 0 && src[pos - 1] === '\n') return pos;
  const nl = src.indexOf('\n', pos);
  return nl < 0 ? src.length : nl + 1;
}

function blockMap(node: unknown): node is YAMLMap {
  return isMap(node) && !node.flow;
}

/** Applies one edit to the source text; returns undefined when it cannot be done in place. */
function spliceEdit(src: string, doc: Document, edit: Edit, create: boolean): string | undefined {
  const { path, value } = edit;
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
  const pair = isMap(parent) ? parent.items.find((p) => keyOf(p) === key) : undefined;
  const seqItem = isSeq(parent) && typeof key === 'number' ? (parent.items[key] as unknown) : undefined;

  if (value === undefined) {
    if (!pair) return src; // nothing to remove
    if (!blockMap(parent) || !isScalar(pair.key) || !pair.key.range) return undefined;
    const start = lineStart(src, pair.key.range[0]);
    if (src.slice(start, pair.key.range[0]).trim() !== '') return undefined; // `- key:` first in a list item
    const valueNode = pair.value as Node | null;
    const valueEnd = valueNode?.range ? valueNode.range[1] : pair.key.range[1];
    if (src.slice(pair.key.range[0], valueEnd).includes('\n')) return undefined; // only single-line pairs
    return src.slice(0, start) + src.slice(lineEnd(src, valueEnd));
  }

  const existing = pair ? (pair.value as Node | null) : seqItem;
  if (pair || seqItem !== undefined) {
    if (existing === null || existing === undefined) {
      // `key:` with nothing after the colon: put the value right after it.
      if (!pair || !isScalar(pair.key) || !pair.key.range) return undefined;
      const colon = src.indexOf(':', pair.key.range[1]);
      if (colon < 0) return undefined;
      const rest = src.slice(colon + 1);
      const ws = /^[ \t]*/.exec(rest)?.[0] ?? '';
      const next = rest[ws.length];
      const text = renderScalar(value, undefined);
      const insertAt = colon + 1 + ws.length;
      return src.slice(0, colon + 1) + ' ' + text + (next === '#' ? ' ' : '') + src.slice(insertAt);
    }
    if (!isScalar(existing)) throw new YamlEditError(`${formatPath(path)} is a ${isMap(existing) ? 'map' : isSeq(existing) ? 'list' : 'node'}, not a single value`);
    if (!existing.range) return undefined;
    if (existing.type === Scalar.BLOCK_LITERAL || existing.type === Scalar.BLOCK_FOLDED || existing.tag) return undefined;
    const [start, end] = existing.range;
    if (start === end) {
      // An empty null scalar located just before a comment or a newline.
      const before = src[start - 1] === ':' ? ' ' : '';
      const after = src[start] === '#' ? ' ' : '';
      return src.slice(0, start) + before + renderScalar(value, undefined) + after + src.slice(end);
    }
    return src.slice(0, start) + renderScalar(value, existing.type) + src.slice(end);
  }

  // Missing: find the deepest existing ancestor.
  if (!create) {
    throw new YamlEditError(`${formatPath(path)} does not exist (set create-missing to add it)`);
  }
  let depth = path.length - 1;
  while (depth > 0 && !doc.hasIn(path.slice(0, depth))) depth--;
  const ancestor = depth ? doc.getIn(path.slice(0, depth), true) : doc.contents;
  const missing = path.slice(depth);
  if (missing.some((s) => typeof s === 'number')) throw new YamlEditError(`${formatPath(path)} cannot be created: list items are never added by key path`);
  if (ancestor !== null && ancestor !== undefined && !isMap(ancestor)) {
    if (isScalar(ancestor) && (ancestor.value === null)) return undefined;
    throw new YamlEditError(`${formatPath(path)} cannot be created: ${formatPath(path.slice(0, depth)) || 'the document'} is not a map`);
  }
  if (ancestor !== null && ancestor !== undefined && !blockMap(ancestor)) return undefined;
  let indent = '';
  let insertAt = src.length;
  if (ancestor && ancestor.items.length) {
    const first = ancestor.items[0];
    const last = ancestor.items[ancestor.items.length - 1];
    if (!isScalar(first.key) || !first.key.range || !ancestor.range) return undefined;
    indent = ' '.repeat(first.key.range[0] - lineStart(src, first.key.range[0]));
    const anchor = depth === path.length - 1 ? edit.after?.map((k) => ancestor.items.find((p) => keyOf(p) === k)).find((p) => p !== undefined) : undefined;
    const after = anchor ?? last;
    const afterKey: unknown = after.key;
    const lastValue = after.value as Node | null;
    const lastEnd = lastValue?.range?.[2] ?? (isScalar(afterKey) ? afterKey.range?.[2] : undefined);
    if (lastEnd === undefined) return undefined;
    insertAt = lineEnd(src, lastEnd);
  } else if (depth > 0) {
    return undefined;
  }
  const lines = missing.map((seg, i) => `${indent}${'  '.repeat(i)}${renderKey(String(seg))}:${i === missing.length - 1 ? ` ${renderScalar(value, undefined)}` : ''}`);
  const prefix = insertAt > 0 && src[insertAt - 1] !== '\n' ? '\n' : '';
  return src.slice(0, insertAt) + prefix + lines.join('\n') + '\n' + src.slice(insertAt);
}

function renderKey(key: string): string {
  return plainRoundTrips(key) && !key.includes(':') ? key : JSON.stringify(key);
}

/** Appends a block-style item to the sequence at `path` (created when missing, in the root map). */
function spliceAppend(src: string, doc: Document, append: Append): string | undefined {
  const seq = doc.getIn(append.path, true) as Node | null | undefined;
  const render = (ind: string): string =>
    append.item.map(([k, v], i) => `${ind}${i === 0 ? '- ' : '  '}${renderKey(k)}: ${renderScalar(v, undefined)}`).join('\n') + '\n';
  if (seq === undefined) {
    if (append.path.length !== 1 || (doc.contents !== null && !blockMap(doc.contents))) return undefined;
    const prefix = src.length && !src.endsWith('\n') ? '\n' : '';
    return src + prefix + `${renderKey(String(append.path[0]))}:\n` + render('  ');
  }
  if (!isSeq(seq) || seq.flow || !seq.range) return undefined;
  const items = seq.items as Array<Node | null>;
  if (!items.length) return undefined;
  const indent = ' '.repeat(seq.range[0] - lineStart(src, seq.range[0]));
  const lastEnd = (items[items.length - 1] as Node | null)?.range?.[2];
  if (lastEnd === undefined) return undefined;
  const insertAt = lineEnd(src, lastEnd);
  const prefix = insertAt > 0 && src[insertAt - 1] !== '\n' ? '\n' : '';
  return src.slice(0, insertAt) + prefix + render(indent) + src.slice(insertAt);
}

export interface EditResult {
  text: string;
  /** False when an edit could not be made in place and the file was re-serialised by the yaml package. */
  inPlace: boolean;
  /** `text` parsed (the check's own parse), for a caller that reads it next. */
  doc?: Document.Parsed;
}

/**
 * Applies the edits (then the appends) to `source`. Throws YamlEditError for a missing path without
 * `create`, or a path that points at a map or list.
 */
export function editYaml(source: string, edits: readonly Edit[], appends: readonly Append[], { create, file }: { create: boolean; file: string }): EditResult {
  // One parse of the source serves the first edit and (cloned) the intended data; each later step parses the text it edits.
  let parsed: Document.Parsed | undefined = parseDocument(source, file);
  const expected = parsed.clone();
  const current = (text: string): Document.Parsed => {
    const doc = parsed ?? parseDocument(text, file);
    parsed = undefined;
    return doc;
  };
  let text = source;
  let inPlace = true;
  for (const edit of edits) {
    const doc = current(text);
    const next = spliceEdit(text, doc, edit, create);
    if (next !== undefined) {
      text = next;
    } else {
      inPlace = false;
      if (edit.value === undefined) doc.deleteIn(edit.path);
      else doc.setIn(edit.path, edit.value);
      text = doc.toString();
    }
    if (edit.value === undefined) expected.deleteIn(edit.path);
    else setExpected(expected, edit.path, edit.value);
  }
  for (const append of appends) {
    const doc = current(text);
    const next = spliceAppend(text, doc, append);
    const item = Object.fromEntries(append.item);
    if (next !== undefined) {
      text = next;
    } else {
      inPlace = false;
      addToSeq(doc, append.path, item);
      text = doc.toString();
    }
    addToSeq(expected, append.path, item);
  }
  const doc = parseDocument(text, file);
  if (!isDeepStrictEqual(doc.toJS(), expected.toJS())) {
    throw new YamlEditError(`editing ${file} in place gave a different result than intended; the file was left unchanged`);
  }
  return { text, inPlace, doc };
}

function setExpected(doc: Document, path: PathSegment[], value: string): void {
  doc.setIn(path, value);
}

function addToSeq(doc: Document, path: PathSegment[], item: Record<string, string>): void {
  const seq = doc.getIn(path, true) as YAMLSeq | undefined | null;
  if (isSeq(seq)) seq.add(doc.createNode(item));
  else doc.setIn(path, doc.createNode([item]));
}

/** The end-of-line comment that records which application commit a promoted value came from. */
const MARKER = /(\s*)#\s*source-commit:\s*([0-9a-f]{7,64})\b/;

/** The rest of the line after the single-line scalar at `path` (start offset and text); undefined when there is none. */
function lineAfterScalar(text: string, doc: Document, path: readonly PathSegment[]): { at: number; rest: string } | undefined {
  const node = doc.getIn(path, true) as Node | null | undefined;
  if (!isScalar(node) || !node.range) return undefined;
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) return undefined;
  const end = node.range[1];
  if (text.slice(node.range[0], end).includes('\n')) return undefined;
  const nl = text.indexOf('\n', end);
  const stop = nl < 0 ? text.length : nl;
  return { at: end, rest: text.slice(end, stop) };
}

/** The source commit recorded next to the value at `path` (`# source-commit: <sha>`), if any. */
export function readSourceMarker(text: string, doc: Document, path: readonly PathSegment[]): string | undefined {
  const line = lineAfterScalar(text, doc, path);
  const m = line ? MARKER.exec(line.rest) : null;
  return m ? m[2] : undefined;
}

/**
 * Writes `# source-commit: <sha>` at the end of the line of the value at `path` (replacing the one there),
 * or removes it (`sha` undefined). Other comments on the line are kept. Returns the text unchanged when the
 * value is not a single-line scalar (nothing is recorded then). `parsed`: `text` already parsed (not modified).
 */
export function writeSourceMarker(text: string, file: string, path: readonly PathSegment[], sha: string | undefined, parsed?: Document.Parsed): string {
  const doc = parsed ?? parseDocument(text, file);
  const line = lineAfterScalar(text, doc, path);
  if (!line) return text;
  const { at, rest } = line;
  let next: string;
  if (MARKER.test(rest)) {
    next = sha ? rest.replace(MARKER, (_m, ws: string) => `${ws}# source-commit: ${sha}`) : rest.replace(MARKER, '');
  } else if (!sha) {
    return text;
  } else {
    const trimmed = rest.replace(/\s+$/, '');
    next = `${trimmed}${trimmed.includes('#') ? ' ' : '  '}# source-commit: ${sha}`;
  }
  const out = text.slice(0, at) + next + text.slice(at + rest.length);
  if (!isDeepStrictEqual(parseDocument(out, file).toJS(), doc.toJS())) {
    throw new YamlEditError(`recording the source commit in ${file} would change its data; the file was left unchanged`);
  }
  return out;
}
