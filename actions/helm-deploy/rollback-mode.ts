// mode: rollback — what the CD workflow calls when a smoke test fails. Idempotent: a second call finds
// the release already rolled back and does nothing. Diagnostics as deploy mode writes them on failure
// (env values hidden): the failing pods before the rollback replaces them, the release after it.
import * as core from '@actions/core';
import type { Kubectl, PodFailure } from '../toolkit/index.js';
import { ActionError, errorMessage, parseWorkloads, podSelectors } from '../toolkit/index.js';
import type { Outcome } from './deploy.js';
import { UNREACHABLE, recordStatus } from './deploy.js';
import { collectPodDiagnostics, collectReleaseDiagnostics } from './diagnostics.js';
import type { DiagnosticsTarget } from './diagnostics.js';
import type { Helm } from './helm.js';
import { HelmCallError } from './helm.js';
import { deployedRevision, latestEntry, planRollback } from './history.js';
import type { Inputs } from './inputs.js';

export interface RollbackDeps {
  inputs: Inputs;
  helm: Helm;
  kubectl?: Kubectl;
  diagnosticsDir: string;
}

export async function rollbackMode(d: RollbackDeps, outcome: Outcome): Promise<void> {
  const { inputs, helm, kubectl } = d;
  const started = Date.now();
  let history;
  try {
    history = await helm.history(inputs.release, inputs.namespace);
  } catch (err) {
    if (err instanceof HelmCallError && err.transient) outcome.skipRead = UNREACHABLE;
    throw err;
  }
  outcome.previousRevision = deployedRevision(history);
  outcome.status = history.length ? (latestEntry(history)?.status ?? 'unknown') : 'uninstalled';
  outcome.revision = latestEntry(history)?.revision;
  outcome.observed = true;
  if (!history.length) throw new ActionError(`Release ${inputs.release} not found in namespace ${inputs.namespace}: nothing to roll back`);
  let plan;
  try {
    plan = planRollback(history, inputs.revision);
  } catch (err) {
    throw new ActionError(`Cannot roll back ${inputs.release}: ${errorMessage(err)}`);
  }

  if (!kubectl) core.warning('kubectl not found on PATH: pod diagnostics and events are off');
  const diag: DiagnosticsTarget = { helm, kubectl, release: inputs.release, namespace: inputs.namespace, selectors: await releaseSelectors(helm, inputs), dir: d.diagnosticsDir };
  const podsBefore = await core.group('Collect pod diagnostics before the rollback', async () => {
    const failures = await collectPodDiagnostics(diag).catch((err: unknown): PodFailure[] => {
      core.warning(`Could not collect pod diagnostics: ${errorMessage(err)}`);
      return [];
    });
    core.info(failures.length ? `Failing containers: ${failures.map((f) => `${f.pod}/${f.container} (${f.reason})`).join(', ')}` : 'No failing containers');
    return failures;
  });

  const attempt = async (title: string, failure: string, step: () => Promise<void>): Promise<void> => {
    outcome.observed = false;
    try {
      await core.group(title, step);
      outcome.rolledBack = true;
    } catch (err) {
      if (err instanceof HelmCallError && err.transient) outcome.skipRead = UNREACHABLE;
      outcome.rollbackError = new ActionError(`${failure}: ${errorMessage(err)}`);
    }
  };
  const { release, namespace, timeoutMs } = inputs;
  if (plan.action === 'noop') {
    core.info(`Nothing to do: ${plan.reason}`);
  } else if (plan.action === 'uninstall' && inputs.keepFailedInstall) {
    outcome.rollbackError = new ActionError(`Cannot roll back ${release}: ${plan.reason}; keep-failed-install is true, so revision ${plan.from} stays as it is`);
  } else if (plan.action === 'uninstall') {
    await attempt(`Uninstall ${release}: ${plan.reason} (its first install is the failed one)`, `Uninstall of ${release} (no good revision to roll back to) failed`, async () => {
      await helm.uninstall(release, namespace, timeoutMs);
      outcome.uninstalled = true;
    });
  } else {
    const { from, revision } = plan;
    await attempt(`Roll back ${release} from revision ${from} to ${revision}`, `Rollback of ${release} from revision ${from} to ${revision} failed`, async () => {
      await helm.rollback(release, namespace, revision, timeoutMs, inputs.historyMax);
      outcome.rolledBackTo = revision;
    });
  }
  outcome.timings.push(['Rollback', Date.now() - started]);
  const diagnostics = await core.group('Collect release diagnostics', () => collectReleaseDiagnostics(diag, podsBefore));
  outcome.diagnosticsMarkdown = diagnostics.markdown;
  outcome.diagnosticsPath = d.diagnosticsDir;
  if (diagnostics.observed) recordStatus(outcome, diagnostics.observed.status);
}

/** Pod selectors of the release as deployed now (the revision being rolled back), or its instance label. */
async function releaseSelectors(helm: Helm, inputs: Inputs): Promise<string[]> {
  try {
    return podSelectors(parseWorkloads(await helm.manifest(inputs.release, inputs.namespace)), inputs.release);
  } catch (err) {
    core.debug(`could not read the release manifest: ${errorMessage(err)}`);
    return podSelectors([], inputs.release);
  }
}
