import * as core from '@actions/core';
import { POST_FLAG_STATE as POST_FLAG } from './state-keys.js';

/** True in the post step: main saves a flag into GITHUB_STATE, which the runner hands back to post. */
export function isPost(): boolean {
  return core.getState(POST_FLAG) === 'true';
}

/** Typed main → post hand-over through GITHUB_STATE (JSON per key). */
export function saveState<T>(key: string, value: T): void {
  core.saveState(key, JSON.stringify(value));
}

export function loadState<T>(key: string): T | undefined {
  const raw = core.getState(key);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

export function markMainStarted(): void {
  core.saveState(POST_FLAG, 'true');
}
