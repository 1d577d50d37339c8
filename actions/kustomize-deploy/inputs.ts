// Every input of kustomize-deploy/action.yml, parsed and validated before any side effect.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DNS1123_SUBDOMAIN, InputError, input, parseList, readKubeconfigInputs, resolveInsideWorkspace, validateNamespace } from '../toolkit/index.js';
import type { CompareContext, OrderPolicy } from '../toolkit/source-order.js';
import { readOrderInputs } from '../toolkit/source-order.js';
import type { ImageOverride } from './images.js';
import { parseImages } from './images.js';
import type { JobsMode } from './jobs.js';
import { JOBS_MODES } from './jobs.js';
import { PROTECTED_KINDS } from './protect.js';

export interface Inputs {
  /** Absolute path of the overlay directory (inside the workspace). */
  overlay: string;
  /** The overlay as the user wrote it, for messages. */
  overlayInput: string;
  images: ImageOverride[];
  /** Empty: the namespace the overlay sets. */
  namespace: string;
  name: string;
  kubeconfig: string;
  context: string;
  timeoutMs: number;
  prune: boolean;
  rollback: boolean;
  replaceJobs: boolean;
  jobs: JobsMode;
  /** Protected kinds (Namespace, CustomResourceDefinition, PersistentVolumeClaim) this deploy may prune. */
  pruneKinds: string[];
  fieldManager: string;
  forceConflicts: boolean;
  createNamespace: boolean;
  crashChecks: number;
  /** Unused since the Job wait is a watch (issue 21); still read and checked so that old workflows keep working. */
  pollIntervalMs: number;
  diagnosticsPath: string;
  workspace: string;
  /** The application commit deployed, recorded in the record Secret. */
  sourceCommit: string;
  /** Newest wins: allow-older / allow-unordered. */
  order: OrderPolicy;
  /** Where the commit order is looked up (workspace git, then GitHub's compare API). */
  compare: CompareContext;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const FIELD_MANAGER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function resolveOverlay(raw: string, workspace: string): string {
  if (!raw) throw new InputError('overlay', 'is required (the overlay directory, e.g. deployment/k8s/overlays/dev)');
  const dir = resolveInsideWorkspace('overlay', workspace, raw);
  if (!fs.statSync(dir).isDirectory()) throw new InputError('overlay', `'${raw}' is not a directory`);
  if (!KUSTOMIZATION_FILES.some((f) => fs.existsSync(path.join(dir, f)))) throw new InputError('overlay', `'${raw}' has no kustomization.yaml`);
  return dir;
}

/** The ApplySet and record name: a Secret name in the namespace, so a DNS-1123 subdomain. */
export function validateName(raw: string): string {
  const name = raw.trim();
  if (!name) throw new InputError('name', 'is required (it names the ApplySet that owns the overlay\'s objects)');
  if (name.length > 200 || !DNS1123_SUBDOMAIN.test(name)) throw new InputError('name', `'${name}' is not a DNS-1123 name (lowercase letters, digits, '-' and '.', at most 200 characters)`);
  return name;
}

/** The repository's name (`acme/kardon` → `kardon`), lowercased into a valid name, as the default `name`. */
export function defaultName(repository: string | undefined): string {
  const repo = (repository ?? '').split('/').pop() ?? '';
  return repo.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
}

/** `prune-kinds`: only the protected kinds can be named (every other kind is pruned anyway). */
export function parsePruneKinds(raw: string): string[] {
  const kinds = parseList(raw);
  for (const k of kinds) {
    if (!(PROTECTED_KINDS as readonly string[]).includes(k)) throw new InputError('prune-kinds', `'${k}' is not one of the kinds kept from the prune (${PROTECTED_KINDS.join(', ')}); every other kind of the overlay is pruned already`);
  }
  return [...new Set(kinds)];
}

export function readInputs(): Inputs {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const overlayInput = input.string('overlay', { required: true });
  const overlay = resolveOverlay(overlayInput, workspace);
  const images = parseImages(input.string('images'));
  const namespaceRaw = input.string('namespace');
  const namespace = namespaceRaw ? validateNamespace(namespaceRaw) : '';
  const name = validateName(input.string('name') || defaultName(process.env.GITHUB_REPOSITORY));
  const { kubeconfig, context } = readKubeconfigInputs();
  const timeoutMs = input.duration('timeout', '5m');
  if (timeoutMs < 1000) throw new InputError('timeout', 'must be at least 1s');
  const fieldManager = input.string('field-manager') || 'platform-actions';
  if (!FIELD_MANAGER.test(fieldManager)) throw new InputError('field-manager', `'${fieldManager}' is not a field manager name (letters, digits, '.', '_', '-', at most 128)`);
  const pollIntervalMs = input.duration('poll-interval', '5s');
  if (pollIntervalMs < 100) throw new InputError('poll-interval', 'must be at least 100ms');
  const diagnosticsRaw = input.string('diagnostics-path');
  const replaceJobs = input.boolean('replace-jobs', true);
  const jobs = input.choice('jobs', JOBS_MODES, 'changed');
  if (jobs === 'always' && !replaceJobs) throw new InputError('jobs', "'always' runs every Job again by deleting and re-creating it, which replace-jobs: false forbids; use jobs: changed or never, or let replace-jobs default to true");
  const pruneKinds = parsePruneKinds(input.string('prune-kinds'));
  const { sourceCommit, policy, ctx } = readOrderInputs();
  return {
    overlay,
    overlayInput,
    images,
    namespace,
    name,
    kubeconfig,
    context,
    timeoutMs,
    prune: input.boolean('prune', true),
    rollback: input.boolean('rollback', true),
    replaceJobs,
    jobs,
    pruneKinds,
    fieldManager,
    forceConflicts: input.boolean('force-conflicts', false),
    createNamespace: input.boolean('create-namespace', false),
    crashChecks: input.integer('crash-checks', 2, { min: 1, max: 100 }),
    pollIntervalMs,
    diagnosticsPath: diagnosticsRaw ? path.resolve(workspace, diagnosticsRaw) : '',
    workspace,
    sourceCommit,
    order: policy,
    compare: { ...ctx, workspace },
  };
}
