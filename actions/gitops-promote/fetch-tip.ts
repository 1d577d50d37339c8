// The one fetch of a promotion: the config repository's branch tip with its small files. Kept apart from the
// editing code (promote.ts and the yaml package), which main loads while this fetch runs.
import * as core from '@actions/core';
import * as fs from 'node:fs';
import type { ExecResult } from '../toolkit/exec.js';
import type { Git } from '../toolkit/git.js';

/**
 * Files up to this size come with the tip's trees in the one fetch, so reading a values file or a kustomization
 * needs no second round trip (git would fetch a missing blob on read); bigger files (generated manifests, CRDs,
 * dashboards) stay on the server unless read.
 */
export const SMALL_FILE_LIMIT = 32 * 1024;

/** The refusal of a server that allows some partial-clone filters but not this one (stock `git upload-pack`). */
const FILTER_REFUSED = /filter '[^']+' not supported/;

/**
 * A bare, depth-1, no-tags clone of the tip of `branch` into the Git's directory with its small files (`blob:limit`). A server
 * that refuses that filter but allows others (`uploadpackfilter.<filter>.allow`) is asked again with
 * `blob:none` (GitHub documents `blob:none`); one that knows no filters sends every file (git warns, it works).
 * Later fetches of the branch (`Git.fetchTip`) use the filter the clone recorded for the remote.
 */
export async function fetchConfigTip(git: Git, url: string, branch: string): Promise<ExecResult & { filter: string }> {
  const filter = `blob:limit=${SMALL_FILE_LIMIT}`;
  const r = await git.cloneTip(url, git.cwd, branch, { filter });
  if (r.exitCode === 0 || !FILTER_REFUSED.test(r.stderr)) return { ...r, filter };
  core.info(`The server refuses --filter=${filter}; fetching the tip without file contents (blob:none) instead`);
  fs.rmSync(git.cwd, { recursive: true, force: true });
  return { ...(await git.cloneTip(url, git.cwd, branch, { filter: 'blob:none' })), filter: 'blob:none' };
}
