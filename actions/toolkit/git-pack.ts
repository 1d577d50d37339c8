// Git's object and pack formats, for the in-process client (git-wire.ts): pkt-lines, reading a packfile
// (OFS/REF deltas included) into objects by id, writing the few new objects of a commit as a pack, and trees
// and commits. SHA-1 repositories only (what `git upload-pack` advertises as object-format=sha1, git's default).
// Written by hand: the in-process git library (isomorphic-git) has no partial clone (`filter`), which the
// promotion's one round trip needs (isomorphic-git/isomorphic-git#1123).
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';
export interface GitObject {
  type: ObjectType;
  data: Buffer;
}

export const TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const CODES: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

export function objectId(type: ObjectType, data: Buffer): string {
  return createHash('sha1').update(`${type} ${data.length}\0`).update(data).digest('hex');
}

// ---- pkt-line (gitprotocol-common) ----

export const FLUSH = Buffer.from('0000');
export const DELIM = Buffer.from('0001');

export function pkt(data: string | Buffer): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  if (body.length > 65516) throw new Error('pkt-line too long');
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body]);
}

export type Pkt = { kind: 'data'; data: Buffer } | { kind: 'flush' } | { kind: 'delim' } | { kind: 'end' };

/** Reads pkt-lines from a byte stream as it arrives (a child's stdout, an HTTP body). */
export class PktReader {
  private buf = Buffer.alloc(0);
  private ended = false;
  private waiting?: () => void;
  private error?: Error;

  constructor(source: AsyncIterable<Uint8Array>) {
    const iterator = source[Symbol.asyncIterator]();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await iterator.next();
          if (done) break;
          this.buf = this.buf.length ? Buffer.concat([this.buf, value]) : Buffer.from(value);
          this.waiting?.();
        }
      } catch (err) {
        this.error = err instanceof Error ? err : new Error(String(err));
      }
      this.ended = true;
      this.waiting?.();
    })();
  }


  private async need(n: number): Promise<boolean> {
    while (this.buf.length < n) {
      if (this.error) throw this.error;
      if (this.ended) return false;
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = undefined;
    }
    return true;
  }

  private readonly back: Pkt[] = [];

  /** Puts a pkt-line read back: the next read returns it. */
  unread(p: Pkt): void {
    this.back.push(p);
  }

  /** The next pkt-line, or undefined at the end of the stream. */
  async read(): Promise<Pkt | undefined> {
    const back = this.back.pop();
    if (back) return back;
    if (!(await this.need(4))) {
      if (this.buf.length) throw new Error('the stream ended inside a pkt-line length');
      return undefined;
    }
    const len = pktLength(this.buf, 0);
    if (len < 4) {
      this.buf = this.buf.subarray(4);
      return { kind: len === 0 ? 'flush' : len === 1 ? 'delim' : 'end' };
    }
    if (!(await this.need(len))) throw new Error('the stream ended inside a pkt-line');
    const data = this.buf.subarray(4, len);
    this.buf = this.buf.subarray(len);
    return { kind: 'data', data };
  }

  /** Data lines (trailing newline removed) up to the next flush or delim, which is returned too. */
  async lines(): Promise<{ lines: string[]; end: Pkt['kind'] | undefined }> {
    const lines: string[] = [];
    for (;;) {
      const p = await this.read();
      if (!p || p.kind !== 'data') return { lines, end: p?.kind };
      lines.push(p.data.toString().replace(/\n$/, ''));
    }
  }
}

/** A pkt-line's length: four hex digits; 0, 1 and 2 are flush, delim and response-end, 3 is invalid. */
function pktLength(buf: Buffer, at: number): number {
  const hex = buf.subarray(at, at + 4).toString('latin1');
  if (!/^[0-9a-f]{4}$/i.test(hex)) throw new Error(`not a pkt-line: ${JSON.stringify(buf.subarray(at, at + 16).toString('latin1'))}`);
  const len = parseInt(hex, 16);
  if (len === 3) throw new Error('not a pkt-line: length 3');
  return len;
}

/** The pkt-lines complete in `buf` up to and including the first flush, or undefined when that flush has not come yet. */
export function linesToFlush(buf: Buffer): string[] | undefined {
  const lines: string[] = [];
  let at = 0;
  while (at + 4 <= buf.length) {
    const len = pktLength(buf, at);
    if (len === 0) return lines;
    if (len < 4) {
      at += 4;
      continue;
    }
    if (at + len > buf.length) return undefined;
    lines.push(buf.subarray(at + 4, at + len).toString().replace(/\n$/, ''));
    at += len;
  }
  return undefined;
}

/** What the server itself answered as an error (side-band 3, an `ERR` packet): its words, not a broken stream. */
export class RemoteError extends Error {}

/**
 * One side-band packet (gitprotocol-pack): band 1 is data, band 2 progress or hook output (its text); band 3, an
 * `ERR` packet or a band git never sends is the server's error, thrown.
 */
export function sideBand(data: Buffer): { band: 1; data: Buffer } | { band: 2; text: string } {
  const band = data[0];
  if (band === 1) return { band, data: data.subarray(1) };
  if (band === 2) return { band, text: data.subarray(1).toString() };
  if (band === 3) throw new RemoteError(`remote: ${data.subarray(1).toString().trim()}`);
  throw new RemoteError(data.subarray(0, 4).toString() === 'ERR ' ? data.subarray(4).toString().trim() : `side-band ${band} is not one git sends`);
}

// ---- packs (gitformat-pack) ----

export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = delta[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  const baseSize = varint();
  if (baseSize !== base.length) throw new Error(`delta base is ${base.length} bytes, the delta expects ${baseSize}`);
  const out = Buffer.alloc(varint());
  let o = 0;
  while (at < delta.length) {
    const op = delta[at++];
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += delta[at++] * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += delta[at++] * 2 ** (8 * i);
      if (size === 0) size = 0x10000;
      if (offset + size > base.length || o + size > out.length) throw new Error('a delta copies outside its base or result');
      base.copy(out, o, offset, offset + size);
      o += size;
    } else if (op) {
      if (at + op > delta.length || o + op > out.length) throw new Error('a delta inserts outside its result');
      delta.copy(out, o, at, at + op);
      o += op;
      at += op;
    } else {
      throw new Error('delta opcode 0 is reserved');
    }
  }
  if (o !== out.length) throw new Error('delta result has the wrong size');
  return out;
}

/**
 * A pack entry's header at `at` (gitformat-pack): its type code, inflated size, and for a delta its base, as the
 * distance back to the base's entry (OFS_DELTA) or the base's id (REF_DELTA); `dataAt` is where its zlib data starts.
 */
export function entryHeader(pack: Buffer, at: number): { code: number; size: number; base?: number | string; dataAt: number } {
  let byte = pack[at++];
  const code = (byte >> 4) & 7;
  let size = byte & 15;
  let shift = 4;
  while (byte & 0x80) {
    byte = pack[at++];
    size += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  }
  let base: number | string | undefined;
  if (code === 6) {
    byte = pack[at++];
    let rel = byte & 0x7f;
    while (byte & 0x80) {
      byte = pack[at++];
      rel = (rel + 1) * 128 + (byte & 0x7f);
    }
    base = rel;
  } else if (code === 7) {
    base = pack.subarray(at, at + 20).toString('hex');
    at += 20;
  } else if (!TYPES[code]) {
    throw new Error(`unknown object type ${code} in the pack`);
  }
  if (at > pack.length) throw new Error('a pack entry is cut off');
  return { code, size, base, dataAt: at };
}

/**
 * Every object of a pack, by id. `known` resolves REF_DELTA bases the pack does not hold (a thin pack is never
 * asked for, so normally none). The trailing checksum is verified.
 */
export function readPack(pack: Buffer, known: ReadonlyMap<string, GitObject> = new Map()): Map<string, GitObject> {
  if (pack.length < 32 || pack.subarray(0, 4).toString() !== 'PACK') throw new Error('not a packfile');
  const version = pack.readUInt32BE(4);
  if (version !== 2 && version !== 3) throw new Error(`pack version ${version} is not supported`);
  const count = pack.readUInt32BE(8);
  const sum = createHash('sha1').update(pack.subarray(0, pack.length - 20)).digest();
  if (!sum.equals(pack.subarray(pack.length - 20))) throw new Error('the pack checksum does not match (truncated or corrupt)');
  const byOffset = new Map<number, GitObject>();
  const byId = new Map<string, GitObject>();
  const pending: Array<{ offset: number; base: number | string; delta: Buffer }> = [];
  let at = 12;
  for (let i = 0; i < count; i++) {
    const start = at;
    const { code, size, base: rel, dataAt } = entryHeader(pack, at);
    at = dataAt;
    const base = typeof rel === 'number' ? start - rel : rel;
    const inflated = zlib.inflateSync(pack.subarray(at), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    at += inflated.engine.bytesWritten;
    if (inflated.buffer.length !== size) throw new Error('a pack object inflates to the wrong size');
    if (base === undefined) {
      const obj = { type: TYPES[code], data: inflated.buffer };
      byOffset.set(start, obj);
      byId.set(objectId(obj.type, obj.data), obj);
    } else {
      pending.push({ offset: start, base, delta: inflated.buffer });
    }
  }
  if (at !== pack.length - 20) throw new Error('the pack has data after its last object');
  // Deltas may build on deltas: resolve until nothing moves.
  let left = pending;
  while (left.length) {
    const next: typeof pending = [];
    for (const p of left) {
      const base = typeof p.base === 'number' ? byOffset.get(p.base) : (byId.get(p.base) ?? known.get(p.base));
      if (!base) {
        next.push(p);
        continue;
      }
      const obj = { type: base.type, data: applyDelta(base.data, p.delta) };
      byOffset.set(p.offset, obj);
      byId.set(objectId(obj.type, obj.data), obj);
    }
    if (next.length === left.length) throw new Error(`${next.length} delta(s) in the pack have no base`);
    left = next;
  }
  return byId;
}

/** A pack of whole objects (no deltas): what a push of one commit sends. */
export function writePack(objects: readonly GitObject[]): Buffer {
  const header = Buffer.alloc(12);
  header.write('PACK', 0);
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(objects.length, 8);
  const parts: Buffer[] = [header];
  for (const o of objects) {
    const bytes: number[] = [];
    let size = o.data.length;
    let byte = (CODES[o.type] << 4) | (size & 15);
    size = Math.floor(size / 16);
    while (size > 0) {
      bytes.push(byte | 0x80);
      byte = size & 0x7f;
      size = Math.floor(size / 128);
    }
    bytes.push(byte);
    parts.push(Buffer.from(bytes), zlib.deflateSync(o.data, { level: 1 }));
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}

// ---- trees and commits (gitformat-objects) ----

export interface TreeEntry {
  mode: string;
  /** The name's bytes as a latin1 string (git names need not be UTF-8; they go back byte for byte). */
  name: string;
  id: string;
}

/** A path segment as a TreeEntry name (its UTF-8 bytes). */
export const entryName = (segment: string): string => Buffer.from(segment, 'utf8').toString('latin1');

export function parseTree(data: Buffer): TreeEntry[] {
  const out: TreeEntry[] = [];
  let at = 0;
  while (at < data.length) {
    const sp = data.indexOf(0x20, at);
    const nul = data.indexOf(0, sp);
    if (sp < 0 || nul < 0 || nul + 21 > data.length) throw new Error('a tree object is malformed');
    out.push({ mode: data.subarray(at, sp).toString('latin1'), name: data.subarray(sp + 1, nul).toString('latin1'), id: data.subarray(nul + 1, nul + 21).toString('hex') });
    at = nul + 21;
  }
  return out;
}

/** Git's order: by name as bytes, a tree's name compared as if it ended in '/'. */
export function writeTree(entries: readonly TreeEntry[]): Buffer {
  const key = (e: TreeEntry): Buffer => Buffer.from(e.mode === '40000' ? `${e.name}/` : e.name, 'latin1');
  const sorted = [...entries].sort((a, b) => Buffer.compare(key(a), key(b)));
  return Buffer.concat(sorted.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`, 'latin1'), Buffer.from(e.id, 'hex')]));
}

/** The root tree of a commit object. */
export function commitTree(data: Buffer): string {
  const m = /^tree ([0-9a-f]{40})\n/.exec(data.subarray(0, 46).toString());
  if (!m) throw new Error('a commit object has no tree line');
  return m[1];
}
