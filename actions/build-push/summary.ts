import { markdownTable } from '../toolkit/summary.js';

export interface BuildReport {
  images: string[];
  tags: string[];
  refs: string[];
  digest: string;
  platforms: string[];
  pushed: boolean;
  cache: string;
  builder: string;
  durationMs: number;
  /** 'yes', or why nothing was built (promoted an earlier build of the commit). */
  built: string;
  /** Tags the immutable-tag guard checked; 'skipped' with allow-overwrite; undefined when nothing was pushed. */
  immutableCheck: string[] | 'skipped' | undefined;
}

function immutableCell(check: BuildReport['immutableCheck']): string {
  if (check === undefined) return '—';
  if (check === 'skipped') return 'skipped (allow-overwrite)';
  return check.length ? check.join(', ') : 'none (no sha- or release tag)';
}

export function summaryMarkdown(r: BuildReport): string {
  const rows = [
    ['Images', r.images.join('<br>')],
    ['Tags', r.tags.join(', ')],
    ['Built', r.built],
    ['Digest', `\`${r.digest}\``],
    ['Platforms', r.platforms.join(', ')],
    ['Pushed', r.pushed ? 'yes' : 'no (build only)'],
    ['Cache', r.cache],
    ['Builder', r.builder],
    ['Immutable tags checked', immutableCell(r.immutableCheck)],
    ['Duration', `${(r.durationMs / 1000).toFixed(1)} s`],
  ];
  // Images may hold <br>: build rows by hand for that cell only.
  const table = markdownTable(['', ''], rows).replace(/&lt;br&gt;/g, '<br>');
  return `### build-push\n\n${table}\n`;
}
