import YAML from 'yaml';
import { InputError, parseDuration, truncate } from '../toolkit/index.js';

/** Accepted status codes: single codes and inclusive ranges; `text` is how the user wrote it. */
export interface StatusSpec {
  codes: number[];
  ranges: Array<[number, number]>;
  text: string;
}

export interface ExpectedHeader {
  /** Lower-case header name. */
  name: string;
  /** Substring the header value must contain; '' only requires the header to be present. */
  contains: string;
}

export interface Check {
  /** What reports call the check: `name`, or the path. */
  name: string;
  /** Path (and query) appended to the base URL; starts with '/'. */
  path: string;
  method: 'GET' | 'HEAD';
  status: StatusSpec;
  /** Expected JSON subset of the body (undefined: body not parsed). */
  json?: unknown;
  contains: string[];
  regex?: RegExp;
  headers: ExpectedHeader[];
  /** Parse the body as Prometheus text exposition. */
  metrics: boolean;
  requiredMetrics: string[];
  latencyP95Ms?: number;
  latencyP99Ms?: number;
}

export interface CheckDefaults {
  /** `required-metrics` input: added to every metrics check. */
  requiredMetrics?: string[];
  /** `latency-budgets` input: p99 budgets (ms) by check path or name. */
  latencyBudgets?: Record<string, number>;
}

const KNOWN_KEYS = ['path', 'name', 'method', 'status', 'json', 'contains', 'regex', 'headers', 'metrics', 'required-metrics', 'latency-p95', 'latency-p99'] as const;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** The checks used when the `checks` input is empty. */
export const DEFAULT_CHECKS_YAML = `
- path: /healthz
  status: 200
  json: { status: ok }
- path: /ready
  status: 200
- path: /metrics
  status: 200
  metrics: true
`;

/** Parses `200`, `"200-299"`, `"2xx"` or a list of those into a StatusSpec; problems are returned as text. */
export function parseStatusSpec(value: unknown): StatusSpec | string {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return 'status list is empty';
  const spec: StatusSpec = { codes: [], ranges: [], text: items.map((i) => String(i)).join(', ') };
  for (const item of items) {
    const text = String(item).trim();
    let m: RegExpExecArray | null;
    if (typeof item === 'number' || /^\d+$/.test(text)) {
      const code = Number(text);
      if (!validCode(code)) return `status ${text} is not an HTTP status (100-599)`;
      spec.codes.push(code);
    } else if ((m = /^([1-5])xx$/i.exec(text))) {
      const base = Number(m[1]) * 100;
      spec.ranges.push([base, base + 99]);
    } else if ((m = /^(\d+)\s*-\s*(\d+)$/.exec(text))) {
      const [low, high] = [Number(m[1]), Number(m[2])];
      if (!validCode(low) || !validCode(high)) return `status range ${text} is outside 100-599`;
      if (low > high) return `status range ${text} is upside down (did you mean ${high}-${low}?)`;
      spec.ranges.push([low, high]);
    } else {
      return `status '${text}' is not a code (200), a range (200-299) or a class (2xx)`;
    }
  }
  return spec;
}

export function statusMatches(spec: StatusSpec, status: number): boolean {
  return spec.codes.includes(status) || spec.ranges.some(([low, high]) => status >= low && status <= high);
}

function validCode(code: number): boolean {
  return Number.isInteger(code) && code >= 100 && code <= 599;
}

/**
 * The YAML parser's first message line, whole: reason, then "at line L, column C" (its trailing ':' introduced a
 * source excerpt on the next lines, which is replaced by the offending line, quoted, when it is not blank).
 */
export function yamlErrorText(err: unknown, source: string): string {
  if (!(err instanceof Error)) return String(err);
  const first = err.message.split('\n')[0].trim().replace(/:$/, '');
  const line = err instanceof YAML.YAMLError ? err.linePos?.[0].line : undefined;
  const text = line ? (source.split(/\r?\n/)[line - 1] ?? '').trimEnd() : '';
  return text.trim() ? `${first} (line ${line}: ${JSON.stringify(truncate(text, 80))})` : first;
}

/**
 * Parses and validates the `checks` input (a YAML list) before any request is made.
 * Every problem is an InputError naming the input and the check.
 */
export function parseChecks(raw: string, defaults: CheckDefaults = {}, inputName = 'checks'): Check[] {
  const source = raw.trim() === '' ? DEFAULT_CHECKS_YAML : raw;
  let doc: unknown;
  try {
    doc = YAML.parse(source);
  } catch (err) {
    throw new InputError(inputName, `is not valid YAML: ${yamlErrorText(err, source)}`);
  }
  if (!Array.isArray(doc) || doc.length === 0) throw new InputError(inputName, 'must be a non-empty YAML list of checks (e.g. "- path: /healthz")');
  const checks = doc.map((item: unknown, i) => parseCheck(item, i + 1, defaults, inputName));
  const seen = new Set<string>();
  for (const c of checks) {
    if (seen.has(c.name)) throw new InputError(inputName, `two checks are named '${c.name}' (give one a distinct name:)`);
    seen.add(c.name);
  }
  for (const key of Object.keys(defaults.latencyBudgets ?? {})) {
    if (!checks.some((c) => c.path === key || c.name === key)) {
      throw new InputError('latency-budgets', `no check has path or name '${key}' (checks: ${checks.map((c) => c.name).join(', ')})`);
    }
  }
  if ((defaults.requiredMetrics ?? []).length > 0 && !checks.some((c) => c.metrics)) {
    throw new InputError('required-metrics', 'no check has metrics: true to look for them in');
  }
  return checks;
}

function parseCheck(item: unknown, index: number, defaults: CheckDefaults, inputName: string): Check {
  const where = (label: string): string => `check ${index}${label ? ` (${label})` : ''}`;
  const obj: Record<string, unknown> = typeof item === 'string' ? { path: item } : isPlainObject(item) ? item : {};
  if (!(typeof item === 'string' || isPlainObject(item))) throw new InputError(inputName, `${where('')}: must be a mapping with at least a path, or a path string`);
  const label = typeof obj.path === 'string' ? obj.path : '';
  const fail = (problem: string): never => {
    throw new InputError(inputName, `${where(label)}: ${problem}`);
  };

  for (const key of Object.keys(obj)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      const near = closest(key, KNOWN_KEYS);
      fail(`unknown key '${key}'${near ? ` (did you mean '${near}'?)` : ''}; known keys: ${KNOWN_KEYS.join(', ')}`);
    }
  }

  if (typeof obj.path !== 'string' || obj.path.trim() === '') fail('path is required (e.g. path: /healthz)');
  const path = String(obj.path).trim();
  if (!path.startsWith('/')) fail(`path '${path}' must start with '/' (it is appended to url)`);
  if (/\s/.test(path)) fail(`path '${path}' contains whitespace`);
  try {
    new URL(path, 'http://placeholder.invalid');
  } catch {
    fail(`path '${path}' is not a valid URL path`);
  }

  const name = obj.name === undefined ? path : typeof obj.name === 'string' && obj.name.trim() ? obj.name.trim() : fail('name must be a non-empty string');

  const methodRaw = obj.method === undefined ? 'GET' : String(obj.method).toUpperCase();
  if (methodRaw !== 'GET' && methodRaw !== 'HEAD') fail(`method '${String(obj.method)}' is not GET or HEAD`);
  const method = methodRaw as 'GET' | 'HEAD';

  const statusParsed = parseStatusSpec(obj.status === undefined ? 200 : obj.status);
  const status = typeof statusParsed === 'string' ? fail(statusParsed) : statusParsed;

  const contains = obj.contains === undefined ? [] : stringList(obj.contains) ?? fail('contains must be a string or a list of strings');

  let regex: RegExp | undefined;
  if (obj.regex !== undefined) {
    if (typeof obj.regex !== 'string' || obj.regex === '') fail('regex must be a non-empty string');
    try {
      regex = new RegExp(String(obj.regex), 'm');
    } catch (err) {
      fail(`regex is invalid: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  const headers: ExpectedHeader[] = [];
  if (obj.headers !== undefined) {
    if (!isPlainObject(obj.headers)) fail('headers must be a mapping of header name to expected value (substring)');
    for (const [hName, hValue] of Object.entries(obj.headers as Record<string, unknown>)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(hName)) fail(`headers: '${hName}' is not a header name`);
      if (hValue !== null && !['string', 'number', 'boolean'].includes(typeof hValue)) fail(`headers: value of ${hName} must be a string`);
      headers.push({ name: hName.toLowerCase(), contains: hValue === null || hValue === true ? '' : String(hValue) });
    }
  }

  const metrics = obj.metrics === undefined ? false : typeof obj.metrics === 'boolean' ? obj.metrics : fail('metrics must be true or false');
  const ownMetrics = obj['required-metrics'] === undefined ? [] : stringList(obj['required-metrics']) ?? fail('required-metrics must be a list of metric names');
  if (ownMetrics.length > 0 && !metrics) fail('required-metrics needs metrics: true');
  const requiredMetrics = [...new Set([...ownMetrics, ...(metrics ? defaults.requiredMetrics ?? [] : [])])];
  for (const m of requiredMetrics) if (!METRIC_NAME.test(m)) fail(`'${m}' is not a Prometheus metric name`);
  if (method === 'HEAD' && (metrics || obj.json !== undefined || contains.length > 0 || regex)) fail('a HEAD check has no body to match (json, contains, regex, metrics)');

  const latencyP95Ms = obj['latency-p95'] === undefined ? undefined : latency(obj['latency-p95'], 'latency-p95', fail);
  const budget = defaults.latencyBudgets?.[name] ?? defaults.latencyBudgets?.[path];
  const latencyP99Ms = obj['latency-p99'] === undefined ? budget : latency(obj['latency-p99'], 'latency-p99', fail);

  return { name, path, method, status, json: obj.json, contains, regex, headers, metrics, requiredMetrics, latencyP95Ms, latencyP99Ms };
}

function latency(value: unknown, key: string, fail: (problem: string) => never): number {
  if (typeof value !== 'string') return fail(`${key} needs a unit, e.g. ${key}: 50ms`);
  if (/^\s*\d+\s*$/.test(value)) return fail(`${key} '${value}' needs a unit, e.g. 50ms`);
  try {
    const ms = parseDuration(key, value);
    return ms > 0 ? ms : fail(`${key} must be more than 0`);
  } catch {
    return fail(`${key} '${value}' is not a duration (e.g. 50ms, 1.5s)`);
  }
}

function stringList(value: unknown): string[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return undefined;
  if (!items.every((i) => typeof i === 'string' || typeof i === 'number')) return undefined;
  return items.map((i) => String(i));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The known key within edit distance 2 of a typo, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Parses the `latency-budgets` input: `path=duration` items. */
export function parseLatencyBudgets(items: string[], inputName = 'latency-budgets'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const at = item.lastIndexOf('=');
    if (at <= 0) throw new InputError(inputName, `'${item}' is not path=duration (e.g. /healthz=50ms)`);
    const key = item.slice(0, at).trim();
    const value = item.slice(at + 1).trim();
    if (/^\d+$/.test(value)) throw new InputError(inputName, `'${item}': give the duration a unit, e.g. ${key}=50ms`);
    const ms = parseDuration(inputName, value);
    if (ms <= 0) throw new InputError(inputName, `'${item}': the budget must be more than 0`);
    out[key] = ms;
  }
  return out;
}
