// GitHub API clients for the actions: @actions/github's Octokit, loaded when first needed, with undici (which its
// proxy support constructs synchronously) loaded before it (lazy-undici.cjs).
import type { getOctokit as GetOctokit } from '@actions/github';
import { loadUndici } from './lazy-undici.cjs';

export type Octokit = ReturnType<typeof GetOctokit>;
type Options = NonNullable<Parameters<typeof GetOctokit>[1]>;

export async function githubClient(token: string, options: Options = {}): Promise<Octokit> {
  // In this order: @actions/github builds its proxy dispatcher for GITHUB_API_URL as it loads.
  await loadUndici();
  const [github, { defaults }] = await Promise.all([import('@actions/github'), import('@actions/github/lib/utils')]);
  // Octokit lays constructor options over its defaults shallowly: a `request` of ours (a timeout signal) would
  // replace @actions/github's, and with it the fetch that goes through the runner's proxy.
  return github.getOctokit(token, { ...options, request: { ...defaults.request, ...options.request } });
}
