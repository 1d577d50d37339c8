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
  const gated = input.scans.flatMap((s) => s.evaluation.gated.map((f) => ({ scan: s, f })));
  const ignored = input.scans.flatMap((s) => s.evaluation.ignored.map((i) => ({ scan: s, i })));
  const passed = gated.length === 0;
  const headline = passed
    ? '✅ passed'
    : input.warnOnly
      ? `⚠️ ${gated.length} finding${gated.length === 1 ? '' : 's'} at ${input.policy.severities.join(', ')} (warn-only: not failing)`
      : `❌ failed: ${gated.length} finding${gated.length === 1 ? '' : 's'} at ${input.policy.severities.join(', ')}`;
  const out: string[] = [`## Trivy gate ${headline}`, ''];
  const policy = [`severity ${input.policy.severities.join(', ')}`, `ignore-unfixed ${input.policy.ignoreUnfixed}`];
  policy.push(input.ignoreFiles.length ? `ignore file ${input.ignoreFiles.map((f) => `\`${f}\``).join(', ')}` : 'no ignore file');
  if (input.trivyVersion) policy.push(`Trivy ${input.trivyVersion}`);
  out.push(`Policy: ${policy.join(' · ')}`, '');

  for (const scan of input.scans) {
    const e = scan.evaluation;
    out.push(`### ${scan.kind} \`${escapeCell(scan.subject)}\``, '');
    if (e.targets.length === 0) {
      out.push('No findings (the report has no results).', '');
      continue;
    }
    const rows = e.targets.map((t) => [t.target || '(artifact)', t.class ?? '', ...SEVERITIES.map((s) => String(t.total[s])), String(sumCounts(t.gated)), String(t.ignored)]);
    if (e.targets.length > 1) rows.push(['**total**', '', ...SEVERITIES.map((s) => `**${e.total[s]}**`), `**${sumCounts(e.gatedCounts)}**`, `**${e.ignored.length}**`]);
    out.push(rawTable(['Target', 'Class', ...SEVERITIES.map((s) => `${ICON[s]} ${s[0]}${s.slice(1).toLowerCase()}`), 'Gated', 'Ignored'], rows.map((r) => [escapeCell(r[0]), ...r.slice(1)])), '');
  }

  if (gated.length) {
    out.push(`### Gated findings (${gated.length})`, '');
    const shown = gated.slice(0, input.limit);
    const rows = shown.map(({ scan, f }) => {
      const note = f.expiredIgnore ? ` (ignore expired ${f.expiredIgnore.expiresAt}, ${escapeCell(f.expiredIgnore.source)})` : '';
      return [link(f.id, f.url), `${ICON[f.severity]} ${f.severity}`, f.kind, escapeCell(where(f)), escapeCell(versions(f)), escapeCell(truncate(f.title ?? '', 100)) + note, escapeCell(`${scan.kind}: ${f.target}`)];
    });
    out.push(rawTable(['ID', 'Severity', 'Kind', 'Package / location', 'Installed → fixed', 'Title', 'Target'], rows));
    if (gated.length > shown.length) out.push('', `…and ${gated.length - shown.length} more (see the report artifact or the log table).`);
    out.push('');
  }

  if (ignored.length) {
    out.push(`### Ignored findings (${ignored.length})`, '');
    const shown = ignored.slice(0, input.limit);
    const rows = shown.map(({ scan, i }) => [
      link(i.finding.id, i.finding.url),
      `${ICON[i.finding.severity]} ${i.finding.severity}`,
      escapeCell(where(i.finding)),
      escapeCell(`${scan.kind}: ${i.finding.target}`),
      escapeCell(`${i.entry.source}, ${expiryNote(i.entry)}${i.entry.statement ? `: ${i.entry.statement}` : ''}`),
    ]);
    out.push(rawTable(['ID', 'Severity', 'Package / location', 'Target', 'Why'], rows));
    if (ignored.length > shown.length) out.push('', `…and ${ignored.length - shown.length} more.`);
    out.push('');
  }

  if (input.expired.length) {
    out.push(`### Expired ignore entries (${input.expired.length})`, '', 'These no longer apply; renew or remove them:', '');
    for (const e of input.expired) out.push(`- \`${escapeCell(e.id)}\` expired ${e.expiresAt} (${escapeCell(e.source)})${e.statement ? `: ${escapeCell(e.statement)}` : ''}`);
    out.push('');
  }
  if (input.ignoreWarnings.length) {
    out.push('### Ignore file warnings', '');
    for (const w of input.ignoreWarnings) out.push(`- ${escapeCell(w)}`);
    out.push('');
  }
  return out.join('\n');
}

/**
 * The log table of the gated findings, rendered from the evaluation itself (no `trivy convert`, so
 * mode report needs no Trivy for it): per result target, a count line and an aligned plain-text table.
 */
export function renderGatedTable(gated: readonly GatedFinding[]): string {
  const byTarget = new Map<string, GatedFinding[]>();
  for (const f of gated) byTarget.set(f.target, [...(byTarget.get(f.target) ?? []), f]);
  const headers = ['ID', 'Severity', 'Kind', 'Package / location', 'Installed → fixed', 'Title'];
  const out: string[] = [];
  for (const [target, findings] of byTarget) {
    const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    const heading = `${target || '(artifact)'}: ${findings.length} gated (${counts.map(([s, n]) => `${s}: ${n}`).join(', ')})`;
    const rows = findings.map((f) => [f.id, f.severity, f.kind, where(f), versions(f), truncate(oneLine(f.title ?? ''), 80) + (f.expiredIgnore ? ` (ignore expired ${f.expiredIgnore.expiresAt})` : '')]);
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]): string => `│ ${cells.map((c, i) => c.padEnd(widths[i])).join(' │ ')} │`;
    const rule = (l: string, m: string, r: string): string => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
    out.push(heading, rule('┌', '┬', '┐'), line(headers), rule('├', '┼', '┤'), ...rows.map(line), rule('└', '┴', '┘'), '');
  }
  return out.join('\n').trimEnd();
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

