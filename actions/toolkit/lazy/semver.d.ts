// Types of semver.js: the package's own (@types/semver).
export * from '../../../node_modules/@types/semver/index.js';
