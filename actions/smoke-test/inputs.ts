import * as core from '@actions/core';
import * as net from 'node:net';
import { InputError, kubeconfigSecrets, maskSecret, parseBoolean, parseChoice, parseDuration, parseInteger, parseList, truncate } from '../toolkit/index.js';
import { parseChecks, parseLatencyBudgets, type Check } from './checks.js';
import type { FallbackMode } from './fallback.js';
import type { ResolveEntry } from './http-probe.js';

export interface Inputs {
  /** Base URL without a trailing slash; undefined only with fallback: always. */
  url?: string;
  checks: Check[];
  hostHeader?: string;
  resolve: ResolveEntry[];
  /** Request headers including Authorization from bearer-token/basic-auth. */
  headers: Record<string, string>;
  insecureSkipTlsVerify: boolean;
  maxRedirects: number;
  timeoutMs: number;
  requestTimeoutMs: number;
  consecutiveSuccesses: number;
  samples: number;
  fallback: FallbackMode;
  fallbackAfterMs: number;
  service?: string;
  namespace: string;
  port: string;
  kubeconfig?: string;
  context?: string;
}

export const INPUT_NAMES = [
  'url', 'checks', 'host-header', 'resolve', 'headers', 'bearer-token', 'basic-auth', 'insecure-skip-tls-verify', 'max-redirects',
  'timeout', 'request-timeout', 'consecutive-successes', 'samples', 'latency-budgets', 'required-metrics', 'fallback', 'fallback-after',
  'service', 'namespace', 'port', 'kubeconfig', 'context',
] as const;

export type RawInputs = Partial<Record<(typeof INPUT_NAMES)[number], string>>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Header values shorter than this are not masked: masking "1" or "no" would garble every log line. */
const MIN_MASKED_LENGTH = 3;

export function parseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InputError('url', `'${raw}' is not a valid URL (e.g. http://api.10.0.0.1.nip.io)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError('url', `'${raw}' must be http:// or https://`);
  if (!url.hostname) throw new InputError('url', `'${raw}' has no host`);
  if (url.username || url.password) throw new InputError('url', 'must not carry credentials: use basic-auth (masked) instead');
  if (url.search || url.hash) throw new InputError('url', `'${raw}' must be a base URL without ?query or #fragment (put those in a check path)`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** curl --resolve entries: name:port:address, address possibly an [IPv6]. */
export function parseResolve(items: string[]): ResolveEntry[] {
  return items.map((item) => {
    const m = /^([^:\s]+):(\d+):(.+)$/.exec(item.trim());
    if (!m) throw new InputError('resolve', `'${item}' is not name:port:address (e.g. api.example.com:443:10.0.0.1)`);
    const address = m[3].replace(/^\[(.*)\]$/, '$1');
    const port = Number(m[2]);
    if (!(port >= 1 && port <= 65535)) throw new InputError('resolve', `'${item}': port ${m[2]} is outside 1-65535`);
    if (!net.isIP(address)) throw new InputError('resolve', `'${item}': '${m[3]}' is not an IP address`);
    return { host: m[1].toLowerCase(), port, address };
  });
}

/**
 * "Name: value" lines. A bad line is never printed whole: its value may be a token. A line without ':' is named by
 * its number only (it may be "Authorization Bearer <token>"); otherwise only the name part is quoted.
 */
export function parseHeaderLines(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, line] of lines.entries()) {
    const at = line.indexOf(':');
    if (at < 0) throw new InputError('headers', `line ${i + 1} has no ':' (expected "Name: value"; the line is not shown, it may hold a secret value)`);
    const name = line.slice(0, at).trim();
    if (!name) throw new InputError('headers', `line ${i + 1} has an empty header name (expected "Name: value")`);
    if (!HEADER_NAME.test(name)) throw new InputError('headers', `'${truncate(name, 60)}' is not a header name (in "Name: value": letters, digits, '-' and !#$%&'*+.^_\`|~, no spaces)`);
    const lower = name.toLowerCase();
    if (lower === 'host') throw new InputError('headers', 'set the Host header with the host-header input (it also sets the TLS server name)');
    if (lower in out) throw new InputError('headers', `${name} is given twice`);
    const value = line.slice(at + 1).trim();
    if (/[\r\n]/.test(value)) throw new InputError('headers', `the value of ${name} contains a line break`);
    out[lower] = value;
  }
  return out;
}

/** Parses every input from raw strings (action.yml defaults already applied); all InputErrors, no side effects. */
export function parseInputs(raw: RawInputs): Inputs {
  const get = (name: (typeof INPUT_NAMES)[number], fallback = ''): string => {
    const v = raw[name];
    return v === undefined || v.trim() === '' ? fallback : v;
  };
  const fallback = parseChoice('fallback', get('fallback', 'auto'), ['auto', 'never', 'always'] as const);
  const service = get('service').trim() || undefined;
  if (service && !DNS_LABEL.test(service)) throw new InputError('service', `'${service}' is not a Service name (lower-case DNS label)`);
  if (fallback === 'always' && !service) throw new InputError('service', 'is required with fallback: always');
  const urlRaw = get('url').trim();
  if (!urlRaw && fallback !== 'always') throw new InputError('url', 'is required (or set fallback: always with a service)');
  const url = urlRaw ? parseUrl(urlRaw) : undefined;

  const hostHeader = get('host-header').trim() || undefined;
  if (hostHeader && !/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(hostHeader)) {
    throw new InputError('host-header', `'${hostHeader}' is not host or host:port`);
  }

  const headers = parseHeaderLines(parseList(get('headers'), { comma: false }));
  const bearer = get('bearer-token').trim();
  const basic = get('basic-auth');
  if (bearer && basic) throw new InputError('basic-auth', 'cannot be combined with bearer-token');
  if ((bearer || basic) && headers.authorization) throw new InputError('headers', 'sets Authorization and so does bearer-token/basic-auth: keep one');
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (basic) {
    if (!basic.includes(':') || basic.indexOf(':') === 0) throw new InputError('basic-auth', 'must be user:password');
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }

  const timeoutMs = parseDuration('timeout', get('timeout', '2m'));
  if (timeoutMs <= 0) throw new InputError('timeout', 'must be more than 0');
  const requestTimeoutMs = parseDuration('request-timeout', get('request-timeout', '10s'));
  if (requestTimeoutMs <= 0) throw new InputError('request-timeout', 'must be more than 0');
  const fallbackAfterMs = parseDuration('fallback-after', get('fallback-after', '30s'));

  const port = get('port', '80').trim();
  if (/^\d+$/.test(port)) parseInteger('port', port, { min: 1, max: 65535 });
  else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port) || port.length > 15) throw new InputError('port', `'${port}' is not a port number or port name`);
  const namespace = get('namespace', 'default').trim();
  if (!DNS_LABEL.test(namespace)) throw new InputError('namespace', `'${namespace}' is not a namespace name`);

  const requiredMetrics = parseList(get('required-metrics'));
  for (const m of requiredMetrics) if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(m)) throw new InputError('required-metrics', `'${m}' is not a Prometheus metric name`);
  const latencyBudgets = parseLatencyBudgets(parseList(get('latency-budgets')));

  return {
    url,
    checks: parseChecks(get('checks'), { requiredMetrics, latencyBudgets }),
    hostHeader,
    resolve: parseResolve(parseList(get('resolve'))),
    headers,
    insecureSkipTlsVerify: parseBoolean('insecure-skip-tls-verify', get('insecure-skip-tls-verify', 'false')),
    maxRedirects: parseInteger('max-redirects', get('max-redirects', '5'), { min: 0, max: 50 }),
    timeoutMs,
    requestTimeoutMs,
    consecutiveSuccesses: parseInteger('consecutive-successes', get('consecutive-successes', '3'), { min: 1, max: 100 }),
    samples: parseInteger('samples', get('samples', '20'), { min: 0, max: 10_000 }),
    fallback,
    fallbackAfterMs,
    service,
    namespace,
    port,
    kubeconfig: raw.kubeconfig?.trim() ? raw.kubeconfig : undefined,
    context: get('context').trim() || undefined,
  };
}

/** The secrets of the inputs, registered for masking before the inputs are parsed or logged. */
export function maskInputSecrets(raw: RawInputs): void {
  maskSecret(raw['bearer-token']?.trim());
  const basic = raw['basic-auth'];
  if (basic) {
    maskSecret(basic);
    maskSecret(basic.slice(basic.indexOf(':') + 1));
    maskSecret(Buffer.from(basic).toString('base64'));
  }
  maskSecret(raw.kubeconfig);
  for (const value of kubeconfigSecrets(raw.kubeconfig ?? '')) maskSecret(value);
  for (const line of parseList(raw.headers ?? '', { comma: false })) {
    const value = line.slice(line.indexOf(':') + 1).trim();
    if (line.includes(':') && value.length >= MIN_MASKED_LENGTH) maskSecret(value);
  }
}

/** Reads, masks and validates every input before any request or process is started. */
export function readInputs(): Inputs {
  const raw: RawInputs = {};
  for (const name of INPUT_NAMES) raw[name] = core.getInput(name);
  maskInputSecrets(raw);
  const inputs = parseInputs(raw);
  if (inputs.fallback === 'auto' && inputs.service && inputs.fallbackAfterMs >= inputs.timeoutMs) {
    core.warning(`fallback-after (${inputs.fallbackAfterMs / 1000}s) is not shorter than timeout (${inputs.timeoutMs / 1000}s): a url answering only 404 will never fall back to port-forward`);
  }
  return inputs;
}
