// The main job, locally: build examples/app for linux/amd64 + linux/arm64 and push it to the local
// htpasswd registry through the real build-push bundle, as a push to main would on GitHub.
// Prints the step log, the outputs and the job summary. Needs the stack (npm run stack).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT, renderLog, runAction } from '../test/support/run-action.js';
import { loadStack } from '../test/support/stack.js';

const stack = loadStack();
if (!stack) {
  console.error('The test stack is not running: npm run stack');
  process.exit(1);
}
const compile = spawnSync('bash', [path.join(ROOT, 'examples/app/build.sh')], { stdio: 'inherit' });
if (compile.status !== 0) process.exit(compile.status ?? 1);

const sha = spawnSync('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || '0'.repeat(40);
const image = `${stack.registryAuth}/platform-actions/example-app`;
console.log(`▶ build-push ${image} (push to main at ${sha.slice(0, 7)})\n`);
const run = await runAction('build-push', {
  inputs: {
    images: image,
    context: 'examples/app',
    // The Dockerfile's default target compiles server.c in a Debian stage; no base image can be pulled here.
    target: 'prebuilt',
    registry: stack.registryAuth,
    username: stack.registryUser,
    password: stack.registryPassword,
    // A re-run of the same commit with other bytes must not move sha-*: allow it locally only.
    'allow-overwrite': process.env.ALLOW_OVERWRITE ?? 'true',
  },
  context: { eventName: 'push', ref: 'refs/heads/main', sha, repository: 'platform-org/example-app' },
});
console.log(renderLog(run.main.stdout).replace(/\n{3,}/g, '\n\n'));
if (run.main.stderr.trim()) console.log(run.main.stderr);
console.log('── outputs ──');
for (const [k, v] of Object.entries(run.outputs)) console.log(`${k}: ${k === 'metadata' ? v : v.replace(/\n/g, '\n  ')}`);
console.log('\n── job summary ──');
console.log(run.summary);
console.log(`── post step: exit ${run.post?.exitCode} ${renderLog(run.post?.stdout ?? '').trim()}`);
process.exit(run.main.exitCode);
