// Makes the Node built-ins an ncc bundle loads at start-up load on first use instead (used by scripts/build.mjs).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './actions.mjs';

/** The built-ins made lazy (those a bare `node` has loaded before any user code are left out: nothing to gain). */
export const LAZY = ['assert', 'assert/strict', 'child_process', 'crypto', 'dgram', 'dns', 'dns/promises', 'fs/promises', 'http', 'http2', 'https', 'net', 'os', 'perf_hooks', 'readline', 'readline/promises', 'stream', 'stream/consumers', 'stream/promises', 'stream/web', 'string_decoder', 'timers/promises', 'tls', 'tty', 'v8', 'vm', 'worker_threads', 'zlib'];

/**
 * What Node 24 (the runtime the actions declare, node_modules/.bin/node) says about the LAZY built-ins a bare `node`
 * has not loaded yet: whether its exports are a function (stream, assert: null) or a plain object (its own property
 * names). Asked of that Node, not of the one running this script, so the output is the same wherever the build runs.
 */
export function builtinFacts() {
  const node24 = path.join(ROOT, 'node_modules', '.bin', 'node');
  const script = `const loaded = new Set(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)));
const facts = {};
for (const id of ${JSON.stringify(LAZY)}) {
  if (loaded.has(id)) continue;
  const m = require(id);
  if (typeof m === 'function') facts[id] = null;
  else if (Object.getPrototypeOf(m) === Object.prototype) facts[id] = Object.getOwnPropertyNames(m).sort();
}
process.stdout.write(JSON.stringify(facts));`;
  // A file, as the runner starts an action (`node -e` loads more: its TypeScript stripping pulls in crypto, streams).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'builtins-'));
  try {
    fs.writeFileSync(path.join(dir, 'facts.cjs'), script);
    const res = spawnSync(fs.existsSync(node24) ? node24 : process.execPath, [path.join(dir, 'facts.cjs')], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`reading the built-ins of Node failed: ${res.stderr}`);
    return JSON.parse(res.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
let facts;

/**
 * ncc loads every built-in a bundled module names as it evaluates that module (`e(import.meta.url)("https")`), so
 * each action started by loading http, https, tls, net, crypto, child_process, streams and more (~40 internal
 * modules, a third of the start-up) though a run that fails on its inputs uses none. Each such load becomes
 * `__lazyBuiltin(spec)`: a stand-in that loads the built-in on the first read, call or construction and from then on
 * forwards everything to it. Its own property names come from the build (webpack's namespace helper lists them to
 * define getters, and must not load the module to do so); a built-in that is itself a function (stream, assert) gets
 * a callable, constructible stand-in. test/unit/lazy-builtins.test.ts checks the stand-in's behaviour and that the
 * bundles started without inputs load none of the network built-ins.
 */
export function lazyBuiltins(text) {
  const head = /^import\{createRequire as ([\w$]+)\}from"module";/.exec(text);
  if (!head) return text;
  facts ??= builtinFacts();
  const req = head[1].replace(/\$/g, '\\$');
  const names = {};
  const body = text.slice(head[0].length).replace(new RegExp(`\\b${req}\\(import\\.meta\\.url\\)\\("((?:node:)?([a-z_/0-9]+))"\\)`, 'g'), (all, spec, id) => {
    if (!(id in facts)) return all;
    if (facts[id]) names[id] = facts[id];
    return `__lazyBuiltin(${JSON.stringify(spec)})`;
  });
  if (body === text.slice(head[0].length)) return text;
  const sorted = Object.fromEntries(Object.keys(names).sort().map((k) => [k, names[k]]));
  return head[0] + lazyBuiltinHelper(head[1], sorted) + body;
}

/** The stand-in's source, one line, with `require` the bundle's createRequire and the names of the object built-ins. */
function lazyBuiltinHelper(createRequire, names) {
  return `const __lazyBuiltinNames=${JSON.stringify(names)};const __lazyBuiltin=(spec)=>{let m;const load=()=>m??=${createRequire}(import.meta.url)(spec);const names=__lazyBuiltinNames[spec.replace(/^node:/,"")];const proxy=new Proxy(names?{}:function(){}.bind(null),{get:(t,k)=>k==="__esModule"?undefined:Reflect.get(load(),k),set:(t,k,v)=>Reflect.set(load(),k,v),has:(t,k)=>Reflect.has(load(),k),ownKeys:()=>names?[...names]:Reflect.ownKeys(load()),getOwnPropertyDescriptor:(t,k)=>{const d=Reflect.getOwnPropertyDescriptor(load(),k);return d&&{...d,configurable:true}},defineProperty:(t,k,d)=>Reflect.defineProperty(load(),k,d),deleteProperty:(t,k)=>Reflect.deleteProperty(load(),k),getPrototypeOf:()=>names?Object.prototype:Reflect.getPrototypeOf(load()),apply:(t,self,args)=>Reflect.apply(load(),self,args),construct:(t,args,nt)=>Reflect.construct(load(),args,nt===proxy?load():nt)});return proxy};`;
}
