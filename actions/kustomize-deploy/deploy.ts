// Deploys an overlay so that it ends either rolled out and recorded, or rolled back, and says which objects
// were applied either way: render → client checks → server dry run → Jobs first → apply → rollout watched for
// failing pods → prune → record. Nothing touches the cluster before the render and the checks pass.
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kubectl, PodFailure, Workload } from '../toolkit/index.js';
import { ActionError, InputError, WORKLOAD_KINDS, collectPodDiagnostics, describeFailures, errorMessage, eventDiagnostics, existingPodUids, failingContainersMarkdown, makePrivateDir, podSelectors, timedGroup, verifyRollouts } from '../toolkit/index.js';
import { decideOrder, logDecision } from '../toolkit/source-order.js';
import type { Migration } from './adoption.js';
import { conflictText, fieldLosses, isAdoptable, migrationOf, parseObjectList } from './adoption.js';
import { applyErrors, immutableJobs, onlyJobTemplateChanges, parseApplyOutput, renderErrorText } from './apply-output.js';
import { apply, createNamespace, deleteJob, jobsAndPodsJson, kustomize, labelledObjects, liveObjectsJson, liveWorkloadsJson, patchManagedFields, removeLabel, rolloutUndo, rolloutsInBackground, workloadsRevisionsPodsJson } from './cluster.js';
import { wrapperKustomization } from './images.js';
import type { Inputs } from './inputs.js';
import type { JobState } from './jobs.js';
import { jobPods, planJobs } from './jobs.js';
import { watchJobs } from './job-watch.js';
import type { LiveWorkload } from './live.js';
import { imageMap, parseLive, podUids } from './live.js';
import type { K8sObject } from './objects.js';
import { APPLYSET_PART_OF, applySetId, checkSet, imagesOf, labelMembers, parseObjects, splitJobsFirst, toYaml, withNamespace, workloadsOf } from './objects.js';
import { PROTECTED_RESOURCES, keptOutOfApplySet, noLongerManaged, protectedKinds } from './protect.js';
import type { DeploymentHealth } from './revisions.js';
import { deploymentHealth } from './revisions.js';
import type { DeployRecord } from './record.js';
import { RolloutWatch, waitUnlessFailing } from './rollout-watch.js';
import { parseRecord, recordManifest, recordName } from './record.js';

export type Status = 'deployed' | 'failed' | 'rolled-back' | 'rollback-failed' | 'superseded';

export interface Outcome {
  status: Status;
  namespace: string;
  /** Objects of the rendered set (Kind/name). */
  rendered: string[];
  /** Objects kubectl reported applied (its own `<resource>/<name>` words), in order, each once. */
  applied: string[];
  pruned: string[];
  /** Objects whose fields of kubectl apply -k / kubectl edit / Helm were taken over, and from which managers. */
  adopted: { object: string; managers: string[] }[];
  /** Namespaces, CRDs, PVCs no longer in the overlay: left in place. */
  unmanaged: string[];
  /** Objects the rollback re-applied or undid (kubectl's words). */
  rollbackApplied: string[];
  jobs: JobState[];
  /** Jobs that ran to completion in this deploy. */
  jobsRan: string[];
  /** Jobs of the overlay not run (jobs: changed/never). */
  jobsSkipped: string[];
  /** The source commit recorded by the last good deploy (empty: none). */
  liveCommit: string;
  superseded?: boolean;
  previousImages: Record<string, string>;
  images: Record<string, string>;
  rolledBack: boolean;
  /** Plain sentences the summary must carry (what was left where, and why). */
  notes: string[];
  timings: [string, number][];
  record?: string;
  diagnosticsPath?: string;
  diagnosticsMarkdown?: string;
  error?: Error;
}

export interface DeployDeps {
  inputs: Inputs;
  kubectl: Kubectl;
  diagnosticsDir: string;
  runUrl: string;
  revision: string;
  /** The application commit being deployed, recorded in the record Secret. */
  sourceCommit: string;
  /** Awaited after the render, before the first cluster call (main checks the kubectl client while the overlay renders). */
  beforeCluster?: () => Promise<void>;
}

/** Thrown inside a step when the deploy must stop: `rollBack` says whether what was applied has to be undone. */
class DeployFailure extends Error {
  readonly rollBack: boolean;
  readonly podFailures: PodFailure[];
  /** false when it stopped in the Jobs phase, before any workload was applied. */
  readonly workloadsApplied: boolean;
  constructor(message: string, rollBack: boolean, podFailures: PodFailure[] = [], workloadsApplied = true) {
    super(message);
    this.name = 'DeployFailure';
    this.rollBack = rollBack;
    this.podFailures = podFailures;
    this.workloadsApplied = workloadsApplied;
  }
}

export async function deploy(d: DeployDeps): Promise<Outcome> {
  const { inputs, kubectl } = d;
  const timings: [string, number][] = [];
  const step = timedGroup(timings);
  const outcome = emptyOutcome(inputs.namespace, timings);
  const work = makePrivateDir('kustomize-deploy');

  // 1. Render and check: no cluster call yet.
  const objects = await step('Render overlay (kubectl kustomize)', async () => {
    const wrapper = path.join(work, 'wrapper');
    fs.mkdirSync(wrapper, { recursive: true });
    fs.writeFileSync(path.join(wrapper, 'kustomization.yaml'), wrapperKustomization(path.relative(wrapper, inputs.overlay), inputs.images));
    const r = await kustomize(kubectl, wrapper);
    if (r.exitCode !== 0) throw new ActionError(`kubectl kustomize ${inputs.overlayInput} failed; nothing was applied:\n${renderErrorText(r.stderr)}`);
    const parsed = parseObjects(r.stdout);
    if (parsed.problems.length) throw new ActionError(`The rendered overlay is not a list of Kubernetes objects; nothing was applied:\n${parsed.problems.join('\n')}`);
    core.info(`Rendered ${parsed.objects.length} objects: ${parsed.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
    return parsed.objects;
  });
  outcome.rendered = objects.map((o) => `${o.kind}/${o.metadata.name}`);
  const checked = checkSet(objects, inputs.namespace, inputs.images);
  if (checked.unusedImages.length) {
    const used = [...new Set(imagesOf(objects).map((i) => i.image))].join(', ');
    throw new InputError('images', `${checked.unusedImages.map((o) => `'${o.name}'`).join(', ')} ${checked.unusedImages.length === 1 ? 'is' : 'are'} used by no container of the overlay (its images after the override: ${used}); nothing was applied`);
  }
  if (checked.problems.some((p) => p.includes('namespace input'))) throw new InputError('namespace', `${checked.problems.find((p) => p.includes('namespace input'))}; nothing was applied`);
  if (inputs.prune) {
    const labelled = objects.filter((o) => o.metadata.labels?.[APPLYSET_PART_OF] !== undefined);
    if (labelled.length) checked.problems.push(`${labelled.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')} already carry the ${APPLYSET_PART_OF} label, which kubectl sets itself (kubectl refuses it in the input)`);
  }
  if (checked.problems.length) throw new ActionError(`The rendered overlay failed the checks; nothing was applied:\n${checked.problems.join('\n')}`);
  const namespace = checked.namespace;
  if (!namespace) throw new InputError('namespace', 'is required: the overlay sets no namespace');
  outcome.namespace = namespace;

  const set = withNamespace(objects, namespace);
  const id = applySetId(inputs.name, namespace);
  // Subset applies carry the ApplySet label themselves so that they send what the --applyset apply sends;
  // Namespaces, CRDs and PVCs never carry it (prune-kinds aside), so no prune can delete them.
  const outOfSet = (o: K8sObject): boolean => keptOutOfApplySet(o, inputs.pruneKinds);
  const member = (list: K8sObject[]): K8sObject[] => (inputs.prune ? [...labelMembers(list.filter((o) => !outOfSet(o)), id), ...list.filter(outOfSet)] : list);
  const workloads: Workload[] = workloadsOf(set);
  const fm = inputs.fieldManager;
  const applyOpts = { fieldManager: fm, namespace, forceConflicts: inputs.forceConflicts };
  const record = (r: { stdout: string }): void => {
    const { applied, pruned } = parseApplyOutput(r.stdout);
    for (const a of applied) if (!outcome.applied.includes(a.object)) outcome.applied.push(a.object);
    for (const p of pruned) if (!outcome.pruned.includes(p)) outcome.pruned.push(p);
  };

  // Forced, so that the server answers with the managed fields every object would end with: a manager that
  // would lose fields is a conflict, and only the adoptable ones (kubectl apply -k, kubectl edit, Helm) are taken over.
  const dryRun = async (file: string) => apply(kubectl, file, { ...applyOpts, forceConflicts: true, dryRun: true, json: true });

  // 2. What is there now, in two calls at once: the namespace, the last good set (record) and the live objects of
  // the set with their managed fields (one `get --filename`); the workloads, their ReplicaSets and pods (one list).
  const selectors = podSelectors(workloads, inputs.name);
  const before = await step('Read the cluster state', async () => {
    const stubs: K8sObject[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: recordName(inputs.name), namespace } },
    ];
    const inSet = new Set(set.map((o) => `${o.kind}/${o.metadata.name}`));
    const probe = write(work, 'live-probe.yaml', toYaml([...stubs.filter((o) => !inSet.has(`${o.kind}/${o.metadata.name}`)), ...set]));
    await d.beforeCluster?.();
    // Without Jobs the set sent does not depend on the record (only the Jobs plan does): the server dry run, which
    // changes nothing, runs alongside the reads and is taken when the namespace existed and the set is the same.
    const earlyDryRun = set.some((o) => o.kind === 'Job') ? undefined : { yaml: toYaml(set), result: dryRun(write(work, 'dry-run.yaml', toYaml(set))) };
    earlyDryRun?.result.catch(() => undefined);
    const [objectsJson, workloadsJson] = await Promise.all([liveObjectsJson(kubectl, probe, namespace), workloadsRevisionsPodsJson(kubectl, namespace)]);
    const found = parseObjectList(objectsJson);
    const exists = found.some((o) => o.kind === 'Namespace' && o.metadata.name === namespace);
    const secret = found.find((o) => o.kind === 'Secret' && o.metadata.name === recordName(inputs.name) && !inSet.has(`Secret/${o.metadata.name}`));
    let previous: DeployRecord | undefined;
    try {
      previous = secret ? parseRecord(JSON.stringify(secret)) : undefined;
    } catch (err) {
      core.warning(`The record of the last deploy (${recordName(inputs.name)}) could not be read (${errorMessage(err)}): a rollback falls back to kubectl rollout undo`);
    }
    core.info(exists ? `Namespace ${namespace} exists; ${previous ? `last deploy recorded at ${previous.deployedAt} (${previous.revision || 'no revision'})` : 'no deploy recorded yet'}` : `Namespace ${namespace} does not exist yet`);
    return {
      exists,
      previous,
      live: parseLive(workloadsJson),
      health: deploymentHealth(workloadsJson),
      podUids: podUids(workloadsJson, selectors),
      earlyDryRun,
      objects: found.filter((o) => inSet.has(`${o.kind}/${o.metadata.name}`)),
    };
  });
  outcome.previousImages = imageMap(workloads.map((w) => before.live.get(`${w.kind}/${w.name}`)).filter((w): w is LiveWorkload => Boolean(w)));
  if (before.previous) outcome.record = recordName(inputs.name);
  outcome.liveCommit = before.previous?.sourceCommit ?? '';

  // Newest wins: decided before anything is changed; an older commit changes nothing and ends green.
  try {
    const decision = await step('Order (newest wins)', async () => {
      const dec = await decideOrder(outcome.liveCommit || undefined, d.sourceCommit, inputs.compare, inputs.order, `ApplySet ${inputs.name} in ${namespace}`);
      logDecision(dec);
      return dec;
    });
    if (decision.kind === 'superseded') {
      outcome.status = 'superseded';
      outcome.images = outcome.previousImages;
      outcome.notes.push(decision.message, 'Nothing was applied.');
      return outcome;
    }
    if (decision.comparison && decision.comparison.relation !== 'identical') outcome.notes.push(`Order: ${decision.note}.`);
  } catch (err) {
    outcome.error = err instanceof Error ? err : new Error(String(err));
    outcome.notes.push('Nothing was applied.');
    return outcome;
  }

  // Which Jobs run (jobs: changed/always/never); the ones left out keep their last deployed version in the set.
  const previousObjects = before.previous ? parseObjects(before.previous.rendered).objects : [];
  const renderedJobs = set.filter((o) => o.kind === 'Job');
  const plan = planJobs(renderedJobs, inputs.jobs, before.previous ? { hashes: before.previous.jobHashes, jobs: previousObjects.filter((o) => o.kind === 'Job') } : undefined, new Set([...before.live.values()].filter((w) => w.kind === 'Job').map((w) => w.name)));
  for (const s of plan.skipped) core.info(`Job ${s.name}: not run (${s.reason})`);
  if (plan.skipped.length) outcome.notes.push(`Not run: ${plan.skipped.map((s) => `Job ${s.name} (${s.reason})`).join(', ')}.`);
  outcome.jobsSkipped = plan.skipped.map((s) => s.name);
  const deployed = [...set.filter((o) => o.kind !== 'Job' || plan.run.includes(o)), ...plan.keep];
  const { first, jobs } = splitJobsFirst(deployed);
  const runJobs = jobs.filter((j) => plan.run.includes(j));
  const jobNames = runJobs.map((j) => j.metadata.name);
  const workloadObjects = deployed.filter((o) => WORKLOAD_KINDS.includes(o.kind) && o.kind !== 'Job');
  const files = {
    full: write(work, 'rendered.yaml', toYaml(deployed)),
    fullLabelled: write(work, 'rendered-members.yaml', toYaml(member(deployed))),
    first: write(work, 'jobs-first.yaml', toYaml(member(first))),
    // What the --applyset apply sends: every member; the protected kinds stay out of it, so out of the prune.
    applySet: write(work, 'applyset.yaml', toYaml(deployed.filter((o) => !outOfSet(o)))),
  };

  // 3. Server-side validation of the whole set before anything is applied.
  let replaceJobs: string[] = [...plan.recreate];
  if (replaceJobs.length && !inputs.replaceJobs) {
    outcome.error = new ActionError(`Job ${replaceJobs.join(', ')} changed since the last good deploy and would have to be deleted and created again to run, which replace-jobs: false forbids; nothing was applied`);
    outcome.notes.push('Nothing was applied.');
    return outcome;
  }
  let adoptions: Migration[] = [];
  const nothing = (): string => (outcome.applied.length ? `nothing but ${outcome.applied.join(', ')} was applied` : 'nothing was applied');
  const validated = step('Validate on the server (apply --dry-run=server)', async () => {
    if (!before.exists) {
      const nsObject = set.find((o) => o.kind === 'Namespace' && o.metadata.name === namespace);
      if (nsObject) {
        const r = await apply(kubectl, write(work, 'namespace.yaml', toYaml(member([nsObject]))), applyOpts);
        record(r);
        if (r.exitCode !== 0) throw new ActionError(`Creating namespace ${namespace} from the overlay failed; nothing else was applied:\n${applyErrors(r.stderr).join('\n')}`);
        outcome.notes.push(`Namespace ${namespace} did not exist: the overlay's Namespace object was applied first (the server dry run needs it).`);
      } else if (inputs.createNamespace) {
        await createNamespace(kubectl, namespace);
        outcome.notes.push(`Namespace ${namespace} was created (create-namespace).`);
      } else {
        throw new ActionError(`Namespace ${namespace} does not exist and the overlay has no Namespace object; set create-namespace: true to create it. Nothing was applied.`);
      }
    }
    // The live objects were read with the cluster state (a Namespace created just above has only this field manager).
    const live = before.objects;
    const early = before.exists && before.earlyDryRun?.yaml === toYaml(deployed) ? before.earlyDryRun.result : undefined;
    let r = await (early ?? dryRun(files.full));
    if (r.exitCode !== 0 && onlyJobTemplateChanges(r.stderr, jobNames)) {
      const changed = immutableJobs(r.stderr);
      if (!inputs.replaceJobs) throw new ActionError(`Job ${changed.join(', ')} changed its pod template, which a Job cannot do, and replace-jobs is false; ${nothing()}`);
      replaceJobs = [...new Set([...replaceJobs, ...changed])];
      core.info(`Job ${changed.join(', ')}: pod template changed; it will be deleted and created again (every other object passed the dry run)`);
    }
    if (r.exitCode !== 0 && replaceJobs.length) {
      // Jobs to be re-created cannot pass a dry run against their old selves: the rest of the set is checked without them.
      r = await dryRun(write(work, 'dry-run-without-replaced-jobs.yaml', toYaml(deployed.filter((o) => !(o.kind === 'Job' && replaceJobs.includes(o.metadata.name))))));
    }
    if (r.exitCode !== 0) throw new ActionError(`The server rejected the overlay in a dry run; ${nothing()}:\n${applyErrors(r.stderr).join('\n') || r.stderr.trim()}`);
    const losses = fieldLosses(live, parseObjectList(r.stdout), fm);
    const foreign = losses.filter((l) => !isAdoptable(l.manager));
    if (foreign.length && !inputs.forceConflicts) {
      throw new ActionError(`The server dry run found fields owned by other field managers, which this deploy would change; ${nothing()}:\n${conflictText(foreign)}\nLet that manager stop managing them, take them out of the overlay, or set force-conflicts: true to take them over.`);
    }
    if (foreign.length) outcome.notes.push(`Taken over with force-conflicts: ${foreign.map((l) => `${l.object} (${l.manager}: ${l.fields.join(', ')})`).join('; ')}.`);
    // Adoption: the fields of kubectl apply -k / kubectl edit / Helm move to this field manager (kubectl's csaupgrade).
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    adoptions = live.filter((o) => !replaceJobs.includes(o.metadata.name) || o.kind !== 'Job').map((o) => migrationOf(o, fm, now)).filter((m): m is Migration => Boolean(m));
  });
  try {
    await validated;
    if (adoptions.length) {
      await step(`Take over fields of ${[...new Set(adoptions.flatMap((a) => a.managers))].join(', ')}`, async () => {
        for (const a of adoptions) {
          const r = await patchManagedFields(kubectl, a.target, a.namespace, a.patch);
          if (r.exitCode !== 0) throw new ActionError(`Taking over the fields of ${a.managers.join(', ')} on ${a.object} failed; ${nothing()} (fields taken over so far: ${outcome.adopted.map((x) => x.object).join(', ') || 'none'}):\n${(r.stderr || r.stdout).trim()}`);
          outcome.adopted.push({ object: a.object, managers: a.managers });
          core.info(`${a.object}: took over the fields of ${a.managers.join(', ')}`);
        }
      });
    }
  } catch (err) {
    // Stopped before the apply: only a Namespace created for the dry run can have been applied, and the summary says so.
    outcome.error = err instanceof Error ? err : new Error(String(err));
    outcome.notes.push(outcome.applied.length ? `Only ${outcome.applied.join(', ')} was applied (for the dry run); nothing else.` : 'Nothing was applied.');
    return outcome;
  }
  const deadline = Date.now() + inputs.timeoutMs;
  let workloadsTouched = false;
  let watch: RolloutWatch | undefined;
  try {
    // 4. Jobs first (with the objects they need), each awaited to Complete before any workload changes.
    if (runJobs.length) {
      await step(`Run Jobs first (${jobNames.join(', ')})`, async () => {
        for (const job of replaceJobs) {
          const why = !plan.recreate.includes(job) ? 'its pod template changed' : inputs.jobs === 'always' ? 'jobs: always' : 'its spec changed since the last good deploy';
          core.info(`Deleting Job ${job} (${why})`);
          await deleteJob(kubectl, namespace, job);
          outcome.notes.push(`Job ${job} was deleted and created again: ${why}.`);
        }
        const r = await apply(kubectl, files.first, applyOpts);
        core.info(r.stdout.trim());
        record(r);
        if (r.exitCode !== 0) throw new DeployFailure(`Applying the Jobs and the objects they need failed; no workload was rolled out:\n${applyErrors(r.stderr).join('\n')}`, true, [], false);
        outcome.jobs = await watchJobs(kubectl, namespace, jobNames, inputs.crashChecks, deadline);
        outcome.jobsRan = outcome.jobs.filter((j) => j.state === 'complete').map((j) => j.name);
        const failed = outcome.jobs.find((j) => j.state !== 'complete');
        if (failed) throw new DeployFailure(`${jobFailureText(failed)}; no workload was rolled out`, true, [], false);
      });
    }

    // 5. Everything, then the rollouts, watched for pods that will never become ready. The pod watch starts with
    // the apply (its kubectl start-up overlaps the apply) and stays for the rollback's own wait.
    workloadsTouched = true;
    if (workloadObjects.length) {
      // The pods there before: read with the cluster state, or listed again after Jobs ran (which may take minutes).
      const ignoreUids = runJobs.length ? await existingPodUids(kubectl, namespace, selectors) : before.podUids;
      watch = new RolloutWatch({ kubectl, namespace, selectors, ignoreUids, crashChecks: inputs.crashChecks });
    }
    await step('Apply (server-side)', async () => {
      const r = await apply(kubectl, files.fullLabelled, { ...applyOpts, validated: true });
      core.info(r.stdout.trim());
      record(r);
      if (r.exitCode !== 0) throw new DeployFailure(`kubectl apply failed:\n${applyErrors(r.stderr).join('\n') || r.stderr.trim()}`, true);
    });
    if (watch) {
      const podWatch = watch;
      await step(`Wait for rollout (${workloads.map((w) => `${w.kind}/${w.name}`).join(', ')})`, async () => {
        const { command, results } = rolloutsInBackground(kubectl, workloads, namespace, deadline);
        const watched = await waitUnlessFailing(command, podWatch);
        if (watched.outcome === 'pods-failing') throw new DeployFailure(`Pods failing: ${describeFailures(watched.failures)}`, true, watched.failures);
        for (const [w, r] of results) core.info(`${w}: ${(r.stdout + r.stderr).trim().split('\n').slice(-1)[0]}`);
        const result = (w: Workload) => results.get(`${w.kind}/${w.name}`);
        const refused = workloads.find((w) => {
          const r = result(w);
          return r && r.exitCode !== 0 && !r.signal && kubectl.retry.classify(`${r.stderr}\n${r.stdout}`).kind === 'permanent';
        });
        if (refused) throw new DeployFailure(`${refused.kind}/${refused.name} did not roll out: ${(result(refused)?.stderr || result(refused)?.stdout || '').trim()}`, true);
        // A watch cut by the network, or stopped because another workload failed, is taken up again with the retry policy.
        const unsettled = workloads.filter((w) => (result(w)?.exitCode ?? 1) !== 0);
        if (unsettled.length) {
          const verdict = await verifyRollouts(kubectl, unsettled, namespace, deadline);
          if (!verdict.ok) throw new DeployFailure(`${verdict.workload.kind}/${verdict.workload.name} did not roll out: ${verdict.message}`, true);
        }
      });
    }
  } catch (err) {
    const failure = err instanceof DeployFailure ? err : new DeployFailure(errorMessage(err), true, [], workloadsTouched);
    await afterFailure(d, outcome, failure, { namespace, set: deployed, jobNames, workloads, selectors, before, work, member, watch });
    return outcome;
  } finally {
    watch?.stop();
  }

  // 6. Healthy: prune what the overlay no longer has, then record this set as the last good one.
  const after = parseLive(await liveWorkloadsJson(kubectl, namespace).catch(() => ''));
  outcome.images = imageMap(workloads.map((w) => after.get(`${w.kind}/${w.name}`)).filter((w): w is LiveWorkload => Boolean(w)));
  outcome.status = 'deployed';
  const late: string[] = [];
  if (inputs.prune) {
    await step(`Prune (ApplySet ${inputs.name})`, async () => {
      // Namespaces, CRDs and PVCs that an earlier deploy (or an older version of this action) made members leave the set first.
      const released = await releaseProtected(kubectl, id, namespace, inputs.pruneKinds).catch((err: unknown) => {
        late.push(`the overlay rolled out, but the ApplySet label could not be taken off its Namespace/CRD/PVC objects, so the prune was not run: ${errorMessage(err)}`);
        return undefined;
      });
      if (!released) return;
      const gone = [...new Set([...noLongerManaged(previousObjects, deployed, inputs.pruneKinds), ...released.filter((o) => !deployed.some((x) => `${x.kind}/${x.metadata.name}` === o))])];
      if (gone.length) outcome.notes.push(`No longer managed (left in place, never pruned): ${gone.join(', ')}.`);
      outcome.unmanaged = gone;
      const r = await apply(kubectl, files.applySet, { ...applyOpts, applySet: inputs.name, validated: true });
      core.info(r.stdout.trim());
      record(r);
      if (r.exitCode !== 0) late.push(`the overlay rolled out, but the ApplySet apply that prunes removed objects failed:\n${applyErrors(r.stderr).join('\n') || r.stderr.trim()}`);
      else core.info(outcome.pruned.length ? `Pruned: ${outcome.pruned.join(', ')}` : 'Nothing to prune');
    });
  }
  await step('Record the deployed set', async () => {
    const manifest = recordManifest(inputs.name, namespace, toYaml(deployed), { images: outcome.images, revision: d.revision, deployedAt: new Date().toISOString(), runUrl: d.runUrl, sourceCommit: d.sourceCommit, jobHashes: plan.hashes });
    if (!manifest) {
      late.push(`the rendered set is too big for the record Secret ${recordName(inputs.name)}: a later rollback can only use kubectl rollout undo`);
      return;
    }
    const r = await apply(kubectl, write(work, 'record.yaml', manifest), { fieldManager: fm, namespace, forceConflicts: true, validated: true });
    if (r.exitCode !== 0) late.push(`the overlay rolled out, but its record ${recordName(inputs.name)} could not be written (a later rollback would go to an older set):\n${applyErrors(r.stderr).join('\n') || r.stderr.trim()}`);
    else {
      outcome.record = recordName(inputs.name);
      core.info(`Recorded as Secret ${recordName(inputs.name)} in ${namespace}`);
    }
  });
  if (late.length) outcome.error = new ActionError(late.join('\n'));
  return outcome;
}

export function emptyOutcome(namespace: string, timings: [string, number][] = []): Outcome {
  return { status: 'failed', namespace, rendered: [], applied: [], pruned: [], adopted: [], unmanaged: [], rollbackApplied: [], jobs: [], jobsRan: [], jobsSkipped: [], liveCommit: '', previousImages: {}, images: {}, rolledBack: false, notes: [], timings };
}

/**
 * Takes the ApplySet label off every Namespace, CRD and PVC that carries it (set by an earlier deploy or an older
 * version of this action), so that the prune cannot delete them; returns them as `Kind/name`.
 */
async function releaseProtected(kubectl: Kubectl, id: string, namespace: string, pruneKinds: string[]): Promise<string[]> {
  const released: string[] = [];
  for (const kind of protectedKinds(pruneKinds)) {
    const { resource, namespaced } = PROTECTED_RESOURCES[kind];
    for (const object of await labelledObjects(kubectl, resource, `${APPLYSET_PART_OF}=${id}`, namespaced ? namespace : undefined)) {
      await removeLabel(kubectl, object, APPLYSET_PART_OF, namespaced ? namespace : undefined);
      core.info(`${object}: taken out of the ApplySet (a ${kind} is never pruned)`);
      released.push(`${kind}/${object.slice(object.indexOf('/') + 1)}`);
    }
  }
  return released;
}

function write(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

function jobFailureText(j: JobState): string {
  if (j.state === 'failed') return `Job ${j.name} failed (${j.reason}${j.message ? `: ${j.message}` : ''})`;
  if (j.state === 'missing') return `Job ${j.name} disappeared while it was awaited`;
  if (j.state === 'running') return `Job ${j.name} did not complete in time (${j.active} active, ${j.failed} failed pods)`;
  return `Job ${j.name} completed`;
}

interface FailureContext {
  namespace: string;
  set: K8sObject[];
  jobNames: string[];
  workloads: Workload[];
  selectors: string[];
  before: { previous?: DeployRecord; live: Map<string, LiveWorkload>; health: Map<string, DeploymentHealth> };
  work: string;
  member: (list: K8sObject[]) => K8sObject[];
  /** The deploy's pod watch, when the workloads were applied: the rollback's wait goes on with it. */
  watch?: RolloutWatch;
}

/**
 * The rollback first, then the diagnostics: they are read while the rollback's apply runs (the failing pods stay for
 * their termination grace period), so the rollback, what users wait for, waits on no describe and logs calls.
 * Then the state the namespace is left in.
 */
async function afterFailure(d: DeployDeps, outcome: Outcome, failure: DeployFailure, c: FailureContext): Promise<void> {
  const { inputs, kubectl } = d;
  core.error(failure.message);
  const dir = d.diagnosticsDir;
  fs.mkdirSync(dir, { recursive: true });
  let diagnostics: Promise<[PodFailure[], string[]]> | undefined;
  const collectDiagnostics = (): void => {
    diagnostics ??= Promise.all([
      collectPodDiagnostics({ kubectl, namespace: c.namespace, selectors: c.selectors, dir }, failure.podFailures).catch(() => failure.podFailures),
      jobDiagnostics(kubectl, c.namespace, outcome.jobs.filter((j) => j.state !== 'complete').map((j) => j.name), dir),
    ]);
  };
  let rollbackError: Error | undefined;
  if (!outcome.applied.length) {
    outcome.notes.push('Nothing was applied, so there is nothing to roll back.');
  } else if (!failure.rollBack) {
    outcome.notes.push(`The ${outcome.applied.length} objects listed below stay as applied.`);
  } else if (!failure.workloadsApplied && !c.before.previous) {
    outcome.notes.push(`No workload was applied: they run what they ran before. The objects applied for the Jobs stay (no record of an earlier deploy to restore them from): ${outcome.applied.join(', ')}.`);
  } else if (!inputs.rollback) {
    outcome.notes.push(`rollback is off: the ${outcome.applied.length} objects listed below stay as applied.`);
  } else {
    try {
      await core.group('Roll back', () => rollBack(d, outcome, c, collectDiagnostics));
    } catch (err) {
      if (err instanceof NothingHealthy) outcome.notes.push(err.message);
      else rollbackError = err instanceof Error ? err : new Error(String(err));
      core.error(`Rollback ${err instanceof NothingHealthy ? 'not done' : 'failed'}: ${errorMessage(err)}`);
    }
  }
  collectDiagnostics();
  // A migrator that ran changed the database; going back to old manifests does not change it back.
  const migrated = outcome.jobsRan.length && (outcome.rolledBack || rollbackError)
    ? `Job ${outcome.jobsRan.join(', ')} ran before the failure: the schema it migrated is not rolled back (only the manifests are); the old workloads now run against the migrated schema.`
    : '';
  if (migrated) outcome.notes.push(migrated);
  const [[podsBefore, jobLines], afterJson, events] = await Promise.all([
    diagnostics!,
    liveWorkloadsJson(kubectl, c.namespace).catch(() => ''),
    eventDiagnostics(kubectl, c.namespace, dir),
  ]);
  const after = parseLive(afterJson);
  outcome.images = imageMap(c.workloads.map((w) => after.get(`${w.kind}/${w.name}`)).filter((w): w is LiveWorkload => Boolean(w)));
  outcome.diagnosticsMarkdown = [...failingContainersMarkdown(podsBefore), ...jobLines, ...events, '', `Full diagnostics: \`${dir}\``].join('\n');
  outcome.diagnosticsPath = dir;
  outcome.status = rollbackError ? 'rollback-failed' : outcome.rolledBack ? 'rolled-back' : 'failed';
  outcome.error = rollbackError
    ? new ActionError(`${failure.message}\nRollback failed too: ${errorMessage(rollbackError)}${migrated ? `\n${migrated}` : ''}\nSee the objects applied in the job summary and diagnostics in ${dir}`)
    : new ActionError(`${failure.message}${outcome.rolledBack ? '; rolled back' : ''}${migrated ? `\n${migrated}` : ''}`);
}

/** Logs of the failed Jobs' pods (the migrator's error is there), redacted like every other output. */
async function jobDiagnostics(kubectl: Kubectl, namespace: string, names: string[], dir: string): Promise<string[]> {
  if (!names.length) return [];
  const lines: string[] = [];
  try {
    const list = await jobsAndPodsJson(kubectl, namespace);
    for (const pod of jobPods(list, names).slice(0, 5)) {
      const logs = await kubectl.logs(namespace, pod.metadata.name, false);
      fs.writeFileSync(path.join(dir, `job-pod-${pod.metadata.name}-logs.txt`), logs.stdout + logs.stderr);
      const tail = (logs.stdout || logs.stderr).trim().split('\n').slice(-5).join('\n');
      lines.push('', `**Job pod ${pod.metadata.name}** (${pod.status?.phase ?? 'unknown'})`, '', tail ? '```\n' + tail + '\n```' : '_no logs_');
    }
  } catch (err) {
    lines.push('', `Job pods unavailable: ${errorMessage(err).split('\n').slice(-1)[0]}`);
  }
  return lines;
}

/** A rollback without a record found no revision that was ever available: nothing is undone (status failed). */
class NothingHealthy extends Error {}

/**
 * The rollback's own wait: the rollouts, with the pods they start watched for crash loops and pull failures
 * the way the deploy's wait watches them (pods there before the rollback, the failed revision's, are not its fault).
 */
async function waitRolledBack(d: DeployDeps, c: FailureContext, workloads: Workload[], watch: RolloutWatch, deadline: number): Promise<void> {
  const { kubectl } = d;
  if (!workloads.length) return;
  const { command, results } = rolloutsInBackground(kubectl, workloads, c.namespace, deadline);
  const watched = await waitUnlessFailing(command, watch);
  if (watched.outcome === 'pods-failing') throw new ActionError(`after the rollback pods are failing too: ${describeFailures(watched.failures)}`);
  const unsettled = workloads.filter((w) => (results.get(`${w.kind}/${w.name}`)?.exitCode ?? 1) !== 0);
  const verdict = await verifyRollouts(kubectl, unsettled, c.namespace, deadline);
  if (!verdict.ok) throw new ActionError(`after the rollback ${verdict.workload.kind}/${verdict.workload.name} did not roll out: ${verdict.message}`);
}

/**
 * Re-applies the last good set (Jobs left out: they ran then and must not run again), or, with no record,
 * `rollout undo` each Deployment this deploy changed back to the newest revision that was available before.
 */
async function rollBack(d: DeployDeps, outcome: Outcome, c: FailureContext, issued: () => void): Promise<void> {
  const { inputs, kubectl } = d;
  const deadline = Date.now() + inputs.timeoutMs;
  const previous = c.before.previous;
  // The deploy's watch judges from now on only pods it has not seen (the rollback's); after a failed Job no
  // workload was applied and there is no watch yet: one is started, ignoring the pods there now.
  const watch = c.watch ?? new RolloutWatch({ kubectl, namespace: c.namespace, selectors: c.selectors, ignoreUids: await existingPodUids(kubectl, c.namespace, c.selectors), crashChecks: inputs.crashChecks });
  watch.judgeOnlyNewPods();
  try {
    await restore(d, outcome, c, watch, deadline, previous, issued);
  } finally {
    if (!c.watch) watch.stop();
  }
}

async function restore(d: DeployDeps, outcome: Outcome, c: FailureContext, watch: RolloutWatch, deadline: number, previous: DeployRecord | undefined, issued: () => void): Promise<void> {
  const { inputs, kubectl } = d;
  if (previous) {
    const parsed = parseObjects(previous.rendered);
    const restore = c.member(parsed.objects.filter((o) => o.kind !== 'Job'));
    core.info(`Re-applying the set deployed at ${previous.deployedAt} (${previous.revision || 'no revision'}): ${restore.length} objects`);
    // The recorded set passed a strict server dry run when it was deployed: no client-side schema check again.
    const applying = apply(kubectl, write(c.work, 'previous.yaml', toYaml(restore)), { fieldManager: inputs.fieldManager, namespace: c.namespace, forceConflicts: true, validated: true });
    issued();
    const r = await applying;
    core.info(r.stdout.trim());
    outcome.rollbackApplied = parseApplyOutput(r.stdout).applied.map((a) => a.object);
    if (r.exitCode !== 0) throw new ActionError(`re-applying the previous set failed:\n${applyErrors(r.stderr).join('\n') || r.stderr.trim()}`);
    await waitRolledBack(d, c, workloadsOf(restore), watch, deadline);
    outcome.rolledBack = true;
    const previousNames = new Set(parsed.objects.map((o) => `${o.kind}/${o.metadata.name}`));
    const added = c.set.filter((o) => !previousNames.has(`${o.kind}/${o.metadata.name}`) && outcome.applied.some((a) => a.endsWith(`/${o.metadata.name}`)));
    outcome.notes.push(`Rolled back: re-applied the set deployed at ${previous.deployedAt}${previous.revision ? ` (${previous.revision})` : ''}, ${restore.length} objects (its Jobs not re-run).`);
    if (added.length) outcome.notes.push(`New in this deploy and left in place (the next successful deploy prunes them if the overlay drops them): ${added.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}.`);
    return;
  }
  const now = parseLive(await liveWorkloadsJson(kubectl, c.namespace));
  const targets: { key: string; w: Workload; revision: number; reason: string }[] = [];
  const left: string[] = [];
  const unhealthy: string[] = [];
  for (const w of c.workloads) {
    const key = `${w.kind}/${w.name}`;
    const was = c.before.live.get(key);
    const is = now.get(key);
    if (!was) {
      left.push(`${key} (new in this deploy)`);
      continue;
    }
    if (w.kind !== 'Deployment' || was.revision === undefined || is?.revision === undefined) {
      if (JSON.stringify(was.images) !== JSON.stringify(is?.images)) left.push(`${key} (no revision to go back to)`);
      continue;
    }
    if (is.revision === was.revision) continue;
    const health = c.before.health.get(w.name);
    if (health?.healthy === undefined) {
      unhealthy.push(`${key} (${health?.reason ?? 'its revisions could not be read'})`);
      continue;
    }
    targets.push({ key, w, revision: health.healthy, reason: health.reason });
  }
  if (unhealthy.length) {
    throw new NothingHealthy(`Nothing healthy to go back to, so nothing was undone: ${unhealthy.join(', ')}. No record of an earlier deploy by this action exists to restore instead.`);
  }
  for (const t of targets) {
    core.info(`kubectl rollout undo ${t.key} --to-revision=${t.revision} (${t.reason})`);
    const undoing = rolloutUndo(kubectl, t.w.kind, t.w.name, c.namespace, t.revision);
    issued();
    const r = await undoing;
    core.info((r.stdout + r.stderr).trim());
    if (r.exitCode !== 0) throw new ActionError(`kubectl rollout undo ${t.key} failed: ${(r.stderr || r.stdout).trim()}`);
    outcome.rollbackApplied.push(`${t.key} (revision ${t.revision})`);
  }
  await waitRolledBack(d, c, targets.map((t) => t.w), watch, deadline);
  outcome.rolledBack = targets.length > 0;
  outcome.notes.push(targets.length
    ? `Rolled back with kubectl rollout undo (no record of an earlier deploy by this action), each to the newest revision that was available: ${targets.map((t) => `${t.key} → revision ${t.revision}`).join(', ')}. The undo's change belongs to field manager "kubectl", which the next deploy takes over.`
    : 'No record of an earlier deploy by this action and no Deployment changed revision: nothing to undo.');
  if (left.length) outcome.notes.push(`Left as applied: ${left.join(', ')}.`);
  const otherApplied = outcome.applied.filter((a) => !/^(deployment|statefulset|daemonset)\./.test(a));
  if (otherApplied.length) outcome.notes.push(`Other objects stay as applied: ${otherApplied.join(', ')}.`);
}
