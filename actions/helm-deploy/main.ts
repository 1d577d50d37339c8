import * as core from '@actions/core';
import * as io from '@actions/io';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { appendSummary, errorMessage, formatSeconds, makePrivateDir, markdownTable, removeSensitivePaths, runAction, runnerTemp, writeKubeconfig } from '../toolkit/index.js';
import type { Outcome } from './deploy.js';
import { deploy } from './deploy.js';
import { Helm } from './helm.js';
import type { Inputs } from './inputs.js';
import { readInputs } from './inputs.js';
import { resolveHelm } from './install-helm.js';
import { Kubectl } from './kubectl.js';
import { rollbackMode } from './rollback-mode.js';

export async function run(): Promise<void> {
  await runAction({ main, post });
}

async function main(): Promise<void> {
  const inputs = readInputs();
  core.setOutput('release', inputs.release);
  core.setOutput('namespace', inputs.namespace);
  const env: Record<string, string | undefined> = {};
  if (inputs.kubeconfig) {
    env.KUBECONFIG = writeKubeconfig(inputs.kubeconfig);
  }
  const resolved = await core.group('Set up Helm', async () => {
    const r = await resolveHelm(inputs.helmVersion);
    core.info(`Using helm from ${r.source}`);
    return r;
  });
  const helm = new Helm(resolved.bin, env, inputs.context);
  const { version, major } = await helm.version();
  core.setOutput('helm-version', `v${version}`);
  core.info(`Helm v${version} (major ${major})`);
  const kubectlBin = await io.which('kubectl', false);
  const kubectl = kubectlBin ? new Kubectl(kubectlBin, env, inputs.context) : undefined;

  // A rollback's default folder differs from the deploy's, so both can be kept when one job runs both.
  const diagnosticsDir = inputs.diagnosticsPath || path.join(runnerTemp(), `helm-deploy-${inputs.mode === 'rollback' ? 'rollback-' : ''}diagnostics-${inputs.release}`);
  const outcome: Outcome = inputs.mode === 'rollback'
    ? await rollbackMode({ inputs, helm, kubectl, diagnosticsDir })
    : await deploy({ inputs, helm, kubectl, major, generatedValuesFile: writeGeneratedValues(inputs), diagnosticsDir });
  core.setOutput('revision', outcome.revision === undefined ? '' : String(outcome.revision));
  core.setOutput('previous-revision', outcome.previousRevision === undefined ? '' : String(outcome.previousRevision));
  core.setOutput('status', outcome.status);
  core.setOutput('rolled-back', String(outcome.rolledBack));
  core.setOutput('diagnostics-path', outcome.diagnosticsPath ?? '');
  await appendSummary(summaryMarkdown(inputs, `v${version}`, outcome));
  if (outcome.error) throw outcome.error;
}

/** `set` and `image` values go to a private 0600 file (values may be sensitive), removed in post. */
function writeGeneratedValues(inputs: Inputs): string | undefined {
  if (!Object.keys(inputs.generatedValues).length) return undefined;
  const file = path.join(makePrivateDir('helm-deploy-values'), 'generated-values.yaml');
  fs.writeFileSync(file, YAML.stringify(inputs.generatedValues), { mode: 0o600 });
  return file;
}

function summaryMarkdown(inputs: Inputs, helmVersion: string, o: Outcome): string {
  const icon = o.error ? (o.rolledBack ? '↩️' : '❌') : '✅';
  const lines = [
    `### ${icon} helm-deploy ${inputs.mode}: \`${inputs.release}\``,
    '',
    markdownTable(
      ['Release', 'Namespace', 'Revision', 'Previous', 'Status', 'Rolled back', 'Helm'],
      [[inputs.release, inputs.namespace, o.revision === undefined ? '-' : String(o.revision), o.previousRevision === undefined ? '-' : String(o.previousRevision), o.status, String(o.rolledBack), helmVersion]],
    ),
  ];
  if (o.error) lines.push('', `**Error:** ${errorMessage(o.error).split('\n')[0]}`);
  if (o.resources.length) lines.push('', '<details><summary>Resources</summary>', '', markdownTable(['Kind', 'Name'], o.resources.map((r) => [r.kind, r.name])), '', '</details>');
  if (o.timings.length) lines.push('', markdownTable(['Step', 'Time'], o.timings.map(([label, ms]) => [label, formatSeconds(ms)])));
  if (o.diagnosticsMarkdown) lines.push('', '#### Diagnostics', '', o.diagnosticsMarkdown);
  return lines.join('\n') + '\n';
}

async function post(): Promise<void> {
  const removed = removeSensitivePaths();
  if (removed.length) core.info(`Removed ${removed.length} private file(s) (kubeconfig, generated values)`);
}
