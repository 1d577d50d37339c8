// Prometheus text exposition format (0.0.4) parser and validator, tolerant of OpenMetrics' `# EOF`/`# UNIT`.
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
  line: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

export interface Exposition {
  families: Map<string, MetricFamily>;
  /** Problems with their line numbers; empty when the exposition is valid. */
  errors: string[];
}

const TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const MAX_ERRORS = 20;

/** Parses a float as Go's ParseFloat does for this format: decimals, exponents, ±Inf, NaN. */
export function parseFloatValue(text: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(text)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  return undefined;
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
}

interface LabelParse {
  labels: Record<string, string>;
  rest: string;
}

function parseLabels(text: string): LabelParse | string {
  // text starts just after '{'
  const labels: Record<string, string> = {};
  let s = text;
  for (;;) {
    s = s.replace(/^[ \t]+/, '');
    if (s.startsWith('}')) return { labels, rest: s.slice(1) };
    const nameMatch = LABEL_NAME.exec(s);
    if (!nameMatch) return `invalid label name at '${s.slice(0, 20)}'`;
    const name = nameMatch[0];
    s = s.slice(name.length).replace(/^[ \t]+/, '');
    if (!s.startsWith('=')) return `expected '=' after label ${name}`;
    s = s.slice(1).replace(/^[ \t]+/, '');
    if (!s.startsWith('"')) return `label ${name}: value must be in double quotes`;
    s = s.slice(1);
    let value = '';
    let closed = false;
    while (s.length > 0) {
      const c = s[0];
      if (c === '\\') {
        const next = s[1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else return `label ${name}: invalid escape '\\${next ?? ''}' (only \\\\, \\" and \\n)`;
        s = s.slice(2);
      } else if (c === '"') {
        s = s.slice(1);
        closed = true;
        break;
      } else {
        value += c;
        s = s.slice(1);
      }
    }
    if (!closed) return `label ${name}: unterminated value`;
    if (name in labels) return `label ${name} appears twice`;
    labels[name] = value;
    s = s.replace(/^[ \t]+/, '');
    if (s.startsWith(',')) {
      s = s.slice(1);
      continue;
    }
    if (s.startsWith('}')) return { labels, rest: s.slice(1) };
    return `expected ',' or '}' after label ${name}`;
  }
}

/** The family a sample belongs to: histogram/summary suffixes map to their declared family. */
function familyOf(sampleName: string, types: Map<string, MetricType>): string {
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    if (!sampleName.endsWith(suffix)) continue;
    const base = sampleName.slice(0, -suffix.length);
    const type = types.get(base);
    if (type === 'histogram' && ['_bucket', '_sum', '_count', '_created'].includes(suffix)) return base;
    if (type === 'summary' && ['_sum', '_count', '_created'].includes(suffix)) return base;
    // OpenMetrics counters: family `x`, samples `x_total` / `x_created`.
    if (type === 'counter' && ['_total', '_created'].includes(suffix)) return base;
  }
  return sampleName;
}

function seriesKey(name: string, labels: Record<string, string>, skip?: string): string {
  const parts = Object.keys(labels)
    .filter((k) => k !== skip)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${parts.join(',')}}`;
}

export function parseExposition(text: string): Exposition {
  const families = new Map<string, MetricFamily>();
  const types = new Map<string, MetricType>();
  const helps = new Set<string>();
  const errors: string[] = [];
  const finished = new Set<string>();
  const series = new Set<string>();
  let current: string | undefined;
  const error = (line: number, problem: string): void => {
    if (errors.length < MAX_ERRORS) errors.push(`line ${line}: ${problem}`);
  };
  const family = (name: string): MetricFamily => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: types.get(name) ?? 'untyped', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  const enter = (name: string, lineNo: number): void => {
    if (current === name) return;
    if (current !== undefined) finished.add(current);
    if (finished.has(name)) error(lineNo, `lines of metric ${name} are not grouped together`);
    current = name;
  };

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const m = /^#[ \t]+(HELP|TYPE|UNIT|EOF)(?:[ \t]+(\S+))?(?:[ \t]+(.*))?$/.exec(line);
      if (!m) continue; // a plain comment
      const [, keyword, name, rest = ''] = m;
      if (keyword === 'EOF') break;
      if (keyword === 'UNIT') continue;
      if (!name || !METRIC_NAME.test(name) || METRIC_NAME.exec(name)?.[0] !== name) {
        error(lineNo, `# ${keyword} needs a valid metric name`);
        continue;
      }
      enter(name, lineNo);
      if (keyword === 'HELP') {
        if (helps.has(name)) error(lineNo, `second HELP line for ${name}`);
        helps.add(name);
        family(name).help = unescapeHelp(rest);
      } else {
        const type = rest.trim() as MetricType;
        if (!TYPES.includes(type)) error(lineNo, `unknown type '${rest.trim()}' for ${name} (counter, gauge, histogram, summary, untyped)`);
        else if (types.has(name)) error(lineNo, `second TYPE line for ${name}`);
        else if ((families.get(name)?.samples.length ?? 0) > 0) error(lineNo, `TYPE line for ${name} after its samples`);
        else {
          types.set(name, type);
          family(name).type = type;
        }
      }
      continue;
    }

    const nameMatch = METRIC_NAME.exec(line);
    if (!nameMatch) {
      error(lineNo, `expected a metric name at '${line.slice(0, 30)}'`);
      continue;
    }
    const sampleName = nameMatch[0];
    let rest = line.slice(sampleName.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(rest.slice(1));
      if (typeof parsed === 'string') {
        error(lineNo, `${sampleName}: ${parsed}`);
        continue;
      }
      labels = parsed.labels;
      rest = parsed.rest;
    }
    // OpenMetrics exemplars (` # {…} v`) are not part of the value.
    const fields = rest.replace(/\s+#\s+\{.*$/, '').trim().split(/[ \t]+/).filter(Boolean);
    if (!/^[ \t]/.test(rest) || fields.length === 0) {
      error(lineNo, `${sampleName}: expected a space then a value`);
      continue;
    }
    if (fields.length > 2) {
      error(lineNo, `${sampleName}: unexpected text after the value and timestamp: '${fields.slice(2).join(' ')}'`);
      continue;
    }
    const value = parseFloatValue(fields[0]);
    if (value === undefined) {
      error(lineNo, `${sampleName}: '${fields[0]}' is not a number (use e.g. 1, 2.5e3, +Inf, NaN)`);
      continue;
    }
    let timestampMs: number | undefined;
    if (fields[1] !== undefined) {
      if (!/^-?\d+$/.test(fields[1])) {
        error(lineNo, `${sampleName}: timestamp '${fields[1]}' is not an integer of milliseconds`);
        continue;
      }
      timestampMs = Number(fields[1]);
    }
    const famName = familyOf(sampleName, types);
    enter(famName, lineNo);
    const fam = family(famName);
    const key = seriesKey(sampleName, labels);
    if (series.has(key)) error(lineNo, `duplicate sample ${key}`);
    series.add(key);
    if (fam.type === 'counter' && value < 0) error(lineNo, `counter ${sampleName} is negative (${fields[0]})`);
    if (fam.type === 'histogram' && sampleName === `${famName}_bucket`) {
      if (labels.le === undefined) error(lineNo, `${sampleName}: histogram bucket without an le label`);
      else if (parseFloatValue(labels.le) === undefined) error(lineNo, `${sampleName}: le="${labels.le}" is not a number`);
    }
    if (fam.type === 'histogram' && sampleName === famName) error(lineNo, `histogram ${famName} has a bare sample (use _bucket, _sum, _count)`);
    if (fam.type === 'summary' && sampleName === famName) {
      const q = labels.quantile === undefined ? undefined : parseFloatValue(labels.quantile);
      if (q === undefined || !(q >= 0 && q <= 1)) error(lineNo, `summary ${famName}: quantile label must be a number between 0 and 1`);
    }
    fam.samples.push({ name: sampleName, labels, value, timestampMs, line: lineNo });
  }

  for (const fam of families.values()) if (fam.type === 'histogram') validateHistogram(fam, error);
  const sampleCount = [...families.values()].reduce((n, f) => n + f.samples.length, 0);
  if (sampleCount === 0 && errors.length === 0) errors.push('no samples found (is this the metrics endpoint?)');
  return { families, errors };
}

function validateHistogram(fam: MetricFamily, error: (line: number, problem: string) => void): void {
  const groups = new Map<string, { buckets: Array<{ le: number; value: number; line: number }>; count?: Sample }>();
  const group = (labels: Record<string, string>) => {
    const key = seriesKey(fam.name, labels, 'le');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { buckets: [] }));
    return g;
  };
  for (const s of fam.samples) {
    if (s.name === `${fam.name}_bucket`) {
      const le = s.labels.le === undefined ? undefined : parseFloatValue(s.labels.le);
      if (le !== undefined) group(s.labels).buckets.push({ le, value: s.value, line: s.line });
    } else if (s.name === `${fam.name}_count`) {
      group(s.labels).count = s;
    }
  }
  for (const [key, g] of groups) {
    if (g.buckets.length === 0) continue;
    const sorted = [...g.buckets].sort((a, b) => a.le - b.le);
    const inf = sorted[sorted.length - 1];
    if (inf.le !== Infinity) error(inf.line, `histogram ${key} has no le="+Inf" bucket`);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].value < sorted[i - 1].value) error(sorted[i].line, `histogram ${key}: bucket le=${sorted[i].le} (${sorted[i].value}) is below le=${sorted[i - 1].le} (${sorted[i - 1].value}); buckets are cumulative`);
    }
    if (inf.le === Infinity && g.count && g.count.value !== inf.value) error(g.count.line, `histogram ${key}: _count ${g.count.value} differs from the +Inf bucket ${inf.value}`);
  }
}

/** True when a family or a sample of that name is exposed (http_requests_total, http_request_duration_seconds). */
export function hasMetric(exposition: Exposition, name: string): boolean {
  if (exposition.families.has(name)) return true;
  for (const fam of exposition.families.values()) if (fam.samples.some((s) => s.name === name)) return true;
  return false;
}
