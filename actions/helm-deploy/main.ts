import * as core from '@actions/core';
import * as io from '@actions/io';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { ClusterRetry, Kubectl, appendSummary, errorMessage, formatSeconds, makePrivateDir, markdownTable, removeSensitivePaths, runAction, runnerTemp, timingsMarkdown, writeKubeconfig } from '../toolkit/index.js';
import type { Outcome } from './deploy.js';
import { AnnotatedError, deploy, deployedImages, newOutcome, recordStatus } from './deploy.js';
import { HIDDEN_BY_HELM_DEPLOY } from './diagnostics.js';
import { Helm, HelmCallError } from './helm.js';
import type { Inputs } from './inputs.js';
import { readInputs } from './inputs.js';
import { resolveHelm } from './install-helm.js';
import { rollbackMode } from './rollback-mode.js';

export async function run(): Promise<void> {
  await runAction({ main, post });
}

/**
 * Every path, early failures included, ends here the same way: outputs and summary from what was observed,
 * then exactly one ::error for the failure.
 */
async function main(): Promise<void> {
  const outcome = newOutcome();
  let inputs: Inputs | undefined;
  let helm: Helm | undefined;
  let helmVersion = '';
  try {
    inputs = readInputs();
    const ready = inputs;
    core.setOutput('release', inputs.release);
    core.setOutput('namespace', inputs.namespace);
    const env: Record<string, string | undefined> = {};
    if (inputs.kubeconfig) env.KUBECONFIG = writeKubeconfig(inputs.kubeconfig);
    const resolved = await core.group('Set up Helm', async () => {
      const r = await resolveHelm(ready.helmVersion);
      core.info(`Using helm from ${r.source}`);
      return r;
    });
    const retry = new ClusterRetry({ budgetMs: inputs.retryBudgetMs });
    helm = new Helm(resolved.bin, { env, context: inputs.context, retry, secrets: inputs.hiddenValues, version: resolved.version });
    const { version, major } = await helm.version();
    helmVersion = `v${version}`;
    core.setOutput('helm-version', helmVersion);
    core.info(`Helm ${helmVersion} (major ${major}); transient cluster errors are retried for up to ${formatSeconds(inputs.retryBudgetMs)} per call`);
    const kubectlBin = await io.which('kubectl', false);
    const kubectl = kubectlBin ? new Kubectl({ bin: kubectlBin, env, context: inputs.context, retry, hiddenValue: HIDDEN_BY_HELM_DEPLOY, secrets: inputs.hiddenValues }) : undefined;
    // A rollback's default folder differs from the deploy's, so both can be kept when one job runs both.
    const diagnosticsDir = inputs.diagnosticsPath || path.join(runnerTemp(), `helm-deploy-${inputs.mode === 'rollback' ? 'rollback-' : ''}diagnostics-${inputs.release}`);
    if (inputs.mode === 'rollback') await rollbackMode({ inputs, helm, kubectl, diagnosticsDir }, outcome);
    else await deploy({ inputs, helm, kubectl, major, generatedValuesFile: writeGeneratedValues(inputs), diagnosticsDir }, outcome);
  } catch (err) {
    outcome.failure = err instanceof Error ? err : new Error(String(err));
  }
  if (inputs && helm) await observeRelease(helm, inputs, outcome);
  else outcome.statusReason = inputs ? 'Helm could not be set up, so the release was not read' : 'the inputs are invalid, so the release was not read';
  const message = failureMessage(outcome, inputs);
  core.setOutput('revision', outcome.revision === undefined ? '' : String(outcome.revision));
  core.setOutput('previous-revision', outcome.previousRevision === undefined ? '' : String(outcome.previousRevision));
  core.setOutput('status', outcome.status);
  core.setOutput('rolled-back', String(outcome.rolledBack));
  core.setOutput('diagnostics-path', outcome.diagnosticsPath ?? '');
  core.setOutput('superseded', String(outcome.superseded === true));
  core.setOutput('live-commit', outcome.liveCommit ?? '');
  // Only what this run put live: a failed or rolled-back deploy deployed none of them.
  const live = message === undefined && !outcome.superseded && inputs?.mode === 'deploy' && outcome.status === 'deployed' ? deployedImages(inputs) : {};
  core.setOutput('images', JSON.stringify(live));
  await appendSummary(summaryMarkdown(inputs, helmVersion, outcome, message));
  if (message !== undefined) {
    core.error(message, outcome.failure instanceof AnnotatedError ? outcome.failure.annotation : {});
    process.exitCode = core.ExitCode.Failure;
  }
}

/**
 * status and revision from a read after the last change (or `unknown` with why): never assumed. Skipped
 * when the cluster was just found unreachable after the whole retry budget: it would only wait again.
 */
async function observeRelease(helm: Helm, inputs: Inputs, o: Outcome): Promise<void> {
  if (o.observed) return;
  if (o.skipRead) {
    o.status = 'unknown';
    o.revision = undefined;
    o.statusReason = o.skipRead;
    return;
  }
  try {
    recordStatus(o, await helm.status(inputs.release, inputs.namespace));
  } catch (err) {
    o.status = 'unknown';
    o.revision = undefined;
    o.statusReason = `helm status failed: ${errorMessage(err).split('\n').slice(-1)[0]}`;
  }
  if (o.statusReason) core.warning(`Release status unknown: ${o.statusReason}`);
}

/** The one error message of a failed run (undefined: success), naming the input a cluster failure comes from. */
function failureMessage(o: Outcome, inputs: Inputs | undefined): string | undefined {
  const failure = o.failure ?? o.rollbackError;
  if (!failure) return undefined;
  let text = errorMessage(failure);
  if (failure instanceof HelmCallError && failure.transient && inputs) {
    const source = inputs.kubeconfig ? `the cluster of the kubeconfig input${inputs.context ? ` (context '${inputs.context}')` : ''}` : 'the cluster of the ambient KUBECONFIG (the kubeconfig input is empty)';
    text = `Input 'kubeconfig': ${source} is unreachable: ${text}`;
  }
  if (o.failure && o.rollbackError) {
    text += `\nRollback failed too: ${errorMessage(o.rollbackError)}`;
  } else if (o.rolledBack && o.uninstalled) {
    text += '; the failed first install was uninstalled';
  } else if (o.rolledBack && o.rolledBackTo !== undefined) {
    text += `; rolled back to revision ${o.rolledBackTo}${o.revision !== undefined && o.revision !== o.rolledBackTo ? ` (live as revision ${o.revision})` : ''}`;
  }
  if (o.rollbackError || o.status === 'unknown') text += `\nThe release is ${o.status}${o.statusReason ? ` (${o.statusReason})` : ''}${o.diagnosticsPath ? `; see diagnostics in ${o.diagnosticsPath}` : ''}`;
  return text;
}

/** `set`, `set-sensitive` and `image` values go to a private 0600 file (values may be sensitive), removed in post. */
function writeGeneratedValues(inputs: Inputs): string | undefined {
  if (!Object.keys(inputs.generatedValues).length) return undefined;
  const file = path.join(makePrivateDir('helm-deploy-values'), 'generated-values.yaml');
  fs.writeFileSync(file, YAML.stringify(inputs.generatedValues), { mode: 0o600 });
  return file;
}

function summaryMarkdown(inputs: Inputs | undefined, helmVersion: string, o: Outcome, message: string | undefined): string {
  const icon = message !== undefined ? (o.rolledBack ? '↩️' : '❌') : o.superseded ? '⏭️' : '✅';
  const lines = [
    `### ${icon} helm-deploy ${inputs?.mode ?? ''}: \`${inputs?.release ?? '?'}\``,
    '',
    markdownTable(
      ['Release', 'Namespace', 'Revision', 'Previous', 'Status', 'Rolled back', 'Helm'],
      [[inputs?.release ?? '-', inputs?.namespace ?? '-', o.revision === undefined ? '-' : String(o.revision), o.previousRevision === undefined ? '-' : String(o.previousRevision), o.status, String(o.rolledBack), helmVersion || '-']],
    ),
  ];
  if (o.statusReason) lines.push('', `Status unknown: ${o.statusReason}.`);
  if (o.order) lines.push('', `${o.superseded ? '**Nothing changed.** ' : ''}Order: ${o.order}`);
  if (message !== undefined) lines.push('', `**Error:** ${message.split('\n')[0]}`);
  const images = inputs?.mode === 'deploy' ? imageRows(inputs) : [];
  if (images.length) lines.push('', `**Images** (${message === undefined ? 'deployed' : 'not deployed'})`, '', markdownTable(['Service', 'Image', 'Values keys'], images));
  if (o.resources.length) lines.push('', '<details><summary>Resources</summary>', '', markdownTable(['Kind', 'Name'], o.resources.map((r) => [r.kind, r.name])), '', '</details>');
  lines.push(...timingsMarkdown(o.timings));
  if (o.diagnosticsMarkdown) lines.push('', '#### Diagnostics', '', o.diagnosticsMarkdown);
  return lines.join('\n') + '\n';
}

function imageRows(inputs: Inputs): string[][] {
  const keys = (k: Inputs['imageKeys']): string => [k.repository, k.tagWithDigest ? `${k.tag}@digest` : k.tag, k.digest].map((p) => (p ? `\`${p}\`` : '-')).join(', ');
  if (inputs.images.length) return inputs.images.map((i) => [i.service, `\`${i.reference}\``, keys(i.keys)]);
  return inputs.imageReference ? [[inputs.release, `\`${inputs.imageReference}\``, keys(inputs.imageKeys)]] : [];
}

async function post(): Promise<void> {
  const removed = removeSensitivePaths();
  if (removed.length) core.info(`Removed ${removed.length} private file(s) (kubeconfig, generated values)`);
}
