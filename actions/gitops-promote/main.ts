import * as core from '@actions/core';
import * as path from 'node:path';
import { ActionError, Git, Kubectl, appendSummary, errorMessage, makePrivateDir, markdownTable, removeSensitivePaths, runAction, timed, timingsMarkdown, writeKubeconfig } from '../toolkit/index.js';
import type { AppState } from './argocd.js';
import { stateMarkdown, unhealthyLines } from './argocd.js';
import type { ApplicationSource, WaitResult } from './argocd-client.js';
import { ArgoCdApi, ArgoCdKubectl, waitForApplication } from './argocd-client.js';
import type { Inputs } from './inputs.js';
import { readInputs } from './inputs.js';
import type { Provenance } from './message.js';
import { commitMessage, pullRequestBody, pullRequestTitle, revertMessage } from './message.js';
import { promoteByPullRequest } from './pull-request.js';
import type { Plan } from './targets.js';
import { promoteByPush, revertByPush } from './promote.js';

export async function run(): Promise<void> {
  await runAction({ main, post });
}

/** What was observed, written as outputs and summary on every path (success or failure). */
interface Report {
  changed: boolean;
  commit: string;
  pullRequestUrl: string;
  pullRequestCreated?: boolean;
  previousImage: string;
  plan?: Plan;
  attempts: number;
  reformatted: boolean;
  wait?: WaitResult;
  revertCommit: string;
  revertNote: string;
  error?: unknown;
  timings: Array<[string, number]>;
}

async function main(): Promise<void> {
  const inputs = readInputs();
  const report: Report = { changed: false, commit: '', pullRequestUrl: '', previousImage: '', attempts: 0, reformatted: false, revertCommit: '', revertNote: '', timings: [] };
  try {
    await promote(inputs, report);
  } catch (err) {
    report.error = err;
  }
  writeOutputs(report);
  await appendSummary(summaryMarkdown(inputs, report));
  if (report.error) throw report.error;
}

async function promote(inputs: Inputs, report: Report): Promise<void> {
  const provenance: Provenance = {
    app: inputs.app,
    environment: inputs.environment,
    image: inputs.image.reference,
    sourceRepository: inputs.sourceRepository,
    sourceCommit: inputs.sourceCommit,
    runUrl: inputs.runUrl,
    file: inputs.file,
  };
  const includeConfig = inputs.token && inputs.repository.authOrigin ? Git.writeAuthConfig(inputs.repository.authOrigin, inputs.token) : undefined;
  const dir = path.join(makePrivateDir('gitops-promote'), 'config');
  const git = new Git(dir, { identity: inputs.author, ...(includeConfig ? { includeConfig } : {}) });

  await timed(report.timings, 'Clone', () =>
    core.group(`Clone ${inputs.repository.display} (${inputs.branch})`, async () => {
      const r = await git.clone(inputs.repository.url, dir, inputs.branch);
      if (r.exitCode !== 0) {
        const why = r.stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ');
        throw new ActionError(`Could not clone branch '${inputs.branch}' of ${inputs.repository.display}: ${why || `git clone exited with ${r.exitCode}`}`);
      }
      core.info(`At ${(await git.revParse('HEAD')).slice(0, 12)}`);
    }),
  );

  if (inputs.mode === 'pull-request') {
    const pr = await timed(report.timings, 'Pull request', () =>
      core.group(`Promote ${inputs.app} to ${inputs.environment} through a pull request`, () =>
        promoteByPullRequest(
          { git, base: inputs.branch, head: inputs.pullRequestBranch, file: inputs.file, owner: inputs.repository.owner ?? '', repo: inputs.repository.name ?? '', token: inputs.token, apiUrl: inputs.apiUrl },
          inputs.target,
          inputs.image,
          inputs.create,
          { message: (plan) => commitMessage(provenance, plan), title: pullRequestTitle(provenance), body: (plan, diff) => pullRequestBody(provenance, plan, diff) },
        ),
      ),
    );
    Object.assign(report, { changed: pr.changed, commit: pr.commit, pullRequestUrl: pr.url, pullRequestCreated: pr.created, previousImage: pr.plan.previousImage, plan: pr.plan, attempts: 1, reformatted: pr.reformatted });
    if (!pr.changed) core.info(`${inputs.file} on '${inputs.branch}' already holds ${inputs.image.reference}: no pull request needed`);
    return;
  }

  const pushTarget = { git, branch: inputs.branch, file: inputs.file, attempts: inputs.pushAttempts };
  const pushed = await timed(report.timings, 'Edit, commit, push', () =>
    core.group(`Promote ${inputs.app} to ${inputs.environment} on '${inputs.branch}'`, () =>
      promoteByPush(pushTarget, inputs.target, inputs.image, inputs.create, (plan) => commitMessage(provenance, plan)),
    ),
  );
  Object.assign(report, { changed: pushed.changed, commit: pushed.commit, previousImage: pushed.plan.previousImage, plan: pushed.plan, attempts: pushed.attempts, reformatted: pushed.reformatted });
  if (pushed.reformatted) core.warning(`${inputs.file}: one edit could not be made in place, so the yaml package re-serialised the file (comments kept, spacing may differ)`);
  if (!pushed.changed) core.info(`${inputs.file} on '${inputs.branch}' already holds ${inputs.image.reference}: nothing committed`);

  const wait = inputs.wait;
  if (wait.kind === 'none') return;
  const revision = pushed.changed ? pushed.commit : await git.revParse('HEAD');
  const source: ApplicationSource =
    wait.kind === 'api'
      ? new ArgoCdApi(wait.server, wait.token, wait.app, wait.namespace)
      : new ArgoCdKubectl(new Kubectl({ ...(wait.kubeconfig ? { kubeconfig: writeKubeconfig(wait.kubeconfig) } : {}), context: wait.context }), wait.app, wait.namespace);
  const result = await timed(report.timings, 'Argo CD wait', () =>
    core.group(`Wait for Argo CD: ${wait.app} Synced at ${revision.slice(0, 12)} and Healthy (${source.describe})`, () =>
      waitForApplication(source, { revision, timeoutMs: wait.timeoutMs, pollMs: wait.pollMs }),
    ),
  );
  report.wait = result;
  if (result.kind === 'done') {
    core.info(`${wait.app} is Synced at ${revision.slice(0, 12)} and Healthy`);
    return;
  }
  const why = result.why;
  const lines = result.state ? unhealthyLines(result.state) : [];
  for (const l of lines) core.error(l);
  let reverted = '';
  if (wait.revert && pushed.changed) {
    const r = await timed(report.timings, 'Revert', () =>
      core.group(`Revert ${inputs.app} in ${inputs.environment}`, () => revertByPush(pushTarget, inputs.target, pushed.plan, revertMessage(provenance, pushed.commit, pushed.plan.previousImage, why))),
    );
    if (r.reverted) {
      report.revertCommit = r.commit;
      reverted = ` Pushed revert commit ${r.commit.slice(0, 12)} to '${inputs.branch}' (back to ${pushed.plan.previousImage || 'the previous values'}).`;
    } else {
      report.revertNote = r.reason;
      reverted = ` No revert commit: ${r.reason}.`;
    }
  } else if (wait.revert) {
    reverted = ' Nothing was committed by this run, so nothing was reverted.';
  }
  const verdict = result.kind === 'failed' ? `Argo CD reports ${wait.app} failed at ${revision.slice(0, 12)}: ${why}` : `Argo CD did not report ${wait.app} Synced at ${revision.slice(0, 12)} and Healthy in time: ${why}`;
  throw new ActionError(`${verdict}.${reverted}${lines.length ? `\n${lines.join('\n')}` : ''}`);
}

function writeOutputs(r: Report): void {
  const state: AppState | undefined = r.wait?.state;
  core.setOutput('commit', r.commit);
  core.setOutput('pull-request-url', r.pullRequestUrl);
  core.setOutput('previous-image', r.previousImage);
  core.setOutput('changed', String(r.changed));
  core.setOutput('sync-status', state?.sync ?? '');
  core.setOutput('health-status', state?.health ?? '');
  core.setOutput('revert-commit', r.revertCommit);
}

function summaryMarkdown(inputs: Inputs, r: Report): string {
  const failed = r.error !== undefined;
  const icon = failed ? (r.revertCommit ? '↩️' : '❌') : r.changed ? '✅' : '➖';
  const lines = [
    `### ${icon} gitops-promote: \`${inputs.app}\` → \`${inputs.environment}\``,
    '',
    markdownTable(
      ['Image', 'Previous', 'File', 'Repository', 'Changed', inputs.mode === 'pull-request' ? 'Pull request' : 'Commit'],
      [[inputs.image.reference, r.previousImage || '-', inputs.file, `${inputs.repository.display} (${inputs.branch})`, String(r.changed), inputs.mode === 'pull-request' ? r.pullRequestUrl || '-' : r.commit ? r.commit.slice(0, 12) : '-']],
    ),
  ];
  if (r.plan?.fields.length) {
    lines.push('', markdownTable(['Field', 'Before', 'After'], r.plan.fields.map((f) => [f.label, f.before === undefined ? '(absent)' : f.before || '(empty)', f.after === undefined ? '(removed)' : f.after])));
  }
  if (r.attempts > 1) lines.push('', `The branch moved during the promotion: the edit was re-applied on the new tip and pushed at attempt ${r.attempts}.`);
  if (r.wait) {
    const w = r.wait;
    lines.push('', '#### Argo CD', '');
    lines.push(w.kind === 'done' ? `Synced and Healthy after ${w.polls} poll(s).` : `**${w.kind === 'failed' ? 'Failed' : 'Timed out'}:** ${w.why}`);
    if (w.state) lines.push('', stateMarkdown(inputs.wait.kind === 'none' ? '' : inputs.wait.app, w.state));
  }
  if (r.revertCommit) lines.push('', `**Reverted** in \`${r.revertCommit.slice(0, 12)}\`: \`${r.previousImage || '(previous values)'}\` is back in \`${inputs.file}\`.`);
  if (r.revertNote) lines.push('', `**Not reverted:** ${r.revertNote}`);
  if (failed) lines.push('', `**Error:** ${errorMessage(r.error).split('\n')[0]}`);
  lines.push(...timingsMarkdown(r.timings));
  return lines.join('\n') + '\n';
}

async function post(): Promise<void> {
  const removed = removeSensitivePaths();
  if (removed.length) core.info(`Removed ${removed.length} private path(s) (git credentials, config clone, kubeconfig)`);
}
