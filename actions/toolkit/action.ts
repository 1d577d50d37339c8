import * as core from '@actions/core';
import { ActionError, CommandError, InputError, errorMessage } from './errors.js';
import { isPost, markMainStarted } from './state.js';

export interface ActionSteps {
  main: () => Promise<void>;
  /** Clean-up that must run even when main failed (the runner calls post with `post-if: always()`). */
  post?: () => Promise<void>;
}

/** One outer catch per action: decides main vs post, turns every error into core.setFailed. */
export async function runAction(steps: ActionSteps): Promise<void> {
  if (isPost()) {
    if (!steps.post) return;
    try {
      await steps.post();
    } catch (err) {
      // A failed clean-up is worth a warning, not a red job after a green main.
      core.warning(`post step: ${errorMessage(err)}`);
    }
    return;
  }
  // Marked on the next turn of the event loop, and awaited before main ends: the state file's write (and the
  // crypto module @actions/core loads for its delimiter, ~13 ms) then overlaps the first processes main starts
  // instead of delaying them.
  const started = new Promise<void>((resolve, reject) =>
    setImmediate(() => {
      try {
        markMainStarted();
        resolve();
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    }),
  );
  try {
    await steps.main();
  } catch (err) {
    if (!(err instanceof InputError || err instanceof ActionError || err instanceof CommandError) && err instanceof Error && err.stack) {
      core.debug(err.stack);
    }
    core.setFailed(errorMessage(err));
  } finally {
    await started.catch((err: unknown) => core.setFailed(`could not record the main step's state: ${errorMessage(err)}`));
  }
}
