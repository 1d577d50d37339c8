import { markdownTable } from '../toolkit/index.js';

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
  immutableChecked: string[];
}

export function summaryMarkdown(r: BuildReport): string {
  const rows = [
    ['Images', r.images.join('<br>')],
    ['Tags', r.tags.join(', ')],
    ['Digest', `\`${r.digest}\``],
    ['Platforms', r.platforms.join(', ')],
    ['Pushed', r.pushed ? 'yes' : 'no (build only)'],
    ['Cache', r.cache],
    ['Builder', r.builder],
    ['Immutable tags checked', r.immutableChecked.length ? r.immutableChecked.join(', ') : '—'],
    ['Duration', `${(r.durationMs / 1000).toFixed(1)} s`],
  ];
  // Images may hold <br>: build rows by hand for that cell only.
  const table = markdownTable(['', ''], rows).replace(/&lt;br&gt;/g, '<br>');
  return `### build-push\n\n${table}\n`;
}
