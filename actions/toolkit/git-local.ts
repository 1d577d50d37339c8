// A local repository's objects read from its object store, for a file:// remote: loose objects and packs through
// their .idx (version 2) files (gitformat-pack, gitformat-loose). This is how git's own local clone reads a
// repository on the same machine (`git clone /path`): no upload-pack or pack-objects process, and only the
// objects a promotion reads. The refs are still read from receive-pack, and the push still goes through it
// (hooks, locks, compare-and-swap): objects are immutable, so reading them directly changes nothing else.
// A plain layout only: a repository with extensions (SHA-256, reftable), alternates or a gitfile is not opened
// here, and an object not found or unreadable here (a partial clone's missing ones too) is fetched through
// upload-pack.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { GitObject, ObjectType } from './git-pack.js';
import { TYPES, applyDelta, entryHeader, objectId } from './git-pack.js';

const IDX_MAGIC = 0xff744f63;
const FANOUT = 8;
const NAMES = FANOUT + 256 * 4;
/** Git refuses deeper delta chains (pack.depth is at most 4095). */
const MAX_CHAIN = 4096;
/** An entry's first read: its header and, for most commits, trees and small files, all of its data. */
const FIRST_READ = 8192;

/** One pack and its .idx (version 2): object ids sorted, with their offsets into the pack. */
class Pack {
  private readonly count: number;

  constructor(
    readonly file: string,
    private readonly idx: Buffer,
  ) {
    if (idx.length < NAMES || idx.readUInt32BE(0) !== IDX_MAGIC || idx.readUInt32BE(4) !== 2) throw new Error(`${file}: not a version 2 pack index`);
    this.count = idx.readUInt32BE(FANOUT + 255 * 4);
    if (idx.length < NAMES + this.count * 28 + 40) throw new Error(`${file}: the pack index is cut off`);
  }

  /** The offset of `id` in the pack, if the pack holds it. */
  offset(id: Buffer): number | undefined {
    let lo = id[0] ? this.idx.readUInt32BE(FANOUT + (id[0] - 1) * 4) : 0;
    let hi = this.idx.readUInt32BE(FANOUT + id[0] * 4);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = id.compare(this.idx, NAMES + mid * 20, NAMES + mid * 20 + 20);
      if (c === 0) {
        const small = NAMES + this.count * 24;
        const value = this.idx.readUInt32BE(small + mid * 4);
        return value & 0x80000000 ? Number(this.idx.readBigUInt64BE(small + this.count * 4 + (value & 0x7fffffff) * 8)) : value;
      }
      if (c < 0) hi = mid;
      else lo = mid + 1;
    }
    return undefined;
  }

  /** Up to `length` bytes of the pack from `at`. */
  read(at: number, length: number): Buffer {
    const fd = fs.openSync(this.file, 'r');
    try {
      const buf = Buffer.alloc(length);
      return buf.subarray(0, fs.readSync(fd, buf, 0, length, at));
    } finally {
      fs.closeSync(fd);
    }
  }
}

export class LocalObjects {
  private packs = new Map<string, Pack>();
  private listed = false;

  /** The objects folder: loose objects under it, packs in its pack/ folder. */
  private readonly dir: string;

  private constructor(readonly gitDir: string) {
    this.dir = path.join(gitDir, 'objects');
  }

  /** The object store of the repository at `dir` (bare, or a work tree's .git), or undefined if it is not a plain one. */
  static open(dir: string): LocalObjects | undefined {
    // Variables that move where git looks for objects: git's answer is not this store's.
    if (['GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_DIR'].some((v) => process.env[v])) return undefined;
    for (const gitDir of [dir, path.join(dir, '.git')]) {
      if (!fs.statSync(path.join(gitDir, 'objects'), { throwIfNoEntry: false })?.isDirectory() || !fs.existsSync(path.join(gitDir, 'HEAD'))) continue;
      try {
        const config = fs.readFileSync(path.join(gitDir, 'config'), 'utf8');
        if (/^\s*\[\s*extensions\b/im.test(config)) return undefined;
        if (fs.existsSync(path.join(gitDir, 'objects', 'info', 'alternates'))) return undefined;
        return new LocalObjects(gitDir);
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  /** The object `id`, checked against its id; undefined when the store does not hold it or it cannot be read. */
  read(id: string): GitObject | undefined {
    const once = (): GitObject | undefined => {
      const o = this.loose(id) ?? this.packed(id);
      return o && objectId(o.type, o.data) === id ? o : undefined;
    };
    try {
      return once();
    } catch {
      // A pack removed under us (gc --auto after a push repacks): the packs are listed afresh, once.
      this.packs.clear();
      this.listed = false;
      try {
        return once();
      } catch {
        // Unreadable (a corrupt file): upload-pack is asked instead.
        return undefined;
      }
    }
  }

  private loose(id: string): GitObject | undefined {
    let raw: Buffer;
    try {
      raw = fs.readFileSync(path.join(this.dir, id.slice(0, 2), id.slice(2)));
    } catch {
      return undefined;
    }
    const body = zlib.inflateSync(raw);
    const nul = body.indexOf(0);
    const m = /^(commit|tree|blob|tag) (\d+)$/.exec(body.subarray(0, nul < 0 ? 0 : nul).toString('latin1'));
    if (!m || Number(m[2]) !== body.length - nul - 1) throw new Error(`loose object ${id} is malformed`);
    return { type: m[1] as ObjectType, data: body.subarray(nul + 1) };
  }

  private packed(id: string): GitObject | undefined {
    const key = Buffer.from(id, 'hex');
    const find = (): GitObject | undefined => {
      for (const pack of this.packs.values()) {
        const at = pack.offset(key);
        if (at !== undefined) return this.entry(pack, at, 0);
      }
      return undefined;
    };
    if (!this.listed) this.list();
    // Not found: a pack written since the listing (a push in between) may hold it.
    return find() ?? (this.list() ? find() : undefined);
  }

  /** Adds the packs not seen yet; true if there were any. */
  private list(): boolean {
    this.listed = true;
    const dir = path.join(this.dir, 'pack');
    let added = false;
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return false;
    }
    for (const name of names) {
      const m = /^(pack-[0-9a-f]{40})\.idx$/.exec(name);
      if (!m || this.packs.has(m[1]) || !names.includes(`${m[1]}.pack`)) continue;
      this.packs.set(m[1], new Pack(path.join(dir, `${m[1]}.pack`), fs.readFileSync(path.join(dir, name))));
      added = true;
    }
    return added;
  }

  /** The object whose entry is at `at` in `pack`, its delta chain applied. */
  private entry(pack: Pack, at: number, depth: number): GitObject {
    if (depth > MAX_CHAIN) throw new Error(`${pack.file}: a delta chain longer than ${MAX_CHAIN}`);
    // One read for the header and the data of most entries; zlib's data is at most a little over its result.
    let buf = pack.read(at, FIRST_READ);
    const { code, size, base, dataAt } = entryHeader(buf, 0);
    const bound = dataAt + size + (size >> 6) + 64;
    if (buf.length === FIRST_READ && bound > FIRST_READ) buf = pack.read(at, bound);
    let data: Buffer;
    try {
      data = zlib.inflateSync(buf.subarray(dataAt));
    } catch {
      // Compressed past the bound (never from git's zlib): read on to the end of the pack.
      data = zlib.inflateSync(pack.read(at + dataAt, fs.statSync(pack.file).size - at - dataAt));
    }
    if (data.length !== size) throw new Error(`${pack.file}: an object inflates to ${data.length} bytes, its entry says ${size}`);
    if (base === undefined) return { type: TYPES[code], data };
    const from = typeof base === 'number' ? this.entry(pack, at - base, depth + 1) : this.read(base);
    if (!from) throw new Error(`${pack.file}: the delta base ${String(base)} is not here`);
    return { type: from.type, data: applyDelta(from.data, data) };
  }
}

/** The parents of a commit object: the `parent` lines right after its `tree` line, the only ones git reads. */
function parents(data: Buffer): string[] {
  const m = /^tree [0-9a-f]{40}\n((?:parent [0-9a-f]{40}\n)*)/.exec(data.toString('latin1'));
  return m ? [...m[1].matchAll(/^parent ([0-9a-f]{40})$/gm)].map((p) => p[1]) : [];
}

/** Replace refs (loose or packed) or grafts, in the repository or named by git's variables: git's parents may not be the stored ones. */
function parentsReplaced(gitDir: string): boolean {
  if (process.env.GIT_REPLACE_REF_BASE || process.env.GIT_GRAFT_FILE || fs.existsSync(path.join(gitDir, 'info', 'grafts'))) return true;
  try {
    if (fs.readdirSync(path.join(gitDir, 'refs', 'replace'), { recursive: true, withFileTypes: true }).some((e) => e.isFile())) return true;
  } catch {
    // no refs/replace folder
  }
  try {
    return fs.readFileSync(path.join(gitDir, 'packed-refs'), 'latin1').includes(' refs/replace/');
  } catch {
    return false;
  }
}

/**
 * Which of two commits is the other's ancestor, read in the work tree's own store: `newer` when `live` is an
 * ancestor of `next`, `older` when `next` is one of `live`'s. Both histories are walked at once, at most `limit`
 * commits each, so a nearby answer is found at once. Undefined is "not found here" (farther apart, a commit
 * this store lacks, diverged histories, replace refs or grafts that change parents): `git rev-list` decides then.
 */
export function nearAncestry(dir: string, live: string, next: string, limit = 500): 'newer' | 'older' | undefined {
  const store = LocalObjects.open(dir);
  if (!store || !/^[0-9a-f]{40}$/.test(live) || !/^[0-9a-f]{40}$/.test(next) || parentsReplaced(store.gitDir)) return undefined;
  const walks = [
    { from: next, target: live, answer: 'newer' as const },
    { from: live, target: next, answer: 'older' as const },
  ].map((w) => ({ ...w, queue: [w.from], seen: new Set([w.from]), steps: 0 }));
  while (walks.some((w) => w.queue.length && w.steps < limit)) {
    for (const w of walks) {
      const id = w.steps < limit ? w.queue.shift() : undefined;
      if (!id) continue;
      w.steps++;
      const commit = store.read(id);
      if (commit?.type !== 'commit') continue;
      for (const p of parents(commit.data)) {
        if (p === w.target) return w.answer;
        if (!w.seen.has(p)) {
          w.seen.add(p);
          w.queue.push(p);
        }
      }
    }
  }
  return undefined;
}
