// Real HTTP(S) servers on 127.0.0.1 (random free ports) that behave like a service being rolled out:
// healthy, ready after a delay, flapping, slow, wrong body, bad metrics, Host-routed, redirect loops.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './run-action.js';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestServer {
  url: string;
  port: number;
  /** Requests seen, in order: method, path, headers. */
  requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export interface Tls {
  key: string;
  cert: string;
}

export async function startServer(handler: Handler, tls?: Tls): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const wrapped: Handler = (req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    handler(req, res);
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, wrapped) : http.createServer(wrapped);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A forward proxy on 127.0.0.1 (what HTTPS_PROXY/HTTP_PROXY name on a runner) that sends every connection to
 * 127.0.0.1:`targetPort`, whatever host was asked: a CONNECT is answered and tunnelled, an absolute-URI request is
 * passed on as it is. A host that never resolves (api.github.example) is then reached only through the proxy.
 * `seen`: the first line of each connection (CONNECT host:port HTTP/1.1, or GET http://… HTTP/1.1).
 */
export async function forwardProxy(targetPort: number): Promise<{ url: string; seen: string[]; close(): void }> {
  const seen: string[] = [];
  const server = net.createServer((client) => {
    client.on('error', () => undefined);
    client.once('data', (first: Buffer) => {
      const head = first.toString('latin1');
      seen.push(head.split('\r\n')[0]);
      const upstream = net.connect(targetPort, '127.0.0.1', () => {
        if (head.startsWith('CONNECT ')) client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        else upstream.write(first);
        client.pipe(upstream).pipe(client);
      });
      upstream.on('error', () => client.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
}

/** A free 127.0.0.1 port that nothing listens on (connection refused). */
export async function closedPort(): Promise<number> {
  const s = await startServer(() => undefined);
  await s.close();
  return s.port;
}

/** A self-signed certificate for localhost/127.0.0.1, made with the openssl CLI in a temp dir. */
export function selfSignedCert(): Tls {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-tls-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,DNS:api.example.test,IP:127.0.0.1'], { stdio: 'ignore' });
  const tls = { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
  return tls;
}

export const VALID_METRICS = `# HELP http_requests_total Requests served.
# TYPE http_requests_total counter
http_requests_total{method="GET",code="200"} 1027 1395066363000
http_requests_total{method="POST",code="400"} 3
# HELP http_request_duration_seconds Request latency.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="0.1"} 33444
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320
# TYPE process_start_time_seconds gauge
process_start_time_seconds 1.7e9
`;

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/** The app as the default checks expect it: /healthz JSON ok, /ready 200, /metrics valid. */
export function healthyApp(overrides: { metrics?: string; healthz?: string } = {}): Handler {
  return (req, res) => {
    const p = (req.url ?? '').split('?')[0];
    if (p === '/healthz') send(res, 200, overrides.healthz ?? '{"status":"ok","version":"1.2.3"}', 'application/json');
    else if (p === '/ready') send(res, 200, 'ready');
    else if (p === '/metrics') send(res, 200, overrides.metrics ?? VALID_METRICS, 'text/plain; version=0.0.4');
    else send(res, 404, 'not found');
  };
}

/** 503 on everything until `afterMs` after the handler was made (a pod still starting). */
export function readyAfter(afterMs: number, app: Handler = healthyApp()): Handler {
  const readyAt = Date.now() + afterMs;
  return (req, res) => (Date.now() >= readyAt ? app(req, res) : send(res, 503, 'starting'));
}

/** Alternates healthy and 500 answers per path: never `n` successes in a row for n >= 2. */
export function flapping(app: Handler = healthyApp()): Handler {
  const counts = new Map<string, number>();
  return (req, res) => {
    const n = (counts.get(req.url ?? '') ?? 0) + 1;
    counts.set(req.url ?? '', n);
    if (n % 2 === 0) send(res, 500, 'flap');
    else app(req, res);
  };
}

export function slow(delayMs: number, app: Handler = healthyApp()): Handler {
  return (req, res) => setTimeout(() => app(req, res), delayMs);
}

/** Answers 404 like an Ingress default backend unless the Host header matches. */
export function hostRouted(host: string, app: Handler = healthyApp()): Handler {
  return (req, res) => (req.headers.host === host ? app(req, res) : send(res, 404, 'default backend - 404'));
}

export function redirectLoop(): Handler {
  return (req, res) => {
    res.writeHead(302, { location: req.url?.startsWith('/b') ? '/a' : '/b' });
    res.end();
  };
}

/** The kubectl stand-in (test/fixtures/smoke/fake-kubectl.mjs) as `kubectl` in dir; put dir first on PATH. */
export function writeFakeKubectl(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const bin = path.join(dir, 'kubectl');
  const script = path.join(ROOT, 'test', 'fixtures', 'smoke', 'fake-kubectl.mjs');
  fs.writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`, { mode: 0o755 });
  return bin;
}

/** True while pid runs (the action's own check, so tests and post agree on what 'gone' means). */
export { processRunning as isAlive } from '../../actions/smoke-test/kubectl.js';
