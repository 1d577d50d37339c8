// Bundles every action with ncc into dist/<name>/ (ESM, minified, licenses alongside).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, actionNames } from './actions.mjs';

const only = process.argv.slice(2);
const names = only.length ? only : actionNames();
const ncc = path.join(ROOT, 'node_modules', '.bin', 'ncc');

function build(name) {
  const out = path.join(ROOT, 'dist', name);
  fs.rmSync(out, { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(ncc, ['build', `actions/${name}/index.ts`, '-o', `dist/${name}`, '--minify', '--license', 'licenses.txt', '--quiet', '--transpile-only', '--target', 'es2023'], { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve(name) : reject(new Error(`ncc build of ${name} exited ${code}`))));
  });
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
