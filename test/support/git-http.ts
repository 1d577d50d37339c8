// `git http-backend` (git's own smart HTTP server, as CGI) behind a Node HTTP handler on 127.0.0.1: a real
// https-like remote for the git CLI and the in-process client alike.
import { spawn } from 'node:child_process';
import type * as http from 'node:http';
import type { Handler } from './http-servers.js';

/** `git http-backend` as CGI behind a basic-auth check of `x-access-token:<token>`, as GitHub takes it. */
export function gitHttpBackend(root: string, token: string, seen: string[], requests: string[] = []): Handler {
  const want = `basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    if ((req.headers.authorization ?? '').toLowerCase() !== want.toLowerCase()) {
      seen.push('denied');
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end();
      return;
    }
    seen.push('ok');
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method ?? 'GET'} ${u.pathname}${u.search} ${String(req.headers['git-protocol'] ?? '')}`.trim());
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: u.pathname,
        QUERY_STRING: u.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    req.pipe(child.stdin);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.on('close', () => {
      const out = Buffer.concat(chunks);
      const end = out.indexOf('\r\n\r\n');
      const headerText = out.subarray(0, end).toString();
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of headerText.split('\r\n')) {
        const i = line.indexOf(':');
        const k = line.slice(0, i).trim();
        const v = line.slice(i + 1).trim();
        if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.end(out.subarray(end + 4));
    });
  };
}
