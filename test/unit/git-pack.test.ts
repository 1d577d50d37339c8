// The pack and object formats of the in-process git client (actions/toolkit/git-pack.ts), checked against git
// itself: packs made by `git pack-objects` (whole objects, OFS_DELTA and REF_DELTA chains) read back object for
// object as `git cat-file` shows them; packs and trees written here accepted by `git index-pack` and `git fsck`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { PktReader, objectId, parseTree, pkt, readPack, writePack, writeTree } from '../../actions/toolkit/git-pack.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'git-pack-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
const env = { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@e', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@e' };
const git = (cwd: string, args: string[], input?: string | Buffer): Buffer => execFileSync('git', args, { cwd, env, input, maxBuffer: 64 << 20 });

/** A repository whose history is one file growing line by line: every version a good delta of the last. */
function history(): string {
  const dir = fs.mkdtempSync(path.join(work, 'repo-'));
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  let text = '';
  for (let i = 0; i < 30; i++) {
    text += `line ${i}: ${'lorem ipsum '.repeat(8)}\n`;
    fs.mkdirSync(path.join(dir, 'apps', `a${i % 3}`), { recursive: true });
    fs.writeFileSync(path.join(dir, 'apps', `a${i % 3}`, 'values.yaml'), text);
    git(dir, ['add', '.']);
    git(dir, ['commit', '--quiet', '-m', `c${i}`]);
  }
  return dir;
}

describe('git pack format', () => {
  const repo = history();
  const ids = git(repo, ['rev-list', '--objects', 'main']).toString().trim().split('\n').map((l) => l.split(' ')[0]);

  for (const [label, flags] of [['OFS_DELTA', ['--delta-base-offset']], ['REF_DELTA', []]] as const) {
    it(`reads every object of a git pack with ${label} chains as git cat-file shows it`, () => {
      const pack = git(repo, ['pack-objects', '--stdout', '--window=50', '--depth=50', ...flags], ids.join('\n') + '\n');
      const objects = readPack(pack);
      assert.equal(objects.size, ids.length);
      const deltas = git(repo, ['verify-pack', '-v', ...writeTemp(pack)]).toString().split('\n').filter((l) => /^[0-9a-f]{40} \w+\s+\d+ \d+ \d+ \d+ [0-9a-f]{40}$/.test(l));
      assert.ok(deltas.length > 10, `the pack holds deltas (${deltas.length})`);
      // git's answer for every object in one `cat-file --batch`: `<id> <type> <size>\n<content>\n` each.
      const batch = git(repo, ['cat-file', '--batch'], ids.join('\n') + '\n');
      let at = 0;
      for (const id of ids) {
        const nl = batch.indexOf(0x0a, at);
        const [gotId, type, size] = batch.subarray(at, nl).toString().split(' ');
        const content = batch.subarray(nl + 1, nl + 1 + Number(size));
        at = nl + 2 + Number(size);
        const o = objects.get(id);
        assert.ok(o, id);
        assert.equal(gotId, id);
        assert.equal(o.type, type);
        assert.ok(o.data.equals(content), id);
      }
    });
  }

  it('refuses a truncated pack instead of reading part of it', () => {
    const pack = git(repo, ['pack-objects', '--stdout'], ids.slice(0, 5).join('\n') + '\n');
    assert.throws(() => readPack(pack.subarray(0, pack.length - 30)), /checksum/);
  });

  it('writes a pack and trees git accepts (index-pack, fsck), in git’s tree order', () => {
    const bare = path.join(work, 'target.git');
    git(work, ['init', '--quiet', '--bare', bare]);
    const blob = { type: 'blob' as const, data: Buffer.from('digest: sha256:1\n') };
    const blobId = objectId('blob', blob.data);
    const sub = { type: 'tree' as const, data: writeTree([{ mode: '100644', name: 'values.yaml', id: blobId }]) };
    const subId = objectId('tree', sub.data);
    // "a.b" sorts before "a/" but after "a" as a file would: git compares a tree's name as "a/".
    const root = { type: 'tree' as const, data: writeTree([{ mode: '40000', name: 'a', id: subId }, { mode: '100644', name: 'a.b', id: blobId }, { mode: '100755', name: 'a-x', id: blobId }]) };
    const rootId = objectId('tree', root.data);
    assert.deepEqual(parseTree(root.data).map((e) => e.name), ['a-x', 'a.b', 'a']);
    const commit = { type: 'commit' as const, data: Buffer.from(`tree ${rootId}\nauthor a <a@e> 1 +0000\ncommitter a <a@e> 1 +0000\n\nmsg\n`) };
    const commitId = objectId('commit', commit.data);
    git(bare, ['index-pack', '--stdin', '--strict', '--fix-thin'], writePack([commit, root, sub, blob]));
    git(bare, ['update-ref', 'refs/heads/main', commitId]);
    assert.equal(git(bare, ['fsck', '--strict', '--no-dangling']).toString(), '');
    assert.equal(git(bare, ['show', 'main:a/values.yaml']).toString(), 'digest: sha256:1\n');
    assert.equal(git(bare, ['ls-tree', 'main']).toString(), `100644 blob ${blobId}\ta-x\n`.replace('100644', '100755') + `100644 blob ${blobId}\ta.b\n040000 tree ${subId}\ta\n`);
  });

  it('refuses what is not a pkt-line length (not four hex digits, or 3) instead of guessing', async () => {
    for (const bad of ['0x1f', '00g1', '0003']) {
      const r = new PktReader((async function* () {
        yield Buffer.from(`${bad}abcdefgh`);
      })());
      await assert.rejects(r.read(), /not a pkt-line/, bad);
    }
  });

  it('reads pkt-lines split anywhere across chunks, with flush and delim', async () => {
    const bytes = Buffer.concat([pkt('version 2\n'), pkt('agent=git/2\n'), Buffer.from('0001'), pkt(Buffer.from([1, 2, 3])), Buffer.from('0000')]);
    const chunks = Array.from(bytes).map((b) => Buffer.from([b]));
    const r = new PktReader((async function* () {
      yield* chunks;
    })());
    assert.deepEqual(await r.lines(), { lines: ['version 2', 'agent=git/2'], end: 'delim' });
    const p = await r.read();
    assert.ok(p?.kind === 'data' && p.data.equals(Buffer.from([1, 2, 3])));
    assert.equal((await r.read())?.kind, 'flush');
    assert.equal(await r.read(), undefined);
  });
});

/** verify-pack reads a pack file beside its index. */
function writeTemp(pack: Buffer): string[] {
  const dir = fs.mkdtempSync(path.join(work, 'pack-'));
  const file = path.join(dir, 'p.pack');
  fs.writeFileSync(file, pack);
  execFileSync('git', ['index-pack', file]);
  return [path.join(dir, 'p.idx')];
}
