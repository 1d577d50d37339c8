// main and post share this entry; post loads only its clean-up module (no @actions/core), main the action.
if (process.env.STATE_isPost === 'true') await (await import('./post.js')).post();
else await (await import('./main.js')).run();

export {};
