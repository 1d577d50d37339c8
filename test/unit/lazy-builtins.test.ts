// The bundles load Node's network, process and crypto built-ins on first use (scripts/lazy-builtins.mjs), and yaml and
// semver from their own files beside the bundle on first use (scripts/lazy-packages.mjs), both applied by
// scripts/build.mjs: the stand-ins behave as the modules do, and a bundle started without inputs loads none of them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { lazyBuiltins } from '../../scripts/lazy-builtins.mjs';
import { lazyPackages } from '../../scripts/lazy-packages.mjs';
import { ROOT, node24 } from '../support/run-action.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-builtins-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const require = createRequire(import.meta.url);

/** Runs an ESM file under Node 24 and returns what it printed as JSON. */
function runModule(name: string, source: string): Record<string, unknown> {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, source);
  const res = spawnSync(node24(), [file], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout) as Record<string, unknown>;
}

const loaded = `(id) => process.moduleLoadList.includes('NativeModule ' + id)`;

describe('lazy built-ins in the bundles', () => {
  it('rewrites the bundle form of a built-in load and leaves the rest of the text alone', () => {
    const src = 'import{createRequire as e}from"module";const a=e(import.meta.url)("node:https"),b=e(import.meta.url)("path"),c=e(import.meta.url)("stream");';
    const out = lazyBuiltins(src);
    assert.match(out, /__lazyBuiltin\("node:https"\)/);
    assert.match(out, /__lazyBuiltin\("stream"\)/);
    assert.match(out, /e\(import\.meta\.url\)\("path"\)/, 'path is loaded by Node itself before any user code: left as it is');
    assert.equal(lazyBuiltins('const x = require("https");'), 'const x = require("https");', 'not an ncc ESM bundle: unchanged');
    assert.equal(lazyBuiltins(src), out, 'the same text twice');
  });

  it('loads a built-in on first use only, and the stand-in then behaves as the module', () => {
    const src = lazyBuiltins(
      `import{createRequire as e}from"module";const isLoaded=${loaded};const https=e(import.meta.url)("node:https");const stream=e(import.meta.url)("stream");const cp=e(import.meta.url)("child_process");
const before={https:isLoaded('https'),stream:isLoaded('stream'),child_process:isLoaded('child_process')};
const names=Object.getOwnPropertyNames(https);
const namesKeptItLazy=!isLoaded('https');
const real=e(import.meta.url)("https");
class Mine extends stream.PassThrough{}
const s=new stream();
const out={before,namesKeptItLazy,hasRequest:names.includes('request'),sameFunction:https.request===real.request,inOperator:'Agent' in https,
agent:new https.Agent() instanceof real.Agent,streamIsCallable:typeof stream==='function',streamInstance:s instanceof e(import.meta.url)("stream"),
subclass:new Mine() instanceof e(import.meta.url)("stream").Transform,esModule:https.__esModule,
echo:cp.execFileSync(process.execPath,['-e','process.stdout.write("ok")']).toString(),after:isLoaded('https')&&isLoaded('child_process')};
process.stdout.write(JSON.stringify(out));`,
    );
    assert.match(src, /__lazyBuiltin\("node:https"\)/);
    const out = runModule('use.mjs', src);
    assert.deepEqual(out.before, { https: false, stream: false, child_process: false });
    assert.equal(out.namesKeptItLazy, true, 'listing the names (what the bundler does for `import * as`) does not load the module');
    assert.equal(out.hasRequest, true);
    assert.equal(out.sameFunction, true);
    assert.equal(out.inOperator, true);
    assert.equal(out.agent, true, 'new through the stand-in builds the real class');
    assert.equal(out.streamIsCallable, true);
    assert.equal(out.streamInstance, true, 'a built-in that is a function is constructible through its stand-in');
    assert.equal(out.subclass, true);
    assert.equal(out.esModule, undefined);
    assert.equal(out.echo, 'ok');
    assert.equal(out.after, true);
  });

  it('rewrites the entry file\'s import of a lazy package into a stand-in for its own file, and refuses any other form', () => {
    const { text, packages } = lazyPackages('import{createRequire as e}from"module";import*as t from"yaml";import*as r from"node:os";const a=t["default"].parse("a: 1");');
    assert.deepEqual(packages, ['yaml']);
    assert.match(text, /const t=__lazyPackage\("\.\/yaml\.cjs"\);/);
    assert.doesNotMatch(text, /from"yaml"/);
    assert.match(text, /^import\{createRequire as e\}from"module";import\*as r from"node:os";/, 'other imports kept, first');
    assert.match(lazyPackages('import*as t from"semver";t.valid("1.0.0");').text, /^import\{createRequire as __lazyCreateRequire\}from"module";/, 'createRequire imported when the bundle has none');
    assert.deepEqual(lazyPackages('import{createRequire as e}from"module";const x=1;'), { text: 'import{createRequire as e}from"module";const x=1;', packages: [] });
    assert.throws(() => lazyPackages('import{createRequire as e}from"module";import t from"yaml";'), /yaml is imported as "from\\"yaml\\"", a form lazyPackages/);
    assert.throws(() => lazyPackages('const t=await import("semver");'), /semver is imported as/);
  });

  it('a lazy package is required from its own file on the first read of a name, and answers as Node\'s namespace of it', () => {
    const dir = path.join(tmp, 'lazy-package');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'yaml.cjs'), `globalThis.yamlLoaded = true; module.exports = require(${JSON.stringify(require.resolve('yaml'))});`);
    const { text } = lazyPackages(
      `import{createRequire as e}from"module";import*as t from"yaml";
const before=globalThis.yamlLoaded===true;
const real=e(import.meta.url)(${JSON.stringify(require.resolve('yaml'))});
const out={before,parsed:t["default"].parse("a: [1, 2]"),named:t.parseDocument("b: 1").toJS(),sameClass:t.Scalar===real.Scalar,sameDefault:t["default"]===real,
has:"stringify" in t&&"default" in t&&!("nope" in t),keys:Object.keys(t).includes("parse")&&Object.keys(t).includes("default"),after:globalThis.yamlLoaded===true};
process.stdout.write(JSON.stringify(out));`,
    );
    fs.writeFileSync(path.join(dir, 'use.mjs'), text);
    const res = spawnSync(node24(), [path.join(dir, 'use.mjs')], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), { before: false, parsed: { a: [1, 2] }, named: { b: 1 }, sameClass: true, sameDefault: true, has: true, keys: true, after: true });
  });

  it('a bundle started without inputs loads no network, process or compression built-in it does not use', () => {
    const names = fs.existsSync(path.join(ROOT, 'dist')) ? fs.readdirSync(path.join(ROOT, 'dist')).filter((n) => fs.existsSync(path.join(ROOT, 'dist', n, 'index.js'))) : [];
    assert.ok(names.length >= 6, `dist/ has ${names.length} bundles: npm run build first`);
    const hook = path.join(tmp, 'record.cjs');
    fs.writeFileSync(hook, "process.on('exit', () => require('fs').writeFileSync(process.env.LOAD_LIST, JSON.stringify([...process.moduleLoadList, ...Object.keys(require.cache)])));");
    for (const name of names) {
      const list = path.join(tmp, `${name}.json`);
      const files = Object.fromEntries(['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'].map((k) => [k, path.join(tmp, `${name}-${k}`)]));
      for (const f of Object.values(files)) fs.writeFileSync(f, '');
      const res = spawnSync(node24(), ['-r', hook, path.join(ROOT, 'dist', name, 'index.js')], { env: { PATH: process.env.PATH, RUNNER_TEMP: tmp, LOAD_LIST: list, ...files }, encoding: 'utf8' });
      assert.equal(res.status, 1, `${name} without inputs fails on them:\n${res.stdout}${res.stderr}`);
      assert.match(res.stdout, /::error::/, name);
      const modules = JSON.parse(fs.readFileSync(list, 'utf8')) as string[];
      // net and stream are not listed: Node loads them itself to write to a piped stdout, as the runner's is.
      const unused = ['http', 'https', 'tls', 'http2', 'zlib', 'dgram', 'readline', 'worker_threads', 'child_process'];
      assert.deepEqual(unused.filter((m) => modules.includes(`NativeModule ${m}`)), [], `${name} loaded built-ins it does not use`);
      assert.deepEqual(modules.filter((m) => m.startsWith(path.join(ROOT, 'dist')) && m.endsWith('.cjs')), [], `${name} loaded a lazy package (yaml, semver) it does not use`);
    }
  });
});
