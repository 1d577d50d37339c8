// Pure planning: builder choice, cache flags, labels, outputs, and the buildx argv. No I/O.
import type { ImageName } from './images.js';

export type CacheMode = 'auto' | 'gha' | 'registry' | 'inline' | 'none';

export interface BuilderInfo {
  name: string;
  driver: string;
}

export interface BuilderChoice {
  /** 'current': build on the builder in use; 'create': make a docker-container builder (removed in post). */
  use: 'current' | 'create';
  reason: string;
}

/**
 * The docker driver handles multi-platform output and cache export only with the containerd image store;
 * any other driver (docker-container, remote, kubernetes) handles both. Without that store it cannot guard a push
 * either: the build reports the image ID (the config's digest), and the manifest digest exists only once
 * `docker push` has made it (test/fixtures/docker: buildx-classic-single-*).
 */
export function chooseBuilder(current: BuilderInfo, containerdStore: boolean, platforms: string[], cache: Exclude<CacheMode, 'auto'>, push: boolean): BuilderChoice {
  if (current.driver !== 'docker') return { use: 'current', reason: `builder '${current.name}' (${current.driver} driver) supports the request` };
  if (containerdStore) return { use: 'current', reason: `builder '${current.name}' (docker driver with the containerd image store) supports the request` };
  const needs: string[] = [];
  if (platforms.length > 1) needs.push('a multi-platform image');
  if (cache === 'gha' || cache === 'registry') needs.push(`${cache} cache export`);
  if (push) needs.push('a push whose digest is known before any tag moves');
  if (needs.length === 0) return { use: 'current', reason: `builder '${current.name}' (docker driver) supports the request` };
  return { use: 'create', reason: `the docker driver without the containerd image store cannot do ${needs.join(' or ')}: creating a docker-container builder` };
}

export function resolveCacheMode(mode: CacheMode, onGitHub: boolean): Exclude<CacheMode, 'auto'> {
  if (mode !== 'auto') return mode;
  return onGitHub ? 'gha' : 'none';
}

/** --cache-from/--cache-to pairs. Export errors are ignored so a cache outage never fails a build. */
export function cacheArgs(mode: Exclude<CacheMode, 'auto'>, images: ImageName[], firstTag: string): string[] {
  const first = images[0];
  switch (mode) {
    case 'gha': {
      const scope = first.repository.replace(/[^A-Za-z0-9_.-]/g, '-');
      return ['--cache-from', `type=gha,scope=${scope}`, '--cache-to', `type=gha,mode=max,scope=${scope},ignore-error=true`];
    }
    case 'registry':
      return ['--cache-from', `type=registry,ref=${first.name}:buildcache`, '--cache-to', `type=registry,ref=${first.name}:buildcache,mode=max,ignore-error=true`];
    case 'inline':
      return ['--cache-from', `type=registry,ref=${first.name}:${firstTag}`, '--cache-to', 'type=inline'];
    case 'none':
      return [];
  }
}

export interface LabelContext {
  serverUrl: string;
  repository: string;
  revision: string;
  version: string;
  created: string;
}

export function ociLabels(ctx: LabelContext, extra: Record<string, string>): Record<string, string> {
  const url = `${ctx.serverUrl.replace(/\/$/, '')}/${ctx.repository}`;
  return {
    'org.opencontainers.image.source': url,
    'org.opencontainers.image.url': url,
    'org.opencontainers.image.revision': ctx.revision,
    'org.opencontainers.image.version': ctx.version,
    'org.opencontainers.image.created': ctx.created,
    'org.opencontainers.image.title': ctx.repository.split('/').pop() ?? ctx.repository,
    ...extra,
  };
}

export type Publish = 'docker-push' | 'push-by-digest' | 'none';

/**
 * Nothing reaches a tag before the immutable-tag guard has seen the digest: the docker driver builds into
 * the local image store then `docker push`es it; other drivers push by digest (no tag) then tag with
 * `imagetools create`.
 */
export function publishStrategy(driver: string, push: boolean): Publish {
  if (!push) return 'none';
  return driver === 'docker' ? 'docker-push' : 'push-by-digest';
}

/** CSV field quoting as buildx parses --output. */
function csvField(field: string): string {
  return field.includes(',') || field.includes('"') ? `"${field.replace(/"/g, '""')}"` : field;
}

export function outputArg(strategy: Publish, driver: string, refs: string[], images: ImageName[]): string {
  switch (strategy) {
    case 'docker-push':
      return ['type=image', csvField(`name=${refs.join(',')}`), 'push=false', 'oci-mediatypes=true'].join(',');
    case 'push-by-digest':
      // rewrite-timestamp clamps file times in the layers to SOURCE_DATE_EPOCH (BuildKit 0.13+), so a rebuild of the
      // commit gives the same layers; the docker driver refuses it ("conflicts with unpack").
      return ['type=image', csvField(`name=${images.map((i) => i.name).join(',')}`), 'push-by-digest=true', 'name-canonical=true', 'push=true', 'oci-mediatypes=true', 'rewrite-timestamp=true'].join(',');
    case 'none':
      return driver === 'docker' ? ['type=image', csvField(`name=${refs.join(',')}`), 'push=false', 'oci-mediatypes=true'].join(',') : 'type=cacheonly';
  }
}

export interface BuildPlan {
  context: string;
  file: string;
  target: string;
  platforms: string[];
  labels: Record<string, string>;
  buildArgs: string[];
  secretIds: string[];
  cache: string[];
  output: string;
  provenance: string;
  sbom: boolean;
  metadataFile: string;
  builder?: string;
}

/** `buildx build`'s arguments. Secret values never appear here: each secret is passed as `id=…,env=…` from the child's environment. */
export function buildxArgs(plan: BuildPlan): string[] {
  const args: string[] = [];
  if (plan.builder) args.push('--builder', plan.builder);
  args.push('--platform', plan.platforms.join(','));
  args.push('--file', plan.file);
  if (plan.target) args.push('--target', plan.target);
  for (const [k, v] of Object.entries(plan.labels)) args.push('--label', `${k}=${v}`);
  for (const a of plan.buildArgs) args.push('--build-arg', a);
  for (const id of plan.secretIds) args.push('--secret', `id=${id},env=${secretEnvName(id)}`);
  args.push(...plan.cache);
  args.push('--provenance', plan.provenance, '--sbom', String(plan.sbom));
  args.push('--output', plan.output);
  args.push('--metadata-file', plan.metadataFile);
  args.push(plan.context);
  return args;
}

export function secretEnvName(id: string): string {
  return `BUILD_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
