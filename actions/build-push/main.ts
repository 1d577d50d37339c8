import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ActionError,
  CommandError,
  appendSummary,
  errorMessage,
  loadState,
  makePrivateDir,
  removeSensitivePaths,
  retry,
  runAction,
  runCommand,
  saveState,
  truncate,
} from '../toolkit/index.js';
import { readRunContext, type RunContext } from './context.js';
import { Docker } from './docker.js';
import { privateDockerConfig } from './docker-config.js';
import { isTransientRegistryError } from './errors.js';
import { conflictMessage, immutableConflicts } from './guard.js';
import { readInputs, type Inputs } from './inputs.js';
import { buildxArgs, cacheArgs, chooseBuilder, ociLabels, outputArg, publishStrategy, resolveCacheMode, secretEnvName } from './plan.js';
import { summaryMarkdown } from './summary.js';
import { computeTags, noTagsMessage } from './tags.js';

const CREATED_BUILDER = 'createdBuilder';
const DOCKER_CONFIG_STATE = 'dockerConfig';

export function run(): Promise<void> {
  return runAction({ main, post });
}

const transient = (err: unknown): boolean => isTransientRegistryError(errorMessage(err) + (err instanceof CommandError ? `\n${err.stderr}` : ''));

async function main(): Promise<void> {
  const started = Date.now();
  const ctx = readRunContext();
  const inputs = readInputs(ctx.workspace, ctx.actor);
  const push = inputs.push === 'auto' ? !['pull_request', 'pull_request_target'].includes(ctx.eventName) : inputs.push === 'true';
  const computed = computeTags(ctx, { devBranches: inputs.devBranches, latest: inputs.latest, extraTags: inputs.extraTags });
  if (computed.tags.length === 0) throw new ActionError(noTagsMessage(ctx));
  const refs = inputs.images.flatMap((img) => computed.tags.map((t) => `${img.name}:${t}`));
  core.info(`Tags: ${computed.tags.join(', ')}${push ? '' : ' (not pushed)'}`);

  const dockerConfig = privateDockerConfig();
  saveState(DOCKER_CONFIG_STATE, dockerConfig);
  const docker = new Docker(dockerConfig);

  if (push) {
    await core.group('Registry login', async () => {
      for (const login of inputs.logins) {
        await retry(() => docker.login(login.registry, login.username, login.password), { attempts: inputs.retries, baseDelayMs: 1000, isTransient: transient, label: `login to ${login.registry}` });
        core.info(`Logged in to ${login.registry} as ${login.username}`);
      }
      if (inputs.logins.length === 0) core.info('No credentials given: using existing docker logins, if any');
    });
  }

  const cache = resolveCacheMode(inputs.cache, ctx.onGitHub);
  const builder = await core.group('Builder', () => prepareBuilder(docker, inputs, cache, ctx));
  const strategy = publishStrategy(builder.driver, push);
  const created = ctx.commitTime ?? (await commitTime(inputs.context)) ?? new Date().toISOString();
  const labels = ociLabels({ serverUrl: ctx.serverUrl, repository: ctx.repository, revision: computed.revision, version: computed.version, created }, inputs.labels);
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
  const buildEnv: Record<string, string> = { SOURCE_DATE_EPOCH: String(Math.floor(Date.parse(created) / 1000)) };
  for (const [id, value] of Object.entries(inputs.secrets)) buildEnv[secretEnvName(id)] = value;

  await core.group(`Build ${inputs.platforms.join(', ')}`, () =>
    retry(() => docker.build(args, buildEnv), { attempts: strategy === 'push-by-digest' ? inputs.retries : 1, baseDelayMs: 2000, isTransient: transient, label: 'build' }),
  );
  const metadata = JSON.parse(fs.readFileSync(metadataFile, 'utf8')) as Record<string, unknown>;
  const digest = String(metadata['containerimage.digest'] ?? '');
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new ActionError(`buildx did not report an image digest (metadata: ${truncate(JSON.stringify(metadata), 300)})`);
  core.info(`Digest: ${digest}`);

  const immutableRefs = inputs.images.flatMap((img) => computed.immutable.map((t) => `${img.name}:${t}`));
  const imageRefs = inputs.images.map((img) => `${img.name}@${digest}`);
  const writeOutputs = (): void => {
    core.setOutput('digest', digest);
    core.setOutput('image-ref', imageRefs[0]);
    core.setOutput('image-refs', imageRefs.join('\n'));
    core.setOutput('tags', refs.join('\n'));
    core.setOutput('version', computed.version);
    core.setOutput(
      'metadata',
      JSON.stringify({ images: inputs.images.map((i) => i.name), tags: computed.tags, refs, digest, platforms: inputs.platforms, labels, pushed: push, cache, builder: builder.name, durationMs: Date.now() - started }),
    );
  };

  if (push) {
    if (!inputs.allowOverwrite) {
      await core.group('Immutable tag guard', async () => {
        const existing = await Promise.all(
          immutableRefs.map(async (ref) => {
            const current = await retry(() => docker.remoteDigest(ref), { attempts: inputs.retries, baseDelayMs: 1000, isTransient: transient, label: `inspect ${ref}` });
            core.info(`${ref}: ${current ?? 'not present yet'}`);
            return { ref, digest: current };
          }),
        );
        const conflicts = immutableConflicts(existing, digest);
        if (conflicts.length) throw new ActionError(conflictMessage(conflicts, digest));
      });
    }
    await core.group('Publish', async () => {
      if (strategy === 'docker-push') {
        // `docker push` uploads the blobs, child manifests and index under the first tag, one image at a time:
        // concurrent pushes of one index share the daemon's upload tracking, one can skip a child manifest the
        // other is still uploading, and the registry then refuses the index ("references to blobs and/or
        // manifests are missing", 400). The other tags are then put registry-side on that exact digest.
        const [firstTag, ...otherTags] = computed.tags;
        for (const img of inputs.images) {
          const ref = `${img.name}:${firstTag}`;
          await retry(() => docker.push(ref), { attempts: inputs.retries, baseDelayMs: 1000, isTransient: transient, label: `push ${ref}` });
          core.info(`Pushed ${ref}`);
          if (otherTags.length) {
            await retry(() => docker.tagByDigest(otherTags.map((t) => `${img.name}:${t}`), `${img.name}@${digest}`), { attempts: inputs.retries, baseDelayMs: 1000, isTransient: transient, label: `tag ${img.name}` });
            core.info(`Tagged ${img.name}@${digest}: ${otherTags.join(', ')}`);
          }
        }
      } else {
        for (const img of inputs.images) {
          const tags = computed.tags.map((t) => `${img.name}:${t}`);
          await retry(() => docker.tagByDigest(tags, `${img.name}@${digest}`), { attempts: inputs.retries, baseDelayMs: 1000, isTransient: transient, label: `tag ${img.name}` });
          core.info(`Tagged ${img.name}@${digest}: ${computed.tags.join(', ')}`);
        }
      }
    });
  }
  writeOutputs();
  await appendSummary(
    summaryMarkdown({
      images: inputs.images.map((i) => i.name),
      tags: computed.tags,
      refs,
      digest,
      platforms: inputs.platforms,
      pushed: push,
      cache,
      builder: `${builder.name} (${builder.driver}${builder.created ? ', created for this build' : ''})`,
      durationMs: Date.now() - started,
      immutableCheck: !push ? undefined : inputs.allowOverwrite ? 'skipped' : computed.immutable,
    }),
  );
}

interface PreparedBuilder {
  name: string;
  driver: string;
  created: boolean;
}

async function prepareBuilder(docker: Docker, inputs: Inputs, cache: ReturnType<typeof resolveCacheMode>, ctx: RunContext): Promise<PreparedBuilder> {
  const current = await docker.builder();
  const choice = chooseBuilder(current, current.driver === 'docker' && (await docker.containerdStore()), inputs.platforms, cache);
  core.info(choice.reason);
  let result: PreparedBuilder = { name: current.name, driver: current.driver, created: false };
  let platforms = current.platforms;
  if (choice.use === 'create') {
    const name = `platform-actions-${ctx.runId}-${process.pid}`;
    saveState(CREATED_BUILDER, name);
    await docker.createBuilder(name);
    const made = await docker.builder(name);
    platforms = made.platforms;
    result = { name, driver: made.driver, created: true };
  }
  const missing = inputs.platforms.filter((p) => !platforms.some((bp) => bp === p || bp.startsWith(`${p}/`)));
  if (missing.length && platforms.length) {
    core.warning(`Builder '${result.name}' does not list ${missing.join(', ')} (it has ${platforms.join(', ')}): RUN steps for those platforms need QEMU (docker/setup-qemu-action); COPY-only stages build anyway.`);
  }
  return result;
}

async function commitTime(dir: string): Promise<string | undefined> {
  const res = await runCommand('git', ['-C', dir, 'log', '-1', '--format=%cI'], { allowFailure: true }).catch(() => undefined);
  const value = res?.exitCode === 0 ? res.stdout.trim() : '';
  return value && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

async function post(): Promise<void> {
  const builder = loadState<string>(CREATED_BUILDER);
  const dockerConfig = loadState<string>(DOCKER_CONFIG_STATE);
  if (builder && dockerConfig) {
    await new Docker(dockerConfig).removeBuilder(builder);
    core.info(`Removed builder ${builder}`);
  }
  const removed = removeSensitivePaths();
  if (removed.length) core.info(`Removed ${removed.length} temporary credential director${removed.length === 1 ? 'y' : 'ies'}`);
}
