import * as fs from 'node:fs';
import type { RefContext } from './tags.js';

export interface RunContext extends RefContext {
  repository: string;
  actor: string;
  serverUrl: string;
  workspace: string;
  runId: string;
  onGitHub: boolean;
  /** The event's head commit (push events): its id and ISO time, for reproducible `created`. */
  headCommit?: { id?: string; timestamp?: string };
  /** The job token's API base (GITHUB_API_URL), for the commit time when neither the event nor git has it. */
  apiUrl: string;
}

interface EventPayload {
  pull_request?: { number?: number; head?: { sha?: string } };
  repository?: { default_branch?: string };
  head_commit?: { id?: string; timestamp?: string } | null;
}

/** The GitHub context from the runner's environment and event payload. */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  let event: EventPayload = {};
  if (env.GITHUB_EVENT_PATH && fs.existsSync(env.GITHUB_EVENT_PATH)) {
    event = JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as EventPayload;
  }
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    prHeadSha: event.pull_request?.head?.sha,
    prNumber: event.pull_request?.number,
    defaultBranch: event.repository?.default_branch,
    repository: env.GITHUB_REPOSITORY ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    runId: env.GITHUB_RUN_ID ?? String(process.pid),
    onGitHub: Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL)),
    headCommit: event.head_commit ?? undefined,
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
  };
}
