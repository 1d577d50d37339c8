// GITHUB_STATE keys the toolkit writes. Kept free of imports so a post step can read them (as STATE_<key>)
// without loading @actions/core.

/** Set to 'true' by markMainStarted; the runner hands it to post as STATE_isPost. */
export const POST_FLAG_STATE = 'isPost';

/** JSON list of private dirs recorded by makePrivateDir/writeSecretFile, removed in post. */
export const SENSITIVE_PATHS_STATE = 'sensitivePaths';
