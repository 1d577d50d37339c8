// Runs every dist/<name>/index.js once under Node 24 from a copy with no node_modules anywhere above it,
// with no inputs: each must load and fail cleanly on its first required input (an ::error:: naming it),
// never with a module-resolution crash.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, actionNames } from './actions.mjs';

const node24 = path.join(ROOT, 'node_modules', '.bin', 'node');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bundles-'));
let failures = 0;
for (const name of actionNames()) {
  const copy = path.join(tmp, 'repo');
  if (!fs.existsSync(path.join(ROOT, 'dist', name, 'index.js'))) {
    failures++;
    console.log(`FAIL dist/${name}/index.js is missing: run npm run build`);
    continue;
  }
  fs.cpSync(path.join(ROOT, 'dist', name), path.join(copy, 'dist', name), { recursive: true });
  fs.cpSync(path.join(ROOT, name, 'action.yml'), path.join(copy, name, 'action.yml'));
  const files = path.join(tmp, `${name}-files`);
  fs.mkdirSync(files, { recursive: true });
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, RUNNER_TEMP: files, GITHUB_OUTPUT: path.join(files, 'out'), GITHUB_STATE: path.join(files, 'state'), GITHUB_STEP_SUMMARY: path.join(files, 'summary'), GITHUB_WORKSPACE: files };
  for (const f of ['out', 'state', 'summary']) fs.writeFileSync(path.join(files, f), '');
  const started = process.hrtime.bigint();
  const res = spawnSync(node24, [path.join(copy, 'dist', name, 'index.js')], { cwd: files, env, encoding: 'utf8', timeout: 60_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const out = `${res.stdout}${res.stderr}`;
  const crashed = /ERR_MODULE_NOT_FOUND|Cannot find (module|package)|SyntaxError|ReferenceError/.test(out);
  const clean = res.status === 1 && /::error::/.test(res.stdout) && !crashed;
  if (!clean) failures++;
  console.log(`${clean ? 'ok  ' : 'FAIL'} dist/${name}/index.js: exit ${res.status} in ${ms.toFixed(0)} ms: ${(res.stdout.match(/::error::(.*)/)?.[1] ?? out.trim().split('\n').slice(-3).join(' | ')).slice(0, 160)}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(failures ? 1 : 0);
