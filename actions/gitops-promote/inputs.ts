// Every input of gitops-promote/action.yml, parsed and validated before any side effect.
import * as path from 'node:path';
import { errorMessage, InputError } from '../toolkit/errors.js';
import { parseImageReference } from '../toolkit/image-ref.js';
import { input, parseList } from '../toolkit/inputs.js';
import { validateKubeconfig, validateNamespace } from '../toolkit/kube-inputs.js';
import type { CompareContext, OrderPolicy } from '../toolkit/source-order.js';
import { readOrderInputs } from '../toolkit/source-order.js';
import type { ServiceEdit } from './promote.js';
import type { ImagePart } from './key-path.js';
import { IMAGE_PARTS, parseKeyPath } from './key-path.js';
import type { KeySpec, PromotedImage, Target } from './targets.js';

export type Mode = 'push' | 'pull-request';

export interface ConfigRepository {
  /** What git clones. */
  url: string;
  /** owner/name for the GitHub API, when it can be told from the input. */
  owner?: string;
  name?: string;
  /** Origin that gets the token header (https only; none for file:// remotes). */
  authOrigin?: string;
  /** For logs and summaries (no credentials ever). */
  display: string;
}

/** `app` is the Application name template (`{app}` is the service, `{env}` the environment). */
export type ArgoWait =
  | { kind: 'none' }
  | { kind: 'api'; app: string; server: string; token: string; namespace: string; timeoutMs: number; pollMs: number; revert: boolean }
  | { kind: 'kubectl'; app: string; kubeconfig: string; context: string; namespace: string; timeoutMs: number; pollMs: number; revert: boolean };

export interface Inputs {
  /** Every service promoted (one for `image`, one per entry of `images`), in the order given. */
  services: ServiceEdit[];
  environment: string;
  /** The release's name: the service for `image`, the `app` input (or empty) for `images`. */
  app: string;
  create: boolean;
  repository: ConfigRepository;
  branch: string;
  token: string;
  mode: Mode;
  pullRequestBranch: string;
  apiUrl: string;
  pushAttempts: number;
  sourceCommit: string;
  policy: OrderPolicy;
  compare: CompareContext;
  sourceRepository: string;
  runUrl: string;
  author: { name: string; email: string };
  /** `auto`: git's protocols spoken in-process where they can be (push mode); `git`: always the git CLI. */
  gitClient: 'auto' | 'git';
  wait: ArgoWait;
}

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const BRANCH = /^(?!\/|.*\/\/|.*\.\.|.*@\{|.*\/$|.*\.lock$|.*\.$)[A-Za-z0-9._/-]+$/;

export function parseImage(raw: string, name = 'image'): PromotedImage {
  if (!raw.trim()) throw new InputError(name, 'is required');
  const parsed = parseImageReference(raw);
  if (typeof parsed === 'string') throw new InputError(name, `'${raw.trim()}' ${parsed}`);
  if (!parsed.digest) throw new InputError(name, `'${raw.trim()}' has no digest: promote an image by digest (build-push's image-ref, repository@sha256:…)`);
  return { repository: parsed.name, ...(parsed.tag ? { tag: parsed.tag } : {}), digest: parsed.digest, reference: raw.trim() };
}

export function parseKeys(lines: string[], image: PromotedImage, imageInput = 'image'): KeySpec[] {
  if (!lines.length) throw new InputError('keys', 'needs at least one key path for a Helm values file');
  const specs = lines.map((line): KeySpec => {
    const eq = line.indexOf('=');
    // `image.tag@digest` is short for `image.tag=tag@digest`.
    const pinned = eq < 0 && /@digest$/.test(line.trim());
    const rawPath = eq >= 0 ? line.slice(0, eq).trim() : pinned ? line.trim().slice(0, -'@digest'.length) : line;
    const keyPath = parseKeyPath(rawPath);
    if (typeof keyPath === 'string') throw new InputError('keys', `key path ${keyPath}`);
    const last = String(keyPath[keyPath.length - 1]);
    const rawPart = eq >= 0 ? line.slice(eq + 1).trim() : pinned ? 'tag@digest' : last;
    if (!IMAGE_PARTS.includes(rawPart as ImagePart)) {
      throw new InputError('keys', eq >= 0 ? `'${line}': part '${rawPart}' is not one of ${IMAGE_PARTS.join(', ')}` : `'${line}': cannot tell which image part it takes from its last segment '${last}'; write '${line}=digest' (or repository, tag, reference)`);
    }
    const part = rawPart as ImagePart;
    if (part === 'tag' && !image.tag) throw new InputError('keys', `'${line}' takes the image tag, but ${imageInput} '${image.reference}' has none; write '${rawPath}=digest' or pass repository:tag@sha256:…`);
    if (part === 'tag@digest' && !image.tag) throw new InputError('keys', `'${line}' writes <tag>@sha256:… into one field, but ${imageInput} '${image.reference}' has no tag: pass <image>:<tag>@sha256:…`);
    return { raw: line, path: keyPath, part };
  });
  const seen = new Set<string>();
  for (const s of specs) {
    const k = JSON.stringify(s.path);
    if (seen.has(k)) throw new InputError('keys', `key path '${s.raw}' is given twice`);
    seen.add(k);
  }
  return specs;
}

/** `{env}`/`{app}` replaced; a relative path that stays inside the repository. */
export function resolveFile(raw: string, environment: string, app: string): string {
  if (!raw.trim()) throw new InputError('file', 'is required');
  const replaced = raw.trim().replace(/\{env\}/g, environment).replace(/\{app\}/g, app);
  if (path.isAbsolute(replaced)) throw new InputError('file', `'${raw}' must be a path inside the config repository, not an absolute path`);
  const normal = path.posix.normalize(replaced.replace(/\\/g, '/'));
  if (normal === '.' || normal.startsWith('../') || normal === '..') throw new InputError('file', `'${raw}' points outside the config repository`);
  if (!/\.ya?ml$/.test(normal) && path.posix.basename(normal) !== 'Kustomization') throw new InputError('file', `'${raw}' is not a YAML file (.yaml or .yml)`);
  return normal;
}

export function isKustomizationFile(file: string): boolean {
  return ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(path.posix.basename(file));
}

/** `owner/name` on the workflow's server, or a git URL. Credentials inside a URL are refused (use `token`). */
export function parseRepository(raw: string, serverUrl: string): ConfigRepository {
  const value = raw.trim();
  if (!value) throw new InputError('repository', 'is required');
  if (/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(value)) {
    const [owner, name] = value.split('/');
    const origin = new URL(serverUrl).origin;
    return { url: `${origin}/${owner}/${name.replace(/\.git$/, '')}.git`, owner, name: name.replace(/\.git$/, ''), authOrigin: origin, display: `${owner}/${name}` };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError('repository', `'${value}' is neither owner/name nor a URL`);
  }
  if (url.username || url.password) throw new InputError('repository', 'must not carry credentials in the URL; pass them in the token input');
  if (!['https:', 'http:', 'file:'].includes(url.protocol)) throw new InputError('repository', `'${value}': only https://, http:// and file:// URLs are supported`);
  const parts = url.pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  const name = parts[parts.length - 1]?.replace(/\.git$/, '');
  const owner = parts[parts.length - 2];
  return {
    url: value,
    ...(owner && name ? { owner, name } : {}),
    ...(url.protocol !== 'file:' ? { authOrigin: url.origin } : {}),
    display: url.protocol === 'file:' ? value : `${url.origin}${url.pathname}`,
  };
}

/** `images`: a JSON object service → image reference (build-services' `images` output). */
export function parseImages(raw: string): Array<{ name: string; image: PromotedImage }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new InputError('images', `is not JSON (${(err as Error).message}); expected an object service → image, e.g. {"api":"ghcr.io/o/api@sha256:…"}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError('images', 'must be a JSON object service → image reference');
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (!entries.length) throw new InputError('images', 'has no services');
  return entries.map(([name, ref]) => {
    if (!ENV_NAME.test(name)) throw new InputError('images', `service name '${name}' must be letters, digits, '.', '_' or '-' (at most 63)`);
    if (typeof ref !== 'string') throw new InputError('images', `the image of '${name}' must be a string`);
    return { name, image: parseImage(ref, `images (service '${name}')`) };
  });
}

const template = (raw: string, env: string, app: string): string => raw.replace(/\{env\}/g, env).replace(/\{app\}/g, app);

export function readInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const single = input.string('image');
  const many = input.string('images');
  if (single && many) throw new InputError('images', 'give either image or images, not both');
  if (!single && !many) throw new InputError('image', 'is required (or images, a JSON object service → image)');
  const environment = input.string('environment', { required: true });
  if (!ENV_NAME.test(environment)) throw new InputError('environment', `'${environment}' must be letters, digits, '.', '_' or '-' (at most 63)`);
  const appInput = input.string('app');
  const images = many ? parseImages(many) : (() => {
    const image = parseImage(single);
    return [{ name: appInput || image.repository.split('/').pop() || '', image }];
  })();
  const app = many ? appInput : images[0].name;
  if (app && !ENV_NAME.test(app)) throw new InputError('app', `'${app}' must be letters, digits, '.', '_' or '-' (at most 63)`);
  const fileTemplate = input.string('file', { required: true });
  const kind = input.choice('target', ['auto', 'helm-values', 'kustomization'] as const, 'auto');
  // An empty value (a caller passing through an unset input) means the action's default.
  const keyLines = parseList(input.string('keys') || 'image.repository\nimage.digest');
  const kustomizeImage = parseKustomizeImage(input.string('kustomize-image'), images.map((i) => i.name));
  const services = images.map(({ name, image }): ServiceEdit => {
    const file = resolveFile(fileTemplate, environment, name);
    const targetKind = kind === 'auto' ? (isKustomizationFile(file) ? 'kustomization' : 'helm-values') : kind;
    const imageInput = many ? `images (service '${name}')` : 'image';
    const target: Target =
      targetKind === 'kustomization'
        ? { kind: 'kustomization', name: kustomizeImage(name) ? template(kustomizeImage(name)!, environment, name) : image.repository }
        : { kind: 'helm-values', keys: parseKeys(keyLines.map((l) => template(l, environment, name)), image, imageInput) };
    return { name, image, file, target };
  });
  const seen = new Map<string, string>();
  for (const s of services) {
    const spots = s.target.kind === 'helm-values' ? s.target.keys.map((k) => `${s.file}#${JSON.stringify(k.path)}`) : [`${s.file}#images[${s.target.name}]`];
    for (const spot of spots) {
      const other = seen.get(spot);
      if (other) throw new InputError(s.target.kind === 'helm-values' ? 'keys' : 'kustomize-image', `services '${other}' and '${s.name}' would write the same place in ${s.file}: template it with {app}`);
      seen.set(spot, s.name);
    }
  }
  const create = input.boolean('create-missing', false);
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const repository = parseRepository(input.string('repository') || env.GITHUB_REPOSITORY || '', serverUrl);
  const branch = input.string('branch') || 'main';
  if (!BRANCH.test(branch)) throw new InputError('branch', `'${branch}' is not a valid branch name`);
  const token = input.secret('token');
  const mode = input.choice('mode', ['push', 'pull-request'] as const, 'push');
  const pullRequestBranch = input.string('pull-request-branch') || (app ? `gitops/${app}/${environment}` : `gitops/${environment}`);
  if (!BRANCH.test(pullRequestBranch)) throw new InputError('pull-request-branch', `'${pullRequestBranch}' is not a valid branch name`);
  if (mode === 'pull-request' && pullRequestBranch === branch) throw new InputError('pull-request-branch', `must differ from branch '${branch}'`);
  if (mode === 'pull-request' && (!repository.owner || !repository.name)) throw new InputError('repository', `'${repository.display}': cannot tell owner/name for the pull request`);
  if (mode === 'pull-request' && !token) throw new InputError('token', 'is required for mode pull-request');
  const apiUrl = input.string('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com';
  try {
    new URL(apiUrl);
  } catch {
    throw new InputError('github-api-url', `'${apiUrl}' is not a URL`);
  }
  const pushAttempts = input.integer('push-attempts', 5, { min: 1, max: 20 });
  const gitClient = input.choice('git-client', ['auto', 'git'] as const, 'auto');
  // `token` is the github-token of the shared ordering inputs (GitHub's compare API when local git cannot decide).
  const order = readOrderInputs({ tokenInput: 'token' });
  if (apiUrl) order.ctx.apiUrl = apiUrl;
  const sourceRepository = env.GITHUB_REPOSITORY || '';
  const runUrl = env.GITHUB_RUN_ID && sourceRepository ? `${serverUrl.replace(/\/+$/, '')}/${sourceRepository}/actions/runs/${env.GITHUB_RUN_ID}` : '';
  const author = { name: input.string('author-name') || 'github-actions[bot]', email: input.string('author-email') || '41898282+github-actions[bot]@users.noreply.github.com' };
  return { services, environment, app, create, repository, branch, token, mode, pullRequestBranch, apiUrl, pushAttempts, sourceCommit: order.sourceCommit, policy: order.policy, compare: order.ctx, sourceRepository, runUrl, author, gitClient, wait: readWait(mode) };
}

function readWait(mode: Mode): ArgoWait {
  const app = input.string('argocd-app');
  const server = input.string('argocd-server');
  const token = input.secret('argocd-token');
  const kubeconfig = input.secret('kubeconfig');
  // No Application, no wait: a reusable workflow passes the server and token to every leg, and blanks the
  // Application where there is nothing to wait for (pull requests).
  if (!app) return { kind: 'none' };
  if (mode === 'pull-request') throw new InputError('argocd-app', 'cannot be waited for in mode pull-request (nothing is deployed until the pull request is merged)');
  const timeoutMs = input.duration('wait-timeout', '10m');
  const pollMs = input.duration('poll-interval', '10s');
  if (pollMs <= 0) throw new InputError('poll-interval', 'must be more than 0');
  const revert = input.boolean('revert-on-failure', true);
  const namespace = input.string('argocd-namespace');
  if (server) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new InputError('argocd-server', `'${server}' is not a URL (e.g. https://argocd.example.com)`);
    }
    if (!['https:', 'http:'].includes(url.protocol)) throw new InputError('argocd-server', `'${server}' must be an http(s) URL`);
    if (!token) throw new InputError('argocd-token', 'is required with argocd-server');
    return { kind: 'api', app, server, token, namespace, timeoutMs, pollMs, revert };
  }
  if (token) throw new InputError('argocd-server', 'is required with argocd-token');
  const context = input.string('context');
  validateKubeconfig(kubeconfig, context);
  return { kind: 'kubectl', app, kubeconfig, context, namespace: validateNamespace(namespace || 'argocd', 'argocd-namespace'), timeoutMs, pollMs, revert };
}

/**
 * `kustomize-image`: one entry name for every service (`{app}` replaced), or a JSON object service → entry name (what
 * gitops.yml's `kustomize-images` passes); a service the object does not name uses its image repository.
 */
export function parseKustomizeImage(raw: string, services: string[]): (service: string) => string | undefined {
  // `{app}…` is a template, not JSON: an object starts with `{"` (or is `{}`).
  if (!/^\{\s*("|\})/.test(raw)) return () => raw || undefined;
  let map: unknown;
  try {
    map = JSON.parse(raw);
  } catch (err) {
    throw new InputError('kustomize-image', `is not valid JSON (${errorMessage(err)})`);
  }
  if (!map || typeof map !== 'object' || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string' || v === '')) {
    throw new InputError('kustomize-image', 'must be an entry name or a JSON object service → non-empty entry name');
  }
  // Entries for services this run does not promote are ignored: the caller passes one map for all of its services.
  const names = map as Record<string, string>;
  return (service) => (services.includes(service) ? names[service] : undefined);
}
