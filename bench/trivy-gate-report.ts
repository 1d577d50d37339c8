// A large Trivy JSON report built from real ones: the Results of Trivy's own golden reports
// (test/fixtures/trivy/upstream) and of the project's fixtures, repeated with distinct
// targets until the file reaches the wanted size. Written in chunks, never held in memory whole.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../test/support/run-action.js';

const OWN = path.join(ROOT, 'test', 'fixtures', 'trivy');
const UPSTREAM = path.join(OWN, 'upstream');

interface SourceResult {
  /** The Result as JSON text, with its Target replaced by a placeholder. */
  before: string;
  after: string;
  target: string;
  findings: number;
}

/** The Results with findings of every SchemaVersion 2 report among the fixtures (real Trivy output first). */
export function realResults(): { results: SourceResult[]; sources: string[] } {
  const files = [
    ...fs.readdirSync(UPSTREAM).filter((f) => f.endsWith('.json.golden')).map((f) => path.join(UPSTREAM, f)),
    ...fs.readdirSync(OWN).filter((f) => f.endsWith('.json')).map((f) => path.join(OWN, f)),
  ];
  const results: SourceResult[] = [];
  const sources: string[] = [];
  for (const file of files) {
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const report = doc as { SchemaVersion?: unknown; Results?: Array<Record<string, unknown>> | null };
    if (report?.SchemaVersion !== 2 || !Array.isArray(report.Results)) continue;
    let used = false;
    for (const r of report.Results) {
      const findings = ['Vulnerabilities', 'Misconfigurations', 'Secrets', 'Licenses'].reduce((n, k) => n + (Array.isArray(r[k]) ? (r[k] as unknown[]).length : 0), 0);
      if (findings === 0) continue;
      const text = JSON.stringify({ ...r, Target: '\u0000' }, null, 2);
      const [before, after] = text.split('"\\u0000"');
      results.push({ before, after, target: String(r.Target ?? ''), findings });
      used = true;
    }
    if (used) sources.push(path.relative(ROOT, file));
  }
  if (results.length === 0) throw new Error(`no Trivy JSON report with findings in ${OWN}`);
  return { results, sources };
}

export interface Generated {
  bytes: number;
  results: number;
  findings: number;
  sources: string[];
}

/** Writes a report of about `megabytes` MB (indented like `trivy --format json`) to file. */
export function generateReport(file: string, megabytes: number): Generated {
  const { results, sources } = realResults();
  const fd = fs.openSync(file, 'w');
  const target = megabytes * 1024 * 1024;
  let bytes = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  const write = (s: string): void => {
    pending.push(s);
    pendingBytes += s.length;
    bytes += Buffer.byteLength(s);
    if (pendingBytes > 1 << 20) flush();
  };
  const flush = (): void => {
    fs.writeSync(fd, pending.join(''));
    pending = [];
    pendingBytes = 0;
  };
  write('{\n  "SchemaVersion": 2,\n  "Trivy": {\n    "Version": "0.72.0"\n  },\n  "ArtifactName": "ghcr.io/acme/monorepo",\n  "ArtifactType": "repository",\n  "Results": [');
  let count = 0;
  let findings = 0;
  for (; bytes < target; count++) {
    const r = results[count % results.length];
    const indented = `${r.before}${JSON.stringify(`${r.target} #${Math.floor(count / results.length)}`)}${r.after}`.replace(/\n/g, '\n    ');
    write(`${count ? ',' : ''}\n    ${indented}`);
    findings += r.findings;
  }
  write('\n  ]\n}\n');
  flush();
  fs.closeSync(fd);
  return { bytes, results: count, findings, sources };
}
