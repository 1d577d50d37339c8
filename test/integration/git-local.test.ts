// A file:// remote's objects read in place (actions/toolkit/git-local.ts), checked against git itself: loose
// objects and packs (OFS_DELTA and REF_DELTA chains, an index with 64-bit offsets) read object for object as
// `git cat-file` shows them; layouts it does not read (SHA-256, alternates, an old index) are left to upload-pack;
// and the near-ancestry walk that answers newest-wins without a git process agrees with `git merge-base`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalObjects, nearAncestry } from '../../actions/toolkit/git-local.js';
import { WireGit } from '../../actions/toolkit/git-wire.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'git-local-'));
after(() => fs.rmSync(work, { recursive: true, force: true }));
const env = { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@e', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@e' };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });

/** A work tree whose history is files growing line by line (every version a good delta of the last), pushed to a bare repository. */
function history(commits = 30): { dir: string; bare: string } {
  const dir = fs.mkdtempSync(path.join(work, 'repo-'));
  git(dir, 'init', '--quiet', '--initial-branch=main');
  let text = '';
  for (let i = 0; i < commits; i++) {
    text += `line ${i}: ${'lorem ipsum '.repeat(8)}\n`;
    fs.mkdirSync(path.join(dir, 'apps', `a${i % 3}`), { recursive: true });
    fs.writeFileSync(path.join(dir, 'apps', `a${i % 3}`, 'values.yaml'), text);
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '-m', `c${i}`);
  }
  const bare = `${dir}.git`;
  git(work, 'clone', '--quiet', '--bare', '--no-local', dir, bare);
  return { dir, bare };
}

/** Every object of `repo` read through the store equals `git cat-file`'s answer (type and bytes), all read by one `git cat-file --batch`. */
function assertReadsAll(repo: string, store: LocalObjects): number {
  const ids = git(repo, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname)').trim().split('\n');
  const batch = execFileSync('git', ['cat-file', '--batch'], { cwd: repo, input: ids.join('\n') + '\n', maxBuffer: 64 << 20 });
  let at = 0;
  for (const id of ids) {
    // "<id> <type> <size>\n<bytes>\n"
    const eol = batch.indexOf(0x0a, at);
    const [, type, size] = batch.subarray(at, eol).toString().split(' ');
    const bytes = batch.subarray(eol + 1, eol + 1 + Number(size));
    at = eol + 1 + Number(size) + 1;
    const o = store.read(id);
    assert.ok(o, `${id} (${type}) was read`);
    assert.equal(o.type, type, id);
    assert.ok(o.data.equals(bytes), `${id} has git's bytes`);
  }
  return ids.length;
}

/** The repository's one pack has delta chains (git verify-pack lists their lengths). */
const hasDeltas = (bare: string): boolean => {
  const pack = fs.readdirSync(path.join(bare, 'objects', 'pack')).find((f) => f.endsWith('.pack'))!;
  return /chain length = \d+: \d+ object/.test(git(bare, 'verify-pack', '-v', path.join('objects', 'pack', pack)));
};

describe('a local repository read in place', () => {
  it('reads every object of a pack with OFS_DELTA chains, and loose objects beside it, as git cat-file shows them', () => {
    const { bare, dir } = history();
    // A file that does not compress: its entry is longer than the first read of one.
    fs.writeFileSync(path.join(dir, 'noise.bin'), crypto.randomBytes(40_000));
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '-m', 'noise');
    git(dir, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
    git(bare, 'repack', '-a', '-d', '-f', '-q', '--window=50', '--depth=50');
    assert.ok(hasDeltas(bare), 'the pack holds delta chains');
    // Loose objects too: a commit pushed after the repack (receive-pack unpacks a small push).
    fs.writeFileSync(path.join(dir, 'new.yaml'), 'fresh: true\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '-m', 'loose');
    git(dir, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
    assert.ok(fs.readdirSync(path.join(bare, 'objects')).some((d) => /^[0-9a-f]{2}$/.test(d)), 'some objects are loose');
    const store = LocalObjects.open(bare);
    assert.ok(store);
    assert.ok(assertReadsAll(bare, store) > 90);
  });

  it('reads a pack with REF_DELTA bases and an index with 64-bit offsets', () => {
    const { bare } = history();
    git(bare, '-c', 'repack.useDeltaBaseOffset=false', 'repack', '-a', '-d', '-f', '-q', '--window=50', '--depth=50');
    const pack = fs.readdirSync(path.join(bare, 'objects', 'pack')).find((f) => f.endsWith('.pack'))!;
    const packPath = path.join(bare, 'objects', 'pack', pack);
    // Every object past offset 64 gets a 64-bit offset in the index (git index-pack --index-version=2,<offset>).
    fs.rmSync(packPath.replace(/\.pack$/, '.idx'));
    git(bare, 'index-pack', '--index-version=2,64', packPath);
    assert.ok(hasDeltas(bare));
    const store = LocalObjects.open(bare);
    assert.ok(store);
    assertReadsAll(bare, store);
  });

  it('finds an object in a pack written after the store first looked', () => {
    const { bare, dir } = history(3);
    git(bare, 'repack', '-a', '-d', '-q');
    const store = LocalObjects.open(bare)!;
    assert.equal(store.read(git(bare, 'rev-parse', 'main').trim())?.type, 'commit');
    fs.writeFileSync(path.join(dir, 'later.yaml'), 'later: true\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '-m', 'later');
    git(dir, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
    git(bare, 'repack', '-q');
    const later = git(bare, 'rev-parse', 'main').trim();
    assert.equal(store.read(later)?.type, 'commit');
  });

  it('reads on after a repack removes the pack it listed (gc --auto after a push): the packs are listed afresh', async () => {
    const { bare, dir } = history(4);
    git(bare, 'repack', '-a', '-d', '-q');
    const wire = WireGit.for(`file://${bare}`, { identity: { name: 'p', email: 'p@e' } });
    const tip = await wire.fetchTip('main');
    assert.equal(wire.readInPlace, true);
    // Someone else's push, then a repack into one new pack: the pack the store listed is gone.
    fs.writeFileSync(path.join(dir, 'other.yaml'), 'other: true\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '-m', 'other');
    git(dir, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
    const before = fs.readdirSync(path.join(bare, 'objects', 'pack'));
    git(bare, 'repack', '-a', '-d', '-q');
    assert.ok(!before.some((f) => fs.readdirSync(path.join(bare, 'objects', 'pack')).includes(f)), 'the old pack is gone');
    const { files } = await wire.readFiles(tip, ['apps/a1/values.yaml']);
    assert.equal(files.get('apps/a1/values.yaml')?.text, git(bare, 'show', `${tip}:apps/a1/values.yaml`));
    wire.close();
  });

  it('answers nothing for an object it does not hold or cannot read (a loose file that is not what its name says)', () => {
    const { bare, dir } = history(2);
    const store = LocalObjects.open(bare)!;
    assert.equal(store.read('0'.repeat(40)), undefined);
    // Two commits pushed one by one: receive-pack keeps a small push as loose objects.
    for (const name of ['one', 'two']) {
      fs.writeFileSync(path.join(dir, `${name}.yaml`), `${name}: true\n`);
      git(dir, 'add', '.');
      git(dir, 'commit', '--quiet', '-m', name);
      git(dir, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
    }
    const tip = git(bare, 'rev-parse', 'main').trim();
    assert.equal(store.read(tip)?.type, 'commit');
    const loose = path.join(bare, 'objects', tip.slice(0, 2), tip.slice(2));
    assert.ok(fs.existsSync(loose));
    const other = git(bare, 'rev-parse', 'main~1').trim();
    fs.chmodSync(loose, 0o644);
    fs.copyFileSync(path.join(bare, 'objects', other.slice(0, 2), other.slice(2)), loose);
    assert.equal(LocalObjects.open(bare)!.read(tip), undefined, 'an object whose bytes do not hash to its id is not taken');
  });

  it('leaves SHA-256 repositories, alternates and gitfiles to upload-pack', () => {
    const sha256 = path.join(work, 'sha256.git');
    git(work, 'init', '--quiet', '--bare', '--object-format=sha256', sha256);
    assert.equal(LocalObjects.open(sha256), undefined);
    const { bare } = history(2);
    const borrower = path.join(work, 'borrower.git');
    git(work, 'clone', '--quiet', '--bare', '--shared', bare, borrower);
    assert.ok(fs.existsSync(path.join(borrower, 'objects', 'info', 'alternates')));
    assert.equal(LocalObjects.open(borrower), undefined);
    const linked = path.join(work, 'linked');
    fs.mkdirSync(linked);
    fs.writeFileSync(path.join(linked, '.git'), `gitdir: ${bare}\n`);
    assert.equal(LocalObjects.open(linked), undefined);
    assert.ok(LocalObjects.open(bare));
  });

  it('a pack it cannot read (a version 1 index) sends the fetch through upload-pack, with the same answer', async () => {
    const { bare } = history(4);
    git(bare, 'repack', '-a', '-d', '-q');
    const pack = fs.readdirSync(path.join(bare, 'objects', 'pack')).find((f) => f.endsWith('.pack'))!;
    const packPath = path.join(bare, 'objects', 'pack', pack);
    fs.rmSync(packPath.replace(/\.pack$/, '.idx'));
    git(bare, 'index-pack', '--index-version=1', packPath);
    const wire = WireGit.for(`file://${bare}`, { identity: { name: 'p', email: 'p@e' } });
    const tip = await wire.fetchTip('main');
    assert.equal(tip, git(bare, 'rev-parse', 'main').trim());
    assert.equal(wire.readInPlace, false);
    const { files } = await wire.readFiles(tip, ['apps/a1/values.yaml']);
    assert.equal(files.get('apps/a1/values.yaml')?.text, git(bare, 'show', 'main:apps/a1/values.yaml'));
    wire.close();
  });
});

describe('near ancestry, read in the work tree', () => {
  it('agrees with git: newer, older, and nothing for diverged or far-apart commits (git rev-list decides those)', () => {
    const { dir } = history(12);
    const at = (rev: string): string => git(dir, 'rev-parse', rev).trim();
    assert.equal(nearAncestry(dir, at('main~5'), at('main')), 'newer');
    assert.equal(nearAncestry(dir, at('main'), at('main~5')), 'older');
    git(dir, 'checkout', '--quiet', '-b', 'side', 'main~3');
    fs.writeFileSync(path.join(dir, 'side.yaml'), 'side: true\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '-m', 'side');
    assert.equal(nearAncestry(dir, at('main'), at('side')), undefined, 'diverged');
    assert.equal(nearAncestry(dir, at('main~11'), at('main'), 5), undefined, 'eleven commits apart, a walk of five');
    assert.equal(nearAncestry(dir, at('main~11'), at('main'), 11), 'newer');
  });

  it('reads a commit’s parents where git does: a "parent" line after the committer is not one', () => {
    const { dir } = history(3);
    const at = (rev: string): string => git(dir, 'rev-parse', rev).trim();
    const odd = `tree ${at('main^{tree}')}\nauthor a <a@e> 1700000000 +0000\ncommitter a <a@e> 1700000000 +0000\nparent ${at('main~1')}\n\nodd\n`;
    const id = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: dir, input: odd, encoding: 'utf8' }).trim();
    assert.equal(execFileSync('git', ['rev-list', '--count', id], { cwd: dir, encoding: 'utf8' }).trim(), '1', 'git sees no parent');
    assert.equal(nearAncestry(dir, at('main~1'), id), undefined);
    assert.equal(nearAncestry(dir, at('main~1'), at('main')), 'newer');
  });

  it('defers to git when replace refs or grafts may change what a commit’s parents are', () => {
    const { dir } = history(4);
    const [tip, parent] = [git(dir, 'rev-parse', 'main').trim(), git(dir, 'rev-parse', 'main~1').trim()];
    assert.equal(nearAncestry(dir, parent, tip), 'newer');
    git(dir, 'replace', '--graft', tip);
    assert.equal(nearAncestry(dir, parent, tip), undefined);
    git(dir, 'replace', '-d', tip);
    git(dir, 'pack-refs', '--all');
    assert.equal(nearAncestry(dir, parent, tip), 'newer');
    for (const v of ['GIT_REPLACE_REF_BASE', 'GIT_GRAFT_FILE', 'GIT_OBJECT_DIRECTORY']) {
      process.env[v] = path.join(dir, 'elsewhere');
      try {
        assert.equal(nearAncestry(dir, parent, tip), undefined, v);
      } finally {
        delete process.env[v];
      }
    }
  });
});
