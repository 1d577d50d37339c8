// Commit messages, pull request title and body: pure text from what is promoted.
import type { FieldChange, Plan } from './targets.js';

export interface Provenance {
  app: string;
  environment: string;
  image: string;
  /** owner/name of the workflow's repository. */
  sourceRepository: string;
  sourceCommit: string;
  /** The workflow run URL; empty outside a run. */
  runUrl: string;
  file: string;
}

export function shortDigest(image: string): string {
  const m = /@sha256:([a-f0-9]{12})/.exec(image);
  return m ? `sha256:${m[1]}` : image;
}

export function commitMessage(p: Provenance, plan: Plan): string {
  return [
    `promote(${p.environment}): ${p.app} ${shortDigest(p.image)}`,
    '',
    `Promote ${p.app} to ${p.environment}.`,
    '',
    `App: ${p.app}`,
    `Environment: ${p.environment}`,
    `Image: ${p.image}`,
    `Previous image: ${plan.previousImage || '(none)'}`,
    `File: ${p.file}`,
    `Source commit: ${p.sourceRepository ? `${p.sourceRepository}@` : ''}${p.sourceCommit || '(unknown)'}`,
    `Run: ${p.runUrl || '(not in a workflow run)'}`,
    '',
  ].join('\n');
}

export function revertMessage(p: Provenance, promotedCommit: string, previousImage: string, why: string): string {
  return [
    `revert(${p.environment}): ${p.app} back to ${shortDigest(previousImage) || '(previous)'}`,
    '',
    `Argo CD did not report ${p.app} Synced and Healthy in ${p.environment} after ${promotedCommit.slice(0, 12)}: ${why}`,
    '',
    `App: ${p.app}`,
    `Environment: ${p.environment}`,
    `Reverted image: ${p.image}`,
    `Restored image: ${previousImage || '(none)'}`,
    `Reverts: ${promotedCommit}`,
    `Run: ${p.runUrl || '(not in a workflow run)'}`,
    '',
  ].join('\n');
}

export function pullRequestTitle(p: Provenance): string {
  return `Promote ${p.app} to ${p.environment} (${shortDigest(p.image)})`;
}

/** The marker lets the action find its own pull request body; the diff is fenced and capped. */
export function pullRequestBody(p: Provenance, plan: Plan, diff: string, maxDiff = 60_000): string {
  const cut = diff.length > maxDiff ? `${diff.slice(0, maxDiff)}\n… (diff cut at ${maxDiff} characters)` : diff;
  const fence = cut.includes('```') ? '````' : '```';
  return [
    `<!-- gitops-promote app=${p.app} environment=${p.environment} -->`,
    `Promotes **${p.app}** to **${p.environment}**.`,
    '',
    '| | |',
    '| --- | --- |',
    `| Image | \`${p.image}\` |`,
    `| Previous image | ${plan.previousImage ? `\`${plan.previousImage}\`` : '(none)'} |`,
    `| File | \`${p.file}\` |`,
    `| Source commit | ${p.sourceRepository ? `${p.sourceRepository}@` : ''}${p.sourceCommit || '(unknown)'} |`,
    `| Run | ${p.runUrl || '(not in a workflow run)'} |`,
    '',
    fieldsList(plan.fields),
    '',
    `${fence}diff`,
    cut.trimEnd(),
    fence,
    '',
    'Merging this pull request deploys the image: Argo CD syncs what is on the base branch.',
    '',
  ].join('\n');
}

function fieldsList(fields: FieldChange[]): string {
  if (!fields.length) return '';
  return fields.map((f) => `- \`${f.label}\`: ${f.before === undefined ? '(absent)' : `\`${f.before}\``} → ${f.after === undefined ? '(removed)' : `\`${f.after}\``}`).join('\n');
}
