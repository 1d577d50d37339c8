// On failure: what happened, written under diagnostics-path and summarised in the job summary.
// Never `helm get values`, never Secret objects; `helm status` is reduced to its non-value fields; pod
// descriptions keep env variable names and sources, not their literal values.
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage, markdownTable } from '../toolkit/index.js';
import { redactDescribeEnv } from './describe.js';
import { formatEvents, sortEvents } from './events.js';
import type { EventLine } from './events.js';
import type { Helm } from './helm.js';
import type { Kubectl } from './kubectl.js';
import type { PodFailure } from './pods.js';
import { findPodFailures } from './pods.js';

export interface DiagnosticsTarget {
  helm: Helm;
  kubectl?: Kubectl;
  release: string;
  namespace: string;
  selectors: string[];
  dir: string;
}

/** Describe and logs (current and previous) of failing pods: taken before a rollback deletes them. */
export async function collectPodDiagnostics(t: DiagnosticsTarget, known: PodFailure[] = []): Promise<PodFailure[]> {
  if (!t.kubectl) return known;
  const kubectl = t.kubectl;
  fs.mkdirSync(t.dir, { recursive: true });
  let failures = known;
  if (!failures.length) {
    try {
      const lists = await Promise.all(t.selectors.map((s) => kubectl.pods(t.namespace, s)));
      failures = findPodFailures(lists.flat());
    } catch (err) {
      core.debug(`could not list pods for diagnostics: ${errorMessage(err)}`);
    }
  }
  const pods = [...new Set(failures.map((f) => f.pod))].slice(0, 5);
  await Promise.all(
    pods.map(async (pod) => {
      const [describe, logs, previous] = await Promise.all([kubectl.describePod(t.namespace, pod), kubectl.logs(t.namespace, pod, false), kubectl.logs(t.namespace, pod, true)]);
      fs.writeFileSync(path.join(t.dir, `pod-${pod}-describe.txt`), redactDescribeEnv(describe.stdout) + describe.stderr);
      fs.writeFileSync(path.join(t.dir, `pod-${pod}-logs.txt`), logs.stdout + logs.stderr);
      fs.writeFileSync(path.join(t.dir, `pod-${pod}-logs-previous.txt`), previous.stdout + previous.stderr);
    }),
  );
  fs.writeFileSync(path.join(t.dir, 'failing-pods.json'), JSON.stringify(failures, null, 2));
  return failures;
}

/** Helm status (no values) and history, namespace events by time; returns Markdown for the summary. */
export async function collectReleaseDiagnostics(t: DiagnosticsTarget, failures: PodFailure[]): Promise<string> {
  fs.mkdirSync(t.dir, { recursive: true });
  const parts: string[] = [];
  try {
    const status = await t.helm.status(t.release, t.namespace);
    fs.writeFileSync(path.join(t.dir, 'helm-status.json'), JSON.stringify(status ?? { status: 'not found' }, null, 2));
    const history = await t.helm.history(t.release, t.namespace);
    fs.writeFileSync(path.join(t.dir, 'helm-history.json'), JSON.stringify(history, null, 2));
    if (history.length) {
      parts.push('**Release history**', '', markdownTable(['Revision', 'Status', 'Chart', 'Description'], history.slice(-6).map((h) => [String(h.revision), h.status, h.chart, h.description])));
    }
  } catch (err) {
    parts.push(`Helm status/history unavailable: ${errorMessage(err)}`);
  }
  if (failures.length) {
    parts.push('', '**Failing containers**', '', markdownTable(['Pod', 'Container', 'Reason', 'Restarts'], failures.map((f) => [f.pod, f.container, f.reason, String(f.restarts)])));
  }
  if (t.kubectl) {
    try {
      const events: EventLine[] = sortEvents(await t.kubectl.eventsJson(t.namespace));
      fs.writeFileSync(path.join(t.dir, 'events.txt'), formatEvents(events) + '\n');
      const recent = events.slice(-10);
      if (recent.length) parts.push('', '**Latest events**', '', markdownTable(['Time', 'Type', 'Reason', 'Object', 'Message'], recent.map((e) => [e.time, e.type, e.reason, e.object, e.message.slice(0, 200)])));
    } catch (err) {
      parts.push('', `Events unavailable: ${errorMessage(err)}`);
    }
  }
  parts.push('', `Full diagnostics: \`${t.dir}\``);
  return parts.join('\n');
}
