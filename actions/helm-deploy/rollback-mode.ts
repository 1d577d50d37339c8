// mode: rollback — what the CD workflow calls when a smoke test fails. Idempotent: a second call finds
// the release already rolled back and does nothing.
import * as core from '@actions/core';
import { ActionError, errorMessage } from '../toolkit/index.js';
import type { Helm } from './helm.js';
import { deployedRevision, planRollback } from './history.js';
import type { Inputs } from './inputs.js';
import type { Outcome } from './deploy.js';

export async function rollbackMode(inputs: Inputs, helm: Helm): Promise<Outcome> {
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
  if (plan.action === 'noop') {
    core.info(`Nothing to do: ${plan.reason}`);
    outcome.rolledBack = false;
  } else {
    await core.group(`Roll back ${inputs.release} from revision ${plan.from} to ${plan.revision}`, () => helm.rollback(inputs.release, inputs.namespace, plan.revision, inputs.timeoutMs, inputs.historyMax));
    outcome.rolledBack = true;
  }
  timings.push(['Rollback', Date.now() - started]);
  const status = await helm.status(inputs.release, inputs.namespace);
  outcome.status = status?.status ?? 'unknown';
  outcome.revision = status?.revision;
  return outcome;
}
