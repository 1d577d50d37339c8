// Runs every bench/*.bench.ts (or the ones named) under Node 24 with tsx.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './actions.mjs';

const named = process.argv.slice(2);
const files = fs.readdirSync(path.join(ROOT, 'bench')).filter((f) => f.endsWith('.bench.ts') && (!named.length || named.some((n) => f.startsWith(n))));
let failed = 0;
for (const f of files) {
  console.log(`\n== bench/${f}`);
  const res = spawnSync(path.join(ROOT, 'node_modules/.bin/node'), ['--import', 'tsx', path.join('bench', f)], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
