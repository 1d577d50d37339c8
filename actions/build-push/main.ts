// Toolkit modules imported one by one: the toolkit's index would bundle (and load at start-up) all of it.
import { runAction } from '../toolkit/action.js';
import { errorMessage } from '../toolkit/errors.js';
import { appendSummary } from '../toolkit/summary.js';
import { readRunContext } from './context.js';
import { prefetchEngineInfo } from './engine.js';
import { readInputs } from './inputs.js';
import { failureMarkdown, type Observed } from './summary.js';

/**
 * The main step; the post step is post.ts (index.ts routes). Reads and checks the inputs, then asks the daemon for
 * its /info (a read on the local socket, answered while the rest loads) and loads the build and push (publish.ts,
 * its own bundle chunk): a run that fails on its inputs loads neither the code nor the HTTP client.
 */
export function run(): Promise<void> {
  return runAction({
    main: async () => {
      const seen: Observed = { tags: [], pushed: [] };
      try {
        const started = Date.now();
        const ctx = readRunContext();
        const inputs = readInputs(ctx.workspace, ctx.actor);
        await prefetchEngineInfo();
        await (await import('./publish.js')).publish(seen, ctx, inputs, started);
      } catch (err) {
        // Every failure path writes the summary too, with only what this run saw happen.
        await appendSummary(failureMarkdown(seen, errorMessage(err)));
        throw err;
      }
    },
  });
}
