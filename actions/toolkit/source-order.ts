// Newest wins: before a deploy changes anything, the source commit live in the environment is compared with the
// one about to be deployed. GitHub runs a concurrency group's jobs one at a time but in no set order, a newer
// pending run replaces an older pending one, and "Re-run all jobs" runs the old commit again, so an older commit
// can arrive last. Local git history decides when the workspace has both commits (and, for "not an ancestor",
// the whole history); otherwise GitHub's compare API: GET /repos/{owner}/{repo}/compare/{base}...{head}.
import * as core from '@actions/core';
import { ActionError, errorMessage, InputError } from './errors.js';
import { Git } from './git.js';
import { nearAncestry } from './git-local.js';
import { input } from './inputs.js';
import { retry } from './retry.js';

export type CommitRelation = 'identical' | 'newer' | 'older' | 'diverged' | 'unknown';

export interface CompareContext {
  /** A git work tree holding the application's history (GITHUB_WORKSPACE after actions/checkout). */
  workspace?: string;
  /** owner/name, for the compare API. */
  repository?: string;
  token?: string;
  apiUrl?: string;
  /** Test seam: retry waits. */
  sleep?: (ms: number) => Promise<void>;
}

export interface CommitComparison {
  /** What `next` is relative to `live`: `newer` when live is an ancestor of next, `older` when next is an ancestor of live. */
  relation: CommitRelation;
  live: string;
  next: string;
  via: 'git' | 'api' | 'none';
  /** Why, in words, for the log and errors. */
  detail: string;
}

export interface OrderPolicy {
  /** Deploy a commit older than the live one (a rollback on purpose). */
  allowOlder: boolean;
  /** Deploy when the order cannot be decided (diverged histories, a live commit the repository no longer has). */
  allowUnordered: boolean;
}

export type OrderDecision =
  | { kind: 'proceed'; comparison?: CommitComparison; note: string }
  | { kind: 'superseded'; comparison: CommitComparison; message: string };

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function short(sha: string): string {
  return sha.slice(0, 12);
}

/** Local history first; the compare API when git cannot decide. Never throws for a missing commit: `unknown`. */
export async function compareCommits(live: string, next: string, ctx: CompareContext): Promise<CommitComparison> {
  if (live === next) return { relation: 'identical', live, next, via: 'none', detail: 'same commit' };
  const notes: string[] = [];
  if (ctx.workspace) {
    const local = await compareWithGit(live, next, ctx.workspace);
    if (local.relation !== 'unknown') return local;
    notes.push(local.detail);
  }
  if (ctx.repository && ctx.token) {
    const api = await compareWithApi(live, next, ctx);
    return notes.length ? { ...api, detail: `${notes.join('; ')}; ${api.detail}` } : api;
  }
  notes.push(ctx.token ? 'no owner/name repository for the GitHub compare API' : 'no github-token for the GitHub compare API');
  return { relation: 'unknown', live, next, via: 'none', detail: notes.join('; ') };
}

async function compareWithGit(live: string, next: string, dir: string): Promise<CommitComparison> {
  const git = new Git(dir);
  const unknown = (detail: string): CommitComparison => ({ relation: 'unknown', live, next, via: 'git', detail });
  const ancestor = (relation: 'newer' | 'older'): CommitComparison => {
    const [a, b] = relation === 'newer' ? [live, next] : [next, live];
    return { relation, live, next, via: 'git', detail: `${short(a)} is an ancestor of ${short(b)} (local git)` };
  };
  // Commits near each other (the usual deploy) are found in the store itself, with no process.
  const near = nearAncestry(dir, live, next);
  if (near) return ancestor(near);
  // One process in the usual case: the commits only one side reaches ("<live only> <next only>").
  const counted = await git.run(['rev-list', '--count', '--left-right', `${live}...${next}`], { allowFailure: true }).catch(() => undefined);
  const m = counted && counted.exitCode === 0 ? /^(\d+)\s+(\d+)$/.exec(counted.stdout.trim()) : null;
  if (!m) {
    // Not a repository, or a commit it does not have: say which, for the log (only on this path).
    const inside = await git.run(['rev-parse', '--is-inside-work-tree'], { allowFailure: true }).catch(() => undefined);
    if (!inside || inside.exitCode !== 0) return unknown(`${dir} is not a git work tree`);
    const missing = [];
    for (const sha of [live, next]) if ((await git.run(['cat-file', '-e', `${sha}^{commit}`], { allowFailure: true })).exitCode !== 0) missing.push(short(sha));
    return unknown(missing.length ? `local git history lacks ${missing.join(' and ')}` : `git rev-list failed: ${(counted?.stderr ?? '').trim().split('\n').pop()}`);
  }
  const [onlyLive, onlyNext] = [Number(m[1]), Number(m[2])];
  if (onlyLive === 0 && onlyNext === 0) return { relation: 'identical', live, next, via: 'git', detail: 'same tree position (local git)' };
  if (onlyLive === 0) return ancestor('newer');
  if (onlyNext === 0) return ancestor('older');
  // In a shallow clone "neither reaches the other" may only mean "history cut off": let the API decide.
  const shallow = (await git.run(['rev-parse', '--is-shallow-repository'], { allowFailure: true })).stdout.trim() === 'true';
  if (shallow) return unknown('local git history is shallow');
  return { relation: 'diverged', live, next, via: 'git', detail: `neither ${short(live)} nor ${short(next)} is an ancestor of the other (local git)` };
}

interface HttpError {
  status?: number;
  message?: string;
}

/** 429, 5xx and network errors (no HTTP status) are worth waiting for; 401/403/404/422 are not. */
export function isTransientApiError(err: unknown): boolean {
  const status = (err as HttpError | undefined)?.status;
  if (typeof status === 'number') return status === 429 || status >= 500;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|fetch failed|other side closed|UND_ERR/i.test(errorMessage(err));
}

async function compareWithApi(live: string, next: string, ctx: CompareContext): Promise<CommitComparison> {
  const [owner, repo] = (ctx.repository ?? '').split('/');
  const { githubClient } = await import('./github.js');
  const octokit = await githubClient(ctx.token ?? '', ctx.apiUrl ? { baseUrl: ctx.apiUrl.replace(/\/+$/, '') } : {});
  const call = <T>(label: string, fn: () => Promise<T>): Promise<T> =>
    retry(fn, { attempts: 5, baseDelayMs: 1000, maxDelayMs: 8000, isTransient: isTransientApiError, label, sleep: ctx.sleep });
  try {
    const { data } = await call(`GitHub compare ${short(live)}...${short(next)}`, () =>
      octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${live}...${next}`, per_page: 1 }),
    );
    const relation: CommitRelation =
      data.status === 'identical' ? 'identical' : data.status === 'ahead' ? 'newer' : data.status === 'behind' ? 'older' : 'diverged';
    return { relation, live, next, via: 'api', detail: `GitHub compare ${short(live)}...${short(next)}: ${data.status} (ahead by ${data.ahead_by}, behind by ${data.behind_by})` };
  } catch (err) {
    const status = (err as HttpError).status;
    if (status !== 404) throw new ActionError(`GitHub compare ${short(live)}...${short(next)} in ${ctx.repository} failed: ${errorMessage(err)}`);
    // Compare answers 404 when either commit is unknown: find which, so the report says what was force-pushed away.
    const exists = async (sha: string): Promise<boolean> => {
      try {
        await call(`GitHub commit ${short(sha)}`, () => octokit.rest.repos.getCommit({ owner, repo, ref: sha, per_page: 1 }));
        return true;
      } catch (e) {
        const s = (e as HttpError).status;
        if (s === 404 || s === 422) return false;
        throw new ActionError(`GitHub commit lookup ${short(sha)} in ${ctx.repository} failed: ${errorMessage(e)}`);
      }
    };
    const missing = [];
    if (!(await exists(live))) missing.push(`the live commit ${short(live)}`);
    if (!(await exists(next))) missing.push(`the new commit ${short(next)}`);
    const what = missing.length ? missing.join(' nor ') : 'one of the commits';
    return { relation: 'unknown', live, next, via: 'api', detail: `${ctx.repository} does not have ${what} (GitHub compare: 404 Not Found; force-pushed away, or from another repository)` };
  }
}

/**
 * What to do with `next` given the `live` source commit. Throws ActionError for an order it cannot decide
 * unless the policy allows it; never changes anything itself.
 */
export async function decideOrder(live: string | undefined, next: string, ctx: CompareContext, policy: OrderPolicy, what: string): Promise<OrderDecision> {
  if (!live) return { kind: 'proceed', note: `no source commit recorded for ${what}: nothing to order against` };
  const comparison = await compareCommits(live, next, ctx);
  switch (comparison.relation) {
    case 'identical':
      return { kind: 'proceed', comparison, note: `${what} already runs ${short(next)}: same commit` };
    case 'newer':
      return { kind: 'proceed', comparison, note: `${short(next)} is newer than the live ${short(live)} (${comparison.detail})` };
    case 'older':
      if (policy.allowOlder) return { kind: 'proceed', comparison, note: `rolling back on purpose (allow-older): ${short(next)} is older than the live ${short(live)}` };
      return {
        kind: 'superseded',
        comparison,
        message: `superseded: ${short(live)} is newer than ${short(next)}; ${what} keeps ${short(live)} (${comparison.detail}). Set allow-older: true to roll back on purpose.`,
      };
    default: {
      const why = comparison.relation === 'diverged' ? 'the histories diverged' : 'the order is unknown';
      if (policy.allowUnordered) return { kind: 'proceed', comparison, note: `deploying although ${why} (allow-unordered): ${comparison.detail}` };
      throw new ActionError(
        `Cannot tell whether ${short(next)} is newer than the live ${short(live)} of ${what}: ${why} (${comparison.detail}). ` +
          'Nothing was changed. Set allow-unordered: true to deploy anyway, or allow-older: true when it is a rollback.',
      );
    }
  }
}

/** A full commit SHA (40 or 64 hex), lowercased; InputError naming `name` otherwise. */
export function parseCommitSha(name: string, raw: string): string {
  const sha = raw.trim().toLowerCase();
  if (!SHA.test(sha)) throw new InputError(name, `expected a full commit SHA (40 hex characters), got '${raw.trim()}'`);
  return sha;
}

/** The common ordering inputs: `source-commit`, `allow-older`, `allow-unordered` and the token input. */
export function readOrderInputs(options: { tokenInput?: string } = {}): { sourceCommit: string; policy: OrderPolicy; ctx: CompareContext } {
  const tokenInput = options.tokenInput ?? 'github-token';
  const raw = input.string('source-commit') || process.env.GITHUB_SHA || '';
  if (!raw) throw new InputError('source-commit', 'is empty and GITHUB_SHA is not set');
  const sourceCommit = parseCommitSha('source-commit', raw);
  const policy = { allowOlder: input.boolean('allow-older', false), allowUnordered: input.boolean('allow-unordered', false) };
  const token = input.secret(tokenInput);
  const ctx: CompareContext = {
    workspace: process.env.GITHUB_WORKSPACE || undefined,
    repository: process.env.GITHUB_REPOSITORY || undefined,
    token: token || undefined,
    apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
  };
  return { sourceCommit, policy, ctx };
}

/** One line for the log and the summary. */
export function describeDecision(decision: OrderDecision): string {
  return decision.kind === 'superseded' ? decision.message : decision.note;
}

/** Logs the decision (a superseded run is a notice: the run stays green). */
export function logDecision(decision: OrderDecision): void {
  if (decision.kind === 'superseded') core.notice(decision.message);
  else core.info(`order: ${decision.note}`);
}
