// A GitHub REST API stand-in on 127.0.0.1 that answers from a REAL git repository, the way GitHub does:
//   GET /repos/{owner}/{repo}/compare/{base}...{head}  → 200 {status: ahead|behind|identical|diverged, ahead_by,
//       behind_by, merge_base_commit, commits: []} (404 {"message":"Not Found"} when either commit is unknown)
//   GET /repos/{owner}/{repo}/commits/{ref}            → 200 {sha, commit} or 422 "No commit found for SHA: …"
// Plus `failures`: answer the next N requests with a real-looking 502 (GitHub's "Server Error"), to exercise retries.
import { spawnSync } from 'node:child_process';
import { startServer, type TestServer } from './http-servers.js';

export interface GitHubApiStandIn extends TestServer {
  /** Make the next `n` requests fail with 502. */
  failNext(n: number): void;
}

function git(dir: string, args: string[]): { status: number; stdout: string } {
  const res = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  return { status: res.status ?? -1, stdout: res.stdout.trim() };
}

const NOT_FOUND = JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest/commits/commits#compare-two-commits', status: '404' });

/** `repoDir`: a git repository (bare or not) standing for `owner/name`; other repositories answer 404. */
export async function startGitHubApi(repository: string, repoDir: string): Promise<GitHubApiStandIn> {
  let failures = 0;
  const server = await startServer((req, res) => {
    const send = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    };
    if (failures > 0) {
      failures--;
      return send(502, JSON.stringify({ message: 'Server Error' }));
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const compare = /^\/repos\/([^/]+\/[^/]+)\/compare\/([^/]+?)\.\.\.([^/]+)$/.exec(url.pathname);
    const commit = /^\/repos\/([^/]+\/[^/]+)\/commits\/([^/]+)$/.exec(url.pathname);
    const repo = compare?.[1] ?? commit?.[1];
    if (!repo || repo.toLowerCase() !== repository.toLowerCase()) return send(404, NOT_FOUND);
    const resolve = (ref: string): string | undefined => {
      const r = git(repoDir, ['rev-parse', '--verify', '--quiet', `${decodeURIComponent(ref)}^{commit}`]);
      return r.status === 0 ? r.stdout : undefined;
    };
    if (commit) {
      const sha = resolve(commit[2]);
      if (!sha) return send(422, JSON.stringify({ message: `No commit found for SHA: ${commit[2]}`, documentation_url: 'https://docs.github.com/rest/commits/commits#get-a-commit', status: '422' }));
      return send(200, JSON.stringify({ sha, commit: { message: git(repoDir, ['log', '-1', '--format=%s', sha]).stdout } }));
    }
    const base = resolve(compare![2]);
    const head = resolve(compare![3]);
    if (!base || !head) return send(404, NOT_FOUND);
    const mergeBase = git(repoDir, ['merge-base', base, head]).stdout;
    const count = (range: string): number => Number(git(repoDir, ['rev-list', '--count', range]).stdout);
    const ahead = count(`${base}..${head}`);
    const behind = count(`${head}..${base}`);
    const status = ahead === 0 && behind === 0 ? 'identical' : behind === 0 ? 'ahead' : ahead === 0 ? 'behind' : 'diverged';
    return send(200, JSON.stringify({ status, ahead_by: ahead, behind_by: behind, total_commits: ahead, merge_base_commit: { sha: mergeBase }, base_commit: { sha: base }, commits: [], files: [] }));
  });
  return { ...server, failNext: (n: number) => void (failures = n) };
}
