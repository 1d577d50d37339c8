import * as core from '@actions/core';
import * as io from '@actions/io';
import * as path from 'node:path';
import { ActionError, ClusterRetry, Kubectl, appendSummary, errorMessage, removeSensitivePaths, runAction, runnerTemp, writeKubeconfig } from '../toolkit/index.js';
import type { Outcome } from './deploy.js';
import { deploy, emptyOutcome } from './deploy.js';
import type { Inputs } from './inputs.js';
import { readInputs } from './inputs.js';
import { summaryMarkdown } from './summary.js';

export async function run(): Promise<void> {
  await runAction({ main, post });
}

async function main(): Promise<void> {
  let inputs: Inputs;
  try {
    inputs = readInputs();
  } catch (err) {
    // Even a bad input leaves a status and a summary line saying nothing was touched.
    core.setOutput('status', 'failed');
    core.setOutput('applied', '0');
    core.setOutput('rolled-back', 'false');
    core.setOutput('superseded', 'false');
    core.setOutput('live-commit', '');
    await appendSummary(`### ❌ kustomize-deploy: not started\n\n**Error:** ${errorMessage(err).split('\n')[0]}\n\nNothing was applied.\n`);
    throw err;
  }
  core.setOutput('name', inputs.name);
  let kubectlVersion = 'unknown';
  let outcome: Outcome | undefined;
  try {
    const bin = await io.which('kubectl', false);
    if (!bin) throw new ActionError('kubectl not found on PATH (GitHub-hosted runners have it; elsewhere install it first, e.g. with azure/setup-kubectl)');
    const kubeconfig = inputs.kubeconfig ? writeKubeconfig(inputs.kubeconfig) : undefined;
    // KUBECTL_APPLYSET: ApplySet pruning is alpha in kubectl 1.27-1.33 and needs this switch.
    const kubectl = new Kubectl({ bin, kubeconfig, context: inputs.context, env: { KUBECTL_APPLYSET: 'true' }, retry: new ClusterRetry(), hiddenValue: '<value hidden by kustomize-deploy>' });
    // The client's version is read while the overlay renders; a broken kubectl still fails before any cluster call.
    const version = clientVersion(kubectl);
    version.then((v) => (kubectlVersion = v), () => undefined);
    const beforeCluster = async (): Promise<void> => {
      core.info(`kubectl ${await version}`);
    };
    const diagnosticsDir = inputs.diagnosticsPath || path.join(runnerTemp(), `kustomize-deploy-diagnostics-${inputs.name}`);
    const runUrl = process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${process.env.GITHUB_REPOSITORY ?? ''}/actions/runs/${process.env.GITHUB_RUN_ID}` : '';
    try {
      outcome = await deploy({ inputs, kubectl, diagnosticsDir, runUrl, revision: process.env.GITHUB_SHA ?? '', sourceCommit: inputs.sourceCommit, beforeCluster });
    } finally {
      await version.catch(() => undefined);
    }
  } catch (err) {
    // A failure before anything was applied (no kubectl, bad render, failed checks): outputs and summary all the same.
    await writeResults(inputs, kubectlVersion, failedBeforeApply(inputs, err));
    throw err;
  }
  await writeResults(inputs, kubectlVersion, outcome);
  if (outcome.error) throw outcome.error;
}

function failedBeforeApply(inputs: Inputs, err: unknown): Outcome {
  return { ...emptyOutcome(inputs.namespace), notes: ['Nothing was applied.'], error: err instanceof Error ? err : new Error(errorMessage(err)) };
}

async function writeResults(inputs: Inputs, kubectlVersion: string, o: Outcome): Promise<void> {
  core.setOutput('status', o.status);
  core.setOutput('namespace', o.namespace);
  core.setOutput('applied', String(o.applied.length));
  core.setOutput('applied-objects', JSON.stringify(o.applied));
  core.setOutput('pruned', JSON.stringify(o.pruned));
  core.setOutput('rolled-back', String(o.rolledBack));
  core.setOutput('previous-images', JSON.stringify(o.previousImages));
  core.setOutput('images', JSON.stringify(o.images));
  core.setOutput('record', o.record ?? '');
  core.setOutput('adopted', JSON.stringify(o.adopted));
  core.setOutput('jobs-run', JSON.stringify(o.jobsRan));
  core.setOutput('superseded', String(o.status === 'superseded'));
  core.setOutput('live-commit', o.liveCommit);
  core.setOutput('diagnostics-path', o.diagnosticsPath ?? '');
  await appendSummary(summaryMarkdown({ overlay: inputs.overlayInput, name: inputs.name, kubectlVersion }, o));
}

async function clientVersion(kubectl: Kubectl): Promise<string> {
  const r = await kubectl.exec(['version', '--client', '--output', 'json'], { allowFailure: true });
  if (r.exitCode !== 0) throw new ActionError(`kubectl version --client failed: ${(r.stderr || r.stdout).trim()}`);
  try {
    return (JSON.parse(r.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function post(): Promise<void> {
  const removed = removeSensitivePaths();
  if (removed.length) core.info(`Removed ${removed.length} private file(s) (kubeconfig, rendered overlay)`);
}
