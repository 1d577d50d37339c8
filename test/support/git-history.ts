// A real git history for the newest-wins tests: a bare `origin` where main is A - B - C (lightweight tag v1.0.0
// on B), a branch `feature` F off A, and a commit G that was pushed to main, then force-pushed away and pruned
// (origin no longer has it); plus a full clone of origin. Each test makes its own under the system temp folder.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

export interface History {
  root: string;
  origin: string;
  /** A full clone of origin (every commit but G). */
  full: string;
  a: string;
  b: string;
  c: string;
  /** On branch feature, off A. */
  feature: string;
  /** Force-pushed away and pruned: origin does not have it. */
  gone: string;
}

export function makeHistory(prefix: string): History {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const origin = path.join(root, 'origin.git');
  const work = path.join(root, 'work');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  git(root, 'clone', '--quiet', origin, work);
  const commit = (msg: string): string => {
    fs.writeFileSync(path.join(work, 'f.txt'), `${msg}\n`);
    git(work, 'add', 'f.txt');
    git(work, 'commit', '--quiet', '-m', msg);
    return git(work, 'rev-parse', 'HEAD');
  };
  const a = commit('A');
  const b = commit('B');
  git(work, 'tag', 'v1.0.0');
  const c = commit('C');
  git(work, 'push', '--quiet', 'origin', 'main', '--tags');
  git(work, 'checkout', '--quiet', '-b', 'feature', a);
  const feature = commit('F');
  git(work, 'push', '--quiet', 'origin', 'feature');
  git(work, 'checkout', '--quiet', 'main');
  const gone = commit('G');
  git(work, 'push', '--quiet', 'origin', 'main');
  git(work, 'reset', '--quiet', '--hard', c);
  git(work, 'push', '--quiet', '--force', 'origin', 'main');
  git(origin, 'reflog', 'expire', '--expire=now', '--all');
  git(origin, 'gc', '--quiet', '--prune=now');
  const full = path.join(root, 'full');
  git(root, 'clone', '--quiet', '--no-local', origin, full);
  return { root, origin, full, a, b, c, feature, gone };
}
