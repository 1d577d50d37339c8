// Pure decisions over `helm history -o json`: what to do with a pending release, which revision is the
// last good one, and where `mode: rollback` goes.

export interface HistoryEntry {
  revision: number;
  updated: string;
  status: string;
  chart: string;
  app_version?: string;
  description: string;
}

export const PENDING_STATUSES = ['pending-install', 'pending-upgrade', 'pending-rollback'];
const GOOD_STATUSES = ['deployed', 'superseded'];

export function parseHistory(json: string): HistoryEntry[] {
  const parsed: unknown = JSON.parse(json || '[]');
  if (!Array.isArray(parsed)) throw new Error('helm history did not return a JSON list');
  return (parsed as HistoryEntry[]).map((e) => ({ ...e, revision: Number(e.revision) })).sort((a, b) => a.revision - b.revision);
}

export function latestEntry(history: HistoryEntry[]): HistoryEntry | undefined {
  return history[history.length - 1];
}

/** The revision currently marked deployed (Helm keeps exactly one), if any. */
export function deployedRevision(history: HistoryEntry[]): number | undefined {
  return [...history].reverse().find((e) => e.status === 'deployed')?.revision;
}

/** Highest revision below `before` that was once live (deployed or superseded). */
export function lastGoodRevision(history: HistoryEntry[], before = Number.POSITIVE_INFINITY): number | undefined {
  return [...history].reverse().find((e) => e.revision < before && GOOD_STATUSES.includes(e.status))?.revision;
}

export type Recovery =
  | { action: 'none'; firstInstall: boolean; previousRevision?: number }
  | { action: 'rollback'; revision: number; pendingRevision: number; status: string; reason: string }
  | { action: 'uninstall'; reason: string }
  | { action: 'conflict'; reason: string };

/**
 * What to do before upgrading: a release left pending by a cancelled run is rolled back to its last good
 * revision (or uninstalled when it never deployed); a pending state younger than `thresholdMs` is
 * probably a deploy running right now, so we refuse rather than trample it.
 */
export function decideRecovery(history: HistoryEntry[], nowMs: number, thresholdMs: number): Recovery {
  const latest = latestEntry(history);
  if (!latest) return { action: 'none', firstInstall: true };
  if (PENDING_STATUSES.includes(latest.status)) {
    const ageMs = nowMs - Date.parse(latest.updated);
    if (Number.isFinite(ageMs) && ageMs < thresholdMs) {
      return {
        action: 'conflict',
        reason: `revision ${latest.revision} has been ${latest.status} for ${Math.max(0, Math.round(ageMs / 1000))}s (less than pending-threshold): another deploy is probably running`,
      };
    }
    const good = lastGoodRevision(history, latest.revision);
    if (good === undefined) return { action: 'uninstall', reason: `revision ${latest.revision} is ${latest.status} and the release was never deployed` };
    return { action: 'rollback', revision: good, pendingRevision: latest.revision, status: latest.status, reason: `revision ${latest.revision} was left ${latest.status}` };
  }
  if (lastGoodRevision(history) === undefined) {
    return { action: 'uninstall', reason: `the release has no deployed revision (latest ${latest.revision} is ${latest.status})` };
  }
  return { action: 'none', firstInstall: false, previousRevision: deployedRevision(history) };
}

export type RollbackPlan =
  | { action: 'noop'; revision: number; reason: string }
  | { action: 'rollback'; revision: number; from: number }
  /** The release never had a good revision (its first install is the broken one): nothing to return to. */
  | { action: 'uninstall'; from: number; reason: string };

/**
 * `mode: rollback`: to the requested revision or the last good one before the current; a no-op when already
 * there; `uninstall` when the release has no good revision before the current one (a broken first install).
 */
export function planRollback(history: HistoryEntry[], requested: number | undefined): RollbackPlan {
  const latest = latestEntry(history);
  if (!latest) throw new Error('the release has no history: nothing to roll back');
  const current = history.find((e) => e.revision === deployedRevision(history)) ?? latest;
  const rolledBackTo = /^Rollback to (\d+)$/.exec(current.description)?.[1];
  const pending = PENDING_STATUSES.includes(latest.status);
  if (requested !== undefined) {
    if (!history.some((e) => e.revision === requested)) throw new Error(`revision ${requested} is not in the release history (${history.map((e) => e.revision).join(', ')})`);
    if (!pending && (current.revision === requested || Number(rolledBackTo) === requested)) {
      return { action: 'noop', revision: current.revision, reason: `already at revision ${requested}${rolledBackTo ? ` (revision ${current.revision} is a rollback to it)` : ''}` };
    }
    return { action: 'rollback', revision: requested, from: latest.revision };
  }
  // `Rollback to <the revision just before>` is helm-deploy finishing a revision Helm left pending (its wait lost
  // in an outage), not a rollback: that revision is what runs.
  const finished = rolledBackTo !== undefined && Number(rolledBackTo) === current.revision - 1;
  if (!pending && rolledBackTo !== undefined && !finished && current.status === 'deployed') {
    return { action: 'noop', revision: current.revision, reason: `already rolled back (revision ${current.revision} is a rollback to ${rolledBackTo})` };
  }
  const target = lastGoodRevision(history, pending ? latest.revision : current.revision);
  if (target === undefined) return { action: 'uninstall', from: latest.revision, reason: `no good revision before revision ${current.revision} to roll back to` };
  return { action: 'rollback', revision: target, from: latest.revision };
}

/** What helm-deploy writes as the release description (`--description`): the source commit, readable in `helm history`. */
export function sourceCommitDescription(commit: string, firstInstall: boolean): string {
  return `${firstInstall ? 'Install' : 'Upgrade'} complete; source-commit ${commit}`;
}

const SOURCE_COMMIT = /\bsource-commit ([0-9a-f]{40})\b/;

/**
 * The source commit recorded in revision `revision`: its description, or, for a rollback (`Rollback to N`,
 * which Helm writes without our description), the commit of the revision it restored. Undefined when none
 * was recorded (a release deployed before helm-deploy recorded commits, or by hand).
 */
export function recordedCommit(history: HistoryEntry[], revision: number | undefined): string | undefined {
  const seen = new Set<number>();
  let current = revision;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    const entry = history.find((e) => e.revision === current);
    if (!entry) return undefined;
    const commit = SOURCE_COMMIT.exec(entry.description)?.[1];
    if (commit) return commit;
    const target = /^Rollback to (\d+)/.exec(entry.description)?.[1];
    current = target === undefined ? undefined : Number(target);
  }
  return undefined;
}
