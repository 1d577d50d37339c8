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

/** Every `import { … } from 'undici'` and `require('undici')` in the installed packages (undici's own files aside). */
function undiciImports(): { file: string; names: string[] }[] {
  const found: { file: string; names: string[] }[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'undici' && entry.name !== '.bin' && entry.name !== 'test') walk(full);
      } else if (/\.(c|m)?js$/.test(entry.name)) {
        const text = fs.readFileSync(full, 'utf8');
        if (!text.includes('undici')) continue;
        for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"]undici['"]/g)) found.push({ file: full, names: m[1].split(',').map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean) });
        // A namespace (`import * as u`, `const u = require('undici')`) is fine when read by property: `u.ProxyAgent`.
        for (const m of text.matchAll(/(?:import\s+\*\s+as\s+(\w+)\s+from\s*['"]undici['"]|(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*['"]undici['"]\s*\))/g)) {
          const ns = m[1] ?? m[2];
          found.push({ file: full, names: [...new Set([...text.matchAll(new RegExp(`\\b${ns}\\.(\\w+)`, 'g'))].map((p) => p[1]))] });
        }
        if (/import\s+\w+\s+from\s*['"]undici['"]|require\(\s*['"]undici['"]\s*\)(?!\s*;?\s*$)/m.test(text.replace(/(?:const|let|var)\s+\w+\s*=\s*require\(\s*['"]undici['"]\s*\)/g, ''))) found.push({ file: full, names: ['*'] });
      }
    }
  };
  walk(path.join(ROOT, 'node_modules', '@actions'));
  return found;
}

describe('lazy undici for the bundles', () => {
  it('tsconfig maps undici to the shim (the bundler resolves through it)', () => {
    const text = fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8');
    assert.match(text, /"paths":\s*\{\s*"undici":\s*\["actions\/toolkit\/lazy-undici\.cjs"\]/);
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

  it('gives every name the @actions packages import from undici', () => {
    const shim = require(SHIM) as Record<string, unknown>;
    const imports = undiciImports();
    assert.ok(imports.length >= 2, `expected @actions/http-client and @actions/github to import undici, found ${imports.length}`);
    for (const { file, names } of imports) {
      for (const name of names) {
        assert.notEqual(name, '*', `${path.relative(ROOT, file)} uses undici other than by named properties: the shim lists names only`);
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
