// Types of lazy-undici.cjs: undici's own, plus the loader.
export * from '../../node_modules/undici/index.js';
/** Loads undici (its own bundle chunk); ProxyAgent may be read only after this resolves. */
export function loadUndici(): Promise<void>;
