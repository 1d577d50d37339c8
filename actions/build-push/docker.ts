import { CommandError, runCommand, type ExecResult } from '../toolkit/index.js';
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

  /** Digest a tag points at in the registry, or undefined when the tag does not exist. */
  async remoteDigest(ref: string): Promise<string | undefined> {
    const res = await this.run(['buildx', 'imagetools', 'inspect', ref, '--format', '{{json .Manifest}}'], { allowFailure: true });
    if (res.exitCode === 0) {
      const manifest = JSON.parse(res.stdout) as { digest?: string };
      return manifest.digest;
    }
    if (/not found|manifest unknown|name unknown|NAME_UNKNOWN|MANIFEST_UNKNOWN/i.test(res.stderr)) return undefined;
    throw new CommandError(`docker buildx imagetools inspect ${ref}`, res.exitCode, res.stdout, res.stderr);
  }

  async tagByDigest(tags: string[], source: string): Promise<void> {
    await this.run(['buildx', 'imagetools', 'create', ...tags.flatMap((t) => ['--tag', t]), source]);
  }
}
