// Commit messages, pull request title and body: pure text from what is promoted.
import type { FieldChange } from './targets.js';

export interface Provenance {
  environment: string;
  /** owner/name of the workflow's repository. */
  sourceRepository: string;
  sourceCommit: string;
  /** The workflow run URL; empty outside a run. */
  runUrl: string;
}

/** One service's change, as messages name it. */
export interface Change {
  app: string;
  image: string;
  previousImage: string;
  file: string;
  fields: FieldChange[];
}

export function shortDigest(image: string): string {
  const m = /@sha256:([a-f0-9]{12})/.exec(image);
  return m ? `sha256:${m[1]}` : image;
}

function subjectOf(verb: string, env: string, changes: readonly Change[]): string {
  const each = changes.map((c) => `${c.app} ${shortDigest(c.image)}`).join(', ');
  const line = `${verb}(${env}): ${each}`;
  return line.length <= 100 ? line : `${verb}(${env}): ${changes.length} services (${changes.map((c) => c.app).join(', ')})`.slice(0, 200);
}

/** The `Source-Commit:` trailer in a paragraph of its own (git interpret-trailers / %(trailers) read it). */
function trailer(sha: string): string[] {
  return sha ? ['', `Source-Commit: ${sha}`] : [];
}

export function commitMessage(p: Provenance, changes: readonly Change[]): string {
  const services = changes.flatMap((c) => [`App: ${c.app}`, `Image: ${c.image}`, `Previous image: ${c.previousImage || '(none)'}`, `File: ${c.file}`]);
  return [
    subjectOf('promote', p.environment, changes),
    '',
    `Promote ${changes.map((c) => c.app).join(', ')} to ${p.environment}.`,
    '',
    ...(changes.length === 1 ? services.slice(0, 1) : []),
    `Environment: ${p.environment}`,
    ...(changes.length === 1 ? services.slice(1) : services),
    `Source commit: ${p.sourceRepository ? `${p.sourceRepository}@` : ''}${p.sourceCommit || '(unknown)'}`,
    `Run: ${p.runUrl || '(not in a workflow run)'}`,
    ...trailer(p.sourceCommit),
    '',
  ].join('\n');
}

export function revertMessage(p: Provenance, promotedCommit: string, changes: readonly Change[], why: string): string {
  const apps = changes.map((c) => c.app).join(', ');
  return [
    changes.length === 1 ? `revert(${p.environment}): ${changes[0].app} back to ${shortDigest(changes[0].previousImage) || '(previous)'}` : `revert(${p.environment}): ${apps} back to the previous images`,
    '',
    `Argo CD did not report ${apps} Synced and Healthy in ${p.environment} after ${promotedCommit.slice(0, 12)}: ${why}`,
    '',
    `Environment: ${p.environment}`,
    ...changes.flatMap((c) => [`App: ${c.app}`, `Reverted image: ${c.image}`, `Restored image: ${c.previousImage || '(none)'}`]),
    `Reverts: ${promotedCommit}`,
    `Run: ${p.runUrl || '(not in a workflow run)'}`,
    '',
  ].join('\n');
}

export function pullRequestTitle(p: Provenance, changes: readonly Change[]): string {
  if (changes.length === 1) return `Promote ${changes[0].app} to ${p.environment} (${shortDigest(changes[0].image)})`;
  return `Promote ${changes.map((c) => c.app).join(', ')} to ${p.environment}`.slice(0, 240);
}

/** The marker lets the action find its own pull request body; the diff is fenced and capped. */
export function pullRequestBody(p: Provenance, changes: readonly Change[], diff: string, maxDiff = 60_000): string {
  const cut = diff.length > maxDiff ? `${diff.slice(0, maxDiff)}\n… (diff cut at ${maxDiff} characters)` : diff;
  const fence = cut.includes('```') ? '````' : '```';
  return [
    `<!-- gitops-promote app=${changes.map((c) => c.app).join(',')} environment=${p.environment} -->`,
    `Promotes ${changes.map((c) => `**${c.app}**`).join(', ')} to **${p.environment}**.`,
    '',
    '| App | Image | Previous image | File |',
    '| --- | --- | --- | --- |',
    ...changes.map((c) => `| ${c.app} | \`${c.image}\` | ${c.previousImage ? `\`${c.previousImage}\`` : '(none)'} | \`${c.file}\` |`),
    '',
    `Source commit: ${p.sourceRepository ? `${p.sourceRepository}@` : ''}${p.sourceCommit || '(unknown)'}`,
    `Run: ${p.runUrl || '(not in a workflow run)'}`,
    '',
    fieldsList(changes.flatMap((c) => c.fields)),
    '',
    `${fence}diff`,
    cut.trimEnd(),
    fence,
    '',
    'Merging this pull request deploys the images: Argo CD syncs what is on the base branch.',
    '',
  ].join('\n');
}

function fieldsList(fields: FieldChange[]): string {
  if (!fields.length) return '';
  return fields.map((f) => `- \`${f.label}\`: ${f.before === undefined ? '(absent)' : `\`${f.before}\``} → ${f.after === undefined ? '(removed)' : `\`${f.after}\``}`).join('\n');
}
