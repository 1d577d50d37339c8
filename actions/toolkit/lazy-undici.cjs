// What the bundles get for `undici` (tsconfig.json "paths"; ncc resolves node_modules' imports through them too).
// @actions/http-client imports undici's ProxyAgent and @actions/github its fetch at the top, so every action would
// compile and evaluate undici (~0.9 MB as ncc leaves it, with its llhttp WebAssembly) as it starts, 35–60 ms,
// whether or not it ever talks to the GitHub API. Here undici is its own chunk, loaded on first use:
// - fetch (async anyway) loads it itself;
// - ProxyAgent (constructed synchronously, and only when a proxy is configured) needs loadUndici() first:
//   actions/toolkit/github.ts does it before it creates a GitHub client.
// test/unit/lazy-undici.test.ts checks that every name the bundled packages and our code import from undici is here.
'use strict';
let loading;
let undici;
const load = () => (loading ??= import('../../node_modules/undici/index.js').then((m) => (undici = m.default ?? m)));

module.exports = {
  loadUndici: async () => void (await load()),
  get ProxyAgent() {
    if (!undici) throw new Error("undici's ProxyAgent was asked for before loadUndici() (actions/toolkit/lazy-undici.cjs): create GitHub clients through actions/toolkit/github.ts");
    return undici.ProxyAgent;
  },
  fetch: async (...args) => (undici ?? (await load())).fetch(...args),
};
