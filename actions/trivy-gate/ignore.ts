// Trivy's ignore files, applied by our code: `.trivyignore` (one ID per line, optional exp:YYYY-MM-DD,
// every ID applies to every finding kind) and `.trivyignore.yaml` (per-kind lists with id, paths,
// purls, expired_at, statement). Semantics follow Trivy's pkg/result/ignore.go.
import YAML from 'yaml';

export type FindingKind = 'vulnerability' | 'misconfiguration' | 'secret' | 'license';

export interface PackageURL {
  type: string;
  namespace: string;
  name: string;
  version: string;
  qualifiers: Record<string, string>;
  subpath: string;
}

export interface IgnoreEntry {
  /** 'any' for .trivyignore lines, which Trivy applies to all four kinds. */
  kind: FindingKind | 'any';
  id: string;
  paths: string[];
  purls: PackageURL[];
  /** YYYY-MM-DD; the entry stops applying at 00:00 UTC that day (Trivy: expiry before now). */
  expiresAt?: string;
  statement?: string;
  /** file:line, for the summary. */
  source: string;
}

export interface IgnoreRules {
  active: IgnoreEntry[];
  expired: IgnoreEntry[];
  warnings: string[];
}

export interface MatchableFinding {
  kind: FindingKind;
  /** The ID, plus AVDID for misconfigurations. */
  ids: string[];
  target: string;
  pkgPath?: string;
  purl?: string;
}

/** The ignore file cannot be used (bad YAML, bad purl, bad glob); Trivy itself would fail too. */
export class IgnoreFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IgnoreFileError';
  }
}

export const EMPTY_RULES: IgnoreRules = { active: [], expired: [], warnings: [] };

export function parseTrivyIgnore(text: string, file: string): { entries: IgnoreEntry[]; warnings: string[] } {
  const entries: IgnoreEntry[] = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const source = `${file}:${index + 1}`;
    let expiresAt: string | undefined;
    if (fields.length > 1) {
      const exp = fields.find((f) => f.startsWith('exp:'));
      if (exp !== undefined) {
        const date = exp.slice(4);
        if (!isValidDate(date)) {
          // Trivy warns and drops the whole line.
          warnings.push(`${source}: '${exp}' is not a valid exp:YYYY-MM-DD date; the line is skipped`);
          return;
        }
        expiresAt = date;
      }
    }
    const hash = line.indexOf('#');
    const statement = hash > 0 ? line.slice(hash + 1).trim() || undefined : undefined;
    entries.push({ kind: 'any', id: fields[0], paths: [], purls: [], expiresAt, statement, source });
  });
  return { entries, warnings };
}

const YAML_KINDS: Record<string, FindingKind> = {
  vulnerabilities: 'vulnerability',
  misconfigurations: 'misconfiguration',
  secrets: 'secret',
  licenses: 'license',
};

export function parseTrivyIgnoreYaml(text: string, file: string): IgnoreEntry[] {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new IgnoreFileError(`${file}: not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  if (doc === null || doc === undefined) return [];
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new IgnoreFileError(`${file}: expected a mapping with vulnerabilities, misconfigurations, secrets or licenses`);
  const entries: IgnoreEntry[] = [];
  for (const [key, list] of Object.entries(doc as Record<string, unknown>)) {
    const kind = YAML_KINDS[key];
    if (!kind) continue;
    if (list === null) continue;
    if (!Array.isArray(list)) throw new IgnoreFileError(`${file}: '${key}' must be a list`);
    list.forEach((item: unknown, index) => {
      const where = `${file} ${key}[${index}]`;
      if (typeof item !== 'object' || item === null) throw new IgnoreFileError(`${where}: expected a mapping with an id`);
      const rec = item as Record<string, unknown>;
      if (typeof rec.id !== 'string' || rec.id.trim() === '') throw new IgnoreFileError(`${where}: 'id' is required`);
      const paths = stringList(rec.paths, `${where}.paths`);
      for (const p of paths) globToRegExp(p, `${where}.paths`);
      const purls = stringList(rec.purls, `${where}.purls`).map((p) => {
        const parsed = parsePurl(p);
        if (!parsed) throw new IgnoreFileError(`${where}.purls: '${p}' is not a package URL (pkg:type/namespace/name@version)`);
        return parsed;
      });
      const expiresAt = yamlDate(rec.expired_at, `${where}.expired_at`);
      const statement = typeof rec.statement === 'string' ? rec.statement : undefined;
      entries.push({ kind, id: rec.id.trim(), paths, purls, expiresAt, statement, source: `${file} (${key}: ${rec.id.trim()})` });
    });
  }
  return entries;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new IgnoreFileError(`${where}: expected a list of strings`);
  return value as string[];
}

function yamlDate(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') {
    const date = value.trim().slice(0, 10);
    if (isValidDate(date) && (value.trim().length === 10 || !Number.isNaN(Date.parse(value)))) return date;
  }
  throw new IgnoreFileError(`${where}: '${String(value)}' is not a YYYY-MM-DD date`);
}

function isValidDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** Trivy prunes an entry when its expiry (00:00 UTC of the date) is before now. */
export function isExpired(entry: IgnoreEntry, now: Date): boolean {
  return entry.expiresAt !== undefined && Date.parse(`${entry.expiresAt}T00:00:00Z`) < now.getTime();
}

export function buildRules(entries: IgnoreEntry[], now: Date, warnings: string[] = []): IgnoreRules {
  const active: IgnoreEntry[] = [];
  const expired: IgnoreEntry[] = [];
  for (const e of entries) (isExpired(e, now) ? expired : active).push(e);
  return { active, expired, warnings };
}

/** The first entry that ignores the finding, or undefined. */
export function matchIgnore(entries: readonly IgnoreEntry[], finding: MatchableFinding): IgnoreEntry | undefined {
  if (entries.length === 0) return undefined;
  const candidates = entries.filter((e) => e.kind === 'any' || e.kind === finding.kind);
  if (candidates.length === 0) return undefined;
  const locations = finding.kind === 'vulnerability' ? [finding.target, finding.pkgPath ?? ''] : [finding.target];
  const purl = finding.purl ? parsePurl(finding.purl) : undefined;
  const direct = (id: string): IgnoreEntry | undefined => {
    for (const location of locations) {
      const hit = candidates.find((e) => e.id === id && matchPaths(e.paths, location) && matchPurls(e.purls, purl));
      if (hit) return hit;
    }
    return undefined;
  };
  for (const id of finding.ids) {
    const hit = direct(id);
    if (hit) return hit;
  }
  if (finding.kind === 'license') {
    // A compound expression is ignored only when every component is (a WITH clause is one component).
    const parts = licenseComponents(finding.ids[0] ?? '');
    if (parts.length > 1) {
      const hits = parts.map((p) => direct(p));
      if (hits.every((h) => h !== undefined)) return hits[0];
    }
  }
  return undefined;
}

export function licenseComponents(expression: string): string[] {
  return expression
    .replace(/[()]/g, ' ')
    .split(/\s+(?:AND|OR)\s+/i)
    .map((p) => p.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

function matchPaths(patterns: string[], location: string): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) => globToRegExp(p).test(location));
}

function matchPurls(patterns: PackageURL[], target: PackageURL | undefined): boolean {
  // Trivy: no PURL on the finding (or none in the entry) means the purls field does not apply.
  if (!target || patterns.length === 0) return true;
  return patterns.some((p) => purlMatches(p, target));
}

export function purlMatches(pattern: PackageURL, target: PackageURL): boolean {
  if (pattern.type !== target.type || pattern.namespace !== target.namespace || pattern.name !== target.name) return false;
  if (pattern.version && pattern.version !== target.version) return false;
  if (pattern.subpath && pattern.subpath !== target.subpath) return false;
  return Object.entries(pattern.qualifiers).every(([k, v]) => target.qualifiers[k] === v);
}

export function parsePurl(text: string): PackageURL | undefined {
  const m = /^pkg:([A-Za-z.+-][A-Za-z0-9.+-]*)\/([^?#]+?)(?:\?([^#]*))?(?:#(.*))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, type, pathPart, query, subpath] = m;
  let rest = pathPart.replace(/^\/+|\/+$/g, '');
  let version = '';
  const at = rest.lastIndexOf('@');
  if (at > 0 && rest.indexOf('/', at) === -1) {
    version = decode(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const segments = rest.split('/').filter(Boolean).map(decode);
  const name = segments.pop();
  if (!name) return undefined;
  const qualifiers: Record<string, string> = {};
  for (const pair of (query ?? '').split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq > 0) qualifiers[pair.slice(0, eq).toLowerCase()] = decode(pair.slice(eq + 1));
  }
  return { type: type.toLowerCase(), namespace: segments.join('/'), name, version, qualifiers, subpath: (subpath ?? '').replace(/^\/+|\/+$/g, '') };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const globCache = new Map<string, RegExp>();

/** doublestar glob → RegExp: `**` spans directories, `*` and `?` stay within one, `{a,b}`, `[abc]`. */
export function globToRegExp(pattern: string, where = 'paths'): RegExp {
  const cached = globCache.get(pattern);
  if (cached) return cached;
  let re = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      const atStart = i === 0 || pattern[i - 1] === '/';
      const slashAfter = pattern[i + 2] === '/';
      if (atStart && slashAfter) {
        re += '(?:.*/)?';
        i += 2;
      } else if (atStart && i + 2 === pattern.length) {
        re += '.*';
        i += 1;
      } else {
        re += '[^/]*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new IgnoreFileError(`${where}: invalid glob '${pattern}' (unclosed [)`);
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('!') || cls.startsWith('^')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[i + 1]);
      i++;
    } else re += escapeRe(c);
  }
  if (braces !== 0) throw new IgnoreFileError(`${where}: invalid glob '${pattern}' (unbalanced {})`);
  const compiled = new RegExp(`^${re}$`);
  globCache.set(pattern, compiled);
  return compiled;
}

function escapeRe(c: string): string {
  return /[.+^${}()|[\]\\/*?]/.test(c) ? `\\${c}` : c;
}
