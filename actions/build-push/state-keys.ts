// GITHUB_STATE keys main saves for the post step. Nothing here loads @actions/core: post.ts reads them without it.
export { POST_FLAG_STATE, SENSITIVE_PATHS_STATE } from '../toolkit/state-keys.js';

/** Name of the buildx builder main created (post removes it). */
export const CREATED_BUILDER_STATE = 'createdBuilder';
/** The private DOCKER_CONFIG main used (post runs `buildx rm` with it). */
export const DOCKER_CONFIG_STATE = 'dockerConfig';
