import { run } from './main.js';
// Not awaited: without a top-level await the bundler leaves the action's code at the top level of its index.js,
// compiled once as Node loads it, not wrapped in a function compiled again when called. run() ends every error in
// core.setFailed (actions/toolkit/action.ts).
void run();
