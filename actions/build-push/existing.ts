// An image already in the registry, as promotion needs to know it: its exact manifest, platforms and labels.
import { isIndex, type ImageConfig, type Manifest, type Registry } from './registry.js';

export interface ExistingImage {
  manifest: Manifest;
  /** os/arch[/variant] of each image (attestation manifests, `unknown/unknown`, left out). */
  platforms: string[];
  /** Labels of the first platform's image config. */
  labels: Record<string, string>;
}

interface Descriptor {
  digest: string;
  platform?: { os?: string; architecture?: string; variant?: string };
}

const platformOf = (p: { os?: string; architecture?: string; variant?: string }): string => [p.os, p.architecture, p.variant].filter(Boolean).join('/');

/** Reads a tag's manifest and, through its first image config, its labels; undefined when the tag is absent. */
export async function readExistingImage(registry: Registry, repository: string, reference: string): Promise<ExistingImage | undefined> {
  const manifest = await registry.manifest(repository, reference);
  if (!manifest) return undefined;
  const json = JSON.parse(manifest.bytes.toString('utf8')) as { manifests?: Descriptor[]; config?: { digest: string } };
  if (isIndex(manifest.mediaType)) {
    const images = (json.manifests ?? []).filter((m) => m.platform && m.platform.architecture !== 'unknown');
    if (images.length === 0) return { manifest, platforms: [], labels: {} };
    const first = await registry.manifest(repository, images[0].digest);
    const configDigest = first && (JSON.parse(first.bytes.toString('utf8')) as { config?: { digest: string } }).config?.digest;
    const config = configDigest ? await registry.blobJson<ImageConfig>(repository, configDigest) : {};
    return { manifest, platforms: images.map((m) => platformOf(m.platform!)), labels: config.config?.Labels ?? {} };
  }
  const config = json.config?.digest ? await registry.blobJson<ImageConfig>(repository, json.config.digest) : {};
  return { manifest, platforms: [platformOf(config)].filter(Boolean), labels: config.config?.Labels ?? {} };
}

export const REVISION_LABEL = 'org.opencontainers.image.revision';

export interface PromotionDecision {
  promote: boolean;
  reason: string;
}

/**
 * Promote (tag the existing digest, build nothing) only when the commit's sha- tag exists, carries this
 * commit's full revision label (a 7-character prefix may collide) and has every platform asked for.
 */
export function promotionDecision(existing: ExistingImage | undefined, ref: string, revision: string, platforms: string[]): PromotionDecision {
  if (!existing) return { promote: false, reason: `${ref} does not exist yet: building` };
  const label = existing.labels[REVISION_LABEL];
  if (label !== revision) {
    return { promote: false, reason: `${ref} (${existing.manifest.digest}) was built from ${label ? `revision ${label}` : 'an image without a revision label'}, not ${revision}: building` };
  }
  const missing = platforms.filter((p) => !existing.platforms.some((have) => have === p || have.startsWith(`${p}/`)));
  if (missing.length) {
    return { promote: false, reason: `${ref} (${existing.manifest.digest}) has ${existing.platforms.join(', ') || 'no platform'}, not ${missing.join(', ')}: building` };
  }
  return { promote: true, reason: `${ref} is ${existing.manifest.digest}, built from this commit (${revision.slice(0, 12)}) for ${existing.platforms.join(', ')}: promoting it, nothing is built` };
}
