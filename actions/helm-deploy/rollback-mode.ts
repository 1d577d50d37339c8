// mode: rollback — what the CD workflow calls when a smoke test fails. Idempotent: a second call finds
// the release already rolled back and does nothing. Diagnostics as deploy mode writes them on failure
// (env values hidden): the failing pods before the rollback replaces them, the release after it.
import * as core from '@actions/core';
import { ActionError, errorMessage } from '../toolkit/index.js';
import type { Outcome } from './deploy.js';
import { collectPodDiagnostics, collectReleaseDiagnostics } from './diagnostics.js';
import type { DiagnosticsTarget } from './diagnostics.js';
import type { Helm } from './helm.js';
import { deployedRevision, planRollback } from './history.js';
import type { Inputs } from './inputs.js';
import type { Kubectl } from './kubectl.js';
import { parseWorkloads, podSelectors } from './manifest.js';
import type { PodFailure } from './pods.js';

export interface RollbackDeps {
  inputs: Inputs;
  helm: Helm;
  kubectl?: Kubectl;
  diagnosticsDir: string;
}

export async function rollbackMode(d: RollbackDeps): Promise<Outcome> {
  const { inputs, helm, kubectl } = d;
  const timings: [string, number][] = [];
  const started = Date.now();
  const history = await helm.history(inputs.release, inputs.namespace);
  if (!history.length) throw new ActionError(`Release ${inputs.release} not found in namespace ${inputs.namespace}: nothing to roll back`);
  let plan;
  try {
    plan = planRollback(history, inputs.revision);
  } catch (err) {
    throw new ActionError(`Cannot roll back ${inputs.release}: ${errorMessage(err)}`);
  }
  const outcome: Outcome = { status: 'unknown', rolledBack: false, resources: [], timings, previousRevision: deployedRevision(history) };

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

  let rollbackError: Error | undefined;
  const fail = (message: string): void => {
    rollbackError = new ActionError(message);
    core.error(message);
  };
  const attempt = async (title: string, failure: string, step: () => Promise<void>): Promise<void> => {
    try {
      await core.group(title, step);
      outcome.rolledBack = true;
    } catch (err) {
      fail(`${failure}: ${errorMessage(err)}`);
    }
  };
  const { release, namespace, timeoutMs } = inputs;
  if (plan.action === 'noop') {
    core.info(`Nothing to do: ${plan.reason}`);
  } else if (plan.action === 'uninstall' && inputs.keepFailedInstall) {
    fail(`Cannot roll back ${release}: ${plan.reason}; keep-failed-install is true, so revision ${plan.from} stays as it is`);
  } else if (plan.action === 'uninstall') {
    await attempt(`Uninstall ${release}: ${plan.reason} (its first install is the failed one)`, `Uninstall of ${release} (no good revision to roll back to) failed`, () => helm.uninstall(release, namespace, timeoutMs));
  } else {
    const { from, revision } = plan;
    await attempt(`Roll back ${release} from revision ${from} to ${revision}`, `Rollback of ${release} from revision ${from} to ${revision} failed`, () => helm.rollback(release, namespace, revision, timeoutMs, inputs.historyMax));
  }
  timings.push(['Rollback', Date.now() - started]);
  const status = await helm.status(inputs.release, inputs.namespace).catch(() => undefined);
  outcome.status = status?.status ?? (plan.action === 'uninstall' && outcome.rolledBack ? 'uninstalled' : 'unknown');
  outcome.revision = status?.revision;
  outcome.diagnosticsMarkdown = await core.group('Collect release diagnostics', () => collectReleaseDiagnostics(diag, podsBefore));
  outcome.diagnosticsPath = d.diagnosticsDir;
  if (rollbackError) outcome.error = new ActionError(`${errorMessage(rollbackError)}\nThe release is ${outcome.status}; see diagnostics in ${d.diagnosticsDir}`);
  return outcome;
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
