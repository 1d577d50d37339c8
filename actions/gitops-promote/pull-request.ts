// The protected-environment path: the edit is committed on the base tip and force-pushed to the action's own
// branch (gitops/<app>/<environment>), and one pull request per app and environment is opened or updated.
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Git } from '../toolkit/index.js';
import { ActionError, errorMessage } from '../toolkit/index.js';
import { githubClient, type Octokit } from '../toolkit/github.js';
import type { Plan, PromotedImage, Target } from './targets.js';
import { applyPlan, planPromotion } from './targets.js';
import { YamlEditError } from './yaml-edit.js';
import { readRepoFile } from './promote.js';

export interface PullRequestTarget {
  git: Git;
  base: string;
  head: string;
  file: string;
  owner: string;
  repo: string;
  token: string;
  apiUrl: string;
}

export interface PullRequestResult {
  changed: boolean;
  commit: string;
  plan: Plan;
  url: string;
  number?: number;
  created: boolean;
  reformatted: boolean;
}

function apiError(what: string, err: unknown): ActionError {
  const status = (err as { status?: number }).status;
  return new ActionError(`GitHub API: ${what} failed${status ? ` (HTTP ${status})` : ''}: ${errorMessage(err).split('\n')[0]}`);
}

export async function promoteByPullRequest(
  t: PullRequestTarget,
  target: Target,
  image: PromotedImage,
  create: boolean,
  texts: { message: (plan: Plan) => string; title: string; body: (plan: Plan, diff: string) => string },
): Promise<PullRequestResult> {
  const source = readRepoFile(t.git, t.file, t.base);
  let plan: Plan;
  let applied: { text: string; inPlace: boolean };
  try {
    plan = planPromotion(source, t.file, target, image, create);
    if (!plan.changed) return { changed: false, commit: '', plan, url: '', created: false, reformatted: false };
    applied = applyPlan(source, t.file, plan, create);
  } catch (err) {
    if (err instanceof YamlEditError) throw new ActionError(err.message);
    throw err;
  }
  const baseCommit = await t.git.revParse('HEAD');
  fs.writeFileSync(path.join(t.git.cwd, t.file), applied.text);
  await t.git.commit(texts.message(plan), [t.file]);
  const commit = await t.git.revParse('HEAD');
  const diff = await t.git.diff(baseCommit, commit, [t.file]);
  // The head branch belongs to the action: it is rebuilt from the base tip on every promotion.
  const pushed = await t.git.push(t.head, { force: true });
  if (!pushed.ok) throw new ActionError(`The push to '${t.head}' was rejected: ${pushed.reason}\n${pushed.output}`);
  core.info(`Pushed ${commit.slice(0, 12)} to '${t.head}'`);

  const octokit: Octokit = await githubClient(t.token, { baseUrl: t.apiUrl.replace(/\/+$/, '') });
  const body = texts.body(plan, diff);
  let existing: { number: number; html_url: string } | undefined;
  try {
    const { data } = await octokit.rest.pulls.list({ owner: t.owner, repo: t.repo, state: 'open', head: `${t.owner}:${t.head}`, base: t.base, per_page: 10 });
    existing = data[0];
  } catch (err) {
    throw apiError(`listing pull requests of ${t.owner}/${t.repo}`, err);
  }
  if (existing) {
    try {
      await octokit.rest.pulls.update({ owner: t.owner, repo: t.repo, pull_number: existing.number, title: texts.title, body });
    } catch (err) {
      throw apiError(`updating pull request #${existing.number}`, err);
    }
    core.info(`Updated pull request #${existing.number}: ${existing.html_url}`);
    return { changed: true, commit, plan, url: existing.html_url, number: existing.number, created: false, reformatted: !applied.inPlace };
  }
  try {
    const { data } = await octokit.rest.pulls.create({ owner: t.owner, repo: t.repo, head: t.head, base: t.base, title: texts.title, body });
    core.info(`Opened pull request #${data.number}: ${data.html_url}`);
    return { changed: true, commit, plan, url: data.html_url, number: data.number, created: true, reformatted: !applied.inPlace };
  } catch (err) {
    throw apiError(`opening a pull request from '${t.head}' into '${t.base}'`, err);
  }
}
