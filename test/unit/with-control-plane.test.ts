// scripts/with-control-plane.sh (what .ci/run and `npm run test:all` wrap the tests in), with control-plane.sh
// replaced by a stub that records its calls: the shared control plane itself is never started or stopped here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../support/run-action.js';

const SCRIPT = path.join(ROOT, 'scripts/with-control-plane.sh');

function run(args: string[], opts: { stub?: boolean; env?: Record<string, string> } = {}): { code: number | null; out: string; calls: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'with-cp-'));
  const calls = path.join(dir, 'calls');
  const stub = path.join(dir, 'control-plane.sh');
  if (opts.stub !== false) fs.writeFileSync(stub, `echo "$1" >>${JSON.stringify(calls)}\n`);
  const env = { ...process.env, KUBE_CONTROL_PLANE_SH: stub, KUBE_DIR: path.join(dir, 'state'), KUBE_CONTROL_PLANE_KUBECONFIG: '', CONTROL_PLANE_KUBECONFIG: '', ...opts.env };
  const r = spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', env });
  const recorded = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : [];
  fs.rmSync(dir, { recursive: true, force: true });
  return { code: r.status, out: r.stdout + r.stderr, calls: recorded };
}

test('a control plane started by the wrapper is stopped after the command, and the command exit status is kept', () => {
  const r = run(['bash', '-c', 'echo ran; exit 3']);
  assert.equal(r.code, 3);
  assert.match(r.out, /ran/);
  assert.deepEqual(r.calls, ['up', 'down']);
});

test('--require fails before running anything when control-plane.sh is missing, naming it', () => {
  const r = run(['--require', 'bash', '-c', 'echo ran'], { stub: false });
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.out, /ran/);
  assert.match(r.out, /control-plane\.sh not found/);
});

test('without --require a missing control-plane.sh only warns and the command runs', () => {
  const r = run(['bash', '-c', 'echo ran'], { stub: false });
  assert.equal(r.code, 0);
  assert.match(r.out, /ran/);
  assert.match(r.out, /cluster tests will skip/);
});

test('a given KUBE_CONTROL_PLANE_KUBECONFIG (e.g. kind) is used as it is: nothing started or stopped', () => {
  const r = run(['--require', 'bash', '-c', 'echo ran'], { env: { KUBE_CONTROL_PLANE_KUBECONFIG: '/nonexistent/kubeconfig' } });
  assert.equal(r.code, 0);
  assert.deepEqual(r.calls, []);
});
