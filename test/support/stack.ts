// The real test stack started by scripts/stack.sh (Docker, registries, Helm 3/4, kubectl).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './run-action.js';

export interface Stack {
  registryOpen: string;
  registryAuth: string;
  registryUser: string;
  registryPassword: string;
  helm3: string;
  helm4: string;
  kubectl: string;
}

/** The stack's env file, or undefined when it is not up. CI sets REQUIRE_STACK=1 so a missing stack fails. */
export function loadStack(): Stack | undefined {
  const file = path.join(process.env.STACK_DIR ?? path.join(ROOT, '.stack'), 'env');
  if (!fs.existsSync(file)) {
    if (process.env.REQUIRE_STACK === '1') throw new Error(`REQUIRE_STACK=1 but ${file} is missing: run 'npm run stack'`);
    return undefined;
  }
  const env = Object.fromEntries(
    fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return {
    registryOpen: env.REGISTRY_OPEN,
    registryAuth: env.REGISTRY_AUTH,
    registryUser: env.REGISTRY_USER,
    registryPassword: fs.readFileSync(env.REGISTRY_PASSWORD_FILE, 'utf8').trim(),
    helm3: env.HELM3_BIN,
    helm4: env.HELM4_BIN,
    kubectl: env.KUBECTL_BIN,
  };
}

/** Skip reason for node:test when the stack is absent (never in CI, where REQUIRE_STACK=1). */
export function stackSkip(stack: Stack | undefined): string | false {
  return stack ? false : 'test stack not running (npm run stack)';
}

/** Compiles the example app's static binaries (examples/app/bin/server-{amd64,arm64}) when missing. */
export function ensureExampleBinaries(): void {
  const bin = path.join(ROOT, 'examples/app/bin');
  if (fs.existsSync(path.join(bin, 'server-amd64')) && fs.existsSync(path.join(bin, 'server-arm64'))) return;
  const res = spawnSync('bash', [path.join(ROOT, 'examples/app/build.sh')], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`examples/app/build.sh failed: ${res.stderr}`);
}
