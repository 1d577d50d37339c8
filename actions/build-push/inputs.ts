import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, input, maskSecret, parseList } from '../toolkit/index.js';
import { isValidTag, parseImageName, platformError, type ImageName } from './images.js';
import type { CacheMode } from './plan.js';

export interface RegistryLogin {
  registry: string;
  username: string;
  password: string;
}

export interface Inputs {
  images: ImageName[];
  platforms: string[];
  context: string;
  file: string;
  target: string;
  push: 'auto' | 'true' | 'false';
  extraTags: string[];
  devBranches: string[];
  latest: 'auto' | 'true' | 'false';
  labels: Record<string, string>;
  buildArgs: string[];
  secrets: Record<string, string>;
  cache: CacheMode;
  provenance: string;
  sbom: boolean;
  allowOverwrite: boolean;
  retries: number;
  logins: RegistryLogin[];
}

function keyValueLines(name: string, raw: string[], separator = '='): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of raw) {
    const at = line.indexOf(separator);
    if (at <= 0) throw new InputError(name, `'${line.split(separator)[0]}…' is not key${separator}value`);
    out[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  return out;
}

/** Reads and validates every input before anything runs; each error names its input. */
export function readInputs(workspace: string, actor: string): Inputs {
  const images: ImageName[] = [];
  for (const raw of input.list('images')) {
    const parsed = parseImageName(raw);
    if (typeof parsed === 'string') throw new InputError('images', parsed);
    if (!images.some((i) => i.name === parsed.name)) images.push(parsed);
  }
  if (images.length === 0) throw new InputError('images', 'is required (at least one image name)');

  const platforms = input.list('platforms');
  if (platforms.length === 0) throw new InputError('platforms', 'needs at least one platform');
  for (const p of platforms) {
    const err = platformError(p);
    if (err) throw new InputError('platforms', err);
  }

  const context = path.resolve(workspace, input.string('context') || '.');
  if (!fs.existsSync(context) || !fs.statSync(context).isDirectory()) throw new InputError('context', `directory '${context}' does not exist`);
  const fileRaw = input.string('file');
  const file = fileRaw ? path.resolve(workspace, fileRaw) : path.join(context, 'Dockerfile');
  if (!fs.existsSync(file)) throw new InputError('file', `Dockerfile '${file}' does not exist`);

  const extraTags = input.list('tags');
  for (const t of extraTags) if (!isValidTag(t)) throw new InputError('tags', `'${t}' is not a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`);

  // Secrets: masked before anything can print them; multiline values split on lines, so one per line.
  const secretLines = parseList(input.secret('secrets'), { comma: false });
  const secrets = keyValueLines('secrets', secretLines);
  for (const [id, value] of Object.entries(secrets)) {
    if (!/^[A-Za-z0-9_.-]+$/.test(id)) throw new InputError('secrets', `secret id '${id}' may only contain letters, digits, '_', '.', '-'`);
    maskSecret(value);
  }

  const provenanceRaw = input.choice('provenance', ['false', 'true', 'max'] as const, 'false');
  const logins = readLogins(images, actor);

  return {
    images,
    platforms,
    context,
    file,
    target: input.string('target'),
    push: input.choice('push', ['auto', 'true', 'false'] as const, 'auto'),
    extraTags,
    devBranches: input.list('dev-branches'),
    latest: input.choice('latest', ['auto', 'true', 'false'] as const, 'auto'),
    labels: keyValueLines('labels', input.list('labels', { comma: false })),
    buildArgs: input.list('build-args', { comma: false }).map((a) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) throw new InputError('build-args', `'${a.split('=')[0]}' is not NAME=value`);
      return a;
    }),
    secrets,
    cache: input.choice('cache', ['auto', 'gha', 'registry', 'inline', 'none'] as const, 'auto'),
    provenance: provenanceRaw === 'false' ? 'false' : provenanceRaw === 'max' ? 'mode=max' : 'mode=min',
    sbom: input.boolean('sbom', false),
    allowOverwrite: input.boolean('allow-overwrite', false),
    retries: input.integer('retries', 3, { min: 1, max: 10 }),
    logins,
  };
}

function readLogins(images: ImageName[], actor: string): RegistryLogin[] {
  const registries = new Set(images.map((i) => i.registry));
  const logins: RegistryLogin[] = [];
  const githubToken = input.secret('github-token');
  if (registries.has('ghcr.io') && githubToken) logins.push({ registry: 'ghcr.io', username: actor, password: githubToken });

  const hubUser = input.string('dockerhub-username');
  const hubToken = input.secret('dockerhub-token');
  if (hubToken && !hubUser) throw new InputError('dockerhub-token', 'is set but dockerhub-username is empty');
  if (hubUser && !hubToken) throw new InputError('dockerhub-username', 'is set but dockerhub-token is empty');
  if (hubUser && registries.has('docker.io')) logins.push({ registry: 'docker.io', username: hubUser, password: hubToken });

  const registry = input.string('registry').toLowerCase();
  const username = input.string('username');
  const password = input.secret('password');
  if (password && !username) throw new InputError('password', 'is set but username is empty');
  if ((username || password) && !registry) throw new InputError('registry', 'is required when username/password are set');
  if (registry) {
    if (!/^[a-z0-9.-]+(:\d+)?$/.test(registry)) throw new InputError('registry', `'${registry}' is not a registry host[:port]`);
    if (!username || !password) throw new InputError('username', `registry '${registry}' needs both username and password`);
    const existing = logins.findIndex((l) => l.registry === registry);
    if (existing >= 0) logins.splice(existing, 1);
    logins.push({ registry, username, password });
  }
  return logins;
}
