// Image references as registries and go-containerregistry parse them (the distribution reference grammar):
// `[registry[:port]/]path[:tag][@sha256:<64 hex>]`. The first component is a registry when it has a '.' or ':'
// or is localhost; path components are lowercase.

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** A valid image tag: letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-'. */
export function isValidImageTag(tag: string): boolean {
  return TAG.test(tag);
}

export interface ImageReference {
  /** Registry host[:port] as written, when the reference names one. */
  registry?: string;
  /** The repository path inside the registry. */
  path: string;
  /** registry/path as written: the reference without tag and digest. */
  name: string;
  tag?: string;
  digest?: string;
}

/**
 * Splits and validates an image reference. Returns the parts, or what is wrong as a phrase that follows the
 * quoted reference in an error ("has a malformed digest …"), so each action names its own input.
 */
export function parseImageReference(raw: string): ImageReference | string {
  const ref = raw.trim();
  if (ref === '') return 'is empty';
  if (/\s/.test(ref)) return 'contains whitespace';
  const at = ref.indexOf('@');
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) return `has a malformed digest '${digest}' (sha256: and 64 lowercase hex digits)`;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  const repository = tag !== undefined ? name.slice(0, colon) : name;
  if (tag !== undefined && !isValidImageTag(tag)) return `has an invalid tag '${tag}' (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')`;
  const parts = repository.split('/');
  const registry = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost') ? parts[0] : undefined;
  if (registry !== undefined && !DOMAIN.test(registry)) return `has an invalid registry '${registry}'`;
  const components = registry !== undefined ? parts.slice(1) : parts;
  if (components.some((c) => c === '')) return 'has an empty path component';
  const path = components.join('/');
  if (path !== path.toLowerCase()) return `has uppercase letters in the repository '${path}' (repositories are lowercase)`;
  const invalid = components.find((c) => !PATH_COMPONENT.test(c));
  if (invalid !== undefined) return `has an invalid repository component '${invalid}' (lowercase letters and digits, separated by '.', '_', '__' or '-')`;
  if (repository.length > 255) return `has a repository name of ${repository.length} characters (at most 255)`;
  return { ...(registry !== undefined ? { registry } : {}), path, name: repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}
