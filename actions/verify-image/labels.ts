// What an image's OCI labels say about where it comes from, against what this pipeline accepts. Pure: no I/O.
export const SOURCE_LABEL = 'org.opencontainers.image.source';
export const REVISION_LABEL = 'org.opencontainers.image.revision';

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** `https://github.com/Acme/App.git/` and `https://github.com/acme/app` are one repository: case, `.git` and a final `/` aside. */
export function normalizeSource(url: string): string {
  return url.trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');
}

export function expectedSource(serverUrl: string, repository: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/${repository}`;
}

export interface LabelPolicy {
  /** The source URL this pipeline's images carry: <server>/<owner>/<name>. */
  source: string;
  expectedRevision?: string;
  allowRevisionMismatch: boolean;
}

export interface LabelVerdict {
  source?: string;
  revision?: string;
  /** Refusals, each naming the label and the value found. */
  problems: string[];
  /** What is let through on purpose (allow-revision-mismatch). */
  warnings: string[];
  /** The revision is a commit SHA worth asking the repository about (reachability). */
  checkableRevision: boolean;
}

export function checkLabels(labels: Record<string, string>, policy: LabelPolicy): LabelVerdict {
  const problems: string[] = [];
  const warnings: string[] = [];
  const source = labels[SOURCE_LABEL];
  const revision = labels[REVISION_LABEL];
  if (source === undefined || source.trim() === '') problems.push(`label ${SOURCE_LABEL} is missing: expected ${policy.source}`);
  else if (normalizeSource(source) !== normalizeSource(policy.source)) problems.push(`label ${SOURCE_LABEL} is '${source}', not ${policy.source}: the image was not built from this repository`);
  let checkableRevision = false;
  if (revision === undefined || revision.trim() === '') problems.push(`label ${REVISION_LABEL} is missing: no commit to trace the image to`);
  else if (!FULL_SHA.test(revision)) problems.push(`label ${REVISION_LABEL} is '${revision}', not a full commit SHA`);
  else {
    checkableRevision = true;
    if (policy.expectedRevision && revision !== policy.expectedRevision) {
      const text = `label ${REVISION_LABEL} is ${revision}, not the expected revision ${policy.expectedRevision}`;
      if (policy.allowRevisionMismatch) warnings.push(`${text} (let through: allow-revision-mismatch)`);
      else problems.push(`${text} (set allow-revision-mismatch: true to let it through)`);
    }
  }
  return { source, revision, problems, warnings, checkableRevision };
}

/**
 * Each node pulls its own platform's image: the source and revision labels must be the same on every platform
 * image of an index (the first one's are the ones checked). One problem per platform that differs, naming it.
 */
export function platformDisagreements(images: readonly { platform: string; digest: string; labels: Record<string, string> }[]): string[] {
  const [first, ...rest] = images;
  if (!first) return [];
  const problems: string[] = [];
  for (const image of rest) {
    for (const label of [SOURCE_LABEL, REVISION_LABEL]) {
      const want = first.labels[label];
      const got = image.labels[label];
      if (want !== got) problems.push(`platform ${image.platform || image.digest} (${image.digest}) has label ${label} ${got === undefined ? 'missing' : `'${got}'`}, but ${first.platform || first.digest} has ${want === undefined ? 'none' : `'${want}'`}: the index mixes images of different builds`);
    }
  }
  return problems;
}

/** Release tags: v1.2.3, 1.2.3, v1.2.3-rc.1 (what build-push gives release version tags for). */
export function isReleaseTag(name: string): boolean {
  return /^[vV]?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(name);
}
