// cd.yml's resolve job on the real stack: its own bash steps, in order, with the real docker CLI against the
// htpasswd registry. Promotion of `<registry>/Acme-Corp/MyApp` + a tag reaches the registry lower-cased, the
// credentials live only in the job's private docker config (0600), which the last step removes, and the
// runner's ~/.docker/config.json is never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFileCommands } from '../support/run-action.js';
import { registryClient } from '../support/registry.js';
import { loadStack, stackSkip } from '../support/stack.js';
import { findStep, ROOT } from '../support/workflows.js';

const stack = loadStack();
const skip = stackSkip(stack);
const CD = '.github/workflows/cd.yml';

interface Job {
  temp: string;
  env: Record<string, string>;
  step(name: string, env: Record<string, string>): { code: number; out: string; outputs: Record<string, string> };
}

/** Runs resolve-job steps one after the other like the runner: GITHUB_ENV carried over, GitHub's default bash flags. */
function job(): Job {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-resolve-'));
  const carried: Record<string, string> = {};
  return {
    temp,
    env: carried,
    step(name, env) {
      const files = { GITHUB_ENV: path.join(temp, 'env'), GITHUB_OUTPUT: path.join(temp, 'output') };
      for (const f of Object.values(files)) fs.writeFileSync(f, '');
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', String(findStep(CD, 'resolve', name).run)], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', RUNNER_TEMP: temp, GITHUB_RUN_ID: '41', GITHUB_RUN_ATTEMPT: '2', GITHUB_ACTOR: 'octocat', ...carried, ...env, ...files },
      });
      Object.assign(carried, parseFileCommands(fs.readFileSync(files.GITHUB_ENV, 'utf8')));
      return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}`, outputs: parseFileCommands(fs.readFileSync(files.GITHUB_OUTPUT, 'utf8')) };
    },
  };
}

function docker(args: string[], env: Record<string, string>, input?: string): { code: number; out: string } {
  const r = spawnSync('docker', args, { encoding: 'utf8', input, env: { ...process.env, ...env } });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

test('promotion of image + tag for an owner with capitals, through the htpasswd registry, with a private docker config removed at the end', { skip, timeout: 180_000 }, async () => {
  if (!stack) return;
  const homeConfig = path.join(os.homedir(), '.docker', 'config.json');
  const homeBefore = fs.existsSync(homeConfig) ? fs.readFileSync(homeConfig, 'utf8') : undefined;
  const repo = `acme-corp/myapp-${Date.now().toString(36)}`;
  const tag = 'v1.0.0-RC1';
  const seed = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-resolve-seed-'));
  const j = job();
  try {
    // Seed: a one-file image pushed with its own throwaway docker config.
    fs.writeFileSync(path.join(seed, 'Dockerfile'), 'FROM scratch\nCOPY hello /hello\n');
    fs.writeFileSync(path.join(seed, 'hello'), `hello ${repo}\n`);
    const seedEnv = { DOCKER_CONFIG: path.join(seed, 'config') };
    fs.mkdirSync(seedEnv.DOCKER_CONFIG);
    assert.equal(docker(['login', stack.registryAuth, '-u', stack.registryUser, '--password-stdin'], seedEnv, stack.registryPassword).code, 0);
    const ref = `${stack.registryAuth}/${repo}:${tag}`;
    const built = docker(['build', '-q', '-t', ref, seed], { ...seedEnv, DOCKER_BUILDKIT: '1' });
    assert.equal(built.code, 0, built.out);
    const pushed = docker(['push', ref], seedEnv);
    assert.equal(pushed.code, 0, pushed.out);
    docker(['image', 'rm', ref], seedEnv);
    const expected = (await registryClient(stack.registryAuth, { user: stack.registryUser, password: stack.registryPassword }).manifest(repo, tag)).digest;
    assert.match(expected, /^sha256:[a-f0-9]{64}$/);

    // The resolve job, as the caller of deploy.yml passes it: the owner as GitHub spells it.
    const image = `${stack.registryAuth}/Acme-Corp/${repo.split('/')[1].replace('myapp', 'MyApp')}`;
    const login = j.step('Log in to the image registry', { REF: image, GHCR_TOKEN: 'not-for-this-registry', REGISTRY_USERNAME: stack.registryUser, REGISTRY_PASSWORD: stack.registryPassword });
    assert.equal(login.code, 0, login.out);
    const config = path.join(j.temp, 'cd-docker-config-41-2');
    assert.equal(j.env.DOCKER_CONFIG, config);
    assert.equal(fs.statSync(config).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(config, 'config.json')).mode & 0o777, 0o600);
    assert.deepEqual(Object.keys((JSON.parse(fs.readFileSync(path.join(config, 'config.json'), 'utf8')) as { auths: Record<string, unknown> }).auths), [stack.registryAuth]);
    assert.ok(!login.out.includes(stack.registryPassword));

    const resolved = j.step('image', { IMAGE_REF: '', IMAGE: image, TAG: tag });
    assert.equal(resolved.code, 0, resolved.out);
    assert.equal(resolved.outputs.ref, `${stack.registryAuth}/${repo}:${tag}@${expected}`, "the tag it was promoted by stays beside the digest");
    assert.match(resolved.out, new RegExp(`Promoting ${stack.registryAuth.replace(/\./g, '\\.')}/${repo}:${tag} → `));

    const missing = j.step('image', { IMAGE_REF: '', IMAGE: image, TAG: 'v9.9.9' });
    assert.equal(missing.code, 1);
    assert.match(missing.out, new RegExp(`::error title=cd: tag not found::Could not resolve ${stack.registryAuth.replace(/\./g, '\\.')}/${repo}:v9\\.9\\.9`));

    const cleanup = j.step('Remove the registry credentials', {});
    assert.equal(cleanup.code, 0, cleanup.out);
    assert.equal(fs.existsSync(config), false);
    assert.equal(fs.existsSync(homeConfig) ? fs.readFileSync(homeConfig, 'utf8') : undefined, homeBefore, "the runner's docker config is untouched");
  } finally {
    fs.rmSync(seed, { recursive: true, force: true });
    fs.rmSync(j.temp, { recursive: true, force: true });
  }
});

test('the credentials step never deletes a DOCKER_CONFIG it did not create', { skip }, () => {
  const j = job();
  const own = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-docker-config-'));
  try {
    const r = j.step('Remove the registry credentials', { DOCKER_CONFIG: own });
    assert.equal(r.code, 0, r.out);
    assert.equal(fs.existsSync(own), true);
  } finally {
    fs.rmSync(own, { recursive: true, force: true });
    fs.rmSync(j.temp, { recursive: true, force: true });
  }
});
