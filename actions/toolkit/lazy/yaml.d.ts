// Types of yaml.js: the package's own.
export * from '../../../node_modules/yaml/dist/index.js';
