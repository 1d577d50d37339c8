// Reads a real registry through its HTTP API (distribution v2), with basic auth when given.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface RegistryClient {
  get(path: string): Promise<{ status: number; headers: Headers; body: string }>;
  tags(repo: string): Promise<string[]>;
  manifest(repo: string, ref: string): Promise<{ digest: string; mediaType: string; json: Record<string, unknown> }>;
  configOf(repo: string, manifestDigest: string): Promise<{ architecture: string; config?: { Labels?: Record<string, string> } }>;
}

export function registryClient(host: string, auth?: { user: string; password: string }): RegistryClient {
  const headers: Record<string, string> = { Accept: ACCEPT };
  if (auth) headers.Authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  const get = async (path: string): Promise<{ status: number; headers: Headers; body: string }> => {
    const res = await fetch(`http://${host}${path}`, { headers });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
  return {
    get,
    async tags(repo) {
      const res = await get(`/v2/${repo}/tags/list`);
      if (res.status === 404) return [];
      return ((JSON.parse(res.body) as { tags?: string[] }).tags ?? []).sort();
    },
    async manifest(repo, ref) {
      const res = await get(`/v2/${repo}/manifests/${ref}`);
      if (res.status !== 200) throw new Error(`GET manifest ${repo}:${ref} → ${res.status} ${res.body}`);
      const json = JSON.parse(res.body) as Record<string, unknown>;
      return { digest: res.headers.get('docker-content-digest') ?? '', mediaType: String(json.mediaType ?? res.headers.get('content-type')), json };
    },
    async configOf(repo, manifestDigest) {
      const m = await this.manifest(repo, manifestDigest);
      const config = (m.json.config as { digest: string }).digest;
      const res = await get(`/v2/${repo}/blobs/${config}`);
      return JSON.parse(res.body) as { architecture: string; config?: { Labels?: Record<string, string> } };
    },
  };
}

/**
 * A reverse proxy in front of a registry that answers 503 to the first `failures` requests matching
 * `shouldFail`, then forwards everything (Host preserved, so upload Locations point back at the proxy).
 */
export async function flakyProxy(target: string, failures: number, shouldFail: (req: http.IncomingMessage) => boolean): Promise<{ host: string; failed: () => number; close: () => Promise<void> }> {
  const [targetHost, targetPort] = target.split(':');
  let failed = 0;
  // Its own agent for the upstream side, destroyed on close: a keep-alive socket to the registry left in the
  // global agent's pool would hold the test process open after the last test.
  const agent = new http.Agent({ keepAlive: false });
  const server = http.createServer((req, res) => {
    if (failed < failures && shouldFail(req)) {
      failed++;
      req.resume();
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end('{"errors":[{"code":"UNAVAILABLE","message":"service unavailable"}]}');
      return;
    }
    const upstream = http.request({ host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    failed: () => failed,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // The daemon keeps connections alive: close them, or close() waits forever.
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
