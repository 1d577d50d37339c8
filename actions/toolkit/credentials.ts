import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SENSITIVE_PATHS_STATE as STATE_KEY } from './state-keys.js';
import { loadState, saveState } from './state.js';

export function runnerTemp(): string {
  return process.env.RUNNER_TEMP || os.tmpdir();
}

/** A private (0700) directory under RUNNER_TEMP, recorded for removal in the post step. */
export function makePrivateDir(prefix: string): string {
  const dir = path.join(runnerTemp(), `${prefix}-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  track(dir);
  return dir;
}

/** Writes a secret (kubeconfig, registry config…) 0600 into a private dir; removed in post. */
export function writeSecretFile(prefix: string, fileName: string, content: string): string {
  const dir = makePrivateDir(prefix);
  const file = path.join(dir, fileName);
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

/** Removes everything recorded by makePrivateDir/writeSecretFile in this job step (main or post). */
export function removeSensitivePaths(): string[] {
  const paths = [...new Set([...(loadState<string[]>(STATE_KEY) ?? []), ...tracked])];
  const removed: string[] = [];
  for (const p of paths) {
    try {
      fs.rmSync(p, { recursive: true, force: true });
      removed.push(p);
    } catch (err) {
      core.warning(`could not remove ${p}: ${String(err)}`);
    }
  }
  tracked.length = 0;
  saveState(STATE_KEY, []);
  return removed;
}

// GITHUB_STATE is only read back in the post step, so main keeps its own list and rewrites the key.
const tracked: string[] = [];
function track(p: string): void {
  tracked.push(p);
  saveState(STATE_KEY, tracked);
}
