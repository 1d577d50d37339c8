// Types of lazy-undici.cjs: the names it gives (a name not listed here would be undefined in the bundles).
export { ProxyAgent, fetch } from '../../node_modules/undici/index.js';
/** Loads undici (its own bundle chunk); ProxyAgent may be read only after this resolves. */
export function loadUndici(): Promise<void>;
