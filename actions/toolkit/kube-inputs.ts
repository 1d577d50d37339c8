// Input checks the cluster actions share (helm-deploy, kustomize-deploy): each names the input it is given, and
// none quotes a kubeconfig's or a YAML file's content (they may hold credentials).
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { InputError } from './errors.js';
import { input } from './inputs.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A Kubernetes object name (and a Helm release name): lowercase letters, digits, '-' and '.'. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validateNamespace(name: string, inputName = 'namespace'): string {
  if (name.length > 63 || !DNS1123_LABEL.test(name)) throw new InputError(inputName, `'${name}' is not a valid namespace (DNS-1123 label: lowercase letters, digits and '-', at most 63 characters)`);
  return name;
}

/** Resolves `file` against the workspace and refuses anything outside it (symlinks resolved). */
export function resolveInsideWorkspace(inputName: string, workspace: string, file: string): string {
  const root = fs.realpathSync(workspace);
  const candidate = path.resolve(root, file);
  if (!fs.existsSync(candidate)) throw new InputError(inputName, `'${file}' does not exist`);
  const real = fs.realpathSync(candidate);
  if (real !== root && !real.startsWith(root + path.sep)) throw new InputError(inputName, `'${file}' is outside the workspace`);
  return real;
}

/**
 * Parses YAML given through an input; a parse error names the input, `what` (e.g. `'values.yaml' ` or '') and the
 * position, then `hidden` (why the content is not quoted), never the content.
 */
export function parseYamlInput(inputName: string, content: string, what: string, hidden: string): unknown {
  const doc = YAML.parseDocument(content);
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    throw new InputError(inputName, `${what}is not valid YAML (${error.code.toLowerCase().replace(/_/g, ' ')}${at}); ${hidden}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new InputError(inputName, `${what}is not valid YAML (its aliases cannot be resolved); ${hidden}`);
  }
}

/** What a parsed YAML value is, for an error ("a list", "a string", "nothing"). */
export function describeYamlValue(data: unknown): string {
  return Array.isArray(data) ? 'a list' : data === null || data === undefined ? 'nothing' : `a ${typeof data}`;
}

function named(list: unknown[]): string[] {
  return list.map((item) => (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string' ? (item as { name: string }).name : '')).filter(Boolean);
}

/**
 * Checks a kubeconfig input is a kubeconfig (YAML or JSON with clusters and contexts) and that the context to
 * use is one of them, so a broken secret fails before the first cluster call. Errors never quote the content
 * (it holds tokens and keys): only positions and context names.
 */
export function validateKubeconfig(content: string, context: string, inputs: { kubeconfig: string; context: string } = { kubeconfig: 'kubeconfig', context: 'context' }): void {
  if (!content.trim()) return;
  const hidden = 'its content is not shown, it holds credentials';
  const data = parseYamlInput(inputs.kubeconfig, content, '', hidden);
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(inputs.kubeconfig, `is not a kubeconfig: expected a YAML mapping with clusters, contexts and users, got ${describeYamlValue(data)}; ${hidden}`);
  }
  const config = data as { clusters?: unknown; contexts?: unknown; 'current-context'?: unknown };
  for (const key of ['clusters', 'contexts'] as const) {
    if (!Array.isArray(config[key]) || config[key].length === 0) throw new InputError(inputs.kubeconfig, `has no ${key} (not a kubeconfig, or an empty one); ${hidden}`);
  }
  const contexts = named(config.contexts as unknown[]);
  const list = contexts.length ? contexts.map((c) => `'${c}'`).join(', ') : 'none with a name';
  if (context) {
    if (!contexts.includes(context)) throw new InputError(inputs.context, `'${context}' is not a context of the ${inputs.kubeconfig} input (its contexts: ${list})`);
    return;
  }
  const current = typeof config['current-context'] === 'string' ? config['current-context'] : '';
  if (!current) throw new InputError(inputs.context, `is required: the ${inputs.kubeconfig} input has no current-context (its contexts: ${list})`);
  if (!contexts.includes(current)) throw new InputError(inputs.kubeconfig, `its current-context '${current}' is not one of its contexts (${list}); fix it or set the ${inputs.context} input`);
}

/** The `kubeconfig` (masked before anything else sees it) and `context` inputs, checked together. */
export function readKubeconfigInputs(): { kubeconfig: string; context: string } {
  const kubeconfig = input.secret('kubeconfig');
  const context = input.string('context');
  validateKubeconfig(kubeconfig, context);
  return { kubeconfig, context };
}
