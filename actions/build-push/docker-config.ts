import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makePrivateDir } from '../toolkit/credentials.js';

/**
 * A private DOCKER_CONFIG under RUNNER_TEMP (0700, config.json 0600), removed in post. It starts from a
 * copy of the user's config.json (earlier logins keep working), so logins made here never reach the user's
 * config.json. It links the user's CLI plugins, buildx builders and contexts: a builder this action creates is
 * recorded in the user's buildx folder and removed again in post.
 */
export function privateDockerConfig(): string {
  const userDir = process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  const dir = makePrivateDir('docker-config');
  const userConfig = path.join(userDir, 'config.json');
  const config = path.join(dir, 'config.json');
  if (fs.existsSync(userConfig)) fs.copyFileSync(userConfig, config);
  else fs.writeFileSync(config, '{}');
  fs.chmodSync(config, 0o600);
  for (const sub of ['cli-plugins', 'buildx', 'contexts']) {
    const target = path.join(userDir, sub);
    if (fs.existsSync(target)) fs.symlinkSync(target, path.join(dir, sub));
  }
  return dir;
}
