import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
// Toolkit modules imported one by one: the toolkit's index would bundle (and load at start-up) all of it.
import { makePrivateDir, removeSensitivePaths } from '../toolkit/credentials.js';
import { ActionError, CommandError, errorMessage } from '../toolkit/errors.js';
import { isTransientRegistryError } from '../toolkit/registry-errors.js';
import { retry, sleep } from '../toolkit/retry.js';
import { saveState } from '../toolkit/state.js';
import { appendSummary } from '../toolkit/summary.js';
import { truncate } from '../toolkit/text.js';
import { commitTime, type CommitTime } from './commit-time.js';
import { claimOutcome, correctedRefs, settleRemaining, uploadTag, type ClaimOutcome } from './converge.js';
import type { RunContext } from './context.js';
import { Docker, defaultDockerBuilder } from './docker.js';
import { privateDockerConfig } from './docker-config.js';
import type { EngineAuth } from './engine.js';
import { conflictMessage, immutableConflicts, type ExistingTag } from './guard.js';
import { promotionDecision, readExistingImage, type ExistingImage } from './existing.js';
import type { ImageName } from './images.js';
import type { Inputs } from './inputs.js';
import { buildxArgs, cacheArgs, chooseBuilder, ociLabels, outputArg, publishStrategy, resolveCacheMode, secretEnvName, type BuilderInfo } from './plan.js';
import type { Credentials, Manifest } from '../toolkit/registry.js';
import { dockerConfigCredentials, Registry } from './registry.js';
import { CREATED_BUILDER_STATE as CREATED_BUILDER, DOCKER_CONFIG_STATE } from './state-keys.js';
import { summaryMarkdown, type BuildReport, type Observed } from './summary.js';
import { computeTags, noTagsMessage, pinningTag, shaTag, type ComputedTags } from './tags.js';

/** What a failed call said: its message and, for a command, its whole stderr (the classifiers read both). */
const failureText = (err: unknown): string => errorMessage(err) + (err instanceof CommandError ? `\n${err.stderr}` : '');
const transient = (err: unknown): boolean => isTransientRegistryError(failureText(err));

// Two builds of one commit on one daemon (the branch run and the tag run on one self-hosted runner) name the same
// tag in the containerd image store at the same moment: the second is refused with exactly this (captured in this
// project's CI, docker 26.1 + buildx 0.13). Building again (all cached) names it once the first is done.
const DAEMON_NAMING_RACE = /ERROR: failed to solve: image "[^"\s]+": already exists/;
export const namingRace = (err: unknown): boolean => DAEMON_NAMING_RACE.test(failureText(err));

/** The build and push, once main.ts has read the inputs (`started`: when main began, for the reported duration). */
export async function publish(seen: Observed, ctx: RunContext, inputs: Inputs, started: number): Promise<void> {
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
        await publishOn(existing, { inputs, computed, refs, registries, retrying, started, seen }, { kind: 'promoted', observedAt: Date.now() });
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
async function guard(run: Run, digest: string, exempt: string[] = []): Promise<(ExistingTag & { image: ImageName; tag: string })[]> {
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
    // A tag this run pushed itself (then lost the sha- claim to a concurrent run of the commit) is put right, not
    // guarded; so is the sha- tag while this run claims it (claimShaTag adopts or refuses what it holds).
    const conflicts = immutableConflicts(existing, digest).filter((c) => !exempt.includes(c.ref));
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

/**
 * Claims the commit's sha- tag of `img` for `manifest`: PUT only when absent, then read again after the claim window.
 * Returns when the claim stands, or the concurrent run's image of the commit that holds the tag instead.
 */
async function claimShaTag(run: Run, img: ImageName, manifest: Manifest): Promise<{ at: number } | { lost: { existing: ExistingImage; at: number } }> {
  const shaRef = shaTag(run.computed.revision);
  const ref = `${img.name}:${shaRef}`;
  const before = await readClaim(run);
  const first = outcomeOf(run, before.existing, manifest.digest);
  if (first.kind === 'adopt' && before.existing) return { lost: { existing: before.existing, at: before.at } };
  if (first.kind === 'foreign') throw new ActionError(conflictMessage([{ ref, digest: first.digest }], manifest.digest));
  if (first.kind === 'free') await putTags(run, img, [shaRef], manifest);
  const settled = await settledClaim(run, Date.now());
  const outcome = outcomeOf(run, settled.existing, manifest.digest);
  if (outcome.kind === 'ours') {
    core.info(`${ref} holds ${manifest.digest}: this run's claim stands`);
    return { at: settled.at };
  }
  if (outcome.kind === 'adopt' && settled.existing) return { lost: { existing: settled.existing, at: settled.at } };
  throw new ActionError(`${outcome.kind === 'free' ? `${ref} vanished after this run put it` : outcome.reason}: nothing more was tagged`);
}

async function manifestIn(run: Run, img: ImageName, digest: string): Promise<Manifest> {
  const manifest = await run.retrying(`read ${img.name}@${digest}`, () => run.registries.of(img).manifest(img.repository, digest));
  if (!manifest) throw new ActionError(`${img.name}@${digest} is not in the registry: nothing more was tagged`);
  return manifest;
}

/** How a run came to tag an image it did not publish itself. */
type Adoption =
  /** The commit's sha- tag held its image when the run started: nothing built. */
  | { kind: 'promoted'; observedAt: number }
  /** After building `built`, the sha- tag was found holding a concurrent run's image of the commit. */
  | { kind: 'adopted'; built: string; observedAt: number };

/** How long a run that adopted waits for the winner to reach the other images (it pushes them one after the other). */
const ADOPT_WAIT_MS = 120_000;

/** The commit's sha- tag of the first image as it is now, and when it was read. */
async function readClaim(run: Run): Promise<{ existing: ExistingImage | undefined; at: number }> {
  const first = run.inputs.images[0];
  const shaRef = shaTag(run.computed.revision);
  const existing = await run.retrying(`read ${first.name}:${shaRef}`, () => readExistingImage(run.registries.of(first), first.repository, shaRef));
  return { existing, at: Date.now() };
}

function outcomeOf(run: Run, existing: ExistingImage | undefined, ours: string): ClaimOutcome {
  return claimOutcome(existing, ours, `${run.inputs.images[0].name}:${shaTag(run.computed.revision)}`, run.computed.revision, run.inputs.platforms);
}

/** The sha- tag read again once the claim window since `since` has passed (see converge.ts). */
async function settledClaim(run: Run, since: number): Promise<{ existing: ExistingImage | undefined; at: number }> {
  const wait = settleRemaining(since, Date.now(), run.inputs.claimWindowMs);
  if (wait > 0) core.info(`Reading ${shaTag(run.computed.revision)} again in ${wait} ms, once a concurrent run of this commit would have landed its claim`);
  await sleep(wait);
  return readClaim(run);
}

/** Images (after the first) that do not hold `digest` yet; an adopting run waits for the winner's pushes to reach them. */
async function imagesMissing(run: Run, digest: string, wait: boolean): Promise<string[]> {
  const deadline = Date.now() + (wait ? ADOPT_WAIT_MS : 0);
  for (;;) {
    const missing = (await Promise.all(run.inputs.images.slice(1).map(async (img) => ((await run.retrying(`inspect ${img.name}@${digest}`, () => run.registries.of(img).digestOf(img.repository, digest))) ? undefined : img.name)))).filter(
      (n): n is string => Boolean(n),
    );
    if (missing.length === 0 || Date.now() >= deadline) return missing;
    core.info(`Waiting for ${digest} to reach ${missing.join(', ')} (the concurrent run pushes one image after the other)`);
    await sleep(3000);
  }
}

/**
 * Puts every tag of this run on an image already in the registry: an earlier build of the commit (promoted) or a
 * concurrent run's (adopted). Tags this run had pushed with its own digest are re-pointed. Then the sha- tag is read
 * again after the claim window: if a concurrent claim replaced it meanwhile, the tags follow it.
 */
async function publishOn(existing: ExistingImage, run: Run, how: Adoption): Promise<void> {
  const { inputs, computed } = run;
  const pushedBefore = [...run.seen.pushed];
  let current = existing;
  let observedAt = how.observedAt;
  for (let round = 1; ; round++) {
    const digest = current.manifest.digest;
    // Every image must already hold the digest: promotion tags, it never copies an image between registries.
    const missing = await imagesMissing(run, digest, how.kind === 'adopted' || round > 1);
    if (missing.length) {
      throw new ActionError(
        `${inputs.images[0].name}:${shaTag(computed.revision)} is ${digest}, built from this commit, but ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not hold that digest: nothing was tagged. Push the image there first, or set rebuild: true (with allow-overwrite: true, the sha- tag moves).`,
      );
    }
    await guard(run, digest, [...run.seen.pushed]);
    await core.group(how.kind === 'promoted' && round === 1 ? 'Promote (no build)' : `Adopt ${digest}`, async () => {
      await Promise.all(inputs.images.map((img) => putTags(run, img, computed.tags, current.manifest)));
    });
    const settled = await settledClaim(run, observedAt);
    const outcome = outcomeOf(run, settled.existing, digest);
    if (outcome.kind === 'ours') break;
    if (outcome.kind !== 'adopt' || !settled.existing || round >= 3) {
      const why = outcome.kind === 'free' ? `${inputs.images[0].name}:${shaTag(computed.revision)} vanished after this run tagged ${digest}` : outcome.kind === 'adopt' ? `${outcome.reason}, still moving after ${round} rounds` : outcome.reason;
      throw new ActionError(`${why}: the tags of this run may not all serve one digest`);
    }
    core.warning(outcome.reason);
    current = settled.existing;
    observedAt = settled.at;
  }
  const digest = current.manifest.digest;
  const adopted = how.kind === 'adopted' || current !== existing;
  const built = how.kind === 'adopted' ? how.built : '';
  const corrected = correctedRefs(pushedBefore, run.refs);
  if (adopted) core.notice(`adopted ${digest} pushed by a concurrent run of this commit${built ? ` (this run built ${built}: not published)` : ''}${corrected.length ? `; re-pointed ${corrected.join(', ')}` : ''}`);
  const report: Report = { digest, platforms: current.platforms, labels: current.labels, pushed: true, promoted: how.kind === 'promoted', adopted, built, corrected, alreadyHeld: inputs.images.map((i) => i.name), cache: '', builder: '' };
  writeOutputs(run, report);
  const what = adopted ? `no: adopted ${digest} pushed by a concurrent run of this commit${built ? ` (this run built ${built}: not published)` : ''}` : `no: promoted ${shaTag(computed.revision)}, built earlier from this commit`;
  await appendSummary(summaryMarkdown({ ...summaryBase(run, report), builder: '—', cache: '—', built: what, corrected }));
}

interface Report {
  digest: string;
  platforms: string[];
  labels: Record<string, string>;
  pushed: boolean;
  promoted: boolean;
  /** The tags went on a concurrent run's image of the commit instead of this run's build. */
  adopted: boolean;
  /** The digest this run built ('' when it built nothing); differs from `digest` when adopted. */
  built: string;
  /** Refs this run had pushed with its own digest and re-pointed to the adopted one. */
  corrected: string[];
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
  core.setOutput('tagged-ref', r.digest ? `${inputs.images[0].name}:${pinningTag(computed)}@${r.digest}` : '');
  core.setOutput('tags', refs.join('\n'));
  core.setOutput('version', computed.version);
  core.setOutput(
    'metadata',
    JSON.stringify({ images: inputs.images.map((i) => i.name), tags: computed.tags, refs, digest: r.digest, platforms: r.platforms, labels: r.labels, pushed: r.pushed, promoted: r.promoted, adopted: r.adopted, builtDigest: r.built, corrected: r.corrected, alreadyHeld: r.alreadyHeld, cache: r.cache, builder: r.builder, durationMs: Date.now() - run.started }),
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
      retry(() => docker.build(args, buildEnv), strategy === 'push-by-digest' ? { attempts: inputs.retries, baseDelayMs: 2000, isTransient: transient, label: 'build' } : { attempts: 3, baseDelayMs: 1000, isTransient: namingRace, label: 'build' }),
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
    // One commit, one digest: unless told to rebuild or overwrite, a run that finds the commit's sha- tag holding a
    // concurrent run's image of the commit puts its tags on that image instead of publishing its own (converge.ts).
    const claiming = !inputs.rebuild && !inputs.allowOverwrite && Boolean(computed.revision);
    const shaRef = shaTag(computed.revision);
    if (claiming) {
      const before = await core.group(`Claim ${shaRef}`, () => readClaim(run));
      const outcome = outcomeOf(run, before.existing, digest);
      core.info(outcome.kind === 'free' ? `${inputs.images[0].name}:${shaRef} does not exist yet: this run claims it` : outcome.kind === 'ours' ? `${inputs.images[0].name}:${shaRef} already holds ${digest}` : outcome.reason);
      if (outcome.kind === 'adopt' && before.existing) return publishOn(before.existing, run, { kind: 'adopted', built: digest, observedAt: before.at });
    }
    // The first image's sha- tag is the claim: what it holds by then is decided by claimShaTag, after the upload.
    const guarded = await guard(run, digest, claiming ? [`${inputs.images[0].name}:${shaRef}`] : []);
    let lost: { existing: ExistingImage; at: number } | undefined;
    let claimedAt = 0;
    /** Claims the sha- tag on the first image once it holds the image; false when a concurrent run's claim stands. */
    const claim = async (img: ImageName, manifest: Manifest): Promise<boolean> => {
      const result = await claimShaTag(run, img, manifest);
      if ('lost' in result) {
        lost = result.lost;
        return false;
      }
      claimedAt = result.at;
      return true;
    };
    await core.group('Publish', async () => {
      if (strategy === 'docker-push') {
        // `docker push` uploads the blobs, child manifests and index under one tag, one image at a time:
        // concurrent pushes of one index share the daemon's upload tracking, one can skip a child manifest the
        // other is still uploading, and the registry then refuses the index ("references to blobs and/or
        // manifests are missing", 400). The other tags are then put registry-side on that exact manifest. The
        // upload tag is a moving one when there is one: it is re-pointed if the run loses the sha- claim.
        const pushTag = uploadTag(computed.tags, computed.immutable, shaRef);
        for (const [i, img] of inputs.images.entries()) {
          // The guard saw this digest under an immutable tag of the image (a rebuild of a pushed commit gave the
          // same bytes): the registry holds the image whole, so the tags are put on it and nothing is uploaded.
          const holding = guarded.filter((g) => g.image === img && g.digest === digest).map((g) => g.tag);
          let rest = computed.tags;
          if (holding.length) {
            core.info(`${img.name} already holds ${digest} (${holding.join(', ')}): nothing to push`);
            alreadyHeld.push(img.name);
            rest = rest.filter((t) => !holding.includes(t));
          } else {
            const ref = `${img.name}:${pushTag}`;
            await run.retrying(`push ${ref}`, () => docker.push(img.name, pushTag, () => run.registries.engineAuth(img)));
            run.seen.pushed.push(ref);
            core.info(`Pushed ${ref}`);
            rest = rest.filter((t) => t !== pushTag);
          }
          if (rest.length === 0 && !(i === 0 && claiming)) continue;
          const manifest = await manifestIn(run, img, digest);
          if (i === 0 && claiming) {
            if (!(await claim(img, manifest))) return;
            rest = rest.filter((t) => t !== shaRef);
          }
          await putTags(run, img, rest, manifest);
        }
      } else {
        const manifest = await manifestIn(run, inputs.images[0], digest);
        if (claiming && !(await claim(inputs.images[0], manifest))) return;
        await Promise.all(inputs.images.map((img, i) => putTags(run, img, i === 0 && claiming ? computed.tags.filter((t) => t !== shaRef) : computed.tags, manifest)));
      }
    });
    if (lost) {
      const { existing, at } = lost;
      return publishOn(existing, run, { kind: 'adopted', built: digest, observedAt: at });
    }
    if (claiming) {
      // A claim that landed later than the window allows (a PUT retried after a 5xx) still wins the registry's last
      // write: the tags follow it.
      const after = await settledClaim(run, claimedAt);
      const outcome = outcomeOf(run, after.existing, digest);
      if (outcome.kind === 'adopt' && after.existing) {
        core.warning(outcome.reason);
        return publishOn(after.existing, run, { kind: 'adopted', built: digest, observedAt: after.at });
      }
      if (outcome.kind !== 'ours') throw new ActionError(`${outcome.kind === 'free' ? `${inputs.images[0].name}:${shaRef} vanished after this run pushed it` : outcome.reason}: the tags of this run may not all serve one digest`);
    }
  }
  const report: Report = { digest, platforms: inputs.platforms, labels, pushed: push, promoted: false, adopted: false, built: digest, corrected: [], alreadyHeld, cache, builder: builder.name };
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
