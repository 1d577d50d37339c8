// The main job, locally: build examples/app for linux/amd64 + linux/arm64 and push it to the local
// htpasswd registry through the real build-push bundle, as a push to main would on GitHub.
// Prints the step log, the outputs and the job summary, then `main job: passed — <image>@<digest>` or
// `main job: FAILED (exit N)`; exits with the action's code. Needs the stack (npm run stack).
// A re-run at the same commit promotes the image already pushed (nothing built), so the guard runs by default;
// REBUILD=true builds again (uncommitted changes), with ALLOW_OVERWRITE=true to let that build move sha-*.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, renderLog, runAction, type ActionRun } from '../test/support/run-action.js';
import { loadStack } from '../test/support/stack.js';

/** What the job says about promotion and the immutable-tag guard, from REBUILD and ALLOW_OVERWRITE. */
export function guardLine(allowOverwrite: string, rebuild = 'false'): string {
  const build =
    rebuild === 'true'
      ? 'rebuild: true (REBUILD=true): builds even if this commit was pushed before'
      : 'rebuild: false: a commit already pushed is promoted (its digest re-tagged, nothing built); REBUILD=true builds uncommitted changes';
  const guard =
    allowOverwrite === 'true'
      ? 'allow-overwrite: true (ALLOW_OVERWRITE=true): the immutable-tag guard is skipped, a rebuild may move sha-*'
      : 'allow-overwrite: false: the immutable-tag guard runs; a sha-* tag already pushed with another digest fails the job (ALLOW_OVERWRITE=true to move it)';
  return `${build}\n${guard}`;
}

/** The job's exit code is the action's: main's, or post's when main passed and post did not. */
export function jobExitCode(run: Pick<ActionRun, 'main' | 'post'>): number {
  return run.main.exitCode || (run.post?.exitCode ?? 0);
}

/** The report after the step log: outputs, job summary, post step (its log on its own lines), final line. */
export function jobReport(run: Pick<ActionRun, 'main' | 'post' | 'outputs' | 'summary'>, image: string): string {
  const lines: string[] = [];
  if (run.main.stderr.trim()) lines.push(run.main.stderr.trimEnd());
  lines.push('── outputs ──');
  for (const [k, v] of Object.entries(run.outputs)) lines.push(`${k}: ${k === 'metadata' ? v : v.replace(/\n/g, '\n  ')}`);
  lines.push('', '── job summary ──', run.summary.trimEnd(), '');
  const postLog = renderLog(run.post?.stdout ?? '').trim();
  lines.push(run.post ? `── post step: exit ${run.post.exitCode} ──` : '── post step: skipped (post-if: failure() || cancelled(); main cleaned up itself) ──');
  if (postLog) lines.push(postLog);
  lines.push('');
  const exitCode = jobExitCode(run);
  lines.push(exitCode === 0 ? `main job: passed — ${run.outputs['image-ref'] || `${image} (no image-ref output)`}` : `main job: FAILED (exit ${exitCode})`);
  return lines.join('\n');
}

async function mainJob(): Promise<number> {
  const stack = loadStack();
  if (!stack) {
    console.error('The test stack is not running: npm run stack');
    console.log('main job: FAILED (exit 1): no test stack');
    return 1;
  }
  const compile = spawnSync('bash', [path.join(ROOT, 'examples/app/build.sh')], { stdio: 'inherit' });
  if (compile.status !== 0) {
    console.log(`main job: FAILED (exit ${compile.status ?? 1}): examples/app/build.sh`);
    return compile.status ?? 1;
  }

  const sha = spawnSync('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || '0'.repeat(40);
  const image = `${stack.registryAuth}/platform-actions/example-app`;
  const allowOverwrite = process.env.ALLOW_OVERWRITE ?? 'false';
  const rebuild = process.env.REBUILD ?? 'false';
  console.log(`▶ build-push ${image} (push to main at ${sha.slice(0, 7)})`);
  console.log(`${guardLine(allowOverwrite, rebuild)}\n`);
  const run = await runAction('build-push', {
    inputs: {
      images: image,
      context: 'examples/app',
      // The Dockerfile's default target compiles server.c in a Debian stage; no base image can be pulled here.
      target: 'prebuilt',
      registry: stack.registryAuth,
      username: stack.registryUser,
      password: stack.registryPassword,
      'allow-overwrite': allowOverwrite,
      rebuild,
    },
    context: { eventName: 'push', ref: 'refs/heads/main', sha, repository: 'platform-org/example-app' },
  });
  console.log(renderLog(run.main.stdout).replace(/\n{3,}/g, '\n\n'));
  console.log(jobReport(run, image));
  return jobExitCode(run);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(await mainJob());
