// Job summary, rendered from evaluations (pure): per target counts, gated findings, ignored findings,
// expired ignore entries.
import { escapeCell, truncate } from '../toolkit/index.js';
import { SEVERITIES, sumCounts, type Evaluation, type Finding, type GatePolicy, type GatedFinding } from './gate.js';
import type { IgnoreEntry } from './ignore.js';

export interface ScannedTarget {
  /** fs, image, config or report. */
  kind: string;
  /** What was scanned: path, image ref or report file. */
  subject: string;
  evaluation: Evaluation;
}

export interface SummaryInput {
  scans: ScannedTarget[];
  policy: GatePolicy;
  ignoreFiles: string[];
  expired: IgnoreEntry[];
  ignoreWarnings: string[];
  limit: number;
  warnOnly: boolean;
  trivyVersion?: string;
  /** The file with every gated and ignored finding (the `findings-path` output). */
  findingsPath?: string;
}

/** Rows the log table prints; the rest is in the findings file. */
export const LOG_TABLE_LIMIT = 500;

/**
 * Byte budgets per summary section, whatever the report size: GitHub drops a step summary over 1 MiB
 * whole, so the sum stays far below it (and below its 64 KiB-per-table rendering sweet spot per section).
 */
export const SUMMARY_BUDGET = { targets: 48 * 1024, gated: 128 * 1024, ignored: 48 * 1024, list: 16 * 1024 } as const;

/** At most `limit` rows whose Markdown fits `budget` bytes; `omitted` counts the rest. */
export function boundedRows(rows: Iterable<string[]>, limit: number, budget: number, total: number): { rows: string[][]; omitted: number } {
  const out: string[][] = [];
  let bytes = 0;
  for (const row of rows) {
    if (out.length >= limit) break;
    const size = Buffer.byteLength(row.join(' | ')) + 4;
    if (bytes + size > budget) break;
    bytes += size;
    out.push(row);
  }
  return { rows: out, omitted: total - out.length };
}

const ICON: Record<string, string> = { CRITICAL: '🟥', HIGH: '🟧', MEDIUM: '🟨', LOW: '🟦', UNKNOWN: '⬜' };

export function link(text: string, url: string | undefined): string {
  const label = escapeCell(text).replace(/[[\]]/g, '\\$&');
  return url && /^https?:\/\//.test(url) ? `[${label}](${url.replace(/[()\s]/g, encodeURIComponent)})` : label;
}

/** A markdownTable whose cells are already Markdown (links): only pipes and newlines are escaped. */
function rawTable(headers: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '&#124;').replace(/\r?\n/g, ' ')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function where(f: Finding): string {
  if (f.kind === 'vulnerability') return f.pkgName ?? f.target;
  return f.line ? `${f.target}:${f.line}` : f.target;
}

export function versions(f: Finding): string {
  if (f.kind !== 'vulnerability') return '';
  const fixed = f.fixedVersion && f.fixedVersion.trim() !== '' ? f.fixedVersion : 'no fix';
  return `${f.installedVersion ?? '?'} → ${fixed}`;
}

function expiryNote(entry: IgnoreEntry): string {
  return entry.expiresAt ? `until ${entry.expiresAt}` : 'no expiry';
}

export function renderSummary(input: SummaryInput): string {
  // The evaluations keep the most severe findings only; the counts are complete.
  const gated = input.scans.flatMap((s) => s.evaluation.gated.map((f) => ({ scan: s, f })));
  const ignored = input.scans.flatMap((s) => s.evaluation.ignored.map((i) => ({ scan: s, i })));
  const gatedCount = input.scans.reduce((n, s) => n + s.evaluation.gatedCount, 0);
  const ignoredCount = input.scans.reduce((n, s) => n + s.evaluation.ignoredCount, 0);
  const passed = gatedCount === 0;
  const headline = passed
    ? '✅ passed'
    : input.warnOnly
      ? `⚠️ ${gatedCount} finding${gatedCount === 1 ? '' : 's'} at ${input.policy.severities.join(', ')} (warn-only: not failing)`
      : `❌ failed: ${gatedCount} finding${gatedCount === 1 ? '' : 's'} at ${input.policy.severities.join(', ')}`;
  const out: string[] = [`## Trivy gate ${headline}`, ''];
  const policy = [`severity ${input.policy.severities.join(', ')}`, `ignore-unfixed ${input.policy.ignoreUnfixed}`];
  policy.push(input.ignoreFiles.length ? `ignore file ${input.ignoreFiles.map((f) => `\`${f}\``).join(', ')}` : 'no ignore file');
  if (input.trivyVersion) policy.push(`Trivy ${input.trivyVersion}`);
  out.push(`Policy: ${policy.join(' · ')}`, '');

  for (const scan of input.scans) {
    const e = scan.evaluation;
    out.push(`### ${scan.kind} \`${escapeCell(scan.subject)}\``, '');
    if (e.targetCount === 0) {
      out.push('No findings (the report has no results).', '');
      continue;
    }
    // Targets with gated findings first, then by findings: what matters survives the cut.
    const ordered = e.targetCount > input.limit ? [...e.targets].sort((a, b) => sumCounts(b.gated) - sumCounts(a.gated) || sumCounts(b.total) - sumCounts(a.total)) : e.targets;
    const cells = (function* () {
      for (const t of ordered) yield [escapeCell(truncate(t.target || '(artifact)', 150)), escapeCell(t.class ?? ''), ...SEVERITIES.map((s) => String(t.total[s])), String(sumCounts(t.gated)), String(t.ignored)];
    })();
    const { rows, omitted } = boundedRows(cells, Math.max(input.limit, 1), SUMMARY_BUDGET.targets, e.targetCount);
    if (omitted > 0) rows.push([`*…and ${omitted} more targets*`, '', '', '', '', '', '', '', '']);
    if (e.targetCount > 1) rows.push(['**total**', '', ...SEVERITIES.map((s) => `**${e.total[s]}**`), `**${sumCounts(e.gatedCounts)}**`, `**${e.ignoredCount}**`]);
    out.push(rawTable(['Target', 'Class', ...SEVERITIES.map((s) => `${ICON[s]} ${s[0]}${s.slice(1).toLowerCase()}`), 'Gated', 'Ignored'], rows), '');
  }

  if (gatedCount) {
    out.push(`### Gated findings (${gatedCount})`, '');
    const cells = (function* () {
      for (const { scan, f } of gated) {
        const note = f.expiredIgnore ? ` (ignore expired ${f.expiredIgnore.expiresAt}, ${escapeCell(f.expiredIgnore.source)})` : '';
        yield [link(truncate(f.id, 80), f.url), `${ICON[f.severity]} ${f.severity}`, f.kind, escapeCell(truncate(where(f), 100)), escapeCell(truncate(versions(f), 80)), escapeCell(truncate(f.title ?? '', 100)) + note, escapeCell(truncate(`${scan.kind}: ${f.target}`, 150))];
      }
    })();
    const { rows, omitted } = boundedRows(cells, input.limit, SUMMARY_BUDGET.gated, gatedCount);
    if (rows.length) out.push(rawTable(['ID', 'Severity', 'Kind', 'Package / location', 'Installed → fixed', 'Title', 'Target'], rows));
    if (omitted > 0) out.push('', `…and ${omitted} more${moreWhere(input.findingsPath)}.`);
    out.push('');
  }

  if (ignoredCount) {
    out.push(`### Ignored findings (${ignoredCount})`, '');
    const cells = (function* () {
      for (const { scan, i } of ignored) {
        yield [
          link(truncate(i.finding.id, 80), i.finding.url),
          `${ICON[i.finding.severity]} ${i.finding.severity}`,
          escapeCell(truncate(where(i.finding), 100)),
          escapeCell(truncate(`${scan.kind}: ${i.finding.target}`, 150)),
          escapeCell(truncate(`${i.entry.source}, ${expiryNote(i.entry)}${i.entry.statement ? `: ${i.entry.statement}` : ''}`, 200)),
        ];
      }
    })();
    const { rows, omitted } = boundedRows(cells, input.limit, SUMMARY_BUDGET.ignored, ignoredCount);
    if (rows.length) out.push(rawTable(['ID', 'Severity', 'Package / location', 'Target', 'Why'], rows));
    if (omitted > 0) out.push('', `…and ${omitted} more${moreWhere(input.findingsPath)}.`);
    out.push('');
  }

  if (input.expired.length) {
    out.push(`### Expired ignore entries (${input.expired.length})`, '', 'These no longer apply; renew or remove them:', '');
    out.push(...boundedList(input.expired.map((e) => `- \`${escapeCell(truncate(e.id, 80))}\` expired ${e.expiresAt} (${escapeCell(e.source)})${e.statement ? `: ${escapeCell(truncate(e.statement, 200))}` : ''}`)), '');
  }
  if (input.ignoreWarnings.length) {
    out.push('### Ignore file warnings', '');
    out.push(...boundedList(input.ignoreWarnings.map((w) => `- ${escapeCell(truncate(w, 300))}`)), '');
  }
  return out.join('\n');
}

function moreWhere(findingsPath: string | undefined): string {
  return findingsPath ? `: every finding is listed in \`${findingsPath}\` (the \`findings-path\` output; upload it with actions/upload-artifact)` : '';
}

function boundedList(lines: string[]): string[] {
  const { rows, omitted } = boundedRows(
    lines.map((l) => [l]),
    Infinity,
    SUMMARY_BUDGET.list,
    lines.length,
  );
  return [...rows.map((r) => r[0]), ...(omitted > 0 ? [`- …and ${omitted} more`] : [])];
}

/**
 * The log table of the gated findings, rendered from the evaluation itself (no `trivy convert`, so
 * mode report needs no Trivy for it): a count line per result target (the first 20), then one aligned
 * plain-text table, most severe first.
 */
export function renderGatedTable(gated: readonly GatedFinding[], total = gated.length): string {
  if (gated.length === 0) return '';
  const byTarget = new Map<string, GatedFinding[]>();
  for (const f of gated) {
    const list = byTarget.get(f.target);
    if (list) list.push(f);
    else byTarget.set(f.target, [f]);
  }
  const out: string[] = [];
  let shownTargets = 0;
  for (const [target, findings] of byTarget) {
    if (shownTargets++ === 20) {
      out.push(`…and ${byTarget.size - 20} more targets`);
      break;
    }
    const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    out.push(`${target || '(artifact)'}: ${findings.length} gated (${counts.map(([s, n]) => `${s}: ${n}`).join(', ')})`);
  }
  if (total > gated.length) out.push(`(the ${gated.length} most severe of ${total} gated findings)`);
  const headers = ['ID', 'Severity', 'Kind', 'Package / location', 'Installed → fixed', 'Title', 'Target'];
  const rows = gated.map((f) => [f.id, f.severity, f.kind, truncate(where(f), 60), versions(f), truncate(oneLine(f.title ?? ''), 80) + (f.expiredIgnore ? ` (ignore expired ${f.expiredIgnore.expiresAt})` : ''), truncate(f.target || '(artifact)', 80)]);
  const widths = headers.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const line = (cells: string[]): string => `│ ${cells.map((c, i) => c.padEnd(widths[i])).join(' │ ')} │`;
  const rule = (l: string, m: string, r: string): string => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  out.push(rule('┌', '┬', '┐'), line(headers), rule('├', '┼', '┤'), ...rows.map(line), rule('└', '┴', '┘'));
  return out.join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

