import { markdownTable } from '../toolkit/summary.js';

export interface BuildReport {
  images: string[];
  tags: string[];
  refs: string[];
  digest: string;
  platforms: string[];
  pushed: boolean;
  /** Images whose registry already held the digest (a rebuild of a pushed commit): nothing uploaded there. */
  alreadyHeld?: string[];
  cache: string;
  builder: string;
  durationMs: number;
  /** 'yes', or why nothing was built (promoted an earlier build of the commit). */
  built: string;
  /** Refs this run had pushed with its own digest, re-pointed to the digest it adopted from a concurrent run. */
  corrected?: string[];
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
    ['Pushed', !r.pushed ? 'no (build only)' : r.alreadyHeld?.length ? `yes (${r.alreadyHeld.join(', ')} already held the digest: nothing uploaded)` : 'yes'],
    ...(r.corrected?.length ? [['Re-pointed to the adopted digest', r.corrected.join('<br>')]] : []),
    ['Cache', r.cache],
    ['Builder', r.builder],
    ['Immutable tags checked', immutableCell(r.immutableCheck)],
    ['Duration', `${(r.durationMs / 1000).toFixed(1)} s`],
  ];
  return section(rows);
}

/** The step's summary section: a two-column table whose cells may break lines with <br> (markdownTable escapes it). */
function section(rows: string[][]): string {
  return `### build-push\n\n${markdownTable(['', ''], rows).replace(/&lt;br&gt;/g, '<br>')}\n`;
}

/** What a run saw happen, filled in as it goes: what a failure summary can state. */
export interface Observed {
  /** The computed tags (empty when the run failed before computing them). */
  tags: string[];
  /** The digest buildx reported, once a build finished. */
  digest?: string;
  /** Every <image>:<tag> the registry accepted (pushed or tagged), in order. */
  pushed: string[];
}

/** The job summary of a failed run: the error, and only what this run observed before it. */
export function failureMarkdown(seen: Observed, error: string): string {
  const rows = [
    ['Result', 'failed'],
    ['Error', error],
    ['Tags', seen.tags.length ? seen.tags.join(', ') : '— (not computed)'],
    ['Built', seen.digest ? `\`${seen.digest}\`` : 'no image built'],
    ['Pushed or tagged', seen.pushed.length ? seen.pushed.join('<br>') : 'nothing'],
  ];
  return section(rows);
}
