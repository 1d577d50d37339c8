import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCommand, type ExecResult } from '../toolkit/exec.js';
import { engineInfo, enginePush, localEngineSocket, defaultContext, readJson, type EngineAuth } from './engine.js';
import type { BuilderInfo } from './plan.js';

/**
 * The docker CLI and its buildx plugin over the toolkit's exec helper, bound to one DOCKER_CONFIG. buildx runs
 * as the plugin binary itself (buildx's standalone mode) when it is found where the docker CLI looks for it:
 * `docker buildx` first runs the plugin's metadata command, then the plugin, ~0.16 s per call (bench/).
 */
export class Docker {
  private readonly env: Record<string, string>;
  /** The daemon's local unix socket, when the CLI's endpoint is one (read once: config.json and DOCKER_HOST). */
  private readonly socket: string | undefined;

  constructor(
    dockerConfig: string,
    /** The buildx plugin binary; undefined: through `docker buildx`. */
    readonly buildxPath: string | undefined = findBuildxPlugin(dockerConfig),
  ) {
    this.env = { DOCKER_CONFIG: dockerConfig };
    this.socket = localEngineSocket(dockerConfig);
  }

  private run(args: string[], options: { input?: string; stream?: boolean; env?: Record<string, string>; allowFailure?: boolean } = {}): Promise<ExecResult> {
    return runCommand('docker', args, { ...options, env: { ...this.env, ...options.env } });
  }

  /** A buildx command: `buildx <args>` in standalone mode, `docker buildx <args>` otherwise. */
  private buildx(args: string[], options: { stream?: boolean; env?: Record<string, string>; allowFailure?: boolean } = {}): Promise<ExecResult> {
    if (!this.buildxPath) return this.run(['buildx', ...args], options);
    return runCommand(this.buildxPath, args, { ...options, env: { ...this.env, ...options.env } });
  }

  async login(registry: string, username: string, password: string): Promise<void> {
    await this.run(['login', registry, '--username', username, '--password-stdin'], { input: password });
  }

  async builder(name?: string): Promise<BuilderInfo & { platforms: string[] }> {
    const { stdout } = await this.buildx(['inspect', ...(name ? [name] : [])]);
    const field = (key: string): string => new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(stdout)?.[1].trim() ?? '';
    return {
      name: field('Name'),
      driver: field('Driver'),
      platforms: field('Platforms').split(',').map((p) => p.trim().replace(/\*$/, '')).filter(Boolean),
    };
  }

  /**
   * Whether the daemon uses the containerd image store: read from the Engine API's /info on the local socket
   * (~0.05 s) when the endpoint is one, else from `docker info` (~0.2 s).
   */
  async containerdStore(): Promise<boolean> {
    const info = this.socket ? await engineInfo(this.socket).catch(() => undefined) : undefined;
    if (info) return JSON.stringify(info.DriverStatus ?? []).includes('io.containerd.snapshotter');
    const { stdout } = await this.run(['info', '--format', '{{json .DriverStatus}}']);
    return stdout.includes('io.containerd.snapshotter');
  }

  async createBuilder(name: string): Promise<void> {
    await this.buildx(['create', '--name', name, '--driver', 'docker-container', '--bootstrap'], { stream: true });
  }

  async removeBuilder(name: string): Promise<number> {
    return (await this.buildx(['rm', name], { allowFailure: true })).exitCode;
  }

  /** `args`: buildx build's own arguments (after `build`). */
  async build(args: string[], env: Record<string, string>): Promise<void> {
    await this.buildx(['build', ...args], { stream: true, env });
  }

  /**
   * Pushes one local image, `<name>:<tag>`: through the Engine API on the local socket (`auth`: the registry's
   * credentials, or none for an open registry), else `docker push` (which reads DOCKER_CONFIG itself).
   */
  async push(name: string, tag: string, auth: () => Promise<EngineAuth | undefined>): Promise<void> {
    if (this.socket) return enginePush(this.socket, name, tag, await auth());
    await this.run(['push', `${name}:${tag}`]);
  }
}

/** Where the docker CLI looks for plugins on Linux after the config's own folder (docker/cli's plugin manager). */
export const SYSTEM_PLUGIN_DIRS = ['/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'];

/**
 * The buildx plugin the docker CLI would run for `docker buildx`, searched in its order: config.json's
 * cliPluginsExtraDirs, `<DOCKER_CONFIG>/cli-plugins` (the private config links the user's), then the system
 * folders. Linux only; undefined elsewhere or when none is found (then `docker buildx` decides).
 */
export function findBuildxPlugin(dockerConfig: string, systemDirs: string[] = SYSTEM_PLUGIN_DIRS, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'linux') return undefined;
  const config = readJson(path.join(dockerConfig, 'config.json'));
  const extra = config !== 'unreadable' && Array.isArray(config?.cliPluginsExtraDirs) ? config.cliPluginsExtraDirs.filter((d): d is string => typeof d === 'string') : [];
  for (const dir of [...extra, path.join(dockerConfig, 'cli-plugins'), ...systemDirs]) {
    const candidate = path.join(dir, 'docker-buildx');
    try {
      const stat = fs.statSync(candidate);
      if (stat.isFile()) {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      }
    } catch {
      // not there (or not executable): the docker CLI moves on too
    }
  }
  return undefined;
}

/**
 * The builder buildx would use, read from its own store in DOCKER_CONFIG, when it is the docker context's default
 * builder (docker driver, named 'default'); undefined whenever buildx must be asked (a named builder, another
 * context, BUILDX_BUILDER). Saves a `docker buildx inspect` before the build.
 */
export function defaultDockerBuilder(dockerConfig: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.BUILDX_BUILDER || !defaultContext(dockerConfig, env)) return undefined;
  const current = readJson(path.join(dockerConfig, 'buildx', 'current'));
  if (current === 'unreadable' || (current !== undefined && current.Name !== '')) return undefined;
  return 'default';
}
