// The protected-environment path: the edits of every service are committed on the base tip (one commit) and
// force-pushed to the action's own branch, and one pull request per branch is opened or updated.
import * as core from '@actions/core';
import { ActionError, errorMessage } from '../toolkit/index.js';
import type { Git } from '../toolkit/git.js';
import type { Octokit } from '../toolkit/github.js';
import type { PlanOptions, Repo, ServiceEdit, ServiceOutcome } from './promote.js';
import { planOnTip } from './promote.js';
import { liveCommitOf } from './targets.js';

export interface PullRequestTarget extends Repo {
  git: Git;
  /** The base tip cloned. */
  tip: string;
  head: string;
  owner: string;
  repo: string;
  token: string;
  apiUrl: string;
}

export interface PullRequestResult {
  changed: boolean;
  commit: string;
  outcomes: ServiceOutcome[];
  url: string;
  number?: number;
  created: boolean;
  reformatted: boolean;
}

/** Services whose source commit on the existing head branch is newer than this run's (decided as on the base). */
async function newerPending(t: PullRequestTarget, outcomes: readonly ServiceOutcome[], options: PlanOptions): Promise<Array<{ service: string; message: string }>> {
  const fetched = await t.git.run(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--depth', '1', 'origin', `+refs/heads/${t.head}:refs/heads/${t.head}`], { allowFailure: true });
  if (fetched.exitCode !== 0) return []; // no pull request branch yet
  const { files } = await t.git.readFiles(`refs/heads/${t.head}`, [...new Set(outcomes.map((o) => o.service.file))]);
  const newer: Array<{ service: string; message: string }> = [];
  for (const o of outcomes.filter((x) => x.changed)) {
    const text = files.get(o.service.file)?.text;
    let live: string | undefined;
    try {
      live = text === undefined ? undefined : liveCommitOf(text, o.service.file, o.service.target);
    } catch {
      live = undefined; // an unreadable file on the action's own branch is rebuilt from the base anyway
    }
    if (!live || live === o.plan.liveCommit) continue;
    const decision = await options.decide(live, o.service.name);
    if (decision.kind === 'superseded') newer.push({ service: o.service.name, message: decision.message });
  }
  return newer;
}

function apiError(what: string, err: unknown): ActionError {
  const status = (err as { status?: number }).status;
  return new ActionError(`GitHub API: ${what} failed${status ? ` (HTTP ${status})` : ''}: ${errorMessage(err).split('\n')[0]}`);
}

export async function promoteByPullRequest(
  t: PullRequestTarget,
  services: readonly ServiceEdit[],
  options: PlanOptions,
  texts: { message: (outcomes: ServiceOutcome[]) => string; title: (outcomes: ServiceOutcome[]) => string; body: (outcomes: ServiceOutcome[], diff: string) => string },
): Promise<PullRequestResult> {
  const planned = await planOnTip(t, t.tip, services, options);
  if (!planned.files.length) return { changed: false, commit: '', outcomes: planned.outcomes, url: '', created: false, reformatted: false };
  // The open pull request may already propose a newer source commit: rebuilding the branch would replace it.
  const pendingNewer = await newerPending(t, planned.outcomes, options);
  if (pendingNewer.length) {
    const outcomes = planned.outcomes.map((o) => {
      const why = pendingNewer.find((p) => p.service === o.service.name);
      return { ...o, changed: false, superseded: true, note: why ? `${why.message} (in the open pull request's branch '${t.head}')` : `left as proposed: the pull request's branch '${t.head}' holds a newer source commit for ${pendingNewer.map((p) => p.service).join(', ')}` };
    });
    return { changed: false, commit: '', outcomes, url: '', created: false, reformatted: false };
  }
  const commit = await t.git.commitFiles(planned.parent, planned.files, texts.message(planned.outcomes));
  const diff = await t.git.diff(planned.parent, commit, planned.files.map((f) => f.path));
  // The head branch belongs to the action: it is rebuilt from the base tip on every promotion.
  const pushed = await t.git.push(t.head, { force: true, source: commit });
  if (!pushed.ok) throw new ActionError(`The push to '${t.head}' was rejected: ${pushed.reason}\n${pushed.output}`);
  core.info(`Pushed ${commit.slice(0, 12)} to '${t.head}'`);
  const plan = { outcomes: planned.outcomes, reformatted: planned.reformatted };
  const title = texts.title(plan.outcomes);

  // Loaded only on this path: a push-only run never loads Octokit.
  const { githubClient } = await import('../toolkit/github.js');
  const octokit: Octokit = await githubClient(t.token, { baseUrl: t.apiUrl.replace(/\/+$/, '') });
  const body = texts.body(plan.outcomes, diff);
  let existing: { number: number; html_url: string } | undefined;
  try {
    const { data } = await octokit.rest.pulls.list({ owner: t.owner, repo: t.repo, state: 'open', head: `${t.owner}:${t.head}`, base: t.branch, per_page: 10 });
    existing = data[0];
  } catch (err) {
    throw apiError(`listing pull requests of ${t.owner}/${t.repo}`, err);
  }
  if (existing) {
    try {
      await octokit.rest.pulls.update({ owner: t.owner, repo: t.repo, pull_number: existing.number, title, body });
    } catch (err) {
      throw apiError(`updating pull request #${existing.number}`, err);
    }
    core.info(`Updated pull request #${existing.number}: ${existing.html_url}`);
    return { changed: true, commit, outcomes: plan.outcomes, url: existing.html_url, number: existing.number, created: false, reformatted: plan.reformatted };
  }
  try {
    const { data } = await octokit.rest.pulls.create({ owner: t.owner, repo: t.repo, head: t.head, base: t.branch, title, body });
    core.info(`Opened pull request #${data.number}: ${data.html_url}`);
    return { changed: true, commit, outcomes: plan.outcomes, url: data.html_url, number: data.number, created: true, reformatted: plan.reformatted };
  } catch (err) {
    throw apiError(`opening a pull request from '${t.head}' into '${t.branch}'`, err);
  }
}
