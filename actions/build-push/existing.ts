// An image already in the registry, as promotion needs to know it: its exact manifest, platforms and labels.
import { readImage, type RegistryClient, type RegistryImage } from '../toolkit/registry.js';

export type ExistingImage = RegistryImage;

/** Reads a tag's manifest and, through its first image config, its labels; undefined when the tag is absent. */
export function readExistingImage(registry: RegistryClient, repository: string, reference: string): Promise<ExistingImage | undefined> {
  return readImage(registry, repository, reference);
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
