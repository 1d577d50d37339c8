// The real-tool outputs the conformance suites replay travel with the repository: every file listed in
// test/fixtures/COPIED.txt is present and unchanged, nothing unlisted sits in a copied folder, NOTICE.md names each
// copied folder with its origin and licence, and the Apache-2.0 sets carry their licence file. Where the shared
// set the copies came from exists beside the repository (../shared/fixtures), each copy still matches its source.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../support/run-action.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const SHARED = path.join(ROOT, '..', 'shared', 'fixtures');
/** The folders filled (wholly) by copies, and the files in them that are not copies. */
const COPIED_DIRS: Record<string, string[]> = {
  'trivy/upstream': ['LICENSE', 'LICENSE.trivy-action'],
  'helm/captured': [],
  'kustomize/captured': [],
};

interface Entry {
  sha: string;
  file: string;
  source: string;
}

function manifest(): Entry[] {
  return fs
    .readFileSync(path.join(FIXTURES, 'COPIED.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [sha, file, source] = l.split(' ');
      return { sha, file, source };
    });
}

const sha16 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);
const filesUnder = (dir: string): string[] =>
  fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(FIXTURES, path.join(d.parentPath, d.name)));

describe('the test data travels with the repository', () => {
  const entries = manifest();

  it('every copied file is present and unchanged', () => {
    assert.ok(entries.length > 300, `${entries.length} entries`);
    const missing = entries.filter((e) => !fs.existsSync(path.join(FIXTURES, e.file))).map((e) => e.file);
    assert.deepEqual(missing, [], 'listed in COPIED.txt but absent');
    const changed = entries.filter((e) => sha16(path.join(FIXTURES, e.file)) !== e.sha).map((e) => e.file);
    assert.deepEqual(changed, [], 'changed since the copy');
  });

  it('no file in a copied folder is unlisted', () => {
    const listed = new Set(entries.map((e) => e.file));
    for (const [dir, own] of Object.entries(COPIED_DIRS)) {
      const extra = filesUnder(path.join(FIXTURES, dir)).filter((f) => !listed.has(f) && !own.includes(path.relative(dir, f)));
      assert.deepEqual(extra, [], dir);
    }
  });

  it('NOTICE.md names every copied folder, its origin and its licence, and the Apache-2.0 sets carry their licence file', () => {
    const notice = fs.readFileSync(path.join(FIXTURES, 'NOTICE.md'), 'utf8');
    for (const dir of [...Object.keys(COPIED_DIRS), 'argocd']) assert.ok(notice.includes(`\`${dir}`), `NOTICE.md does not name ${dir}`);
    for (const origin of ['aquasecurity/trivy', 'aquasecurity/trivy-action', 'argoproj/argo-cd', 'Helm v3.17.3', 'Helm v4.1.4', 'kubectl v1.33.9', 'kubectl v1.31.9']) assert.ok(notice.includes(origin), origin);
    for (const licence of ['trivy/upstream/LICENSE', 'trivy/upstream/LICENSE.trivy-action', 'argocd/LICENSE']) {
      assert.ok(notice.includes(`\`${licence}\``), `NOTICE.md does not point at ${licence}`);
      assert.match(fs.readFileSync(path.join(FIXTURES, licence), 'utf8'), /Apache License\s+Version 2\.0, January 2004/, licence);
    }
  });

  it('each copy still matches its source in ../shared/fixtures', { skip: fs.existsSync(SHARED) ? false : `${SHARED} is not beside this checkout: the copies were checked above against their recorded digests` }, () => {
    const differ = entries.filter((e) => !fs.existsSync(path.join(SHARED, e.source)) || sha16(path.join(SHARED, e.source)) !== e.sha).map((e) => e.source);
    assert.deepEqual(differ, []);
  });
});
