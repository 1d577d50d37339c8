// The bundles' undici (tsconfig.json "paths" → actions/toolkit/lazy-undici.cjs): evaluated on first use, the same
// module when used, and complete for what our dependencies import from it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../support/run-action.js';

const SHIM = path.join(ROOT, 'actions/toolkit/lazy-undici.cjs');
const require = createRequire(import.meta.url);

/** The folders of every package a bundle ships (the names dist/<name>/licenses.txt lists), nested copies too. */
function bundledPackageDirs(): string[] {
  const names = new Set<string>();
  for (const name of fs.readdirSync(path.join(ROOT, 'dist'))) {
    const file = path.join(ROOT, 'dist', name, 'licenses.txt');
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) if (/^(@[\w.-]+\/)?[\w.-]+$/.test(line)) names.add(line);
  }
  const dirs: string[] = [];
  const visit = (nodeModules: string): void => {
    if (!fs.existsSync(nodeModules)) return;
    for (const name of names) {
      const dir = path.join(nodeModules, name);
      if (name !== 'undici' && fs.existsSync(path.join(dir, 'package.json'))) {
        dirs.push(dir);
        visit(path.join(dir, 'node_modules'));
      }
    }
  };
  visit(path.join(ROOT, 'node_modules'));
  return dirs;
}

/**
 * Every use of the module specifier 'undici' in those packages and in actions/: the names it takes, or '*' for a
 * form this scan does not read (which the test refuses: the shim gives listed names only).
 */
function undiciImports(): { file: string; names: string[] }[] {
  const found: { file: string; names: string[] }[] = [];
  const scan = (file: string): void => {
    const text = fs.readFileSync(file, 'utf8');
    const uses = [...text.matchAll(/(['"])undici\1/g)].length;
    if (!uses) return;
    let read = 0;
    const names = new Set<string>();
    const list = (inner: string): void => inner.split(',').map((n) => n.trim().split(/\s+as\s+|\s*:\s*/)[0]).filter(Boolean).forEach((n) => names.add(n));
    // import { a, b as c } from 'undici' / export { a } from 'undici' / const { a, b: c } = require('undici')
    for (const m of text.matchAll(/(?:import|export)\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]undici['"]|(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*['"]undici['"]\s*\)/g)) {
      read++;
      list(m[1] ?? m[2]);
    }
    // import * as u from 'undici' / const u = require('undici'): read by property, u.ProxyAgent
    for (const m of text.matchAll(/import\s+\*\s+as\s+(\w+)\s+from\s*['"]undici['"]|(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*['"]undici['"]\s*\)/g)) {
      read++;
      for (const p of text.matchAll(new RegExp(`\\b${m[1] ?? m[2]}\\.(\\w+)`, 'g'))) names.add(p[1]);
    }
    if (read < uses) names.add('*');
    found.push({ file, names: [...names] });
  };
  const walk = (dir: string, own: boolean): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && (own || entry.name !== 'test')) walk(full, own);
      } else if (own ? /\.(ts|cjs|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.cts') : /\.(c|m)?js$/.test(entry.name)) scan(full);
    }
  };
  for (const dir of bundledPackageDirs()) walk(dir, false);
  walk(path.join(ROOT, 'actions'), true);
  return found;
}

describe('lazy undici for the bundles', () => {
  it('tsconfig maps undici to the shim (the bundler resolves through it)', () => {
    const text = fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8');
    assert.match(text, /"paths":\s*\{\s*"undici":\s*\["(\.\/)?actions\/toolkit\/lazy-undici\.cjs"\]/);
  });

  it('loading the shim does not evaluate undici; fetch loads it, ProxyAgent needs loadUndici() first and is undici’s own', async () => {
    const script = `
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('/node_modules/undici/'));
      const shim = require(${JSON.stringify(SHIM)});
      const atStart = loaded();
      let early = '';
      try { shim.ProxyAgent; } catch (err) { early = err.message; }
      const server = require('node:http').createServer((req, res) => res.end('hello ' + req.url)).listen(0, '127.0.0.1', async () => {
        const res = await shim.fetch('http://127.0.0.1:' + server.address().port + '/x');
        const body = await res.text();
        const afterFetch = loaded();
        await shim.loadUndici();
        const real = require(${JSON.stringify(path.join(ROOT, 'node_modules/undici/index.js'))});
        console.log(JSON.stringify({ atStart, early, body, afterFetch, sameProxyAgent: shim.ProxyAgent === real.ProxyAgent }));
        server.close();
      });`;
    const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    const out = JSON.parse(res.stdout) as Record<string, unknown>;
    assert.equal(out.atStart, false, 'undici not evaluated when the shim loads');
    assert.match(String(out.early), /ProxyAgent was asked for before loadUndici\(\)/);
    assert.equal(out.body, 'hello /x', 'fetch through the shim reaches the server');
    assert.equal(out.afterFetch, true);
    assert.equal(out.sameProxyAgent, true);
  });

  it('gives every name the bundled packages and our code import from undici', () => {
    const shim = require(SHIM) as Record<string, unknown>;
    const imports = undiciImports().filter((i) => i.file !== SHIM);
    const importers = imports.map((i) => path.relative(ROOT, i.file));
    for (const expected of ['node_modules/@actions/http-client/lib/index.js', 'node_modules/@actions/github/lib/internal/utils.js', 'node_modules/@actions/github/node_modules/@actions/http-client/lib/index.js']) {
      assert.ok(importers.includes(expected), `${expected} imports undici: the scan must find it (${importers.join(', ')})`);
    }
    for (const { file, names } of imports) {
      for (const name of names) {
        assert.notEqual(name, '*', `${path.relative(ROOT, file)} uses undici in a form this test does not read: the shim gives listed names only`);
        assert.ok(name in shim, `${path.relative(ROOT, file)} imports ${name} from undici: add it to actions/toolkit/lazy-undici.cjs`);
      }
    }
  });

  it('only actions/toolkit/github.ts loads @actions/github (it loads undici first; a direct import with a proxy set would fail)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && full !== path.join(ROOT, 'actions/toolkit/github.ts')) {
          const text = fs.readFileSync(full, 'utf8');
          if (/^import\s+(?!type\b)[^;]*from\s*'@actions\/github'|import\(\s*'@actions\/github'\s*\)/m.test(text)) offenders.push(path.relative(ROOT, full));
        }
      }
    };
    walk(path.join(ROOT, 'actions'));
    assert.deepEqual(offenders, [], 'create GitHub clients with githubClient() from actions/toolkit/github.ts');
  });

  it('every bundle that holds undici reaches it only through the shim, in a chunk of its own', () => {
    let checked = 0;
    for (const name of fs.readdirSync(path.join(ROOT, 'dist'))) {
      const dir = path.join(ROOT, 'dist', name);
      const text = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
      if (!text.includes('llhttp')) continue;
      checked++;
      // The shim's own message, and undici outside the chunk the action starts with.
      assert.match(text, /ProxyAgent was asked for before loadUndici\(\)/, `dist/${name} bundles undici without the shim (npm run build)`);
      const entry = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
      assert.ok(!entry.includes('llhttp'), `dist/${name}/index.js holds undici: it should be a chunk of its own`);
    }
    assert.ok(checked >= 2, `expected several bundles with undici, found ${checked}`);
  });
});
