// mode: deploy — lint/template, recover a stuck release, upgrade with retries while watching pods,
// verify rollouts, and leave the release either healthy or rolled back.
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { ActionError, errorMessage, retry } from '../toolkit/index.js';
import { classifyHelmError } from './classify.js';
import type { Classification } from './classify.js';
import { collectPodDiagnostics, collectReleaseDiagnostics } from './diagnostics.js';
import type { DiagnosticsTarget } from './diagnostics.js';
import type { HelmMajor } from './helm-args.js';
import { lintArgs, templateArgs, upgradeArgs } from './helm-args.js';
import type { Helm } from './helm.js';
import { decideRecovery, deployedRevision, latestEntry, PENDING_STATUSES } from './history.js';
import type { Inputs } from './inputs.js';
import type { Kubectl } from './kubectl.js';
import type { ManifestResource } from './manifest.js';
import { parseManifest, parseWorkloads, podSelectors } from './manifest.js';
import type { PodFailure } from './pods.js';
import { describeFailures } from './pods.js';
import { annotationPath, findTemplateLocation } from './template-errors.js';
import type { PodWatch } from './watch.js';
import { upgradeWatchingPods } from './watch.js';

export interface Outcome {
  revision?: number;
  previousRevision?: number;
  status: string;
  rolledBack: boolean;
  resources: ManifestResource[];
  timings: [string, number][];
  diagnosticsPath?: string;
  diagnosticsMarkdown?: string;
  error?: Error;
}

export interface DeployDeps {
  inputs: Inputs;
  helm: Helm;
  kubectl?: Kubectl;
  major: HelmMajor;
  generatedValuesFile?: string;
  diagnosticsDir: string;
}

class UpgradeFailure extends Error {
  readonly classification: Classification;
  constructor(message: string, classification: Classification) {
    super(message);
    this.name = 'UpgradeFailure';
    this.classification = classification;
  }
}

const timer = (timings: [string, number][]) => async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
  const started = Date.now();
  try {
    return await core.group(label, fn);
  } finally {
    timings.push([label, Date.now() - started]);
  }
};

export async function deploy(d: DeployDeps): Promise<Outcome> {
  const { inputs, helm, kubectl, major } = d;
  const chart = inputs.chart;
  if (!chart) throw new ActionError('no chart to deploy');
  const timings: [string, number][] = [];
  const step = timer(timings);
  const valuesFiles = [...inputs.valuesFiles, ...(d.generatedValuesFile ? [d.generatedValuesFile] : [])];
  const chartArgs = { chart, chartVersion: inputs.chartVersion, valuesFiles };
  const outcome: Outcome = { status: 'unknown', rolledBack: false, resources: [], timings };

  const rendered = await step('Validate chart (lint, template)', async () => {
    if (chart.kind === 'local' && chartDeclaresDependencies(chart.dir)) {
      core.info('Chart declares dependencies: helm dependency build');
      await helm.run(['dependency', 'build', chart.dir]);
    }
    if (inputs.lint && chart.kind === 'local') {
      const lint = await helm.run(lintArgs(chart.dir, inputs.namespace, valuesFiles), true);
      core.info(lint.stdout.trim());
      if (lint.exitCode !== 0) throw renderError('helm lint --strict', lint.stdout + '\n' + lint.stderr, inputs.workspace, chart.kind === 'local' ? chart.dir : undefined);
    }
    const template = await helm.run(templateArgs(inputs.release, inputs.namespace, chartArgs), true);
    if (template.exitCode !== 0) throw renderError('helm template', template.stderr, inputs.workspace, chart.kind === 'local' ? chart.dir : undefined);
    const resources = parseManifest(template.stdout);
    core.info(`Rendered ${resources.length} resources: ${resources.map((r) => `${r.kind}/${r.name}`).join(', ')}`);
    return template.stdout;
  });
  const workloads = parseWorkloads(rendered);
  outcome.resources = parseManifest(rendered);
  const selectors = podSelectors(workloads, inputs.release);
  const diag: DiagnosticsTarget = { helm, kubectl, release: inputs.release, namespace: inputs.namespace, selectors, dir: d.diagnosticsDir };

  const state = await step('Check release state', async () => {
    let history = await helm.history(inputs.release, inputs.namespace);
    const decision = decideRecovery(history, Date.now(), inputs.pendingThresholdMs);
    if (decision.action === 'conflict') throw new ActionError(`Release ${inputs.release}: ${decision.reason}. Re-run once it has finished, or lower pending-threshold.`);
    if (decision.action === 'rollback') {
      core.warning(`Recovering release ${inputs.release}: ${decision.reason} (probably a cancelled run); rolling back to revision ${decision.revision} before upgrading`);
      await helm.rollback(inputs.release, inputs.namespace, decision.revision, inputs.timeoutMs, inputs.historyMax);
      history = await helm.history(inputs.release, inputs.namespace);
    } else if (decision.action === 'uninstall') {
      core.warning(`Recovering release ${inputs.release}: ${decision.reason}; uninstalling it before installing again`);
      await helm.uninstall(inputs.release, inputs.namespace, inputs.timeoutMs);
      history = [];
    } else {
      core.info(decision.firstInstall ? `Release ${inputs.release} does not exist yet: first install` : `Release ${inputs.release} is at revision ${decision.previousRevision ?? '?'}`);
    }
    return { previousRevision: deployedRevision(history), latestBefore: latestEntry(history)?.revision ?? 0 };
  });
  outcome.previousRevision = state.previousRevision;
  const firstInstall = state.previousRevision === undefined;
  const rollbackWanted = inputs.atomic && !(firstInstall && inputs.keepFailedInstall);

  const ignoreUids = new Set<string>();
  let watch: PodWatch | undefined;
  if (kubectl && rollbackWanted) {
    watch = { kubectl, namespace: inputs.namespace, selectors, ignoreUids, crashChecks: inputs.crashChecks, pollIntervalMs: inputs.pollIntervalMs };
    try {
      // Pods from before the upgrade are not this deploy's fault (they are replaced as it rolls out).
      for (const s of selectors) for (const p of await kubectl.pods(inputs.namespace, s)) if (p.metadata.uid) ignoreUids.add(p.metadata.uid);
    } catch (err) {
      core.debug(`could not list existing pods: ${errorMessage(err)}`);
    }
  } else if (!kubectl) {
    core.warning('kubectl not found on PATH: early failure detection, rollout checks and pod diagnostics are off');
  }

  const built = upgradeArgs(major, {
    release: inputs.release,
    namespace: inputs.namespace,
    ...chartArgs,
    timeoutMs: inputs.timeoutMs,
    historyMax: inputs.historyMax,
    rollbackOnFailure: rollbackWanted,
    serverSide: inputs.serverSide,
    forceConflicts: inputs.forceConflicts,
    forceReplace: inputs.forceReplace,
    createNamespace: inputs.createNamespace,
  });
  for (const w of built.warnings) core.warning(w);

  const upgradeStarted = Date.now();
  let failure: Error | undefined;
  let podFailures: PodFailure[] = [];
  let helmRolledBack = false;
  let mustRollBack = false;
  try {
    await step(`Deploy (helm upgrade --install, Helm ${major})`, async () => {
      const watched = await retry(
        async (attempt) => {
          if (attempt > 1) core.info(`Attempt ${attempt}/${inputs.attempts}`);
          const w = await upgradeWatchingPods(helm, built.args, watch);
          if (w.outcome === 'finished' && w.result.exitCode !== 0) {
            const c = classifyHelmError(w.result.stderr);
            throw new UpgradeFailure(`helm upgrade failed (exit ${w.result.exitCode}, ${c.reason}): ${w.result.stderr.trim()}`, c);
          }
          return w;
        },
        { attempts: inputs.attempts, baseDelayMs: 2000, isTransient: (err) => err instanceof UpgradeFailure && err.classification.kind === 'transient', label: 'helm upgrade' },
      );
      if (watched.outcome === 'pods-failing') {
        podFailures = watched.failures;
        mustRollBack = true;
        throw new ActionError(`Pods failing after ${Math.round((watched.detectedAt - upgradeStarted) / 1000)}s of the ${Math.round(inputs.timeoutMs / 1000)}s timeout: ${describeFailures(watched.failures)}`);
      }
    });
    if (kubectl) {
      await step('Verify rollout', async () => {
        const manifest = await helm.manifest(inputs.release, inputs.namespace);
        outcome.resources = parseManifest(manifest);
        for (const w of parseWorkloads(manifest)) {
          const remaining = Math.max(5000, inputs.timeoutMs - (Date.now() - upgradeStarted));
          const r = await kubectl.rolloutStatus(w.kind, w.name, w.namespace ?? inputs.namespace, remaining);
          core.info((r.stdout + r.stderr).trim());
          if (r.exitCode !== 0) {
            mustRollBack = rollbackWanted;
            throw new ActionError(`${w.kind}/${w.name} did not roll out: ${(r.stderr || r.stdout).trim()}`);
          }
        }
      });
    }
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
    if (err instanceof UpgradeFailure && err.classification.kind === 'rolled-back') helmRolledBack = true;
  }

  if (!failure) {
    const status = await helm.status(inputs.release, inputs.namespace);
    outcome.status = status?.status ?? 'unknown';
    outcome.revision = status?.revision;
    return outcome;
  }

  // Failed: gather what is about to disappear, put the release back, then record the final state.
  core.error(errorMessage(failure));
  const podsBefore = await collectPodDiagnostics(diag, podFailures).catch(() => podFailures);
  let rollbackError: Error | undefined;
  await step('Settle release after failure', async () => {
    try {
      const settled = await settle(d, state.previousRevision, state.latestBefore, rollbackWanted, mustRollBack);
      outcome.rolledBack = settled || helmRolledBack;
    } catch (err) {
      rollbackError = err instanceof Error ? err : new Error(String(err));
      core.error(`Rollback failed: ${errorMessage(err)}`);
    }
  });
  const status = await helm.status(inputs.release, inputs.namespace).catch(() => undefined);
  outcome.status = status?.status ?? 'uninstalled';
  outcome.revision = status?.revision;
  outcome.diagnosticsMarkdown = await collectReleaseDiagnostics(diag, podsBefore);
  outcome.diagnosticsPath = d.diagnosticsDir;
  const summary = outcome.rolledBack ? (outcome.revision ? `; rolled back to revision ${outcome.revision}` : '; the failed first install was uninstalled') : '';
  outcome.error = rollbackError
    ? new ActionError(`${errorMessage(failure)}\nRollback failed too: ${errorMessage(rollbackError)}\nThe release is ${outcome.status}; see diagnostics in ${d.diagnosticsDir}`)
    : new ActionError(`${errorMessage(failure)}${summary}`);
  return outcome;
}

/**
 * Puts the release back to a non-pending, working state after a failed deploy. Returns true when it
 * rolled back or uninstalled. Helm may already have done so (atomic); then there is nothing left to do.
 */
async function settle(d: DeployDeps, previousRevision: number | undefined, latestBefore: number, rollbackWanted: boolean, mustRollBack: boolean): Promise<boolean> {
  const { inputs, helm } = d;
  const history = await helm.history(inputs.release, inputs.namespace);
  const latest = latestEntry(history);
  if (!latest || latest.revision <= latestBefore) {
    core.info(latest ? `Release unchanged at revision ${latest.revision} (${latest.status})` : 'Release does not exist (nothing was installed, or Helm uninstalled it)');
    return false;
  }
  const pending = PENDING_STATUSES.includes(latest.status);
  if (latest.status === 'deployed' && /^Rollback to \d+/.test(latest.description) && !mustRollBack) {
    core.info(`Helm already rolled back: revision ${latest.revision} (${latest.description})`);
    return true;
  }
  if (!rollbackWanted && !pending) {
    core.info(`atomic is off (or keep-failed-install): leaving revision ${latest.revision} ${latest.status}`);
    return false;
  }
  if (!(latest.status === 'failed' || pending || mustRollBack)) return false;
  if (previousRevision === undefined) {
    if (inputs.keepFailedInstall && !pending) return false;
    core.warning(`First install failed: uninstalling release ${inputs.release}${inputs.keepFailedInstall ? ' (it was left pending, which would block every later deploy)' : ''}`);
    await helm.uninstall(inputs.release, inputs.namespace, inputs.timeoutMs);
    return true;
  }
  core.warning(`Rolling back release ${inputs.release} from revision ${latest.revision} (${latest.status}) to revision ${previousRevision}`);
  await helm.rollback(inputs.release, inputs.namespace, previousRevision, inputs.timeoutMs, inputs.historyMax);
  return true;
}

function chartDeclaresDependencies(dir: string): boolean {
  const chartYaml = YAML.parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as { dependencies?: unknown[] } | null;
  return Array.isArray(chartYaml?.dependencies) && chartYaml.dependencies.length > 0;
}

/** A render/lint failure: annotated on the chart file Helm names, before the cluster is touched. */
function renderError(what: string, output: string, workspace: string, chartDir: string | undefined): ActionError {
  const location = findTemplateLocation(output);
  const message = output.split('\n').filter((l) => /error/i.test(l)).join('\n').trim() || output.trim();
  if (location && chartDir) {
    core.error(message, { title: `${what} failed`, file: annotationPath(workspace, chartDir, location), startLine: location.line, ...(location.column ? { startColumn: location.column } : {}) });
  }
  return new ActionError(`${what} failed; nothing was deployed:\n${message}`);
}

