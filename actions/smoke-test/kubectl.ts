// What the post step needs to clean up a port-forward main could not stop; the forward itself is the
// toolkit's (actions/toolkit/kube/port-forward.ts, over the shared Kubectl).
import * as fs from 'node:fs';
import { groupRunning } from '../toolkit/index.js';

/** True while pid runs; a zombie (exited, not yet reaped by its new parent) counts as gone. */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  for (const until = Date.now() + ms; !done() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
}

/** Sends signal to pid's process group when pid leads one (our forward was spawned detached), else to pid. */
function signalTree(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    process.kill(pid, signal);
  }
}

/**
 * Post-step clean-up of a forward main could not stop (main killed or cancelled): SIGTERM, then
 * SIGKILL after graceMs, to its whole process group; only if pid is still a kubectl port-forward
 * (pids get reused).
 */
export async function killLeftoverPortForward(pid: number, graceMs = 2000): Promise<boolean> {
  if (!pid || !processRunning(pid)) return false;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('port-forward')) return false;
  } catch {
    // No /proc (macOS runners): trust the saved pid.
  }
  try {
    signalTree(pid, 'SIGTERM');
  } catch {
    return false;
  }
  const gone = (): boolean => !processRunning(pid) && !groupRunning(pid);
  await waitUntil(gone, graceMs);
  if (!gone()) {
    try {
      // What is left of its group (a wrapper's children); never the bare pid once it has exited (reuse).
      process.kill(-pid, 'SIGKILL');
    } catch {
      if (processRunning(pid)) process.kill(pid, 'SIGKILL');
    }
    await waitUntil(gone, graceMs);
  }
  return true;
}
