import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCommand, type ExecResult } from '../toolkit/exec.js';
import type { BuilderInfo } from './plan.js';

/** The docker CLI (with buildx) over the toolkit's exec helper, bound to one DOCKER_CONFIG. */
export class Docker {
  private readonly env: Record<string, string>;

  constructor(dockerConfig: string) {
    this.env = { DOCKER_CONFIG: dockerConfig };
  }

  private run(args: string[], options: { input?: string; stream?: boolean; env?: Record<string, string>; allowFailure?: boolean } = {}): Promise<ExecResult> {
    return runCommand('docker', args, { ...options, env: { ...this.env, ...options.env } });
  }

  async login(registry: string, username: string, password: string): Promise<void> {
    await this.run(['login', registry, '--username', username, '--password-stdin'], { input: password });
  }

  async builder(name?: string): Promise<BuilderInfo & { platforms: string[] }> {
    const { stdout } = await this.run(['buildx', 'inspect', ...(name ? [name] : [])]);
    const field = (key: string): string => new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(stdout)?.[1].trim() ?? '';
    return {
      name: field('Name'),
      driver: field('Driver'),
      platforms: field('Platforms').split(',').map((p) => p.trim().replace(/\*$/, '')).filter(Boolean),
    };
  }

  async containerdStore(): Promise<boolean> {
    const { stdout } = await this.run(['info', '--format', '{{json .DriverStatus}}']);
    return stdout.includes('io.containerd.snapshotter');
  }

  async createBuilder(name: string): Promise<void> {
    await this.run(['buildx', 'create', '--name', name, '--driver', 'docker-container', '--bootstrap'], { stream: true });
  }

  async removeBuilder(name: string): Promise<void> {
    await this.run(['buildx', 'rm', name], { allowFailure: true });
  }

  async build(args: string[], env: Record<string, string>): Promise<void> {
    await this.run(args, { stream: true, env });
  }

  async push(ref: string): Promise<void> {
    await this.run(['push', ref]);
  }
}

/**
 * The builder buildx would use, read from its own store in DOCKER_CONFIG, when it is the docker context's default
 * builder (docker driver, named 'default'); undefined whenever buildx must be asked (a named builder, another
 * context, BUILDX_BUILDER). Saves a `docker buildx inspect` before the build.
 */
export function defaultDockerBuilder(dockerConfig: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.BUILDX_BUILDER || (env.DOCKER_CONTEXT && env.DOCKER_CONTEXT !== 'default')) return undefined;
  const read = (file: string): Record<string, unknown> | undefined | 'unreadable' => {
    if (!fs.existsSync(file)) return undefined;
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      return 'unreadable';
    }
  };
  const config = read(path.join(dockerConfig, 'config.json'));
  if (config === 'unreadable' || (config?.currentContext && config.currentContext !== 'default')) return undefined;
  const current = read(path.join(dockerConfig, 'buildx', 'current'));
  if (current === 'unreadable' || (current !== undefined && current.Name !== '')) return undefined;
  return 'default';
}
