// In front of the compare-API stand-in (github-api.ts): answers GitHub's git refs endpoints from the same REAL git
// repository and forwards everything else to it.
//   GET /repos/{owner}/{repo}/git/matching-refs/tags/  → 200 [{ref, object: {sha, type: commit|tag}}] ([] when none)
//   GET /repos/{owner}/{repo}/git/tags/{tag_sha}       → 200 {tag, sha, object: {sha, type}} (404 Not Found else)
import { spawnSync } from 'node:child_process';
import * as http from 'node:http';
import { startGitHubApi, type GitHubApiStandIn } from './github-api.js';
import { startServer, type TestServer } from './http-servers.js';

function git(dir: string, args: string[]): { status: number; stdout: string } {
  const res = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  return { status: res.status ?? -1, stdout: res.stdout.trim() };
}

const NOT_FOUND = JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest/git/refs#list-matching-references', status: '404' });

export interface GitHubRefsApi extends TestServer {
  compare: GitHubApiStandIn;
}

export async function startGitHubRefsApi(repository: string, repoDir: string): Promise<GitHubRefsApi> {
  const compare = await startGitHubApi(repository, repoDir);
  const server = await startServer((req, res) => {
    const send = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    };
    const url = new URL(req.url ?? '/', 'http://x');
    const matching = /^\/repos\/([^/]+\/[^/]+)\/git\/matching-refs\/(.*)$/.exec(url.pathname);
    const tagObject = /^\/repos\/([^/]+\/[^/]+)\/git\/tags\/([0-9a-f]{40})$/.exec(url.pathname);
    const repo = matching?.[1] ?? tagObject?.[1];
    if (repo && repo.toLowerCase() !== repository.toLowerCase()) return send(404, NOT_FOUND);
    if (matching) {
      const prefix = `refs/${decodeURIComponent(matching[2])}`;
      const lines = git(repoDir, ['for-each-ref', '--format=%(refname) %(objectname) %(objecttype)', prefix]).stdout.split('\n').filter(Boolean);
      return send(200, JSON.stringify(lines.map((l) => {
        const [ref, sha, type] = l.split(' ');
        return { ref, node_id: 'x', url: `http://x/${ref}`, object: { sha, type, url: `http://x/${sha}` } };
      })));
    }
    if (tagObject) {
      const sha = tagObject[2];
      if (git(repoDir, ['cat-file', '-t', sha]).stdout !== 'tag') return send(404, NOT_FOUND);
      const body = git(repoDir, ['cat-file', '-p', sha]).stdout;
      const object = /^object (\w+)$/m.exec(body)?.[1];
      const type = /^type (\w+)$/m.exec(body)?.[1];
      const tag = /^tag (.+)$/m.exec(body)?.[1];
      return send(200, JSON.stringify({ node_id: 'x', tag, sha, url: `http://x/${sha}`, message: '', object: { sha: object, type, url: `http://x/${object}` } }));
    }
    const upstream = http.request(`${compare.url}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, host: `127.0.0.1:${compare.port}` } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => send(502, JSON.stringify({ message: 'Server Error' })));
    req.pipe(upstream);
  });
  return {
    ...server,
    compare,
    close: async () => {
      await server.close();
      await compare.close();
    },
  };
}
