// The full list behind the bounded log table and job summary: every gated and ignored finding, one
// tab-separated line each, written as the gate evaluates them (the `findings-path` output).
import * as fs from 'node:fs';
import type { EvaluatorOptions, Finding } from './gate.js';

export const FINDINGS_HEADER = ['scan', 'status', 'severity', 'id', 'kind', 'package / location', 'installed', 'fixed', 'target', 'title', 'url', 'note'];

function cell(value: string | number | undefined): string {
  return value === undefined ? '' : String(value).replace(/[\t\r\n]+/g, ' ');
}

function row(scan: string, status: string, f: Finding, note: string): string {
  const location = f.kind === 'vulnerability' ? f.pkgName ?? '' : f.line ? `${f.target}:${f.line}` : f.target;
  return [scan, status, f.severity, f.id, f.kind, location, f.installedVersion, f.fixedVersion, f.target, f.title, f.url, note].map(cell).join('\t');
}

export class FindingsFile {
  private readonly fd: number;
  private pending: string[] = [];
  private size = 0;
  lines = 0;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'w');
    this.write(FINDINGS_HEADER.join('\t'));
  }

  /** The Evaluator sink for one scan. */
  sink(scan: string): NonNullable<EvaluatorOptions['sink']> {
    return (item) => {
      if ('gated' in item) {
        const f = item.gated;
        this.write(row(scan, 'gated', f, f.expiredIgnore ? `ignore expired ${f.expiredIgnore.expiresAt} (${f.expiredIgnore.source})` : ''));
      } else {
        const { finding, entry } = item.ignored;
        this.write(row(scan, 'ignored', finding, `${entry.source}${entry.expiresAt ? `, until ${entry.expiresAt}` : ''}${entry.statement ? `: ${entry.statement}` : ''}`));
      }
      this.lines++;
    };
  }

  private write(line: string): void {
    this.pending.push(line);
    this.size += line.length;
    if (this.size >= 64 * 1024) this.flush();
  }

  private flush(): void {
    if (this.pending.length) fs.writeSync(this.fd, `${this.pending.join('\n')}\n`);
    this.pending = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}
