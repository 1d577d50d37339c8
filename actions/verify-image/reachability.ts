// Is a revision a commit this repository released or merged? Reachable from the default branch (local git when the
// workspace holds the repository, else GitHub's compare API, through the toolkit's compareCommits), or the commit of a
// release tag (local `git tag --points-at`, else GET /repos/{owner}/{repo}/git/matching-refs/tags/).
import { errorMessage } from '../toolkit/errors.js';
import { Git } from '../toolkit/git.js';
import { githubClient } from '../toolkit/github.js';
import { retry } from '../toolkit/retry.js';
import { compareCommits, isTransientApiError, short, type CompareContext } from '../toolkit/source-order.js';
import { isReleaseTag } from './labels.js';

export interface ReachContext {
  defaultBranch: string;
  /** A git work tree of this repository (GITHUB_WORKSPACE when it checked out the repository verified against). */
  workspace?: string;
  repository: string;
  token?: string;
  apiUrl: string;
}

export interface Reachability {
  reachable: boolean;
  /** How it was decided, for the log and the refusal. */
  detail: string;
}

/** Reachable from the default branch ⇔ the branch tip is the revision or has it as an ancestor ('newer' or 'identical'). */
export async function reachability(revision: string, ctx: ReachContext): Promise<Reachability> {
  const notes: string[] = [];
  const api: CompareContext = { repository: ctx.repository, token: ctx.token, apiUrl: ctx.apiUrl };
  if (ctx.workspace) {
    const branchRef = await localBranchRef(ctx.workspace, ctx.defaultBranch);
    if (branchRef) {
      const local = await compareCommits(revision, branchRef, { workspace: ctx.workspace });
      if (local.relation === 'newer' || local.relation === 'identical') return { reachable: true, detail: `on ${ctx.defaultBranch} at ${short(branchRef)} (${local.detail})` };
      if (local.via === 'git' && local.relation !== 'unknown') notes.push(`not on ${ctx.defaultBranch} at ${short(branchRef)}: ${local.detail}`);
    }
  }
  if (notes.length === 0) {
    const remote = ctx.token ? await compareCommits(revision, ctx.defaultBranch, api) : undefined;
    if (remote && (remote.relation === 'newer' || remote.relation === 'identical')) return { reachable: true, detail: `on ${ctx.defaultBranch} (${remote.detail})` };
    notes.push(remote ? `not on ${ctx.defaultBranch}: ${remote.detail}` : `no github-token to ask GitHub whether ${ctx.defaultBranch} has it`);
  }
  const tag = await releaseTagAt(revision, ctx);
  if (tag.name) return { reachable: true, detail: `release tag ${tag.name} (${tag.via})` };
  notes.push(tag.detail);
  return { reachable: false, detail: notes.join('; ') };
}

/**
 * The commit the default branch is at in the workspace: origin/<b> (what a checkout fetches), else <b>; undefined when
 * neither. A SHA, so that a revision equal to the tip compares as identical, not as an ancestor.
 */
async function localBranchRef(workspace: string, branch: string): Promise<string | undefined> {
  const git = new Git(workspace);
  for (const ref of [`refs/remotes/origin/${branch}`, `refs/heads/${branch}`]) {
    const res = await git.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFailure: true }).catch(() => undefined);
    if (res?.exitCode === 0 && res.stdout.trim()) return res.stdout.trim();
  }
  return undefined;
}

async function releaseTagAt(revision: string, ctx: ReachContext): Promise<{ name?: string; via: string; detail: string }> {
  if (ctx.workspace) {
    const git = new Git(ctx.workspace);
    const has = await git.run(['cat-file', '-e', `${revision}^{commit}`], { allowFailure: true }).catch(() => undefined);
    if (has?.exitCode === 0) {
      const res = await git.run(['tag', '--points-at', revision], { allowFailure: true });
      const name = res.exitCode === 0 ? res.stdout.split('\n').map((t) => t.trim()).find(isReleaseTag) : undefined;
      if (name) return { name, via: 'local git', detail: '' };
    }
  }
  if (!ctx.token) return { via: 'none', detail: 'no release tag found (no github-token to list the tags on GitHub)' };
  const [owner, repo] = ctx.repository.split('/');
  const octokit = await githubClient(ctx.token, { baseUrl: ctx.apiUrl.replace(/\/+$/, '') });
  const call = <T>(label: string, fn: () => Promise<T>): Promise<T> => retry(fn, { attempts: 5, baseDelayMs: 1000, maxDelayMs: 8000, isTransient: isTransientApiError, label });
  try {
    const refs = await call(`GitHub tags of ${ctx.repository}`, () => octokit.paginate(octokit.rest.git.listMatchingRefs, { owner, repo, ref: 'tags/', per_page: 100 }));
    for (const ref of refs) {
      const name = ref.ref.replace(/^refs\/tags\//, '');
      if (!isReleaseTag(name)) continue;
      let object = ref.object;
      // An annotated tag points at a tag object: follow it to the commit.
      for (let depth = 0; object.type === 'tag' && depth < 5; depth++) {
        const sha = object.sha;
        object = (await call(`GitHub tag object ${short(sha)}`, () => octokit.rest.git.getTag({ owner, repo, tag_sha: sha }))).data.object;
      }
      if (object.type === 'commit' && object.sha === revision) return { name, via: 'GitHub matching-refs', detail: '' };
    }
    return { via: 'api', detail: `no release tag of ${ctx.repository} points at ${short(revision)} (GitHub matching-refs, ${refs.length} tag${refs.length === 1 ? '' : 's'})` };
  } catch (err) {
    return { via: 'api', detail: `the release tags of ${ctx.repository} could not be listed: ${errorMessage(err)}` };
  }
}
