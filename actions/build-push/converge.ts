// One commit, one digest: the runs of one commit that race (`git push --follow-tags` starts the branch run and the
// tag run together) agree on the digest its sha- tag holds, and every run puts its tags on that one. Pure: no I/O.
//
// The registry API has no conditional PUT (a manifest PUT always replaces the tag; If-Match on tags is only proposed:
// opencontainers/distribution-spec PR #251, sigstore/cosign issue #9), so the sha- tag is claimed by "read, PUT only
// when absent, read again once the claim window has passed": a run that finds the tag taken never writes it, so the
// first claim to land stands unless another run read the tag absent within the same window (the gap between its read
// and its PUT, milliseconds: the image is uploaded before); then the registry's last write stands, and every run,
// reading again CLAIM_SETTLE_MS after its own read or write, sees that same final value.
import { promotionDecision, REVISION_LABEL, type ExistingImage } from './existing.js';

/** How long a run waits after reading or writing the sha- tag before it trusts what the tag holds. */
export const CLAIM_SETTLE_MS = 2000;

export type ClaimOutcome =
  /** The sha- tag does not exist: this run may claim it. */
  | { kind: 'free' }
  /** The sha- tag holds this run's digest. */
  | { kind: 'ours' }
  /** Another digest built from this commit, with every platform asked: put this run's tags on it. */
  | { kind: 'adopt'; digest: string; reason: string }
  /** Another digest that is not this commit's image (another revision, no label, platforms missing): the guard refuses. */
  | { kind: 'foreign'; digest: string; reason: string };

/** What the commit's sha- tag (`ref`) holding `existing` means for a run that built `ours`. */
export function claimOutcome(existing: ExistingImage | undefined, ours: string, ref: string, revision: string, platforms: string[]): ClaimOutcome {
  if (!existing) return { kind: 'free' };
  const digest = existing.manifest.digest;
  if (digest === ours) return { kind: 'ours' };
  const decision = promotionDecision(existing, ref, revision, platforms);
  if (decision.promote) return { kind: 'adopt', digest, reason: adoptionMessage(ref, digest, ours) };
  const label = existing.labels[REVISION_LABEL];
  return { kind: 'foreign', digest, reason: `${ref} holds ${digest}, ${label === revision ? `built from this commit but not for every platform asked (${existing.platforms.join(', ') || 'none'})` : label ? `built from revision ${label}` : 'an image without a revision label'}` };
}

export function adoptionMessage(ref: string, winner: string, ours: string): string {
  return `adopted ${winner} pushed by a concurrent run of this commit (${ref}): this run's build ${ours} is not published, its tags go on ${winner}`;
}

/** Milliseconds still to wait before a read taken now counts as settled, `since` being this run's last read or write of the tag. */
export function settleRemaining(since: number, now: number, settleMs = CLAIM_SETTLE_MS): number {
  return Math.max(0, since + settleMs - now);
}

/**
 * The tag `docker push` uploads the image under, before the sha- tag is claimed: the first tag that is not immutable
 * (a moving branch or `latest` tag is simply re-pointed when the run loses the claim), else the first that is not the
 * sha- tag, else the sha- tag itself (then the push is the claim).
 */
export function uploadTag(tags: string[], immutable: string[], shaRef: string): string {
  return tags.find((t) => !immutable.includes(t)) ?? tags.find((t) => t !== shaRef) ?? tags[0];
}

/** The refs this run pushed that a correction moved from its own digest to the adopted one. */
export function correctedRefs(pushedByThisRun: string[], adoptedRefs: string[]): string[] {
  const adopted = new Set(adoptedRefs);
  return [...new Set(pushedByThisRun)].filter((r) => adopted.has(r));
}
