export interface ExistingTag {
  ref: string;
  digest: string | undefined;
}

/** Immutable tags that already point at another digest. Same digest (a re-run) is fine; absent is fine. */
export function immutableConflicts(existing: ExistingTag[], digest: string): ExistingTag[] {
  return existing.filter((e) => e.digest !== undefined && e.digest !== digest);
}

export function conflictMessage(conflicts: ExistingTag[], digest: string): string {
  const lines = conflicts.map((c) => `  ${c.ref} → ${c.digest}`);
  return [
    `Immutable tag${conflicts.length > 1 ? 's' : ''} already pushed with a different digest (this build: ${digest}):`,
    ...lines,
    'sha-* and release version tags never move: nothing was tagged or pushed. Re-run from a clean cache only if the build is reproducible, or set allow-overwrite: true to replace them.',
  ].join('\n');
}
