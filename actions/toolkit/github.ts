// GitHub API clients for the actions: @actions/github's Octokit, loaded when first needed, with undici (which its
// proxy support constructs synchronously) loaded before it (lazy-undici.cjs).
import type { getOctokit as GetOctokit } from '@actions/github';
import { loadUndici } from './lazy-undici.cjs';

export type Octokit = ReturnType<typeof GetOctokit>;

export async function githubClient(...args: Parameters<typeof GetOctokit>): Promise<Octokit> {
  // In this order: @actions/github builds its proxy dispatcher for GITHUB_API_URL as it loads.
  await loadUndici();
  const github = await import('@actions/github');
  return github.getOctokit(...args);
}
