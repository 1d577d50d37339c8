// build-push's commit time from the GitHub API goes through the runner's proxy (HTTPS_PROXY/HTTP_PROXY), as
// @actions/github's own clients do: githubClient keeps @actions/github's proxy-aware fetch when we add a timeout.
// One process per test file: @actions/github reads the proxy settings as it loads, so they are set first.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { commitTime } from '../../actions/build-push/commit-time.js';
import { forwardProxy, startServer } from '../support/http-servers.js';

const SHA = `abcdef1${'0'.repeat(33)}`;
const api = await startServer((req, res) => {
  const found = req.url === `/repos/acme/app/commits/${SHA}`;
  res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(found ? { sha: SHA, commit: { committer: { date: '2025-12-24T18:00:00Z' } } } : { message: 'Not Found' }));
});
const proxy = await forwardProxy(api.port);
// A host that never resolves: only the proxy reaches the API stand-in.
const apiUrl = `http://api.github.example:${api.port}`;
Object.assign(process.env, { GITHUB_API_URL: apiUrl, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, http_proxy: proxy.url, https_proxy: proxy.url, NO_PROXY: '', no_proxy: '' });
after(async () => {
  proxy.close();
  await api.close();
});

describe('build-push commit time from the GitHub API', () => {
  it('asks through the proxy the runner names, with the job token', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-not-git-'));
    const found = await commitTime({ revision: SHA, dir, repository: 'acme/app', apiUrl, token: 'ghs_commitTimeToken' });
    assert.deepEqual({ time: found.time, source: found.source }, { time: '2025-12-24T18:00:00Z', source: 'api' }, found.notes.join('; '));
    assert.ok(proxy.seen.some((l) => l.includes('api.github.example')), `the request went through the proxy: ${JSON.stringify(proxy.seen)}`);
    assert.match(String(api.requests.find((r) => r.path.startsWith('/repos/acme/app/commits/'))?.headers.authorization), /ghs_commitTimeToken/);
  });
});
