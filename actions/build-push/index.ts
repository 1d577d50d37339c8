// main and post share this entry; post loads only its clean-up module (no @actions/core), main the action.
import { POST_FLAG_STATE } from './state-keys.js';

if (process.env[`STATE_${POST_FLAG_STATE}`] === 'true') await (await import('./post.js')).post();
else await (await import('./main.js')).run();

export {};
