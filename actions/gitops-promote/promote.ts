// The push path, through git's plumbing, on the tip fetch-tip.ts fetched (one round trip, its small files with
// it): only the files edited are read, and blobs, trees and the commit are written by one `git fast-import`.
// When someone else pushed meanwhile, the new tip is fetched and every edit is planned afresh on it — the
// newest-wins decision too — never a blind rebase, a bounded number of times: an identical promotion that landed
// first ends in "no change", a newer one in "superseded", never in a duplicate commit or a lost update.
import * as core from '@actions/core';
import { ActionError, InputError } from '../toolkit/errors.js';
import type { TipStore } from '../toolkit/git.js';
import type { Plan, PromotedImage, Target } from './targets.js';
import { applyPlan, applyRevert, planPromotion, planRevert, recordSourceCommit } from './targets.js';
import { YamlEditError } from './yaml-edit.js';

export { warmUpEditing } from './targets.js';

/** One service promoted: its image, the file and keys (or kustomization entry) it lives in. */
export interface ServiceEdit {
  name: string;
  image: PromotedImage;
  file: string;
  target: Target;
}

/** Newest wins: what to do given the source commit recorded for a service (the toolkit's decideOrder, bound). */
export type Decide = (live: string | undefined, service: string) => Promise<{ kind: 'proceed'; note: string } | { kind: 'superseded'; message: string }>;

export interface ServiceOutcome {
  service: ServiceEdit;
  plan: Plan;
  /** The file was (or would be) changed for this service. */
  changed: boolean;
  superseded: boolean;
  /** The order decision in words (log and summary). */
  note: string;
}

export interface Repo {
  git: TipStore;
  branch: string;
  /** For messages: where the files were looked for. */
  display: string;
}

export interface PlanOptions {
  create: boolean;
  /** Recorded next to each promoted value (`# source-commit: <sha>`); empty records nothing. */
  sourceCommit: string;
  decide: Decide;
}

export interface TipPlan {
  /** The commit planned on (the parent of the promotion commit). */
  parent: string;
  outcomes: ServiceOutcome[];
  files: Array<{ path: string; mode: string; text: string }>;
  /** Old and new text of each changed file (diffs, reverts). */
  before: Map<string, string>;
  reformatted: boolean;
}

/** A YamlEditError is the user's: it names the input that led there and the file it looked in. */
function editError(err: unknown, s: ServiceEdit, repo: Repo): never {
  if (!(err instanceof YamlEditError)) throw err;
  const input = s.target.kind === 'helm-values' ? 'keys' : 'kustomize-image';
  const where = `${s.file} on branch '${repo.branch}' of ${repo.display}`;
  const msg = err.message.startsWith(`${s.file}`) ? err.message.slice(s.file.length).replace(/^[: ]+/, '') : err.message;
  if (/is not valid YAML/.test(err.message)) throw new InputError('file', `${where}: ${msg}`);
  throw new InputError(input, `${msg.replace(/ \(set create-missing to add it\)$/, '')} in ${where}${/create-missing/.test(msg) ? ' (set create-missing to add it)' : ''}`);
}

/** Plans every service on one tip: the files are read once, each service's edit applied in `images` order. */
export async function planOnTip(repo: Repo, tip: string, services: readonly ServiceEdit[], options: PlanOptions): Promise<TipPlan> {
  const paths = [...new Set(services.map((s) => s.file))];
  const { commit: parent, files: read } = await repo.git.readFiles(tip, paths);
  const outcomes: ServiceOutcome[] = [];
  const files: TipPlan['files'] = [];
  const before = new Map<string, string>();
  let reformatted = false;
  for (const file of paths) {
    const found = read.get(file);
    const users = services.filter((s) => s.file === file);
    if (!found) throw new InputError('file', `${file} does not exist on branch '${repo.branch}' of ${repo.display} (looked for ${users.map((s) => s.name).join(', ')})`);
    let text = found.text;
    for (const s of users) {
      let plan: Plan;
      try {
        plan = planPromotion(text, file, s.target, s.image, options.create);
      } catch (err) {
        editError(err, s, repo);
      }
      const decision = await options.decide(plan.liveCommit, s.name);
      if (decision.kind === 'superseded') {
        outcomes.push({ service: s, plan, changed: false, superseded: true, note: decision.message });
        continue;
      }
      const record = options.sourceCommit && plan.liveCommit !== options.sourceCommit;
      const changed = plan.changed || Boolean(record);
      if (changed) {
        try {
          const applied = applyPlan(text, file, plan, options.create, options.sourceCommit ? { target: s.target, sourceCommit: options.sourceCommit } : undefined);
          text = applied.text;
          reformatted ||= !applied.inPlace;
        } catch (err) {
          editError(err, s, repo);
        }
      }
      outcomes.push({ service: s, plan, changed, superseded: false, note: decision.note });
    }
    if (text !== found.text) {
      files.push({ path: file, mode: found.mode, text });
      before.set(file, found.text);
    }
  }
  return { parent, outcomes, files, before, reformatted };
}

export interface PushTarget extends Repo {
  attempts: number;
  /** The tip cloned (a ref or a SHA); later attempts fetch the new one. */
  tip: string;
  /** Called before each push (tests use it to race a competing push deterministically). */
  beforePush?: (attempt: number) => Promise<void>;
}

export interface PushResult {
  changed: boolean;
  commit: string;
  /** The tip the final plan was made on (the commit pushed is its child). */
  base: string;
  outcomes: ServiceOutcome[];
  attempts: number;
  /** Formatting could not be kept byte-for-byte (the yaml package re-serialised a file). */
  reformatted: boolean;
}

/**
 * Runs plan → commit → push until the push lands, nothing is left to change on the current tip, or attempts
 * run out. `plan` is called afresh on each tip; it returns the files to write and a commit message.
 */
export async function commitAndPush<T>(
  t: PushTarget,
  plan: (tip: string) => Promise<{ parent: string; files: Array<{ path: string; mode: string; text: string }>; message: string; info: T }>,
): Promise<{ commit: string; base: string; info: T; attempts: number; changed: boolean }> {
  const { git, branch } = t;
  let lastReason = '';
  let tip = t.tip;
  for (let attempt = 1; attempt <= t.attempts; attempt++) {
    if (attempt > 1) {
      tip = await git.fetchTip(branch);
      core.info(`Planning again on the new tip of '${branch}' (attempt ${attempt}/${t.attempts})`);
    }
    const planned = await plan(tip);
    if (!planned.files.length) return { commit: '', base: planned.parent, info: planned.info, attempts: attempt, changed: false };
    const commit = await git.commitFiles(planned.parent, planned.files, planned.message);
    await t.beforePush?.(attempt);
    const pushed = await git.push(branch, { source: commit });
    if (pushed.ok) {
      core.info(`Pushed ${commit.slice(0, 12)} to '${branch}'${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
      return { commit, base: planned.parent, info: planned.info, attempts: attempt, changed: true };
    }
    if (pushed.kind === 'rejected') {
      throw new ActionError(`The push to '${branch}' was rejected: ${pushed.reason}. Nothing was changed on the branch.\n${pushed.output}`);
    }
    lastReason = pushed.reason;
    core.info(`'${branch}' moved while promoting (${pushed.reason})`);
  }
  throw new ActionError(`Could not push to '${branch}' after ${t.attempts} attempts: the branch kept moving (${lastReason}). Nothing of this promotion landed; raise push-attempts or run again.`);
}

export async function promoteByPush(t: PushTarget, services: readonly ServiceEdit[], options: PlanOptions, message: (outcomes: ServiceOutcome[]) => string): Promise<PushResult> {
  let reformatted = false;
  const r = await commitAndPush<ServiceOutcome[]>(t, async (tip) => {
    const planned = await planOnTip(t, tip, services, options);
    reformatted = planned.reformatted;
    return { parent: planned.parent, files: planned.files, message: planned.files.length ? message(planned.outcomes) : '', info: planned.outcomes };
  });
  return { changed: r.changed, commit: r.commit, base: r.base, outcomes: r.info, attempts: r.attempts, reformatted: r.changed && reformatted };
}

export type RevertResult = { reverted: true; commit: string } | { reverted: false; reason: string };

/**
 * Puts the previous images (and source-commit markers) back on the fresh tip, only where the file still holds
 * what was promoted (a newer promotion in between is never overwritten).
 */
export async function revertByPush(t: Omit<PushTarget, 'tip'>, promoted: readonly ServiceOutcome[], message: string): Promise<RevertResult> {
  const skipped: string[] = [];
  const tip = await t.git.fetchTip(t.branch);
  const r = await commitAndPush<void>({ ...t, tip, beforePush: undefined }, async (at) => {
    skipped.length = 0;
    const paths = [...new Set(promoted.map((o) => o.service.file))];
    const { commit: parent, files: read } = await t.git.readFiles(at, paths);
    const files: Array<{ path: string; mode: string; text: string }> = [];
    for (const file of paths) {
      const found = read.get(file);
      if (!found) {
        skipped.push(`${file} no longer exists`);
        continue;
      }
      let text = found.text;
      for (const o of promoted.filter((p) => p.service.file === file)) {
        const plan = planRevert(text, file, o.service.target, o.plan);
        if (!plan.ok) {
          skipped.push(`${o.service.name}: ${plan.reason}`);
          continue;
        }
        if (plan.edits.length) text = applyRevert(text, file, plan.edits).text;
        text = recordSourceCommit(text, file, o.service.target, o.plan.liveCommit);
      }
      if (text !== found.text) files.push({ path: file, mode: found.mode, text });
    }
    return { parent, files, message, info: undefined };
  });
  return r.changed ? { reverted: true, commit: r.commit } : { reverted: false, reason: skipped.join('; ') || 'nothing to revert' };
}
