// mode: deploy — lint/template, recover a stuck release, upgrade with retries while watching pods,
// verify rollouts, and leave the release either healthy or rolled back.
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import type { Kubectl, ManifestResource, PodFailure, PodWatch, RolloutVerdict, Workload } from '../toolkit/index.js';
import { ActionError, describeFailures, errorMessage, existingPodUids, formatDuration, guardLostWait, parseManifest, parseWorkloads, podSelectors, retry, timedGroup, verifyRollouts, watchCommandStream } from '../toolkit/index.js';
import type { LostWaitGuard } from '../toolkit/index.js';
import { classifyHelmError } from './classify.js';
import type { Classification } from './classify.js';
import { collectPodDiagnostics, collectReleaseDiagnostics, readRelease } from './diagnostics.js';
import type { DiagnosticsTarget, ReleaseReads } from './diagnostics.js';
import type { HelmMajor } from './helm-args.js';
import { lintArgs, templateArgs, upgradeArgs } from './helm-args.js';
import type { Helm, ReleaseStatus, RollbackWatch } from './helm.js';
import { HelmCallError } from './helm.js';
import type { HistoryEntry } from './history.js';
import { decideRecovery, deployedRevision, lastGoodRevision, latestEntry, PENDING_STATUSES, recordedCommit, sourceCommitDescription } from './history.js';
import { decideOrder, describeDecision, logDecision } from '../toolkit/source-order.js';
import type { Inputs } from './inputs.js';
import { annotationPath, findTemplateLocation } from './template-errors.js';

export interface Outcome {
  /** The revision live at the end, from a successful read of the release (undefined: not found or not read). */
  revision?: number;
  /** The revision live before the run (before any recovery of a pending release). */
  previousRevision?: number;
  /** From a successful read of the release, else `unknown` (statusReason says why). */
  status: string;
  statusReason?: string;
  /** True once status and revision come from a read made after the last change this run made. */
  observed: boolean;
  rolledBack: boolean;
  /** The revision the release was rolled back to (its content; the rollback itself is a new revision). */
  rolledBackTo?: number;
  /** A failed first install was uninstalled. */
  uninstalled?: boolean;
  resources: ManifestResource[];
  timings: [string, number][];
  diagnosticsPath?: string;
  diagnosticsMarkdown?: string;
  /** What failed first. */
  failure?: Error;
  /** The rollback (or uninstall) after the failure failed too. */
  rollbackError?: Error;
  /** Newest wins: the source commit recorded in the revision live before the run (undefined: none recorded). */
  liveCommit?: string;
  /** The live commit is newer than source-commit: nothing was changed. */
  superseded?: boolean;
  /** The ordering decision in words (log and summary). */
  order?: string;
  /** Why the release is not read at the end (the cluster was unreachable after the whole retry budget, or never contacted). */
  skipRead?: string;
}

export function newOutcome(): Outcome {
  return { status: 'unknown', observed: false, rolledBack: false, resources: [], timings: [] };
}

export interface DeployDeps {
  inputs: Inputs;
  helm: Helm;
  kubectl?: Kubectl;
  major: HelmMajor;
  generatedValuesFile?: string;
  diagnosticsDir: string;
}

/** A failure with the file annotation it should be reported on (one ::error, there). */
export class AnnotatedError extends ActionError {
  readonly annotation: core.AnnotationProperties;
  constructor(message: string, annotation: core.AnnotationProperties) {
    super(message);
    this.annotation = annotation;
  }
}

class UpgradeFailure extends Error {
  readonly classification: Classification;
  constructor(message: string, classification: Classification) {
    super(message);
    this.name = 'UpgradeFailure';
    this.classification = classification;
  }
}

/** Records a transient failure that outlasted the retry budget: the cluster is away, the release state unread. */
function noteUnreachable(outcome: Outcome, err: unknown): void {
  if (err instanceof HelmCallError && err.transient) outcome.skipRead = UNREACHABLE;
}

/** Release label holding the source commit (Helm 4's `helm get metadata` shows it; the description carries it for both). */
export const SOURCE_COMMIT_LABEL = 'platform-actions.dev/source-commit';

export const UNREACHABLE = 'the cluster was unreachable after the retry budget, so the release could not be read';

/**
 * mode deploy. Fills `outcome` as it observes things, so whatever is thrown (an early failure) leaves what
 * was seen; failures from the upgrade on are settled (rolled back) here and recorded in outcome.failure.
 */
export async function deploy(d: DeployDeps, outcome: Outcome): Promise<void> {
  const { inputs, helm, kubectl, major } = d;
  const chart = inputs.chart;
  if (!chart) throw new ActionError('no chart to deploy');
  const step = timedGroup(outcome.timings);
  const valuesFiles = [...inputs.valuesFiles, ...(d.generatedValuesFile ? [d.generatedValuesFile] : [])];
  const chartArgs = { chart, chartVersion: inputs.chartVersion, valuesFiles };

  // Until the release is read, a failure leaves nothing to report about it: the cluster was not contacted.
  outcome.skipRead = 'the deploy stopped before the cluster was contacted';
  const rendered = await step('Validate chart (lint, template)', async () => {
    if (chart.kind === 'local' && chartDeclaresDependencies(chart.dir)) {
      core.info('Chart declares dependencies: helm dependency build');
      await helm.run(['dependency', 'build', chart.dir]);
    }
    // Lint and template read the same files and change nothing: side by side, lint's verdict still first.
    const [lint, template] = await Promise.all([
      inputs.lint && chart.kind === 'local' ? helm.run(lintArgs(chart.dir, inputs.namespace, valuesFiles), true) : undefined,
      helm.run(templateArgs(inputs.release, inputs.namespace, chartArgs), true),
    ]);
    if (lint) {
      core.info(lint.stdout.trim());
      if (lint.exitCode !== 0) throw renderError('helm lint --strict', lint.stdout + '\n' + lint.stderr, inputs.workspace, chart.kind === 'local' ? chart.dir : undefined);
    }
    if (template.exitCode !== 0) throw renderError('helm template', template.stderr, inputs.workspace, chart.kind === 'local' ? chart.dir : undefined);
    const resources = parseManifest(template.stdout);
    core.info(`Rendered ${resources.length} resources: ${resources.map((r) => `${r.kind}/${r.name}`).join(', ')}`);
    return template.stdout;
  });
  const workloads = parseWorkloads(rendered);
  outcome.resources = parseManifest(rendered);
  for (const w of unpinnedImages(rendered, deployedImages(inputs))) core.warning(w);
  const selectors = podSelectors(workloads, inputs.release);
  const diag: DiagnosticsTarget = { helm, kubectl, release: inputs.release, namespace: inputs.namespace, selectors, dir: d.diagnosticsDir };

  outcome.skipRead = undefined;
  // Pods from before the upgrade are not this deploy's fault (they are replaced as it rolls out): listed while
  // the history is read (a read; listed again after a recovery changed them).
  const listPods = (): Promise<Set<string>> | undefined => (kubectl && inputs.atomic ? existingPodUids(kubectl, inputs.namespace, selectors) : undefined);
  let podsThere = listPods();
  const state = await step('Check release state', async () => {
    let history: HistoryEntry[];
    try {
      history = await helm.history(inputs.release, inputs.namespace);
    } catch (err) {
      noteUnreachable(outcome, err);
      throw err;
    }
    observeHistory(outcome, history);
    outcome.previousRevision = liveRevision(history);
    if (inputs.order) {
      // Newest wins, decided before anything changes (the recovery of a pending release included).
      outcome.liveCommit = recordedCommit(history, outcome.previousRevision);
      // A revision finished after a lost wait carries the commit only in its labels (Helm 4 shows them).
      if (!outcome.liveCommit && outcome.previousRevision !== undefined && major === 4) outcome.liveCommit = (await helm.labels(inputs.release, inputs.namespace, outcome.previousRevision))?.[SOURCE_COMMIT_LABEL];
      const order = await decideOrder(outcome.liveCommit, inputs.order.sourceCommit, inputs.order.ctx, inputs.order.policy, `release ${inputs.release}`);
      logDecision(order);
      outcome.order = describeDecision(order);
      if (order.kind === 'superseded') {
        outcome.superseded = true;
        return undefined;
      }
    }
    const decision = decideRecovery(history, Date.now(), inputs.pendingThresholdMs);
    if (decision.action === 'conflict') throw new ActionError(`Release ${inputs.release}: ${decision.reason}. Re-run once it has finished, or lower pending-threshold.`);
    if (decision.action === 'rollback') {
      core.warning(`Recovering release ${inputs.release}: ${decision.reason} (probably a cancelled run); rolling back to revision ${decision.revision} before upgrading`);
      outcome.observed = false;
      await helm.rollback(inputs.release, inputs.namespace, decision.revision, inputs.timeoutMs, inputs.historyMax);
      history = await helm.history(inputs.release, inputs.namespace);
      observeHistory(outcome, history);
      podsThere = listPods();
    } else if (decision.action === 'uninstall') {
      core.warning(`Recovering release ${inputs.release}: ${decision.reason}; uninstalling it before installing again`);
      outcome.observed = false;
      await helm.uninstall(inputs.release, inputs.namespace, inputs.timeoutMs);
      history = [];
      podsThere = listPods();
    } else {
      core.info(decision.firstInstall ? `Release ${inputs.release} does not exist yet: first install` : `Release ${inputs.release} is at revision ${decision.previousRevision ?? '?'}`);
    }
    return { deployedBefore: deployedRevision(history), latestBefore: latestEntry(history)?.revision ?? 0 };
  });
  if (!state) return;
  const firstInstall = state.deployedBefore === undefined;
  const rollbackWanted = inputs.atomic && !(firstInstall && inputs.keepFailedInstall);

  let watch: PodWatch | undefined;
  if (kubectl && rollbackWanted) {
    const ignoreUids = (await podsThere) ?? new Set<string>();
    watch = { kubectl, namespace: inputs.namespace, selectors, ignoreUids, crashChecks: inputs.crashChecks, pollIntervalMs: inputs.pollIntervalMs };
  } else if (!kubectl) {
    core.warning('kubectl not found on PATH: early failure detection, rollout checks and pod diagnostics are off');
  }

  // Helm's own wait may not survive an API-server outage (Helm 4's watcher): the rollout as the controllers
  // report it ends that wait, within the retry budget.
  const guard: LostWaitGuard | undefined = kubectl ? { kubectl, namespace: inputs.namespace, workloads, pollIntervalMs: inputs.pollIntervalMs, graceMs: Math.min(20_000, Math.max(5_000, inputs.retryBudgetMs / 3)) } : undefined;
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
    ...(inputs.order ? { description: sourceCommitDescription(inputs.order.sourceCommit, firstInstall), labels: { [SOURCE_COMMIT_LABEL]: inputs.order.sourceCommit } } : {}),
  });
  for (const w of built.warnings) core.warning(w);

  const upgradeStarted = Date.now();
  let failure: Error | undefined;
  let podFailures: PodFailure[] = [];
  let helmRolledBack = false;
  let mustRollBack = false;
  outcome.observed = false;
  try {
    await step(`Deploy (helm upgrade --install, Helm ${major})`, async () => {
      const watched = await retry(
        async (attempt) => {
          if (attempt > 1) core.info(`Attempt ${attempt}/${inputs.attempts}`);
          const cmd = helm.startCluster(built.args);
          const [w, guarded] = await Promise.all([watchCommandStream(cmd, watch), guardLostWait(cmd, guard)]);
          if (guarded.lostWait) return { outcome: 'lost-wait' as const, result: guarded.result };
          if (w.outcome === 'finished' && w.result.exitCode !== 0) {
            const c = classifyHelmError(w.result.stderr);
            const failed = new UpgradeFailure(`helm upgrade failed (exit ${w.result.exitCode}, ${c.reason}): ${w.result.stderr.trim()}`, c);
            if (c.kind !== 'transient') throw failed;
            // Only an upgrade that left the release untouched is run again: read the history (the read waits out
            // the outage within the retry budget) and look for a revision this attempt made.
            const after = await helm.history(inputs.release, inputs.namespace).catch((err: unknown) => {
              noteUnreachable(outcome, err);
              throw new UpgradeFailure(`${failed.message}\nThe release could not be read afterwards: ${errorMessage(err)}`, { kind: 'permanent', reason: c.reason });
            });
            const latest = latestEntry(after);
            if (!latest || latest.revision <= state.latestBefore) throw failed;
            if (latest.status === 'deployed') {
              core.warning(`helm upgrade lost the cluster (${c.reason}) after revision ${latest.revision} was deployed: verifying it`);
              return { outcome: 'finished' as const, result: { ...w.result, exitCode: 0 } };
            }
            mustRollBack = rollbackWanted;
            throw new UpgradeFailure(`${failed.message}\nRevision ${latest.revision} is ${latest.status}: the upgrade was interrupted, so it is not run again`, { kind: 'permanent', reason: c.reason });
          }
          return w;
        },
        { attempts: inputs.attempts, baseDelayMs: 2000, isTransient: (err) => err instanceof UpgradeFailure && err.classification.kind === 'transient', reason: (err) => (err instanceof UpgradeFailure ? err.classification.reason : ''), label: 'helm upgrade' },
      );
      if (watched.outcome === 'lost-wait') await finishLostRelease(d, state.latestBefore);
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
        const deadline = upgradeStarted + inputs.timeoutMs;
        // Helm 3's wait counts a pod ready before minReadySeconds makes it available: the rollout check is
        // watched like the upgrade, so a pod that crashes after becoming ready still ends it at once.
        const verdict = watch ? await verifyRolloutsWatched(kubectl, parseWorkloads(manifest), inputs.namespace, deadline, watch, inputs.retryBudgetMs) : await verifyRollouts(kubectl, parseWorkloads(manifest), inputs.namespace, deadline);
        if ('podsFailing' in verdict) {
          podFailures = verdict.podsFailing;
          mustRollBack = true;
          throw new ActionError(`Pods failing after ${Math.round((Date.now() - upgradeStarted) / 1000)}s of the ${Math.round(inputs.timeoutMs / 1000)}s timeout: ${describeFailures(verdict.podsFailing)}`);
        }
        if (!verdict.ok) {
          if (verdict.unreachable) {
            outcome.skipRead = UNREACHABLE;
            throw new ActionError(`${verdict.workload.kind}/${verdict.workload.name}: the rollout could not be checked (${verdict.classification.reason}, still failing after the retry budget): ${verdict.message.split('\n').slice(-1)[0]}`);
          }
          mustRollBack = rollbackWanted;
          throw new ActionError(`${verdict.workload.kind}/${verdict.workload.name} did not roll out: ${verdict.message}`);
        }
      });
    }
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
    noteUnreachable(outcome, err);
    if (err instanceof UpgradeFailure && err.classification.kind === 'rolled-back') helmRolledBack = true;
  }
  if (!failure) return;

  // Failed: gather what is about to disappear, put the release back; main records the final state.
  outcome.failure = failure;
  core.info(`Deploy failed: ${errorMessage(failure).split('\n')[0]}`);
  // Side by side: the failing pods' diagnostics, and the reads the rollback's own wait needs (the restored
  // revision's workloads, the pods there now); the rollback itself waits for the diagnostics.
  const podsBefore = collectPodDiagnostics(diag, podFailures).catch(() => podFailures);
  const restore = kubectl && rollbackWanted && state.deployedBefore !== undefined ? restoreTarget(d, state.deployedBefore, selectors).catch(() => undefined) : undefined;
  let reads: ReleaseReads | undefined;
  await step('Settle release after failure', async () => {
    try {
      const settled = await settle(d, outcome, {
        previousRevision: state.deployedBefore,
        latestBefore: state.latestBefore,
        rollbackWanted,
        mustRollBack,
        before: podsBefore,
        restore,
        // Helm has recorded the rollback: the release's diagnostics are read while its pods are waited for.
        onRecorded: () => (reads = readRelease(diag)),
      });
      outcome.rolledBack = settled || helmRolledBack;
      if (helmRolledBack && !settled) outcome.uninstalled = firstInstall;
    } catch (err) {
      outcome.rollbackError = err instanceof Error ? err : new Error(String(err));
      noteUnreachable(outcome, err);
      core.warning(`Rollback failed: ${errorMessage(err).split('\n')[0]}`);
      // The events of a restore that failed are what explains it: read them (and the release) again.
      await reads?.events;
      reads = undefined;
    }
  });
  const diagnostics = await collectReleaseDiagnostics(diag, await podsBefore, reads);
  outcome.diagnosticsMarkdown = diagnostics.markdown;
  outcome.diagnosticsPath = d.diagnosticsDir;
  if (diagnostics.observed) recordStatus(outcome, diagnostics.observed.status);
}

/** status and revision from a `helm status` read after the last change (undefined: the release does not exist). */
export function recordStatus(o: Outcome, status: ReleaseStatus | undefined): void {
  o.status = status?.status ?? 'uninstalled';
  o.revision = status?.revision;
  o.statusReason = undefined;
  o.observed = true;
}

/** The revision live before the run: the deployed one, or the last good one under a pending revision. */
export function liveRevision(history: HistoryEntry[]): number | undefined {
  const latest = latestEntry(history);
  return deployedRevision(history) ?? (latest && PENDING_STATUSES.includes(latest.status) ? lastGoodRevision(history, latest.revision) : undefined);
}

/** status/revision as `helm status` would report them, from a history just read. */
function observeHistory(outcome: Outcome, history: HistoryEntry[]): void {
  const latest = latestEntry(history);
  const current = history.find((e) => e.revision === deployedRevision(history)) ?? latest;
  outcome.status = latest && PENDING_STATUSES.includes(latest.status) ? latest.status : (current?.status ?? 'uninstalled');
  outcome.revision = latest && PENDING_STATUSES.includes(latest.status) ? latest.revision : current?.revision;
  outcome.statusReason = undefined;
  outcome.observed = true;
}

interface SettleContext {
  /** The revision live before the run (undefined: a first install). */
  previousRevision?: number;
  latestBefore: number;
  rollbackWanted: boolean;
  mustRollBack: boolean;
  /** Settles when the failing pods' diagnostics are taken: the rollback replaces those pods. */
  before: Promise<unknown>;
  /** What the rollback's own wait watches (undefined: Helm's wait, with the pod watch beside it). */
  restore?: Promise<RestoreTarget | undefined>;
  /** Called once Helm has recorded the rollback, before its pods are waited for. */
  onRecorded: () => void;
}

/**
 * Puts the release back to a non-pending, working state after a failed deploy. Returns true when it
 * rolled back or uninstalled. Helm may already have done so (atomic); then there is nothing left to do.
 */
async function settle(d: DeployDeps, outcome: Outcome, s: SettleContext): Promise<boolean> {
  const { inputs, helm } = d;
  const { previousRevision, latestBefore, rollbackWanted, mustRollBack } = s;
  const history = await helm.history(inputs.release, inputs.namespace);
  const latest = latestEntry(history);
  if (!latest || latest.revision <= latestBefore) {
    core.info(latest ? `Release unchanged at revision ${latest.revision} (${latest.status})` : 'Release does not exist (nothing was installed, or Helm uninstalled it)');
    return false;
  }
  const pending = PENDING_STATUSES.includes(latest.status);
  const helmRollback = /^Rollback to (\d+)/.exec(latest.description);
  if (latest.status === 'deployed' && helmRollback && !mustRollBack) {
    outcome.rolledBackTo = Number(helmRollback[1]);
    core.info(`Helm already rolled back to revision ${outcome.rolledBackTo} (as revision ${latest.revision})`);
    return true;
  }
  if (!rollbackWanted && !pending) {
    core.info(`atomic is off (or keep-failed-install): leaving revision ${latest.revision} ${latest.status}`);
    return false;
  }
  if (!(latest.status === 'failed' || pending || mustRollBack)) return false;
  await s.before;
  if (previousRevision === undefined) {
    if (inputs.keepFailedInstall && !pending) return false;
    core.warning(`First install failed: uninstalling release ${inputs.release}${inputs.keepFailedInstall ? ' (it was left pending, which would block every later deploy)' : ''}`);
    await helm.uninstall(inputs.release, inputs.namespace, inputs.timeoutMs);
    outcome.uninstalled = true;
    return true;
  }
  core.warning(`Rolling back release ${inputs.release} from revision ${latest.revision} (${latest.status}) to revision ${previousRevision}`);
  const target = await s.restore;
  if (target && d.kubectl) {
    // No Helm wait: the restored revision's pods mostly still run, and the watch below sees them available
    // (or failing) as soon as the controllers report it; Helm 3's wait would poll every 2 s.
    const deadline = Date.now() + inputs.timeoutMs;
    await helm.rollbackRecorded(inputs.release, inputs.namespace, previousRevision, inputs.timeoutMs, inputs.historyMax);
    s.onRecorded();
    await waitRestored(d.kubectl, d, target, previousRevision, deadline, outcome);
  } else {
    await helm.rollback(inputs.release, inputs.namespace, previousRevision, inputs.timeoutMs, inputs.historyMax, await rollbackWatch(d));
  }
  outcome.rolledBackTo = previousRevision;
  return true;
}

/**
 * helm upgrade was stopped after its wait was lost, with the rollout complete: the release record Helm may or
 * may not have written is read back first; a revision left pending is finished by `helm rollback` to that same
 * revision (its manifest, already live, recorded as deployed).
 */
async function finishLostRelease(d: DeployDeps, latestBefore: number): Promise<void> {
  const { inputs, helm } = d;
  const history = await helm.history(inputs.release, inputs.namespace);
  const latest = latestEntry(history);
  if (!latest || latest.revision <= latestBefore) throw new ActionError(`helm upgrade lost its wait and wrote no revision of ${inputs.release}: the upgrade did not happen`);
  if (latest.status === 'deployed') {
    core.info(`Release ${inputs.release} revision ${latest.revision} was recorded deployed before helm upgrade was stopped`);
    return;
  }
  if (!PENDING_STATUSES.includes(latest.status)) throw new ActionError(`helm upgrade lost its wait; revision ${latest.revision} of ${inputs.release} is ${latest.status}`);
  core.warning(`Revision ${latest.revision} is rolled out but Helm left it ${latest.status}: recording it as deployed (helm rollback ${inputs.release} ${latest.revision})`);
  await helm.rollback(inputs.release, inputs.namespace, latest.revision, inputs.timeoutMs, inputs.historyMax);
}

/** service → reference of every image this deploy sets (`images`, or `image` under the release's name). */
export function deployedImages(inputs: Inputs): Record<string, string> {
  if (inputs.images.length) return Object.fromEntries(inputs.images.map((i) => [i.service, i.reference]));
  return inputs.imageReference ? { [inputs.release]: inputs.imageReference } : {};
}

/** An image digest the rendered manifests do not carry: the chart ignores its key and the cluster would pull by tag. */
export function unpinnedImages(rendered: string, images: Record<string, string>): string[] {
  const warnings: string[] = [];
  for (const [service, reference] of Object.entries(images)) {
    const digest = /@(sha256:[a-f0-9]{64})$/.exec(reference)?.[1];
    if (digest && !rendered.includes(digest)) warnings.push(`${service}: the rendered manifests do not contain ${digest}: the chart ignores the digest key, so the cluster pulls by tag (write the tag key as <key>@digest to pin it)`);
  }
  return warnings;
}

/**
 * `kubectl rollout status` of each workload, with the pod watch running beside it (a decision stops it); a
 * status cut by an outage is taken up again within the retry budget.
 */
async function verifyRolloutsWatched(kubectl: Kubectl, workloads: Workload[], namespace: string, deadline: number, watch: PodWatch, retryBudgetMs: number): Promise<RolloutVerdict | { podsFailing: PodFailure[] }> {
  for (const w of workloads) {
    const ns = w.namespace ?? namespace;
    let failingSince = 0;
    for (;;) {
      const cmd = kubectl.start(['rollout', 'status', `${w.kind.toLowerCase()}/${w.name}`, '--namespace', ns, '--timeout', formatDuration(Math.max(5000, deadline - Date.now()))], { allowFailure: true });
      const watched = await watchCommandStream(cmd, watch);
      if (watched.outcome === 'pods-failing') return { podsFailing: watched.failures };
      const r = watched.result;
      const output = (r.stdout + r.stderr).trim();
      if (output) core.info(output);
      if (r.exitCode === 0) break;
      const classification = kubectl.retry.classify(`${r.stderr}\n${r.stdout}`);
      failingSince ||= Date.now();
      if (classification.kind === 'transient' && Date.now() - failingSince < retryBudgetMs && Date.now() < deadline) {
        core.info(`kubectl rollout status ${w.kind.toLowerCase()}/${w.name}: waiting for the cluster (${classification.reason})`);
        await new Promise((resolve) => setTimeout(resolve, 2000));
        continue;
      }
      return { ok: false, workload: w, message: (r.stderr || r.stdout).trim(), unreachable: classification.kind === 'transient', classification };
    }
  }
  return { ok: true };
}

/** What the rollback's own wait watches: the restored revision's workloads, and which pods are already there. */
export interface RestoreTarget {
  workloads: Workload[];
  /** The restored revision's pod selectors and the failed one's (its pods are replaced). */
  selectors: string[];
  ignoreUids: ReadonlySet<string>;
}

/** The restored revision's manifest and the pods there now, read side by side (undefined: the manifest could not be read). */
async function restoreTarget(d: DeployDeps, revision: number, failedSelectors: string[]): Promise<RestoreTarget | undefined> {
  const { kubectl, helm, inputs } = d;
  if (!kubectl) return undefined;
  // The failing pods of the broken revision are being replaced: only the rollback's new pods count.
  const [manifest, ignoreUids] = await Promise.all([
    helm.manifest(inputs.release, inputs.namespace, revision).catch((err: unknown) => {
      core.info(`Could not read revision ${revision}'s manifest (${errorMessage(err).split('\n').slice(-1)[0]}): the rollback uses Helm's wait`);
      return undefined;
    }),
    existingPodUids(kubectl, inputs.namespace, failedSelectors),
  ]);
  return manifest === undefined ? undefined : restorePlan(manifest, inputs.release, failedSelectors, ignoreUids);
}

/** The restore's watch targets from the restored revision's manifest (pure). */
export function restorePlan(manifest: string, release: string, failedSelectors: string[], ignoreUids: ReadonlySet<string>): RestoreTarget {
  const workloads = parseWorkloads(manifest);
  const own = workloads.length ? podSelectors(workloads, release) : [];
  return { workloads, selectors: [...new Set([...own, ...failedSelectors])], ignoreUids };
}

/**
 * The restore is done when every workload of the restored revision is rolled out again (kubectl rollout status),
 * with the pod watch beside it: restored pods that crash too end it at once.
 */
async function waitRestored(kubectl: Kubectl, d: DeployDeps, target: RestoreTarget, revision: number, deadline: number, outcome: Outcome): Promise<void> {
  const { inputs } = d;
  const watch: PodWatch = { kubectl, namespace: inputs.namespace, selectors: target.selectors, ignoreUids: target.ignoreUids, crashChecks: inputs.crashChecks, pollIntervalMs: inputs.pollIntervalMs };
  const verdict = await verifyRolloutsWatched(kubectl, target.workloads, inputs.namespace, deadline, watch, inputs.retryBudgetMs);
  if ('podsFailing' in verdict) throw new ActionError(`helm rollback ${inputs.release} ${revision}: the restored revision's pods are failing too (${describeFailures(verdict.podsFailing)}); stopped its wait instead of waiting out the timeout`);
  if (verdict.ok) return;
  if (verdict.unreachable) outcome.skipRead = UNREACHABLE;
  throw new ActionError(`helm rollback ${inputs.release} ${revision}: ${verdict.workload.kind}/${verdict.workload.name} did not become available again: ${verdict.message.split('\n').slice(-1)[0]}`);
}

/** Without the restored revision's manifest: Helm's own wait, watched like the deploy's. */
async function rollbackWatch(d: DeployDeps): Promise<RollbackWatch | undefined> {
  const { kubectl, inputs } = d;
  if (!kubectl) return undefined;
  let selectors: string[];
  try {
    selectors = podSelectors(parseWorkloads(await d.helm.manifest(inputs.release, inputs.namespace)), inputs.release);
  } catch {
    selectors = podSelectors([], inputs.release);
  }
  // The failing pods of the broken revision are being replaced: only the rollback's new pods count.
  const ignoreUids = await existingPodUids(kubectl, inputs.namespace, selectors);
  return (cmd) => watchCommandStream(cmd, { kubectl, namespace: inputs.namespace, selectors, ignoreUids, crashChecks: inputs.crashChecks });
}

function chartDeclaresDependencies(dir: string): boolean {
  const chartYaml = YAML.parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as { dependencies?: unknown[] } | null;
  return Array.isArray(chartYaml?.dependencies) && chartYaml.dependencies.length > 0;
}

/** A render/lint failure: annotated on the chart file Helm names, before the cluster is touched. */
function renderError(what: string, output: string, workspace: string, chartDir: string | undefined): ActionError {
  const location = findTemplateLocation(output);
  const message = output.split('\n').filter((l) => /error/i.test(l)).join('\n').trim() || output.trim();
  const text = `${what} failed; nothing was deployed:\n${message}`;
  if (location && chartDir) {
    return new AnnotatedError(text, { title: `${what} failed`, file: annotationPath(workspace, chartDir, location), startLine: location.line, ...(location.column ? { startColumn: location.column } : {}) });
  }
  return new ActionError(text);
}

