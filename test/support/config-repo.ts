// A bare config repository for gitops-promote's tests: seeded with one commit of the given files on main, partial
// clones allowed (GitHub serves them), and optionally one of test/fixtures/gitops/hooks as its pre-receive hook.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './run-action.js';

const HOOKS = path.join(ROOT, 'test', 'fixtures', 'gitops', 'hooks');
const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'seed', GIT_AUTHOR_EMAIL: 'seed@example.test', GIT_COMMITTER_NAME: 'seed', GIT_COMMITTER_EMAIL: 'seed@example.test' } }).trim();

/** `<dir>/<name>.git`, seeded from `files` (source path → path in the repository). */
export function seedConfigRepo(dir: string, name: string, files: Array<[from: string, to: string]>, hook?: string): { bare: string; url: string } {
  const bare = path.join(dir, `${name}.git`);
  const seed = path.join(dir, `${name}-seed`);
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(dir, 'init', '--quiet', '--initial-branch=main', seed);
  for (const [from, to] of files) {
    fs.mkdirSync(path.join(seed, path.dirname(to)), { recursive: true });
    fs.copyFileSync(from, path.join(seed, to));
  }
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
  git(bare, 'config', 'uploadpack.allowFilter', 'true');
  if (hook) fs.copyFileSync(path.join(HOOKS, hook), path.join(bare, 'hooks', 'pre-receive'));
  return { bare, url: `file://${bare}` };
}
