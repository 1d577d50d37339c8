// The job summary: what was rendered, applied, pruned and rolled back, as kubectl reported it. No I/O.
import { errorMessage, markdownTable, timingsMarkdown } from '../toolkit/index.js';
import type { Outcome } from './deploy.js';

export interface SummaryContext {
  overlay: string;
  name: string;
  kubectlVersion: string;
}

const ICONS: Record<Outcome['status'], string> = { deployed: '✅', 'rolled-back': '↩️', failed: '❌', 'rollback-failed': '🛑', superseded: '⏭️' };

export function summaryMarkdown(c: SummaryContext, o: Outcome): string {
  const icon = o.error && o.status === 'deployed' ? '⚠️' : ICONS[o.status];
  const lines = [
    `### ${icon} kustomize-deploy: \`${c.overlay}\``,
    '',
    markdownTable(
      ['Namespace', 'ApplySet', 'Status', 'Objects applied', 'Pruned', 'Rolled back', 'kubectl'],
      [[o.namespace || '-', c.name, o.status, `${o.applied.length} of ${o.rendered.length}`, String(o.pruned.length), String(o.rolledBack), c.kubectlVersion]],
    ),
  ];
  if (o.error) lines.push('', `**Error:** ${errorMessage(o.error).split('\n')[0]}`);
  if (o.notes.length) lines.push('', ...o.notes.map((n) => `- ${n}`));
  const names = [...new Set([...Object.keys(o.previousImages), ...Object.keys(o.images)])];
  if (names.length) lines.push('', markdownTable(['Workload', 'Before', 'After'], names.map((n) => [n, o.previousImages[n] ?? '-', o.images[n] ?? '-'])));
  if (o.jobs.length) lines.push('', markdownTable(['Job', 'Result'], o.jobs.map((j) => [j.name, j.state === 'failed' ? `failed: ${j.reason}${j.message ? ` (${j.message})` : ''}` : j.state])));
  if (o.adopted.length) lines.push('', markdownTable(['Taken over', 'From field manager'], o.adopted.map((a) => [a.object, a.managers.join(', ')])));
  if (o.jobsSkipped.length) lines.push('', `Jobs not run: ${o.jobsSkipped.join(', ')}`);
  if (o.rollbackApplied.length) lines.push('', markdownTable(['Rolled back'], o.rollbackApplied.map((a) => [a])));
  if (o.unmanaged.length) lines.push('', markdownTable(['No longer managed (left in place)'], o.unmanaged.map((u) => [u])));
  if (o.applied.length) lines.push('', `<details><summary>Applied (${o.applied.length})</summary>`, '', markdownTable(['Object'], o.applied.map((a) => [a])), '', '</details>');
  if (o.pruned.length) lines.push('', markdownTable(['Pruned'], o.pruned.map((p) => [p])));
  lines.push(...timingsMarkdown(o.timings));
  if (o.diagnosticsMarkdown) lines.push('', '#### Diagnostics', '', o.diagnosticsMarkdown);
  return lines.join('\n') + '\n';
}
