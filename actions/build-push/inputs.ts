import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../toolkit/errors.js';
import { maskSecret } from '../toolkit/exec.js';
import { input, parseList } from '../toolkit/inputs.js';
import { truncate } from '../toolkit/text.js';
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
  rebuild: boolean;
  /** How long a run waits after reading or writing the commit's sha- tag before trusting it (0: no wait). */
  claimWindowMs: number;
  retries: number;
  /** The job token: ghcr.io login and the GitHub API (commit time). */
  githubToken: string;
  logins: RegistryLogin[];
}

/** Longest value an error message quotes; longer values are cut and end with '…'. */
const QUOTE_MAX = 60;

/** `'value'` for an error message: cut (with '…') only when it is longer than QUOTE_MAX. */
export function quoteValue(value: string, max = QUOTE_MAX): string {
  return `'${truncate(value, max)}'`;
}

/**
 * key=value lines. With `secret`, a bad line is named by its number only: a line without '=' may be the
 * secret value itself, so no part of it is printed.
 */
function keyValueLines(name: string, raw: string[], { separator = '=', secret = false }: { separator?: string; secret?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  raw.forEach((line, i) => {
    const at = line.indexOf(separator);
    if (at <= 0) {
      const what = at === 0 ? `has an empty key (expected key${separator}value)` : `is not key${separator}value (no '${separator}')`;
      throw new InputError(name, secret ? `line ${i + 1} ${what}; the line is not shown, it may hold a secret value` : `${quoteValue(line)} ${what}`);
    }
    out[line.slice(0, at).trim()] = line.slice(at + 1);
  });
  return out;
}

/** Dockerfile stage names (`FROM … AS name`) as BuildKit accepts them: a letter, then letters, digits, '-', '_', '.'. */
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

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

  const target = input.string('target');
  if (target && !STAGE_NAME.test(target)) {
    throw new InputError('target', `${quoteValue(target)} is not a Dockerfile stage name (a letter, then letters, digits, '-', '_' or '.'; no spaces)`);
  }

  const extraTags = input.list('tags');
  for (const t of extraTags) if (!isValidTag(t)) throw new InputError('tags', `'${t}' is not a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`);

  // Secrets: masked before anything can print them; multiline values split on lines, so one per line.
  const secretLines = parseList(input.secret('secrets'), { comma: false });
  const secrets = keyValueLines('secrets', secretLines, { secret: true });
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
    target,
    push: input.choice('push', ['auto', 'true', 'false'] as const, 'auto'),
    extraTags,
    devBranches: input.list('dev-branches'),
    latest: input.choice('latest', ['auto', 'true', 'false'] as const, 'auto'),
    labels: keyValueLines('labels', input.list('labels', { comma: false })),
    buildArgs: input.list('build-args', { comma: false }).map((a) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) throw new InputError('build-args', `${quoteValue(a.split('=')[0])} is not NAME=value`);
      return a;
    }),
    secrets,
    cache: input.choice('cache', ['auto', 'gha', 'registry', 'inline', 'none'] as const, 'auto'),
    provenance: provenanceRaw === 'false' ? 'false' : provenanceRaw === 'max' ? 'mode=max' : 'mode=min',
    sbom: input.boolean('sbom', false),
    allowOverwrite: input.boolean('allow-overwrite', false),
    rebuild: input.boolean('rebuild', false),
    claimWindowMs: input.duration('claim-window', '2s'),
    retries: input.integer('retries', 3, { min: 1, max: 10 }),
    logins,
    githubToken: input.secret('github-token'),
  };
}

function readLogins(images: ImageName[], actor: string): RegistryLogin[] {
  const registries = new Set(images.map((i) => i.registry));
  const githubToken = input.secret('github-token');
  const hubUser = input.string('dockerhub-username');
  const hubToken = input.secret('dockerhub-token');
  const registry = input.string('registry').toLowerCase();
  const username = input.string('username');
  const password = input.secret('password');

  if (hubToken && !hubUser) throw new InputError('dockerhub-token', 'is set but dockerhub-username is empty');
  if (hubUser && !hubToken) throw new InputError('dockerhub-username', 'is set but dockerhub-token is empty');
  if (password && !username) throw new InputError('password', 'is set but username is empty');
  if (username && !password) throw new InputError('username', 'is set but password is empty');
  if (username && !registry) throw new InputError('registry', 'is required when username/password are set');
  if (registry && !/^[a-z0-9.-]+(:\d+)?$/.test(registry)) throw new InputError('registry', `${quoteValue(registry)} is not a registry host[:port]`);

  // Every login has a username and a password; a registry with neither means no login (existing docker logins are used).
  // The registry input's credentials win over github-token and dockerhub-* for the same host.
  const logins: RegistryLogin[] = [];
  const overridden = (host: string): boolean => Boolean(username) && registry === host;
  if (githubToken && registries.has('ghcr.io') && !overridden('ghcr.io')) {
    // Outside a runner GITHUB_ACTOR may be unset: never `docker login --username ""`.
    if (!actor) throw new InputError('github-token', 'is set for ghcr.io images but the workflow actor (GITHUB_ACTOR) is empty: set GITHUB_ACTOR, or clear github-token to use existing docker logins');
    logins.push({ registry: 'ghcr.io', username: actor, password: githubToken });
  }
  if (hubUser && registries.has('docker.io') && !overridden('docker.io')) logins.push({ registry: 'docker.io', username: hubUser, password: hubToken });
  if (registry && username) logins.push({ registry, username, password });
  return logins;
}
