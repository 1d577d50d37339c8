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
  markMainStarted();
  try {
    await steps.main();
  } catch (err) {
    if (!(err instanceof InputError || err instanceof ActionError || err instanceof CommandError) && err instanceof Error && err.stack) {
      core.debug(err.stack);
    }
    core.setFailed(errorMessage(err));
  }
}
