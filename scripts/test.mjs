// Runs every test file with Node's test runner under the Node 24 the actions run on (node@24 package).
// Layers: test/unit (pure logic), test/action (the built bundles, as the runner runs them),
// test/integration (real Docker, registry, Helm), test/conformance (real tool outputs under test/fixtures, see
// test/fixtures/NOTICE.md: they travel with the repository, so a clone runs them; a missing one fails its test).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './actions.mjs';

const layers = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const dirs = (layers.length ? layers : ['unit', 'action', 'integration', 'conformance']).map((l) => path.join('test', l));
const files = dirs
  .filter((d) => fs.existsSync(path.join(ROOT, d)))
  .flatMap((d) => fs.readdirSync(path.join(ROOT, d), { recursive: true }).filter((f) => String(f).endsWith('.test.ts')).map((f) => path.join(d, String(f))))
  .sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const node24 = path.join(ROOT, 'node_modules', '.bin', 'node');
const node = fs.existsSync(node24) ? node24 : process.execPath;
const result = spawnSync(node, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=300000', ...files], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, NODE_NO_WARNINGS: '1' },
});
process.exit(result.status ?? 1);
