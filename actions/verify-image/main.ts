import * as core from '@actions/core';
// Toolkit modules imported one by one: the toolkit's index would bundle (and load at start-up) all of it.
import { runAction } from '../toolkit/action.js';
import { ActionError, errorMessage } from '../toolkit/errors.js';
import { isTransientRegistryError } from '../toolkit/registry-errors.js';
import { readImage, RegistryClient, type Credentials } from '../toolkit/registry.js';
import { retry } from '../toolkit/retry.js';
import { appendSummary, markdownTable } from '../toolkit/summary.js';
import { readInputs, type ImageToVerify, type Inputs } from './inputs.js';
import { checkLabels, expectedSource, platformDisagreements } from './labels.js';
import { reachability, type ReachContext } from './reachability.js';

/** What was found for one image: written to the outputs and the summary whatever the verdict. */
export interface ImageReport {
  ref: string;
  source?: string;
  revision?: string;
  /** 'verified', 'verified (with warnings)', or 'refused'. */
  verdict: string;
  problems: string[];
  warnings: string[];
  notes: string[];
}

export function run(): Promise<void> {
  return runAction({
    main: async () => {
      const reports: ImageReport[] = [];
      try {
        await main(reports);
      } catch (err) {
        writeOutputs(reports);
        await appendSummary(summaryMarkdown(reports, errorMessage(err)));
        throw err;
      }
    },
  });
}

async function main(reports: ImageReport[]): Promise<void> {
  const inputs = readInputs();
  const serverUrl = process.env.GITHUB_SERVER_URL || 'https://github.com';
  const source = expectedSource(serverUrl, inputs.repository);
  const workspace = process.env.GITHUB_WORKSPACE;
  // The workspace's history speaks for the repository only when it is that repository's checkout.
  const sameRepository = (process.env.GITHUB_REPOSITORY ?? '').toLowerCase() === inputs.repository.toLowerCase();
  const reach: ReachContext = {
    defaultBranch: inputs.defaultBranch,
    workspace: sameRepository && workspace ? workspace : undefined,
    repository: inputs.repository,
    token: inputs.githubToken || undefined,
    apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
  };
  const clients = new Map<string, RegistryClient>();
  const client = (registry: string): RegistryClient => {
    let c = clients.get(registry);
    if (!c) {
      c = new RegistryClient(registry, () => Promise.resolve(credentials(inputs, registry)), { userAgent: 'platform-actions-verify-image', access: 'pull' });
      clients.set(registry, c);
    }
    return c;
  };
  try {
    for (const image of inputs.images) {
      const report = await core.group(`Verify ${image.ref}`, () => verify(image, inputs, source, reach, client(image.registry)));
      reports.push(report);
      for (const w of report.warnings) core.warning(`${image.ref}: ${w}`);
      core.info(`${image.ref}: ${report.verdict}${report.problems.length ? ` — ${report.problems.join('; ')}` : ''}`);
    }
  } finally {
    for (const c of clients.values()) c.dispose();
  }
  writeOutputs(reports);
  const refused = reports.filter((r) => r.problems.length);
  if (refused.length) {
    throw new ActionError(
      `${refused.length} of ${reports.length} image${reports.length === 1 ? '' : 's'} refused (not built by ${inputs.repository}'s pipeline from a commit it released or merged):\n` +
        refused.map((r) => `  ${r.ref}: ${r.problems.join('; ')}`).join('\n'),
    );
  }
  await appendSummary(summaryMarkdown(reports));
}

function credentials(inputs: Inputs, registry: string): Credentials | undefined {
  if (inputs.registryUsername) return { username: inputs.registryUsername, password: inputs.registryPassword };
  // ghcr.io takes the workflow token (packages: read) as a password, whatever the user name.
  if (registry === 'ghcr.io' && inputs.githubToken) return { username: process.env.GITHUB_ACTOR || 'github-actions', password: inputs.githubToken };
  return undefined;
}

async function verify(image: ImageToVerify, inputs: Inputs, source: string, reach: ReachContext, registry: RegistryClient): Promise<ImageReport> {
  const found = await retry(() => readImage(registry, image.repository, image.digest, { allPlatforms: true }), { attempts: 4, baseDelayMs: 1000, isTransient: (err) => isTransientRegistryError(errorMessage(err)), label: `read ${image.ref}` });
  if (!found) return { ref: image.ref, verdict: 'refused', problems: [`${image.registry} has no manifest ${image.digest} in ${image.repository}`], warnings: [], notes: [] };
  core.info(`${image.ref}: ${found.platforms.join(', ') || 'no platform'}; labels read from ${found.labelsFrom ?? found.manifest.digest}`);
  const labels = checkLabels(found.labels, { source, expectedRevision: inputs.expectedRevision, allowRevisionMismatch: inputs.allowRevisionMismatch });
  const report: ImageReport = { ref: image.ref, source: labels.source, revision: labels.revision, verdict: '', problems: [...labels.problems, ...platformDisagreements(found.platformLabels ?? [])], warnings: [...labels.warnings], notes: [] };
  // Reachability is asked only of an image whose labels passed: a foreign source's revision means nothing here.
  if (inputs.requireReachable && labels.checkableRevision && labels.revision && report.problems.length === 0) {
    const r = await reachability(labels.revision, reach);
    if (r.reachable) report.notes.push(`reachable: ${r.detail}`);
    else report.problems.push(`label org.opencontainers.image.revision is ${labels.revision}, which is neither on ${inputs.defaultBranch} nor a release tag of ${inputs.repository} (${r.detail})`);
  }
  report.verdict = report.problems.length ? 'refused' : report.warnings.length ? 'verified (with warnings)' : 'verified';
  return report;
}

function writeOutputs(reports: ImageReport[]): void {
  core.setOutput('revisions', JSON.stringify(Object.fromEntries(reports.map((r) => [r.ref, r.revision ?? '']))));
  core.setOutput('sources', JSON.stringify(Object.fromEntries(reports.map((r) => [r.ref, r.source ?? '']))));
}

export function summaryMarkdown(reports: ImageReport[], error?: string): string {
  const rows = reports.map((r) => [r.ref, r.source ?? '(no label)', r.revision ?? '(no label)', [r.verdict, ...r.problems, ...r.warnings, ...r.notes].join('<br>')]);
  const table = rows.length ? markdownTable(['image', 'source', 'revision', 'verdict'], rows).replace(/&lt;br&gt;/g, '<br>') : 'No image was read.';
  return `### verify-image\n\n${error ? `**Failed:** ${error.split('\n')[0]}\n\n` : ''}${table}\n`;
}
