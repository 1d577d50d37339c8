import * as core from '@actions/core';
import * as path from 'node:path';
// Toolkit modules one by one, not its index: the bundle's first chunk then holds only what a push runs (no kubectl,
// registry or installer code).
import { runAction } from '../toolkit/action.js';
import { makePrivateDir, removeSensitivePaths } from '../toolkit/credentials.js';
import { ActionError, errorMessage } from '../toolkit/errors.js';
import { Git, type TipStore } from '../toolkit/git.js';
import { WireGit, WireUnsupported } from '../toolkit/git-wire.js';
import { appendSummary, markdownTable } from '../toolkit/summary.js';
import { timed, timingsMarkdown } from '../toolkit/timing.js';
import { decideOrder, short } from '../toolkit/source-order.js';
import type { AppState } from './argocd.js';
import { stateMarkdown, unhealthyLines } from './argocd.js';
import type { WaitResult } from './argocd-client.js';
import type { ArgoWait, Inputs } from './inputs.js';
import { readInputs } from './inputs.js';
import type { Change, Provenance } from './message.js';
import { commitMessage, pullRequestBody, pullRequestTitle, revertMessage } from './message.js';
import type { Decide, PushTarget, ServiceOutcome } from './promote.js';
import { SMALL_FILE_LIMIT, fetchConfigTip } from './fetch-tip.js';

export async function run(): Promise<void> {
  await runAction({ main, post });
}

/**
 * The editing code, loaded; compiled too while `waiting()` (the fetch is still out): the first YAML parse costs
 * many times the next ones (V8 compiles each function on first call), so it is done while there is nothing else
 * to do. A fetch already answered, or a file:// remote read in place (no wait to fill), goes straight on: the
 * real parse compiles it.
 */
async function loadEditing(waiting: () => boolean = () => true): Promise<typeof import('./promote.js')> {
  const editing = await import('./promote.js');
  if (waiting()) editing.warmUpEditing();
  return editing;
}

interface AppWait {
  app: string;
  services: string[];
  result?: WaitResult;
}

/** What was observed, written as outputs and summary on every path (success or failure). */
interface Report {
  changed: boolean;
  commit: string;
  pullRequestUrl: string;
  /** A pull request is open: nothing is deployed until it is merged. */
  pending: boolean;
  outcomes: ServiceOutcome[];
  attempts: number;
  reformatted: boolean;
  waits: AppWait[];
  /** Source commits found recorded, per service (known even when the order check then failed). */
  seenLive: Map<string, string>;
  revertCommit: string;
  revertNote: string;
  error?: unknown;
  timings: Array<[string, number]>;
}

const emptyReport = (): Report => ({ changed: false, commit: '', pullRequestUrl: '', pending: false, outcomes: [], attempts: 0, reformatted: false, waits: [], seenLive: new Map(), revertCommit: '', revertNote: '', timings: [] });

async function main(): Promise<void> {
  const report = emptyReport();
  let inputs: Inputs;
  try {
    inputs = readInputs();
  } catch (err) {
    // Outputs and summary on an input error too: a caller's `if:` on them must see what happened.
    report.error = err;
    writeOutputs(report);
    await appendSummary(`### ❌ gitops-promote\n\n**Error:** ${errorMessage(err).split('\n')[0]}\n`);
    throw err;
  }
  try {
    await promote(inputs, report);
  } catch (err) {
    report.error = err;
  }
  writeOutputs(report);
  await appendSummary(summaryMarkdown(inputs, report));
  if (report.error) throw report.error;
}

const changesOf = (outcomes: readonly ServiceOutcome[]): Change[] =>
  outcomes.filter((o) => o.changed).map((o) => ({ app: o.service.name, image: o.service.image.reference, previousImage: o.plan.previousImage, file: o.service.file, fields: o.plan.fields }));

/** decideOrder bound to the run's source commit and policy; one comparison per live commit, however many services and attempts. */
function orderDecider(inputs: Inputs, seen: Map<string, string>): Decide {
  const cache = new Map<string, ReturnType<Decide>>();
  return (live, service) => {
    if (live && !seen.has(service)) seen.set(service, live);
    const what = `${service} in ${inputs.environment}`;
    const key = `${live ?? ''}\0${service}`;
    let d = cache.get(key);
    if (!d) {
      d = decideOrder(live, inputs.sourceCommit, inputs.compare, inputs.policy, what).then((r) => (r.kind === 'superseded' ? { kind: 'superseded' as const, message: r.message } : { kind: 'proceed' as const, note: r.note }));
      cache.set(key, d);
    }
    return d;
  };
}

/**
 * The in-process client for a push (git-wire.ts), or why not: a pull request, `git-client: git`, or a remote or
 * git setting only the git CLI serves.
 */
function wireClient(inputs: Inputs): WireGit | undefined {
  if (inputs.mode !== 'push' || inputs.gitClient === 'git') return undefined;
  try {
    return WireGit.for(inputs.repository.url, { token: inputs.token, authOrigin: inputs.repository.authOrigin, identity: inputs.author });
  } catch (err) {
    if (!(err instanceof WireUnsupported)) throw err;
    core.info(`Using the git CLI: the in-process client does not handle ${err.message}`);
    return undefined;
  }
}

async function promote(inputs: Inputs, report: Report): Promise<void> {
  const wire = wireClient(inputs);
  try {
    await promoteWith(inputs, report, wire);
  } finally {
    // A push session opened with the fetch and not used (nothing to change, a failure) is ended.
    wire?.close();
  }
}

async function promoteWith(inputs: Inputs, report: Report, wire: WireGit | undefined): Promise<void> {
  const provenance: Provenance = { environment: inputs.environment, sourceRepository: inputs.sourceRepository, sourceCommit: inputs.sourceCommit, runUrl: inputs.runUrl };
  // The CLI's clone directory and credentials file are made only when the CLI runs.
  let cli: Git | undefined;
  const gitCli = (): Git => {
    if (cli) return cli;
    const dir = path.join(makePrivateDir('gitops-promote'), 'config.git');
    const includeConfig = inputs.token && inputs.repository.authOrigin ? Git.writeAuthConfig(inputs.repository.authOrigin, inputs.token) : undefined;
    cli = new Git(dir, { identity: inputs.author, ...(includeConfig ? { includeConfig } : {}) });
    return cli;
  };
  const names = inputs.services.map((s) => s.name).join(', ');
  let store: TipStore | undefined = wire;

  let editing!: typeof import('./promote.js');
  const tip = await timed(report.timings, 'Fetch', () =>
    core.group(`Fetch the tip of '${inputs.branch}' of ${inputs.repository.display} (depth 1, files up to ${SMALL_FILE_LIMIT / 1024} KiB, no checkout)`, async () => {
      if (wire) {
        // The editing code (the yaml package with it) loads and compiles while the server packs the tip.
        let fetched = false;
        const fetching = wire.fetchTip(inputs.branch).then((sha) => ({ sha }), (err: unknown) => ({ err }));
        void fetching.then(() => (fetched = true));
        const [r, loaded] = await Promise.all([fetching, loadEditing(() => !fetched && !wire.canReadInPlace)]);
        editing = loaded;
        if ('sha' in r) {
          core.info(wire.readInPlace ? `Read ${r.sha.slice(0, 12)} in place: the remote is a repository on this machine (its tip from git receive-pack)` : `Fetched ${r.sha.slice(0, 12)} in-process (git protocol v2)`);
          return r.sha;
        }
        core.info(`The in-process fetch did not work (${errorMessage(r.err)}); fetching with the git CLI instead`);
        store = undefined;
      }
      const git = gitCli();
      const [r, loaded] = await Promise.all([fetchConfigTip(git, inputs.repository.url, inputs.branch), editing ?? loadEditing()]);
      editing = loaded;
      if (r.exitCode !== 0) {
        const why = r.stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ');
        throw new ActionError(`Could not fetch branch '${inputs.branch}' of ${inputs.repository.display}: ${why || `git clone exited with ${r.exitCode}`}`);
      }
      // The SHA is read with the files (one cat-file for both).
      return `refs/heads/${inputs.branch}`;
    }),
  );
  const { promoteByPush, revertByPush } = editing;
  const options = { create: inputs.create, sourceCommit: inputs.sourceCommit, decide: orderDecider(inputs, report.seenLive) };
  const repo = { git: store ?? gitCli(), branch: inputs.branch, display: inputs.repository.display };

  if (inputs.mode === 'pull-request') {
    const { promoteByPullRequest } = await import('./pull-request.js');
    const pr = await timed(report.timings, 'Pull request', () =>
      core.group(`Promote ${names} to ${inputs.environment} through a pull request`, () =>
        promoteByPullRequest(
          { ...repo, git: gitCli(), tip, head: inputs.pullRequestBranch, owner: inputs.repository.owner ?? '', repo: inputs.repository.name ?? '', token: inputs.token, apiUrl: inputs.apiUrl },
          inputs.services,
          options,
          {
            message: (o) => commitMessage(provenance, changesOf(o)),
            title: (o) => pullRequestTitle(provenance, changesOf(o)),
            body: (o, diff) => pullRequestBody(provenance, changesOf(o), diff),
          },
        ),
      ),
    );
    Object.assign(report, { changed: pr.changed, commit: pr.commit, pullRequestUrl: pr.url, pending: pr.changed, outcomes: pr.outcomes, attempts: 1, reformatted: pr.reformatted });
    logOutcomes(inputs, report.outcomes);
    return;
  }

  const pushTarget: PushTarget = { ...repo, tip, attempts: inputs.pushAttempts };
  const pushed = await timed(report.timings, 'Edit, commit, push', () =>
    core.group(`Promote ${names} to ${inputs.environment} on '${inputs.branch}'`, () => promoteByPush(pushTarget, inputs.services, options, (o) => commitMessage(provenance, changesOf(o)))),
  );
  Object.assign(report, { changed: pushed.changed, commit: pushed.commit, outcomes: pushed.outcomes, attempts: pushed.attempts, reformatted: pushed.reformatted });
  if (pushed.reformatted) core.warning('one edit could not be made in place, so the yaml package re-serialised the file (comments kept, spacing may differ)');
  logOutcomes(inputs, report.outcomes);

  const wait = inputs.wait;
  if (wait.kind === 'none') return;
  // Superseded services are not waited for: what is live there is another run's.
  const live = pushed.outcomes.filter((o) => !o.superseded);
  if (!live.length) return;
  const revision = pushed.changed ? pushed.commit : pushed.base;
  const waits = appWaits(wait, inputs.environment, live.map((o) => o.service.name));
  report.waits = waits;
  const { ArgoCdApi, ArgoCdKubectl, waitForApplication } = await import('./argocd-client.js');
  const kubectl = wait.kind === 'kubectl' ? await kubectlFor(wait) : undefined;
  await timed(report.timings, 'Argo CD wait', () =>
    core.group(`Wait for Argo CD: ${waits.map((w) => w.app).join(', ')} Synced at ${revision.slice(0, 12)} and Healthy`, () =>
      Promise.all(
        waits.map(async (w) => {
          const source = wait.kind === 'api' ? new ArgoCdApi(wait.server, wait.token, w.app, wait.namespace) : new ArgoCdKubectl(kubectl!, w.app, wait.namespace);
          w.result = await waitForApplication(source, { revision, label: waits.length > 1 ? w.app : undefined, timeoutMs: wait.timeoutMs, pollMs: wait.pollMs });
          if (w.result.kind === 'done') core.info(`${w.app} is Synced at ${revision.slice(0, 12)} and Healthy`);
        }),
      ),
    ),
  );
  const failed = waits.filter((w) => w.result?.kind !== 'done');
  if (!failed.length) return;
  const lines = failed.flatMap((w) => (w.result?.state ? unhealthyLines(w.result.state) : []));
  for (const l of lines) core.error(l);
  const why = failed.map((w) => `${w.app}: ${w.result && w.result.kind !== 'done' ? w.result.why : 'no result'}`).join('; ');
  let reverted = '';
  const toRevert = live.filter((o) => o.changed && failed.some((w) => w.services.includes(o.service.name)));
  if (wait.revert && pushed.changed && toRevert.length) {
    const r = await timed(report.timings, 'Revert', () =>
      core.group(`Revert ${toRevert.map((o) => o.service.name).join(', ')} in ${inputs.environment}`, () =>
        revertByPush(pushTarget, toRevert, revertMessage(provenance, pushed.commit, changesOf(toRevert), why)),
      ),
    );
    if (r.reverted) {
      report.revertCommit = r.commit;
      const back = toRevert.map((o) => o.plan.previousImage || 'the previous values').join(', ');
      reverted = ` Pushed revert commit ${r.commit.slice(0, 12)} to '${inputs.branch}' (back to ${back}).`;
    } else {
      report.revertNote = r.reason;
      reverted = ` No revert commit: ${r.reason}.`;
    }
  } else if (wait.revert) {
    reverted = ' Nothing was committed by this run for them, so nothing was reverted.';
  }
  const verdict = failed
    .map((w) => (w.result?.kind === 'failed' ? `Argo CD reports ${w.app} failed at ${revision.slice(0, 12)}: ${w.result.why}` : `Argo CD did not report ${w.app} Synced at ${revision.slice(0, 12)} and Healthy in time: ${w.result && w.result.kind !== 'done' ? w.result.why : ''}`))
    .join('; ');
  throw new ActionError(`${verdict}.${reverted}${lines.length ? `\n${lines.join('\n')}` : ''}`);
}

/** One wait per Application: `argocd-app` templated with each service (`{app}`) and the environment. */
export function appWaits(wait: Exclude<ArgoWait, { kind: 'none' }>, environment: string, services: string[]): AppWait[] {
  const byApp = new Map<string, string[]>();
  for (const s of services) {
    const app = wait.app.replace(/\{app\}/g, s).replace(/\{env\}/g, environment);
    byApp.set(app, [...(byApp.get(app) ?? []), s]);
  }
  return [...byApp].map(([app, svcs]) => ({ app, services: svcs }));
}

async function kubectlFor(wait: Extract<ArgoWait, { kind: 'kubectl' }>): Promise<import('../toolkit/index.js').Kubectl> {
  const { Kubectl, writeKubeconfig } = await import('../toolkit/index.js');
  return new Kubectl({ ...(wait.kubeconfig ? { kubeconfig: writeKubeconfig(wait.kubeconfig) } : {}), context: wait.context });
}

function logOutcomes(inputs: Inputs, outcomes: readonly ServiceOutcome[]): void {
  for (const o of outcomes) {
    if (o.superseded) core.notice(`${o.service.name}: ${o.note}`);
    else core.info(`${o.service.name}: order: ${o.note}`);
    if (!o.superseded && !o.changed) core.info(`${o.service.file} on '${inputs.branch}' already holds ${o.service.image.reference} for ${o.service.name}: nothing to change`);
  }
}

/** The live source commit of the first service that has one recorded (each service's is in `promoted`). */
function liveCommit(r: Report): string {
  return r.outcomes.find((o) => o.plan.liveCommit)?.plan.liveCommit ?? [...r.seenLive.values()][0] ?? '';
}

function writeOutputs(r: Report): void {
  const states = r.waits.filter((w) => w.result?.state).map((w) => [w.app, w.result?.state] as [string, AppState]);
  const status = (pick: (s: AppState) => string): string => (states.length === 1 ? pick(states[0][1]) : states.length ? JSON.stringify(Object.fromEntries(states.map(([a, s]) => [a, pick(s)]))) : '');
  const superseded = r.outcomes.length > 0 && r.outcomes.every((o) => o.superseded);
  core.setOutput('commit', r.commit);
  core.setOutput('pull-request-url', r.pullRequestUrl);
  core.setOutput('pending', String(r.pending));
  core.setOutput('previous-image', r.outcomes.length === 1 ? r.outcomes[0].plan.previousImage : '');
  core.setOutput('changed', String(r.changed));
  core.setOutput('superseded', String(superseded));
  core.setOutput('live-commit', liveCommit(r));
  core.setOutput(
    'promoted',
    JSON.stringify(Object.fromEntries(r.outcomes.map((o) => [o.service.name, { image: o.service.image.reference, previous: o.plan.previousImage, changed: o.changed && r.changed, superseded: o.superseded, 'live-commit': o.plan.liveCommit ?? '' }]))),
  );
  core.setOutput('sync-status', status((s) => s.sync));
  core.setOutput('health-status', status((s) => s.health));
  core.setOutput('revert-commit', r.revertCommit);
}

function summaryMarkdown(inputs: Inputs, r: Report): string {
  const failed = r.error !== undefined;
  const superseded = r.outcomes.length > 0 && r.outcomes.every((o) => o.superseded);
  const icon = failed ? (r.revertCommit ? '↩️' : '❌') : superseded ? '⏭️' : r.changed ? (r.pending ? '🕓' : '✅') : '➖';
  const names = inputs.services.map((s) => s.name).join('`, `');
  const lines = [
    `### ${icon} gitops-promote: \`${names}\` → \`${inputs.environment}\``,
    '',
    markdownTable(
      ['Service', 'Image', 'Previous', 'File', 'Changed', 'Order'],
      inputs.services.map((s) => {
        const o = r.outcomes.find((x) => x.service.name === s.name);
        return [s.name, s.image.reference, o?.plan.previousImage || '-', s.file, o ? String(o.changed && (r.changed || r.pending)) : '-', o ? o.note : '-'];
      }),
    ),
    '',
    `Repository: ${inputs.repository.display} (${inputs.branch}); ${inputs.mode === 'pull-request' ? `pull request: ${r.pullRequestUrl || '-'}` : `commit: ${r.commit ? r.commit.slice(0, 12) : '-'}`}; source commit: ${short(inputs.sourceCommit)}`,
  ];
  if (r.pending) lines.push('', `**Pending:** nothing is deployed until the pull request is merged (${r.pullRequestUrl}).`);
  for (const o of r.outcomes.filter((x) => x.superseded)) lines.push('', `**${o.service.name}:** ${o.note}`);
  const fields = r.outcomes.filter((o) => o.changed).flatMap((o) => o.plan.fields.map((f) => [o.service.name, f.label, f.before === undefined ? '(absent)' : f.before || '(empty)', f.after === undefined ? '(removed)' : f.after]));
  if (fields.length) lines.push('', markdownTable(['Service', 'Field', 'Before', 'After'], fields));
  if (r.attempts > 1) lines.push('', `The branch moved during the promotion: the edit was re-applied on the new tip and pushed at attempt ${r.attempts}.`);
  if (r.waits.length) {
    lines.push('', '#### Argo CD', '');
    for (const w of r.waits) {
      const res = w.result;
      lines.push(`\`${w.app}\` (${w.services.join(', ')}): ${!res ? 'not waited' : res.kind === 'done' ? `Synced and Healthy after ${res.polls} poll(s).` : `**${res.kind === 'failed' ? 'Failed' : 'Timed out'}:** ${res.why}`}`, '');
      if (res?.state) lines.push(stateMarkdown(w.app, res.state), '');
    }
  }
  if (r.revertCommit) lines.push('', `**Reverted** in \`${r.revertCommit.slice(0, 12)}\`: the previous images are back.`);
  if (r.revertNote) lines.push('', `**Not reverted:** ${r.revertNote}`);
  if (failed) lines.push('', `**Error:** ${errorMessage(r.error).split('\n')[0]}`);
  lines.push(...timingsMarkdown(r.timings));
  return lines.join('\n') + '\n';
}

async function post(): Promise<void> {
  const removed = removeSensitivePaths();
  if (removed.length) core.info(`Removed ${removed.length} private path(s) (git credentials, config clone, kubeconfig)`);
}
