// The `images` input → Kustomize `images:` entries of a wrapper kustomization, so the user's overlay is
// never edited. Accepted forms: one reference per line (`ghcr.io/acme/web@sha256:…`), `name=reference` lines
// (the overlay calls the image `name`), or build-services' JSON map `{"web": "ghcr.io/acme/web@sha256:…"}`.
import YAML from 'yaml';
import type { ImageReference } from '../toolkit/index.js';
import { InputError, parseImageReference, parseList } from '../toolkit/index.js';

export interface ImageOverride {
  /** The image name as the overlay's containers use it (what Kustomize's images: `name` matches). */
  name: string;
  /** The full reference to deploy, as given. */
  ref: string;
  parsed: ImageReference;
  /** The service key when the input was a JSON map. */
  service?: string;
}

function parseOne(raw: string, name: string | undefined, service?: string): ImageOverride {
  const parsed = parseImageReference(raw);
  if (typeof parsed === 'string') throw new InputError('images', `'${raw}'${service ? ` (service ${service})` : ''} ${parsed}`);
  if (!parsed.tag && !parsed.digest) throw new InputError('images', `'${raw}' has neither a tag nor a digest (the overlay's own tag would stay; build-push's image-ref has the digest)`);
  if (name !== undefined) {
    const target = parseImageReference(name);
    if (typeof target === 'string') throw new InputError('images', `image name '${name}' ${target}`);
    if (target.tag || target.digest) throw new InputError('images', `image name '${name}' must not carry a tag or digest (it is matched against the overlay's images)`);
  }
  return { name: name ?? parsed.name, ref: raw.trim(), parsed, ...(service ? { service } : {}) };
}

export function parseImages(raw: string): ImageOverride[] {
  const text = raw.trim();
  if (!text) return [];
  let overrides: ImageOverride[];
  if (text.startsWith('{') || text.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new InputError('images', `looks like JSON but does not parse: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (Array.isArray(data)) {
      overrides = data.map((v, i) => {
        if (typeof v !== 'string') throw new InputError('images', `item ${i} of the JSON list is not a string`);
        return parseOne(v, undefined);
      });
    } else if (data && typeof data === 'object') {
      overrides = Object.entries(data as Record<string, unknown>).map(([service, v]) => {
        if (typeof v !== 'string') throw new InputError('images', `service '${service}' of the JSON map has no image reference string`);
        if (!v.trim()) throw new InputError('images', `service '${service}' has an empty image reference (build-services leaves it empty when nothing was pushed, e.g. on a pull request)`);
        return parseOne(v, undefined, service);
      });
    } else {
      throw new InputError('images', 'JSON must be a map service → image reference or a list of references');
    }
  } else {
    overrides = parseList(text).map((line) => {
      const eq = line.indexOf('=');
      return eq > 0 ? parseOne(line.slice(eq + 1), line.slice(0, eq).trim()) : parseOne(line, undefined);
    });
  }
  const seen = new Map<string, string>();
  for (const o of overrides) {
    const before = seen.get(o.name);
    if (before !== undefined && before !== o.ref) throw new InputError('images', `image '${o.name}' is given twice with different references ('${before}' and '${o.ref}')`);
    seen.set(o.name, o.ref);
  }
  return overrides.filter((o, i) => overrides.findIndex((x) => x.name === o.name) === i);
}

/** The rendered reference Kustomize produces for an override: name[:tag][@digest], with a new name when it differs. */
export function expectedImage(o: ImageOverride): string {
  return `${o.parsed.name}${o.parsed.tag ? `:${o.parsed.tag}` : ''}${o.parsed.digest ? `@${o.parsed.digest}` : ''}`;
}

/**
 * A kustomization whose only resource is the overlay (a path relative to the wrapper's own directory:
 * Kustomize refuses absolute resource paths) and whose images: entries set the references.
 */
export function wrapperKustomization(overlayRelative: string, overrides: ImageOverride[]): string {
  const images = overrides.map((o) => ({
    name: o.name,
    ...(o.parsed.name !== o.name ? { newName: o.parsed.name } : {}),
    ...(o.parsed.tag ? { newTag: o.parsed.tag } : {}),
    ...(o.parsed.digest ? { digest: o.parsed.digest } : {}),
  }));
  return YAML.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [overlayRelative], ...(images.length ? { images } : {}) });
}
