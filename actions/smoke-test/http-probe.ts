import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { LookupFunction } from 'node:net';
import type { Probe } from './check-loop.js';
import type { ProbeResponse } from './evaluate.js';

/** curl --resolve: requests to host:port connect to address instead. */
export interface ResolveEntry {
  host: string;
  port: number;
  address: string;
}

export interface ProbeOptions {
  method?: 'GET' | 'HEAD';
  /** Sent as the Host header (and used as the TLS server name) for the original origin. */
  hostHeader?: string;
  resolve?: ResolveEntry[];
  /** Extra request headers; credentials among them are not sent to another origin after a redirect. */
  headers?: Record<string, string>;
  insecureSkipTlsVerify?: boolean;
  maxRedirects?: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Largest body kept (bytes); the rest is dropped. */
  maxBodyBytes?: number;
}

/** A request that got no usable HTTP answer; `code` is Node's error code (ENOTFOUND, ECONNREFUSED…). */
export class ProbeError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ProbeError';
    this.code = code;
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

function defaultPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

function pinnedLookup(address: string): LookupFunction {
  const family = net.isIPv6(address) ? 6 : 4;
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function hostnameOf(hostHeader: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (m) return m[1];
  return hostHeader.replace(/:\d+$/, '');
}

function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

interface Hop {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function requestOnce(url: URL, options: ProbeOptions, sameOrigin: boolean, method: string, deadline: number): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const isTls = url.protocol === 'https:';
    const host = bareHostname(url);
    const port = defaultPort(url);
    const headers: Record<string, string> = {
      'user-agent': 'platform-actions-smoke-test',
      accept: '*/*',
    };
    for (const [k, v] of Object.entries(options.headers ?? {})) {
      if (!sameOrigin && CREDENTIAL_HEADERS.has(k.toLowerCase())) continue;
      headers[k.toLowerCase()] = v;
    }
    const hostHeader = sameOrigin ? options.hostHeader : undefined;
    if (hostHeader) headers.host = hostHeader;
    const pin = options.resolve?.find((r) => r.host.toLowerCase() === host.toLowerCase() && r.port === port);
    const serverName = hostHeader ? hostnameOf(hostHeader) : host;
    const remaining = Math.max(1, deadline - Date.now());

    const common: https.RequestOptions = {
      method,
      host,
      port,
      path: `${url.pathname}${url.search}`,
      headers,
      agent: false,
      lookup: pin ? pinnedLookup(pin.address) : undefined,
      signal: options.signal,
    };
    const req = isTls
      ? https.request({
          ...common,
          servername: net.isIP(serverName) ? undefined : serverName,
          rejectUnauthorized: !options.insecureSkipTlsVerify,
        })
      : http.request(common);

    let settled = false;
    const fail = (err: ProbeError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new ProbeError('ETIMEDOUT', `no complete answer within ${options.timeoutMs} ms`)), remaining);

    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const max = options.maxBodyBytes ?? 8 * 1024 * 1024;
      res.on('data', (chunk: Buffer) => {
        if (size < max) chunks.push(chunk.subarray(0, max - size));
        size += chunk.length;
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err: NodeJS.ErrnoException) => fail(toProbeError(err, url)));
      res.on('aborted', () => fail(new ProbeError('ECONNRESET', 'the connection closed mid-answer')));
    });
    req.on('error', (err: NodeJS.ErrnoException) => fail(toProbeError(err, url)));
    req.end();
  });
}

/** Certificate checks that insecure-skip-tls-verify turns off (not protocol errors, which it cannot help). */
const CERT_CODES = /^(?:DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|CERT_\w+|ERR_TLS_CERT_ALTNAME_INVALID)$/;

function toProbeError(err: NodeJS.ErrnoException, url: URL): ProbeError {
  const code = err.code ?? (err.name === 'AbortError' ? 'ABORT_ERR' : 'EUNKNOWN');
  let detail: string;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') detail = `DNS lookup of ${url.hostname} failed (${code})`;
  else if (code === 'ECONNREFUSED') detail = `connection to ${url.host} refused`;
  else if (CERT_CODES.test(code)) {
    // Node suggests --use-system-ca, which an action user cannot pass; our switch is the input.
    const reason = err.message.replace(/;\s*if the root CA is installed locally.*$/s, '').trim();
    detail = `${reason} (${code}): set insecure-skip-tls-verify: true to accept this certificate`;
  } else detail = `${err.message}${err.code && !err.message.includes(err.code) ? ` (${err.code})` : ''}`;
  return new ProbeError(code, detail);
}

/**
 * One HTTP(S) request with node:http directly: Host override, curl-style resolve pins, SNI, optional TLS
 * verification, bounded manual redirects (a loop is an error), one deadline for all hops.
 * Resolves with any HTTP answer; rejects with ProbeError when there is none.
 */
export async function httpProbe(target: string, options: ProbeOptions): Promise<ProbeResponse> {
  const started = performance.now();
  const deadline = Date.now() + options.timeoutMs;
  const origin = new URL(target);
  const visited = [origin.href];
  let url = origin;
  let method: string = options.method ?? 'GET';
  const maxRedirects = options.maxRedirects ?? 5;
  for (let redirects = 0; ; redirects++) {
    const hop = await requestOnce(url, options, url.origin === origin.origin, method, deadline);
    const location = hop.headers.location;
    if (!REDIRECTS.has(hop.status) || maxRedirects === 0 || !location) {
      return { status: hop.status, headers: hop.headers, body: hop.body, durationMs: performance.now() - started };
    }
    if (redirects >= maxRedirects) throw new ProbeError('ETOOMANYREDIRECTS', `more than ${maxRedirects} redirects (last to ${location})`);
    const next = new URL(location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new ProbeError('EREDIRECTPROTOCOL', `redirect to unsupported ${next.protocol} URL`);
    if (visited.includes(next.href)) {
      throw new ProbeError('EREDIRECTLOOP', `redirect loop: ${[...visited, next.href].map((h) => shortUrl(h, origin)).join(' → ')}`);
    }
    visited.push(next.href);
    if (hop.status === 303 && method !== 'HEAD') method = 'GET';
    url = next;
  }
}

function shortUrl(href: string, origin: URL): string {
  const u = new URL(href);
  return u.origin === origin.origin ? `${u.pathname}${u.search}` : href;
}

export interface ProbeSettings {
  hostHeader?: string;
  resolve?: ResolveEntry[];
  headers: Record<string, string>;
  insecureSkipTlsVerify: boolean;
  maxRedirects: number;
}

const METRICS_ACCEPT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';

/** The check loop's probe over httpProbe: metrics checks ask for the text exposition format. */
export function checkProbe(settings: ProbeSettings): Probe {
  return (url, check, timeoutMs, signal) =>
    httpProbe(url, {
      method: check.method,
      hostHeader: settings.hostHeader,
      resolve: settings.resolve,
      headers: check.metrics ? { accept: METRICS_ACCEPT, ...settings.headers } : settings.headers,
      insecureSkipTlsVerify: settings.insecureSkipTlsVerify,
      maxRedirects: settings.maxRedirects,
      timeoutMs,
      signal,
    });
}
