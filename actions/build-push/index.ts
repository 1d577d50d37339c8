// main and post share this entry; post loads only its clean-up module (no @actions/core), main the action (main.ts
// reads the inputs, then sends the daemon its /info request and loads the build).
import { POST_FLAG_STATE } from './state-keys.js';

if (process.env[`STATE_${POST_FLAG_STATE}`] === 'true') await (await import('./post.js')).post();
else {
  await (await import('./main.js')).run();
  // Done (outputs, summary and clean-up written; stdout to a pipe is synchronous): exit now rather than wait for
  // idle keep-alive sockets to the daemon and registries to be torn down (~15 ms, bench/build-push.bench.ts).
  process.exit();
}

export {};
