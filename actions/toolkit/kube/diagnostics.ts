// On failure: what the pods and the namespace say, written under a diagnostics folder and summarised as
// Markdown. Never Secret objects; pod descriptions keep env variable names and sources, not their values.
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../errors.js';
import { markdownTable } from '../summary.js';
import { formatEvents } from './events.js';
import type { Kubectl } from './kubectl.js';
import type { PodFailure } from './pods.js';
import { findPodFailures } from './pods.js';

export interface PodDiagnosticsTarget {
  kubectl: Kubectl;
  namespace: string;
  selectors: string[];
  dir: string;
}

/** Describe (env values hidden) and logs (current and previous) of failing pods: taken before a rollback deletes them. */
export async function collectPodDiagnostics(t: PodDiagnosticsTarget, known: PodFailure[] = []): Promise<PodFailure[]> {
  const { kubectl } = t;
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
      fs.writeFileSync(path.join(t.dir, `pod-${pod}-describe.txt`), describe.stdout + describe.stderr);
      fs.writeFileSync(path.join(t.dir, `pod-${pod}-logs.txt`), logs.stdout + logs.stderr);
      fs.writeFileSync(path.join(t.dir, `pod-${pod}-logs-previous.txt`), previous.stdout + previous.stderr);
    }),
  );
  fs.writeFileSync(path.join(t.dir, 'failing-pods.json'), JSON.stringify(failures, null, 2));
  return failures;
}

/** Markdown lines for failing containers (empty when none). */
export function failingContainersMarkdown(failures: PodFailure[]): string[] {
  if (!failures.length) return [];
  return ['', '**Failing containers**', '', markdownTable(['Pod', 'Container', 'Reason', 'Restarts'], failures.map((f) => [f.pod, f.container, f.reason, String(f.restarts)]))];
}

/** Namespace events to `events.txt`; Markdown lines with the latest ones (or why they are missing). */
export async function eventDiagnostics(kubectl: Kubectl, namespace: string, dir: string, latest = 10): Promise<string[]> {
  try {
    const events = await kubectl.events(namespace);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'events.txt'), formatEvents(events) + '\n');
    const recent = events.slice(-latest);
    return recent.length ? ['', '**Latest events**', '', markdownTable(['Time', 'Type', 'Reason', 'Object', 'Message'], recent.map((e) => [e.time, e.type, e.reason, e.object, e.message.slice(0, 200)]))] : [];
  } catch (err) {
    return ['', `Events unavailable: ${errorMessage(err).split('\n').slice(-1)[0]}`];
  }
}
