// How a test stands in for Docker now that build-push runs the buildx plugin binary directly (found where the
// docker CLI looks: <DOCKER_CONFIG>/cli-plugins first) and reads the image store from the Engine API's /info:
// - dockerStandIn: a scripted `docker` on PATH, a DOCKER_CONFIG whose cli-plugins/docker-buildx hands every
//   buildx call to it as `docker buildx …` (so its rules and call log see buildx as before), and an Engine API
//   stand-in on a unix socket answering /info and pushes with a real daemon's captured answers (or no socket at
//   all, DOCKER_HOST=tcp://…: the action then runs `docker info` and `docker push`, the stand-in).
// - dockerSpy: the real docker and buildx, every call logged.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { findBuildxPlugin } from '../../actions/build-push/docker.js';
import { ROOT } from './run-action.js';
import { createStandIn, type StandIn, type StandInRule } from './stand-in.js';

/** Real `GET /info` answers (test/fixtures/docker/README.md): Docker 26 with and without the containerd store. */
export const ENGINE_INFO = {
  containerd: path.join(ROOT, 'test/fixtures/docker/engine-info-containerd.json'),
  classic: path.join(ROOT, 'test/fixtures/docker/engine-info-classic.json'),
};

/** Real push streams of Docker 26 (test/fixtures/docker): the daemon answers 200 and reports failures in the stream. */
export const PUSH_STREAM = {
  ok: path.join(ROOT, 'test/fixtures/docker/engine-push-ok.stream'),
  /** A registry port nothing listens on: `connection refused` (transient). */
  refused: path.join(ROOT, 'test/fixtures/docker/engine-push-refused.stream'),
  /** The htpasswd registry without credentials: `no basic auth credentials` (permanent). */
  unauthorized: path.join(ROOT, 'test/fixtures/docker/engine-push-401.stream'),
};

export interface EnginePush {
  /** `<name>:<tag>` pushed. */
  ref: string;
  /** The decoded X-Registry-Auth JSON. */
  auth: Record<string, string>;
  start: number;
  end: number;
}

export interface EngineStandIn {
  socket: string;
  requests: () => string[];
  pushes: () => EnginePush[];
}

/**
 * A unix-socket Engine API: GET /info answers `infoFile`'s bytes; POST /images/{name}/push answers the next stream
 * of `pushStreams` (then 'ok'), after `pushDelayMs`.
 */
export async function engineStandIn(dir: string, infoFile: string, pushStreams: (keyof typeof PUSH_STREAM)[] = [], pushDelayMs = 120): Promise<EngineStandIn> {
  const socket = path.join(dir, 'engine.sock');
  const seen: string[] = [];
  const pushes: EnginePush[] = [];
  const queue = [...pushStreams];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const push = /^\/images\/(.+)\/push(?:\?tag=(.*))?$/.exec(req.url ?? '');
    if (req.method === 'GET' && req.url === '/info') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(fs.readFileSync(infoFile));
    } else if (req.method === 'POST' && push) {
      const start = Date.now();
      const auth = JSON.parse(Buffer.from(String(req.headers['x-registry-auth'] ?? ''), 'base64url').toString('utf8') || '{}') as Record<string, string>;
      const stream = PUSH_STREAM[queue.shift() ?? 'ok'];
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(fs.readFileSync(stream));
        pushes.push({ ref: `${push[1]}:${decodeURIComponent(push[2] ?? '')}`, auth, start, end: Date.now() });
      }, pushDelayMs);
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"message":"page not found"}\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  // Never what keeps a test file's process alive (it serves while runAction awaits the child).
  server.unref();
  return { socket, requests: () => [...seen], pushes: () => [...pushes] };
}

export interface DockerStandIn {
  bin: string;
  docker: StandIn;
  /** DOCKER_CONFIG (with the buildx plugin hand-over) and DOCKER_HOST for runAction's `env`. */
  env: Record<string, string>;
  /** The Engine API stand-in's requests (empty when `engine` is 'cli'). */
  engineRequests: () => string[];
  /** Pushes through the Engine API stand-in. */
  enginePushes: () => EnginePush[];
}

/**
 * `engine`: which daemon /info answers ('containerd' store, 'classic' store), or 'cli' for an endpoint the action
 * cannot reach itself (DOCKER_HOST=tcp://…): then it runs `docker info`, which the rules answer.
 */
export async function dockerStandIn(rules: StandInRule[], engine: 'containerd' | 'classic' | 'cli' = 'containerd', prefix = 'bp-docker-', pushStreams: (keyof typeof PUSH_STREAM)[] = []): Promise<DockerStandIn> {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const docker = createStandIn(bin, 'docker', rules);
  const config = path.join(bin, 'docker-config');
  fs.mkdirSync(path.join(config, 'cli-plugins'), { recursive: true });
  fs.writeFileSync(path.join(config, 'cli-plugins', 'docker-buildx'), `#!/bin/sh\nexec "${docker.bin}" buildx "$@"\n`, { mode: 0o755 });
  if (engine === 'cli') return { bin, docker, env: { DOCKER_CONFIG: config, DOCKER_HOST: 'tcp://127.0.0.1:9' }, engineRequests: () => [], enginePushes: () => [] };
  const api = await engineStandIn(bin, ENGINE_INFO[engine], pushStreams);
  return { bin, docker, env: { DOCKER_CONFIG: config, DOCKER_HOST: `unix://${api.socket}` }, engineRequests: api.requests, enginePushes: api.pushes };
}

export interface DockerSpy {
  /** Put first on PATH. */
  bin: string;
  /** DOCKER_CONFIG for runAction's `env`: the user's config, with a buildx plugin that logs then runs the real one. */
  env: Record<string, string>;
  /** Every docker and buildx call, as `docker <args>` / `buildx <args>`, with start and end (ms). */
  calls: () => { argv: string; start: number; end: number }[];
  reset: () => void;
}

/** The real docker CLI and buildx plugin behind logging wrappers (what the action ran, and how long each took). */
export function dockerSpy(prefix = 'docker-spy-'): DockerSpy {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const log = path.join(bin, 'calls.log');
  const realDocker = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
  const userConfig = process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  const realBuildx = findBuildxPlugin(userConfig);
  if (!realBuildx) throw new Error(`dockerSpy: no docker-buildx plugin in ${userConfig}/cli-plugins or the system plugin folders`);
  const config = path.join(bin, 'docker-config');
  fs.mkdirSync(path.join(config, 'cli-plugins'), { recursive: true });
  if (fs.existsSync(path.join(userConfig, 'config.json'))) fs.copyFileSync(path.join(userConfig, 'config.json'), path.join(config, 'config.json'));
  for (const sub of ['buildx', 'contexts']) if (fs.existsSync(path.join(userConfig, sub))) fs.symlinkSync(path.join(userConfig, sub), path.join(config, sub));
  const wrapper = (label: string, real: string): string =>
    `#!/bin/sh\ns=$(date +%s%N)\n"${real}" "$@"\nrc=$?\nprintf '%s %s ${label} %s\\n' "$s" "$(date +%s%N)" "$*" >> "${log}"\nexit $rc\n`;
  fs.writeFileSync(path.join(bin, 'docker'), wrapper('docker', realDocker), { mode: 0o755 });
  fs.writeFileSync(path.join(config, 'cli-plugins', 'docker-buildx'), wrapper('buildx', realBuildx), { mode: 0o755 });
  fs.writeFileSync(log, '');
  return {
    bin,
    env: { DOCKER_CONFIG: config },
    calls: () =>
      fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [start, end, ...argv] = line.split(' ');
          return { argv: argv.join(' '), start: Number(start) / 1e6, end: Number(end) / 1e6 };
        }),
    reset: () => fs.writeFileSync(log, ''),
  };
}
