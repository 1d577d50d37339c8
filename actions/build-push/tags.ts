import * as semver from 'semver';
import { sanitizeTag } from './images.js';

export interface RefContext {
  eventName: string;
  /** refs/heads/<branch>, refs/tags/<tag>, refs/pull/<n>/merge */
  ref: string;
  sha: string;
  /** pull_request events: the PR head commit (not the merge commit GITHUB_SHA points at). */
  prHeadSha?: string;
  prNumber?: number;
  defaultBranch?: string;
}

export interface TagOptions {
  /** Branches whose pushes get `dev`; empty → main, develop and the default branch. */
  devBranches: string[];
  latest: 'auto' | 'true' | 'false';
  extraTags: string[];
}

export interface ComputedTags {
  tags: string[];
  /** Tags that must never move to another digest once pushed (sha-*, exact release versions). */
  immutable: string[];
  version: string;
  /** The commit the image is built from. */
  revision: string;
  release?: { version: string; prerelease: boolean };
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** The tag logic metadata-action users rely on, with our defaults. Pure: no env, no I/O. */
export function computeTags(ctx: RefContext, options: TagOptions): ComputedTags {
  const tags: string[] = [];
  const immutable: string[] = [];
  const isPr = PR_EVENTS.has(ctx.eventName);
  const revision = isPr && ctx.prHeadSha ? ctx.prHeadSha : ctx.sha;
  let version = '';
  let release: ComputedTags['release'];
  let stableRelease = false;

  if (isPr) {
    const n = ctx.prNumber ?? Number(/^refs\/pull\/(\d+)\//.exec(ctx.ref)?.[1] ?? NaN);
    version = Number.isFinite(n) ? `pr-${n}` : sanitizeTag(ctx.ref);
    tags.push(version);
  } else if (ctx.ref.startsWith('refs/tags/')) {
    const gitTag = ctx.ref.slice('refs/tags/'.length);
    const prefix = /^[vV]/.test(gitTag) ? gitTag[0] : '';
    const parsed = semver.parse(gitTag.slice(prefix.length));
    if (parsed && parsed.raw === gitTag.slice(prefix.length)) {
      const prerelease = parsed.prerelease.length > 0;
      release = { version: parsed.version, prerelease };
      // Build metadata (+…) is not allowed in a tag; it never makes a different release.
      const exact = `${prefix}${parsed.version}`;
      version = exact;
      tags.push(sanitizeTag(exact));
      immutable.push(sanitizeTag(exact));
      if (!prerelease) {
        stableRelease = true;
        tags.push(`${prefix}${parsed.major}.${parsed.minor}`);
        // 0.x minors may break each other: a moving v0 would hide that.
        if (parsed.major > 0) tags.push(`${prefix}${parsed.major}`);
      }
    } else {
      version = sanitizeTag(gitTag);
      tags.push(version);
    }
  } else if (ctx.ref.startsWith('refs/heads/')) {
    const branch = ctx.ref.slice('refs/heads/'.length);
    version = sanitizeTag(branch);
    tags.push(version);
    const devBranches = options.devBranches.length ? options.devBranches : ['main', 'develop', ...(ctx.defaultBranch ? [ctx.defaultBranch] : [])];
    if (ctx.eventName === 'push' && devBranches.includes(branch)) tags.push('dev');
  }

  if (revision) {
    tags.push(shaTag(revision));
    immutable.push(shaTag(revision));
  }
  if (options.latest === 'true' || (options.latest === 'auto' && stableRelease)) tags.push('latest');
  tags.push(...options.extraTags);
  // A raw tag that looks immutable is guarded like a computed one: `sha-deadbee` or `v9.9.9` never moves silently.
  immutable.push(...options.extraTags.filter(looksImmutable));
  const unique = [...new Set(tags)];
  return { tags: unique, immutable: [...new Set(immutable)], version: version || (revision ? `sha-${revision.slice(0, 7)}` : (unique[0] ?? '')), revision, release };
}

/** sha-<7 to 40 hex> or an exact semver version (optional v/V prefix, pre-release allowed). */
export function looksImmutable(tag: string): boolean {
  if (/^sha-[0-9a-f]{7,40}$/.test(tag)) return true;
  const bare = /^[vV]/.test(tag) ? tag.slice(1) : tag;
  const parsed = semver.parse(bare);
  return parsed !== null && parsed.raw === bare;
}

/** The commit's `sha-<7>` tag, the key build-push finds an earlier build of the commit by. */
export function shaTag(revision: string): string {
  return `sha-${revision.slice(0, 7)}`;
}

/** The error when computeTags gave no tag at all: the ref gave none, no commit for sha-*, no extra tags. */
export function noTagsMessage(ctx: Pick<RefContext, 'ref'>): string {
  const ref = ctx.ref ? `GITHUB_REF '${ctx.ref}' gives no tag` : 'GITHUB_REF is not set';
  return `no tags to push: ${ref} and input 'tags' is empty (and no GITHUB_SHA for a sha- tag). Outside a GitHub runner set GITHUB_REF and GITHUB_SHA, or the tags input.`;
}

/**
 * The tag a `<image>:<tag>@sha256:…` reference carries for charts that read only a tag: the first tag that never
 * moves (the exact release version, else the commit's sha- tag), else the first tag.
 */
export function pinningTag(computed: { tags: string[]; immutable: string[] }): string {
  return computed.tags.find((t) => computed.immutable.includes(t)) ?? computed.tags[0];
}
