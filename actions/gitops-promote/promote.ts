// The push path: edit on the branch tip, commit, push; when someone else pushed meanwhile, fetch the new tip
// and re-apply the edit there (never a blind rebase), a bounded number of times. The edit is planned afresh on
// every tip, so an identical promotion that landed first ends in "no change", never in a duplicate commit.
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Git } from '../toolkit/index.js';
import { ActionError } from '../toolkit/index.js';
import type { Plan, Target, PromotedImage } from './targets.js';
import { applyPlan, applyRevert, planPromotion, planRevert } from './targets.js';
import { YamlEditError } from './yaml-edit.js';

export interface PushTarget {
  git: Git;
  branch: string;
  file: string;
  attempts: number;
  /** Called before each push (tests use it to race a competing push deterministically). */
  beforePush?: (attempt: number) => Promise<void>;
}

export interface PushResult {
  changed: boolean;
  commit: string;
  plan: Plan;
  attempts: number;
  /** Formatting could not be kept byte-for-byte (the yaml package re-serialised the file). */
  reformatted: boolean;
}

export function readRepoFile(git: Git, file: string, branch: string): string {
  const full = path.join(git.cwd, file);
  if (!fs.existsSync(full)) throw new ActionError(`${file} does not exist on branch '${branch}' of the config repository`);
  return fs.readFileSync(full, 'utf8');
}

function asActionError(err: unknown): never {
  if (err instanceof YamlEditError) throw new ActionError(err.message);
  throw err;
}

/**
 * Runs edit → commit → push until the push lands, the edit is a no-op on the current tip, or attempts run out.
 * `edit` returns the new text and a commit message, or undefined when the tip needs no change.
 */
export async function commitAndPush<T>(
  t: PushTarget,
  edit: (source: string) => { text: string; message: string; info: T; reformatted: boolean } | { unchanged: T },
): Promise<{ commit: string; info: T; attempts: number; changed: boolean; reformatted: boolean }> {
  const { git, branch, file } = t;
  let lastReason = '';
  for (let attempt = 1; attempt <= t.attempts; attempt++) {
    if (attempt > 1) {
      await git.checkoutDetached(await git.fetchBranch(branch));
      core.info(`Re-applying the edit on the new tip of '${branch}' (attempt ${attempt}/${t.attempts})`);
    }
    let result: ReturnType<typeof edit>;
    try {
      result = edit(readRepoFile(git, file, branch));
    } catch (err) {
      asActionError(err);
    }
    if ('unchanged' in result) return { commit: '', info: result.unchanged, attempts: attempt, changed: false, reformatted: false };
    fs.writeFileSync(path.join(git.cwd, file), result.text);
    await git.commit(result.message, [file]);
    await t.beforePush?.(attempt);
    const pushed = await git.push(branch);
    if (pushed.ok) {
      // Resolved only once it landed: a rejected attempt's commit is thrown away.
      const commit = await git.revParse('HEAD');
      core.info(`Pushed ${commit.slice(0, 12)} to '${branch}'${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
      return { commit, info: result.info, attempts: attempt, changed: true, reformatted: result.reformatted };
    }
    if (pushed.kind === 'rejected') {
      throw new ActionError(`The push to '${branch}' was rejected: ${pushed.reason}. Nothing was changed on the branch.\n${pushed.output}`);
    }
    lastReason = pushed.reason;
    core.info(`'${branch}' moved while promoting (${pushed.reason})`);
  }
  throw new ActionError(`Could not push to '${branch}' after ${t.attempts} attempts: the branch kept moving (${lastReason}). Nothing of this promotion landed; raise push-attempts or run again.`);
}

export async function promoteByPush(t: PushTarget, target: Target, image: PromotedImage, create: boolean, message: (plan: Plan) => string): Promise<PushResult> {
  const r = await commitAndPush<Plan>(t, (source) => {
    const plan = planPromotion(source, t.file, target, image, create);
    if (!plan.changed) return { unchanged: plan };
    const applied = applyPlan(source, t.file, plan, create);
    return { text: applied.text, message: message(plan), info: plan, reformatted: !applied.inPlace };
  });
  return { changed: r.changed, commit: r.commit, plan: r.info, attempts: r.attempts, reformatted: r.reformatted };
}

export type RevertResult = { reverted: true; commit: string } | { reverted: false; reason: string };

/** Puts the previous image back on the fresh tip, only where the file still holds what was promoted. */
export async function revertByPush(t: PushTarget, target: Target, promoted: Plan, message: string): Promise<RevertResult> {
  let skipped = '';
  await t.git.checkoutDetached(await t.git.fetchBranch(t.branch));
  const r = await commitAndPush<string>({ ...t, beforePush: undefined }, (source) => {
    const plan = planRevert(source, t.file, target, promoted);
    if (!plan.ok) {
      skipped = plan.reason;
      return { unchanged: plan.reason };
    }
    if (!plan.edits.length) {
      skipped = 'nothing to revert';
      return { unchanged: skipped };
    }
    const applied = applyRevert(source, t.file, plan.edits);
    return { text: applied.text, message, info: '', reformatted: !applied.inPlace };
  });
  return r.changed ? { reverted: true, commit: r.commit } : { reverted: false, reason: skipped };
}
