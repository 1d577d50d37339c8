// The image timestamp (`created` label, SOURCE_DATE_EPOCH) comes from the commit, never from the clock, so
// building one commit twice gives the same timestamp: the event, else git, else the GitHub API.
import { errorMessage } from '../toolkit/errors.js';
import { runCommand } from '../toolkit/exec.js';
// Loads @actions/github only on this path: most runs get the time from the event or git.
import { githubClient } from '../toolkit/github.js';

export interface CommitTime {
  /** ISO 8601. */
  time: string;
  source: 'event' | 'git' | 'api' | 'none';
  /** Why the later sources were tried, for the log. */
  notes: string[];
}

/** When no source knows the commit: the Unix epoch, still the same on every re-run (never "now"). */
export const NO_COMMIT_TIME = '1970-01-01T00:00:00Z';

export interface CommitTimeSources {
  revision: string;
  headCommit?: { id?: string; timestamp?: string };
  /** The build context: a git checkout or not. */
  dir: string;
  repository: string;
  apiUrl: string;
  token: string;
}

const valid = (t: string | undefined): t is string => Boolean(t) && !Number.isNaN(Date.parse(t!));

/** UTC, whole seconds: the event (+01:00), git (%cI) and the API (Z) spell one instant differently; the label must not differ. */
export function utcSeconds(t: string): string {
  return new Date(Math.floor(Date.parse(t) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export async function commitTime(src: CommitTimeSources): Promise<CommitTime> {
  const found = await findCommitTime(src);
  return { ...found, time: utcSeconds(found.time) };
}

async function findCommitTime(src: CommitTimeSources): Promise<CommitTime> {
  const notes: string[] = [];
  if (src.headCommit && src.headCommit.id === src.revision && valid(src.headCommit.timestamp)) return { time: src.headCommit.timestamp, source: 'event', notes };
  if (!src.revision) return { time: NO_COMMIT_TIME, source: 'none', notes: ['no commit (GITHUB_SHA is empty)'] };

  const git = await runCommand('git', ['-C', src.dir, 'show', '-s', '--format=%cI', src.revision], { allowFailure: true }).catch((err: unknown) => ({ exitCode: -1, stdout: '', stderr: errorMessage(err) }));
  const fromGit = git.stdout.trim();
  if (git.exitCode === 0 && valid(fromGit)) return { time: fromGit, source: 'git', notes };
  notes.push(`git has no commit ${src.revision.slice(0, 12)} in ${src.dir} (${git.stderr.trim().split('\n').pop() || `exit ${git.exitCode}`})`);

  if (!src.token || !src.repository.includes('/')) {
    notes.push(src.token ? 'GITHUB_REPOSITORY is not owner/name' : 'no github-token for the GitHub API');
    return { time: NO_COMMIT_TIME, source: 'none', notes };
  }
  try {
    const [owner, repo] = src.repository.split('/');
    const octokit = await githubClient(src.token, { baseUrl: src.apiUrl, request: { signal: AbortSignal.timeout(15_000) } });
    const { data } = await octokit.rest.repos.getCommit({ owner, repo, ref: src.revision });
    const fromApi = data.commit.committer?.date ?? data.commit.author?.date;
    if (valid(fromApi)) return { time: fromApi, source: 'api', notes };
    notes.push(`the GitHub API gave no commit date for ${src.revision.slice(0, 12)}`);
  } catch (err) {
    notes.push(`GitHub API ${src.apiUrl} GET /repos/${src.repository}/commits/${src.revision.slice(0, 12)}: ${errorMessage(err).split('\n')[0]}`);
  }
  return { time: NO_COMMIT_TIME, source: 'none', notes };
}
