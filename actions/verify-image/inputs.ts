// verify-image's inputs, read and checked in one place before any network call.
import * as fs from 'node:fs';
import { InputError } from '../toolkit/errors.js';
import { parseImageReference } from '../toolkit/image-ref.js';
import { input } from '../toolkit/inputs.js';
import { parseCommitSha } from '../toolkit/source-order.js';

export interface ImageToVerify {
  /** As given: <image>[:tag]@sha256:… */
  ref: string;
  /** Registry host (docker.io when the reference names none). */
  registry: string;
  /** Repository path inside the registry (docker.io: library/ added for single names). */
  repository: string;
  digest: string;
}

export interface Inputs {
  images: ImageToVerify[];
  /** owner/name whose images are accepted. */
  repository: string;
  expectedRevision?: string;
  allowRevisionMismatch: boolean;
  requireReachable: boolean;
  /** The branch a revision must be reachable from (empty only when require-reachable is false). */
  defaultBranch: string;
  registryUsername: string;
  registryPassword: string;
  githubToken: string;
}

const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
/** git check-ref-format's rules, as far as a branch name given by hand (or an unexpanded `${{ … }}`) can break them. */
function isBranchName(name: string): boolean {
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return false;
  if (/[\s~^:?*[\\{}$]/.test(name)) return false;
  return !/^\/|\/\/|\.\.|\/$|\.lock$|\.$|^-/.test(name);
}

export function parseImageToVerify(raw: string): ImageToVerify | string {
  const parsed = parseImageReference(raw);
  if (typeof parsed === 'string') return `'${raw}' ${parsed}`;
  if (!parsed.digest) return `'${raw}' has no digest: give <image>@sha256:… (a tag can move after it was checked)`;
  const domain = parsed.registry;
  const registry = !domain || domain === 'index.docker.io' || domain === 'registry-1.docker.io' ? 'docker.io' : domain;
  const repository = registry === 'docker.io' && !parsed.path.includes('/') ? `library/${parsed.path}` : parsed.path;
  return { ref: raw.trim(), registry, repository, digest: parsed.digest };
}

/** The default branch from the input, else from the event payload (`repository.default_branch`). */
function defaultBranch(raw: string): string {
  if (raw) return raw;
  const file = process.env.GITHUB_EVENT_PATH;
  if (!file || !fs.existsSync(file)) return '';
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { repository?: { default_branch?: string } }).repository?.default_branch ?? '';
  } catch {
    return '';
  }
}

export function readInputs(): Inputs {
  const registryPassword = input.secret('registry-password');
  const githubToken = input.secret('github-token');
  const rawRefs = input.list('image-refs');
  if (rawRefs.length === 0) throw new InputError('image-refs', 'is required: one <image>@sha256:… per line');
  const images: ImageToVerify[] = [];
  for (const raw of rawRefs) {
    const parsed = parseImageToVerify(raw);
    if (typeof parsed === 'string') throw new InputError('image-refs', parsed);
    images.push(parsed);
  }
  const repository = input.string('repository') || process.env.GITHUB_REPOSITORY || '';
  if (!REPOSITORY.test(repository)) throw new InputError('repository', `expected owner/name, got '${repository}'`);
  const rawRevision = input.string('expected-revision');
  const expectedRevision = rawRevision ? parseCommitSha('expected-revision', rawRevision) : undefined;
  const allowRevisionMismatch = input.boolean('allow-revision-mismatch', false);
  const requireReachable = input.boolean('require-reachable', true);
  const branch = defaultBranch(input.string('default-branch'));
  if (requireReachable && !branch) throw new InputError('default-branch', 'is empty and the event payload names no repository.default_branch: give the branch revisions must be reachable from, or require-reachable: false');
  if (branch && !isBranchName(branch)) throw new InputError('default-branch', `'${branch}' is not a branch name`);
  const registryUsername = input.string('registry-username');
  if (Boolean(registryUsername) !== Boolean(registryPassword)) throw new InputError(registryUsername ? 'registry-password' : 'registry-username', 'registry-username and registry-password go together: give both or neither');
  return { images, repository, expectedRevision, allowRevisionMismatch, requireReachable, defaultBranch: branch, registryUsername, registryPassword, githubToken };
}
