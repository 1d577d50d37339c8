import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
// Toolkit modules imported one by one: the toolkit's index would bundle (and load at start-up) all of it.
import { runAction } from '../toolkit/action.js';
import { makePrivateDir, removeSensitivePaths } from '../toolkit/credentials.js';
import { ActionError, CommandError, errorMessage } from '../toolkit/errors.js';
import { retry } from '../toolkit/retry.js';
import { saveState } from '../toolkit/state.js';
import { appendSummary } from '../toolkit/summary.js';
import { truncate } from '../toolkit/text.js';
import { commitTime, type CommitTime } from './commit-time.js';
import { readRunContext, type RunContext } from './context.js';
import { Docker, defaultDockerBuilder } from './docker.js';
import { privateDockerConfig } from './docker-config.js';
import type { EngineAuth } from './engine.js';
import { isTransientRegistryError } from './errors.js';
import { conflictMessage, immutableConflicts, type ExistingTag } from './guard.js';
import { promotionDecision, readExistingImage, type ExistingImage } from './existing.js';
import type { ImageName } from './images.js';
import { readInputs, type Inputs } from './inputs.js';
import { buildxArgs, cacheArgs, chooseBuilder, ociLabels, outputArg, publishStrategy, resolveCacheMode, secretEnvName, type BuilderInfo } from './plan.js';
import { dockerConfigCredentials, Registry, type Credentials, type Manifest } from './registry.js';
import { CREATED_BUILDER_STATE as CREATED_BUILDER, DOCKER_CONFIG_STATE } from './state-keys.js';
import { failureMarkdown, summaryMarkdown, type BuildReport, type Observed } from './summary.js';
import { computeTags, noTagsMessage, shaTag, type ComputedTags } from './tags.js';


/** The main step; the post step is post.ts (index.ts routes). */
export function run(): Promise<void> {
  return runAction({
    main: async () => {
      const seen: Observed = { tags: [], pushed: [] };
      try {
        await main(seen);
      } catch (err) {
        // Every failure path writes the summary too, with only what this run saw happen.
        await appendSummary(failureMarkdown(seen, errorMessage(err)));
        throw err;
      }
    },
  });
}

const transient = (err: unknown): boolean => isTransientRegistryError(errorMessage(err) + (err instanceof CommandError ? `\n${err.stderr}` : ''));

async function main(seen: Observed): Promise<void> {
  const started = Date.now();
  const ctx = readRunContext();
  const inputs = readInputs(ctx.workspace, ctx.actor);
  const push = inputs.push === 'auto' ? !['pull_request', 'pull_request_target'].includes(ctx.eventName) : inputs.push === 'true';
  const computed = computeTags(ctx, { devBranches: inputs.devBranches, latest: inputs.latest, extraTags: inputs.extraTags });
  if (computed.tags.length === 0) throw new ActionError(noTagsMessage(ctx));
  const refs = inputs.images.flatMap((img) => computed.tags.map((t) => `${img.name}:${t}`));
  core.info(`Tags: ${computed.tags.join(', ')}${push ? '' : ' (not pushed)'}`);
  seen.tags = computed.tags;

  const dockerConfig = privateDockerConfig();
  saveState(DOCKER_CONFIG_STATE, dockerConfig);
  const docker = new Docker(dockerConfig);
  const registries = new Registries(inputs, dockerConfig);
  const cleanup: Cleanup = {};
  try {
    if (push) {
      await core.group('Registry login', async () => {
        for (const login of inputs.logins) {
          await retry(() => docker.login(login.registry, login.username, login.password), { attempts: inputs.retries, baseDelayMs: 1000, isTransient: transient, label: `login to ${login.registry}` });
          core.info(`Logged in to ${login.registry} as ${login.username}`);
        }
        if (inputs.logins.length === 0) core.info('No credentials given: using existing docker logins, if any');
      });
    }
    const retrying = <T>(label: string, fn: () => Promise<T>): Promise<T> => retry(fn, { attempts: inputs.retries, baseDelayMs: 1000, isTransient: transient, label });

    // Build once: a commit whose sha- tag already holds its image is promoted (tagged registry-side), never rebuilt.
    const first = inputs.images[0];
    const shaRef = computed.revision ? shaTag(computed.revision) : '';
    const canPromote = push && !inputs.rebuild && Boolean(shaRef);
    // The image store matters only to the docker driver: for multi-platform output, cache export, or a guarded push.
    const cacheMode = resolveCacheMode(inputs.cache, ctx.onGitHub);
    const needsStore = push || inputs.platforms.length > 1 || cacheMode === 'gha' || cacheMode === 'registry';
    // What a build needs is read while the commit's image is looked up (read-only; unused when promoting).
    const defaultBuilder = defaultDockerBuilder(dockerConfig);
    const builderInfo = defaultBuilder ? Promise.resolve({ name: defaultBuilder, driver: 'docker', platforms: [] as string[] }) : docker.builder();
    // The default builder's platform list only explains a failed build (QEMU missing): asked then, not before.
    const defaultPlatforms = defaultBuilder ? (): Promise<string[]> => docker.builder().then((b) => b.platforms) : undefined;
    const containerdStore = needsStore ? docker.containerdStore() : Promise.resolve(false);
    const created = commitTime({ revision: computed.revision, headCommit: ctx.headCommit, dir: inputs.context, repository: ctx.repository, apiUrl: ctx.apiUrl, token: inputs.githubToken });
    for (const p of [builderInfo, containerdStore, created]) p.catch(() => undefined);
    if (canPromote) {
      const existing = await retrying(`read ${first.name}:${shaRef}`, () => readExistingImage(registries.of(first), first.repository, shaRef));
      const decision = promotionDecision(existing, `${first.name}:${shaRef}`, computed.revision, inputs.platforms);
      core.info(decision.reason);
      if (decision.promote && existing) {
        await promote(existing, { inputs, computed, refs, registries, retrying, started, seen });
        return;
      }
    } else {
      core.info(!push ? 'Not pushing: building' : inputs.rebuild ? 'rebuild: true: building without looking for an image of this commit' : 'No commit (GITHUB_SHA) to find an earlier build by: building');
    }
    const info = await builderInfo;
    const store = info.driver === 'docker' && (await containerdStore);
    const time = logImageTime(await created);
    await build({ inputs, computed, refs, push, docker, registries, retrying, started, seen, ctx, cache: cacheMode, builderInfo: info, platforms: defaultPlatforms, containerdStore: store, created: time, cleanup });
  } finally {
    registries.dispose();
    await cleanUp(docker, cleanup);
  }
}

/** What main made that outlives the build: a builder created for it. */
interface Cleanup {
  builder?: string;
}

/**
 * Main removes what it made, success or failure: the builder it created, then the private DOCKER_CONFIG and
 * the build's metadata folder. The post step (`post-if: failure() || cancelled()`) does it again only when main
 * may not have got here (killed by a cancel or a timeout); the runner empties RUNNER_TEMP after every job too.
 */
async function cleanUp(docker: Docker, made: Cleanup): Promise<void> {
  if (made.builder) {
    const code = await docker.removeBuilder(made.builder);
    if (code === 0) {
      core.info(`Removed builder ${made.builder}`);
      saveState(CREATED_BUILDER, '');
    } else {
      core.warning(`docker buildx rm ${made.builder} exited ${code}: the post step tries again only if the job fails`);
    }
  }
  const removed = removeSensitivePaths();
  core.debug(`Removed ${removed.length} private director${removed.length === 1 ? 'y' : 'ies'}: ${removed.join(', ')}`);
}

interface Run {
  inputs: Inputs;
  computed: ComputedTags;
  refs: string[];
  registries: Registries;
  retrying: <T>(label: string, fn: () => Promise<T>) => Promise<T>;
  started: number;
  seen: Observed;
}

/** The registry client of each image's registry host, with the login given for it or the docker config's. */
class Registries {
  private readonly byHost = new Map<string, Registry>();
  constructor(
    private readonly inputs: Inputs,
    private readonly dockerConfig: string,
  ) {}

  of(image: ImageName): Registry {
    let registry = this.byHost.get(image.registry);
    if (!registry) {
      registry = new Registry(image.registry, () => this.credentials(image.registry));
      this.byHost.set(image.registry, registry);
    }
    return registry;
  }

  /** The credentials the daemon pushes with (X-Registry-Auth), as `docker push` would send them. */
  async engineAuth(image: ImageName): Promise<EngineAuth | undefined> {
    const creds = await this.credentials(image.registry);
    return creds && { ...creds, serveraddress: image.registry };
  }

  private async credentials(registry: string): Promise<Credentials | undefined> {
    const login = this.inputs.logins.find((l) => l.registry === registry);
    return login ? { username: login.username, password: login.password } : dockerConfigCredentials(this.dockerConfig, registry);
  }

  dispose(): void {
    for (const r of this.byHost.values()) r.dispose();
  }
}

/** Logs where the image timestamp came from (a warning when no source knew the commit) and returns it. */
function logImageTime(found: CommitTime): string {
  if (found.source === 'none') {
    core.warning(`No commit time found (${found.notes.join('; ')}): the image timestamp is ${found.time}, the same on every re-run. Check out the repository or give github-token contents: read.`);
  } else {
    core.info(`Image timestamp ${found.time} (commit time from ${found.source === 'event' ? 'the event' : found.source === 'git' ? 'git' : 'the GitHub API'})`);
  }
  return found.time;
}

/**
 * Fails (naming both digests) when an immutable tag of any image already points at another digest. Returns what
 * it read: each immutable ref and its digest (undefined: absent); nothing when allow-overwrite skips it.
 */
async function guard(run: Run, digest: string): Promise<(ExistingTag & { image: ImageName; tag: string })[]> {
  if (run.inputs.allowOverwrite) return [];
  return core.group('Immutable tag guard', async () => {
    const existing = await Promise.all(
      run.inputs.images.flatMap((img) =>
        run.computed.immutable.map(async (tag) => {
          const ref = `${img.name}:${tag}`;
          const current = await run.retrying(`inspect ${ref}`, () => run.registries.of(img).digestOf(img.repository, tag));
          core.info(`${ref}: ${current ?? 'not present yet'}`);
          return { image: img, tag, ref, digest: current };
        }),
      ),
    );
    const conflicts = immutableConflicts(existing, digest);
    if (conflicts.length) throw new ActionError(conflictMessage(conflicts, digest));
    return existing;
  });
}

/** Puts tags on one exact manifest registry-side (the same bytes: the tag resolves to the same digest). */
async function putTags(run: Run, img: ImageName, tags: string[], manifest: Manifest): Promise<void> {
  if (tags.length === 0) return;
  await Promise.all(
    tags.map(async (t) => {
      await run.retrying(`tag ${img.name}:${t}`, () => run.registries.of(img).putTag(img.repository, t, manifest));
      run.seen.pushed.push(`${img.name}:${t}`);
    }),
  );
  core.info(`Tagged ${img.name}@${manifest.digest}: ${tags.join(', ')}`);
}

async function manifestIn(run: Run, img: ImageName, digest: string): Promise<Manifest> {
  const manifest = await run.retrying(`read ${img.name}@${digest}`, () => run.registries.of(img).manifest(img.repository, digest));
  if (!manifest) throw new ActionError(`${img.name}@${digest} is not in the registry: nothing more was tagged`);
  return manifest;
}

async function promote(existing: ExistingImage, run: Run): Promise<void> {
  const { inputs, computed } = run;
  const digest = existing.manifest.digest;
  // Every image must already hold the digest: promotion tags, it never copies an image between registries.
  const missing = (await Promise.all(inputs.images.slice(1).map(async (img) => ((await run.retrying(`inspect ${img.name}@${digest}`, () => run.registries.of(img).digestOf(img.repository, digest))) ? undefined : img.name)))).filter(
    (n): n is string => Boolean(n),
  );
  if (missing.length) {
    throw new ActionError(
      `${inputs.images[0].name}:${shaTag(computed.revision)} is ${digest}, built from this commit, but ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not hold that digest: nothing was tagged. Push the image there first, or set rebuild: true (with allow-overwrite: true, the sha- tag moves).`,
    );
  }
  await guard(run, digest);
  await core.group('Promote (no build)', async () => {
    await Promise.all(inputs.images.map((img) => putTags(run, img, computed.tags, existing.manifest)));
  });
  const report = { digest, platforms: existing.platforms, labels: existing.labels, pushed: true, promoted: true, alreadyHeld: inputs.images.map((i) => i.name), cache: '', builder: '' };
  writeOutputs(run, report);
  await appendSummary(summaryMarkdown({ ...summaryBase(run, report), builder: '—', cache: '—', built: `no: promoted ${shaTag(computed.revision)}, built earlier from this commit` }));
}

interface Report {
  digest: string;
  platforms: string[];
  labels: Record<string, string>;
  pushed: boolean;
  promoted: boolean;
  /** Images whose registry already held the digest: nothing was uploaded there, only tags were put. */
  alreadyHeld: string[];
  cache: string;
  builder: string;
}

function writeOutputs(run: Run, r: Report): void {
  const { inputs, computed, refs } = run;
  const imageRefs = inputs.images.map((img) => `${img.name}@${r.digest}`);
  core.setOutput('digest', r.digest);
  core.setOutput('image-ref', imageRefs[0]);
  core.setOutput('image-refs', imageRefs.join('\n'));
  core.setOutput('tags', refs.join('\n'));
  core.setOutput('version', computed.version);
  core.setOutput(
    'metadata',
    JSON.stringify({ images: inputs.images.map((i) => i.name), tags: computed.tags, refs, digest: r.digest, platforms: r.platforms, labels: r.labels, pushed: r.pushed, promoted: r.promoted, alreadyHeld: r.alreadyHeld, cache: r.cache, builder: r.builder, durationMs: Date.now() - run.started }),
  );
}

function summaryBase(run: Run, r: Report): Omit<BuildReport, 'builder' | 'cache' | 'built'> {
  return {
    images: run.inputs.images.map((i) => i.name),
    tags: run.computed.tags,
    refs: run.refs,
    digest: r.digest,
    platforms: r.platforms,
    pushed: r.pushed,
    durationMs: Date.now() - run.started,
    immutableCheck: !r.pushed ? undefined : run.inputs.allowOverwrite ? 'skipped' : run.computed.immutable,
  };
}

interface BuildRun extends Run {
  push: boolean;
  docker: Docker;
  ctx: RunContext;
  cache: ReturnType<typeof resolveCacheMode>;
  builderInfo: BuilderInfo & { platforms: string[] };
  /** Asks the current builder's platforms when builderInfo came without them. */
  platforms?: () => Promise<string[]>;
  containerdStore: boolean;
  created: string;
  cleanup: Cleanup;
}

async function build(run: BuildRun): Promise<void> {
  const { inputs, computed, refs, push, docker, ctx, cache } = run;
  const builder = await core.group('Builder', () => prepareBuilder(run));
  const strategy = publishStrategy(builder.driver, push);
  const labels = ociLabels({ serverUrl: ctx.serverUrl, repository: ctx.repository, revision: computed.revision, version: computed.version, created: run.created }, inputs.labels);
  const metadataFile = path.join(makePrivateDir('build-metadata'), 'metadata.json');
  const args = buildxArgs({
    context: inputs.context,
    file: inputs.file,
    target: inputs.target,
    platforms: inputs.platforms,
    labels,
    buildArgs: inputs.buildArgs,
    secretIds: Object.keys(inputs.secrets),
    cache: cacheArgs(cache, inputs.images, computed.tags[0]),
    output: outputArg(strategy, builder.driver, refs, inputs.images),
    provenance: inputs.provenance,
    sbom: inputs.sbom,
    metadataFile,
    builder: builder.created ? builder.name : undefined,
  });
  const buildEnv: Record<string, string> = { SOURCE_DATE_EPOCH: String(Math.floor(Date.parse(run.created) / 1000)) };
  for (const [id, value] of Object.entries(inputs.secrets)) buildEnv[secretEnvName(id)] = value;

  if (builder.platforms) warnMissingPlatforms(builder.name, inputs.platforms, builder.platforms);
  try {
    await core.group(`Build ${inputs.platforms.join(', ')}`, () =>
      retry(() => docker.build(args, buildEnv), { attempts: strategy === 'push-by-digest' ? inputs.retries : 1, baseDelayMs: 2000, isTransient: transient, label: 'build' }),
    );
  } catch (err) {
    if (!builder.platforms && run.platforms) warnMissingPlatforms(builder.name, inputs.platforms, await run.platforms().catch(() => []));
    throw err;
  }
  const metadata = JSON.parse(fs.readFileSync(metadataFile, 'utf8')) as Record<string, unknown>;
  const digest = String(metadata['containerimage.digest'] ?? '');
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new ActionError(`buildx did not report an image digest (metadata: ${truncate(JSON.stringify(metadata), 300)})`);
  core.info(`Digest: ${digest}`);
  run.seen.digest = digest;

  const alreadyHeld: string[] = [];
  if (push) {
    const guarded = await guard(run, digest);
    await core.group('Publish', async () => {
      if (strategy === 'docker-push') {
        // `docker push` uploads the blobs, child manifests and index under the first tag, one image at a time:
        // concurrent pushes of one index share the daemon's upload tracking, one can skip a child manifest the
        // other is still uploading, and the registry then refuses the index ("references to blobs and/or
        // manifests are missing", 400). The other tags are then put registry-side on that exact manifest.
        const [firstTag, ...otherTags] = computed.tags;
        for (const img of inputs.images) {
          // The guard saw this digest under an immutable tag of the image (a rebuild of a pushed commit gave the
          // same bytes): the registry holds the image whole, so the tags are put on it and nothing is uploaded.
          const holding = guarded.filter((g) => g.image === img && g.digest === digest).map((g) => g.tag);
          if (holding.length) {
            core.info(`${img.name} already holds ${digest} (${holding.join(', ')}): nothing to push`);
            alreadyHeld.push(img.name);
            await putTags(run, img, computed.tags.filter((t) => !holding.includes(t)), await manifestIn(run, img, digest));
            continue;
          }
          const ref = `${img.name}:${firstTag}`;
          await run.retrying(`push ${ref}`, () => docker.push(img.name, firstTag, () => run.registries.engineAuth(img)));
          run.seen.pushed.push(ref);
          core.info(`Pushed ${ref}`);
          if (otherTags.length) await putTags(run, img, otherTags, await manifestIn(run, img, digest));
        }
      } else {
        const manifest = await manifestIn(run, inputs.images[0], digest);
        await Promise.all(inputs.images.map((img) => putTags(run, img, computed.tags, manifest)));
      }
    });
  }
  const report = { digest, platforms: inputs.platforms, labels, pushed: push, promoted: false, alreadyHeld, cache, builder: builder.name };
  writeOutputs(run, report);
  await appendSummary(
    summaryMarkdown({ ...summaryBase(run, report), alreadyHeld, cache, builder: `${builder.name} (${builder.driver}${builder.created ? ', created for this build' : ''})`, built: 'yes' }),
  );
}

interface PreparedBuilder {
  name: string;
  driver: string;
  created: boolean;
  /** Undefined when not known yet (the default builder's list comes in the background). */
  platforms?: string[];
}

function warnMissingPlatforms(name: string, wanted: string[], platforms: string[]): void {
  const missing = wanted.filter((p) => !platforms.some((bp) => bp === p || bp.startsWith(`${p}/`)));
  if (missing.length && platforms.length) {
    core.warning(`Builder '${name}' does not list ${missing.join(', ')} (it has ${platforms.join(', ')}): RUN steps for those platforms need QEMU (docker/setup-qemu-action); COPY-only stages build anyway.`);
  }
}

async function prepareBuilder(run: BuildRun): Promise<PreparedBuilder> {
  const { docker, inputs, ctx, cleanup, builderInfo: current } = run;
  const choice = chooseBuilder(current, current.driver === 'docker' && run.containerdStore, inputs.platforms, run.cache, run.push);
  core.info(choice.reason);
  core.info(docker.buildxPath ? `buildx: ${docker.buildxPath} (the docker CLI's plugin, run directly)` : 'buildx: docker buildx');
  if (choice.use === 'create') {
    const name = `platform-actions-${ctx.runId}-${process.pid}`;
    saveState(CREATED_BUILDER, name);
    cleanup.builder = name;
    await docker.createBuilder(name);
    const made = await docker.builder(name);
    return { name, driver: made.driver, created: true, platforms: made.platforms };
  }
  return { name: current.name, driver: current.driver, created: false, platforms: current.platforms.length ? current.platforms : undefined };
}
