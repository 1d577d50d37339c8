// Bundles every action with ncc into dist/<name>/ (ESM, minified, licenses alongside), yaml and semver each on its own
// beside it (lazyPackages below), then makes the Node built-ins and those packages load on first use.
// licenses.txt is written here from the build's module list: ncc's --license writes one file per chunk under the
// same name, so with chunks (undici's, @actions/github's) the last chunk's list replaced the others.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, actionNames } from './actions.mjs';
import { lazyBuiltins } from './lazy-builtins.mjs';
import { LAZY_PACKAGES, lazyPackageFile, lazyPackages } from './lazy-packages.mjs';

const only = process.argv.slice(2);
const names = only.length ? only : actionNames();
const nccBin = path.join(ROOT, 'node_modules', '.bin', 'ncc');

/** Runs ncc; resolves to its webpack stats (the modules it bundled, every chunk). */
function ncc(entry, out, extra = []) {
  fs.rmSync(out, { recursive: true, force: true });
  const stats = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ncc-stats-')), 'stats.json');
  return new Promise((resolve, reject) => {
    const child = spawn(nccBin, ['build', entry, '-o', out, '--minify', '--stats-out', stats, '--quiet', '--target', 'es2023', ...extra], { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`ncc build of ${entry} exited ${code}`);
        resolve(JSON.parse(fs.readFileSync(stats, 'utf8')));
      } catch (err) {
        reject(err);
      } finally {
        fs.rmSync(path.dirname(stats), { recursive: true, force: true });
      }
    });
  });
}

const lazyTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-packages-'));
/** Each lazy package bundled once (CommonJS, its own output folder), with its stats for the license notices. */
const lazyBuilds = Object.fromEntries(
  Object.entries(LAZY_PACKAGES).map(([pkg, entry]) => {
    const out = path.join(lazyTmp, pkg);
    const built = ncc(entry, out).then((stats) => {
      const files = fs.readdirSync(out);
      if (files.join() !== 'index.js') throw new Error(`ncc bundled ${pkg} into ${files.join(', ')}: one index.js expected`);
      return { file: path.join(out, 'index.js'), stats };
    });
    return [pkg, built];
  }),
);

async function build(name) {
  const out = path.join(ROOT, 'dist', name);
  const externals = Object.keys(LAZY_PACKAGES).flatMap((pkg) => ['-e', pkg]);
  const stats = await ncc(`actions/${name}/index.ts`, `dist/${name}`, ['--transpile-only', ...externals]);
  const entry = path.join(out, 'index.js');
  const { text, packages } = lazyPackages(fs.readFileSync(entry, 'utf8'), `dist/${name}/index.js`);
  fs.writeFileSync(entry, text);
  const modules = [...stats.modules];
  for (const pkg of packages) {
    const lazy = await lazyBuilds[pkg];
    fs.copyFileSync(lazy.file, path.join(out, lazyPackageFile(pkg)));
    modules.push(...lazy.stats.modules);
  }
  for (const file of fs.readdirSync(out).filter((f) => f.endsWith('.js'))) {
    const chunk = fs.readFileSync(path.join(out, file), 'utf8');
    fs.writeFileSync(path.join(out, file), lazyBuiltins(chunk));
  }
  fs.writeFileSync(path.join(out, 'licenses.txt'), licenses({ modules }));
  return name;
}

/** Every package folder a bundle holds code of (nested node_modules too), from webpack's stats, all chunks. */
function bundledPackages(stats) {
  const dirs = new Set();
  const visit = (modules) => {
    for (const m of modules ?? []) {
      const match = /^(?:\.\/)?(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(m.name ?? '');
      if (match) dirs.add(path.join(ROOT, match[1]));
      visit(m.modules);
    }
  };
  visit(stats.modules);
  return [...dirs];
}

/** The license notices of every bundled package: name, license, the package's license text (as ncc's --license). */
function licenses(stats) {
  const entries = new Map();
  for (const dir of bundledPackages(stats)) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    // LICENSE, LICENSE.md, LICENCE.txt, LICENSE-MIT, COPYING…: every one there (a dual-licensed package has two).
    const files = fs.readdirSync(dir).filter((f) => /^(licen[cs]e|copying)([.-][\w.-]*)?$/i.test(f)).sort();
    const license = pkg.license ?? (Array.isArray(pkg.licenses) ? pkg.licenses.map((l) => l.type ?? l).join(' OR ') : '');
    const text = files.length
      ? files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim()).join('\n\n')
      : `(${pkg.name}@${pkg.version} ships no license file; its package.json says ${license || 'nothing'})`;
    if (!files.length) console.warn(`${pkg.name}: no license file in ${path.relative(ROOT, dir)} (its package.json says ${license})`);
    const key = `${pkg.name}\0${text}`;
    if (!entries.has(key)) entries.set(key, `${pkg.name}\n${license}\n${text}\n`);
  }
  return [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v).join('\n');
}

// Two at a time: the machines have two cores.
const queue = [...names];
const workers = Array.from({ length: 2 }, async () => {
  while (queue.length) {
    const name = queue.shift();
    const started = Date.now();
    await build(name);
    const size = fs.statSync(path.join(ROOT, 'dist', name, 'index.js')).size;
    console.log(`built dist/${name}/index.js (${(size / 1024).toFixed(0)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
});
await Promise.all(workers);
fs.rmSync(lazyTmp, { recursive: true, force: true });
