// The post step (`post-if: failure() || cancelled()`): main cleans up after itself; this removes what a killed main
// left: the builder made for the build and the private DOCKER_CONFIG (and any other private dir main recorded). It
// imports no @actions/core: loading that (and the HTTP stack it pulls in) is most of the bundle's start-up. State
// keys are the ones main saves through the toolkit.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { CREATED_BUILDER_STATE, DOCKER_CONFIG_STATE, SENSITIVE_PATHS_STATE } from './state-keys.js';

/** A value main saved with the toolkit's saveState (JSON), handed back by the runner as STATE_<key>. */
function state<T>(key: string): T | undefined {
  const raw = process.env[`STATE_${key}`];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

const run = (command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> =>
  new Promise((resolve) => {
    execFile(command, args, { env }, (err) => resolve(err ? (typeof err.code === 'number' ? err.code : 1) : 0));
  });

export async function post(): Promise<void> {
  try {
    const builder = state<string>(CREATED_BUILDER_STATE);
    const dockerConfig = state<string>(DOCKER_CONFIG_STATE);
    if (builder && dockerConfig) {
      const code = await run('docker', ['buildx', 'rm', builder], { ...process.env, DOCKER_CONFIG: dockerConfig });
      process.stdout.write(code === 0 ? `Removed builder ${builder}\n` : `::warning::post step: docker buildx rm ${builder} exited ${code}\n`);
    }
    // The toolkit's makePrivateDir records these under SENSITIVE_PATHS_STATE (the private DOCKER_CONFIG among them).
    const paths = state<string[]>(SENSITIVE_PATHS_STATE) ?? [];
    let removed = 0;
    for (const p of new Set(paths)) {
      try {
        fs.rmSync(p, { recursive: true, force: true });
        removed++;
      } catch (err) {
        process.stdout.write(`::warning::could not remove ${p}: ${String(err)}\n`);
      }
    }
    if (removed) process.stdout.write(`Removed ${removed} temporary credential director${removed === 1 ? 'y' : 'ies'}\n`);
  } catch (err) {
    // A failed clean-up is worth a warning, not a red job after a green main.
    process.stdout.write(`::warning::post step: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}
