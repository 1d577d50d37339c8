// On failure: what happened, written under diagnostics-path and summarised in the job summary. The pod and
// event part is the toolkit's (shared with other deploy actions); the Helm part: never `helm get values`,
// `helm status` reduced to its non-value fields.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kubectl, PodFailure } from '../toolkit/index.js';
import { collectPodDiagnostics as collectPods, errorMessage, eventDiagnostics, failingContainersMarkdown, markdownTable } from '../toolkit/index.js';
import type { Helm, ReleaseStatus } from './helm.js';
import type { HistoryEntry } from './history.js';

/** What replaces literal env values in pod descriptions. */
export const HIDDEN_BY_HELM_DEPLOY = '<value hidden by helm-deploy>';

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
  return collectPods({ kubectl: t.kubectl, namespace: t.namespace, selectors: t.selectors, dir: t.dir }, known);
}

/** The reads behind the release diagnostics, started side by side as soon as the release has its final state. */
export interface ReleaseReads {
  status: Promise<ReleaseStatus | undefined>;
  history: Promise<HistoryEntry[]>;
  /** Markdown lines (events.txt written). */
  events: Promise<string[]>;
}

/** Starts `helm status`, `helm history` and the namespace events now (call after the last change to the release). */
export function readRelease(t: DiagnosticsTarget): ReleaseReads {
  const status = t.helm.status(t.release, t.namespace);
  const history = t.helm.history(t.release, t.namespace);
  // Awaited in collectReleaseDiagnostics; a read that fails is reported there.
  status.catch(() => undefined);
  history.catch(() => undefined);
  return { status, history, events: t.kubectl ? eventDiagnostics(t.kubectl, t.namespace, t.dir) : Promise.resolve([]) };
}

export interface ReleaseDiagnostics {
  markdown: string;
  /** The release as `helm status` read it after the last change (undefined status: not found); absent when the read failed. */
  observed?: { status: ReleaseStatus | undefined };
}

/** Helm status (no values) and history, namespace events by time; Markdown for the summary and the status read. */
export async function collectReleaseDiagnostics(t: DiagnosticsTarget, failures: PodFailure[], reads: ReleaseReads = readRelease(t)): Promise<ReleaseDiagnostics> {
  fs.mkdirSync(t.dir, { recursive: true });
  const parts: string[] = [];
  const [status, history, events] = await Promise.allSettled([reads.status, reads.history, reads.events]);
  if (status.status === 'fulfilled') fs.writeFileSync(path.join(t.dir, 'helm-status.json'), JSON.stringify(status.value ?? { status: 'not found' }, null, 2));
  if (history.status === 'fulfilled') {
    fs.writeFileSync(path.join(t.dir, 'helm-history.json'), JSON.stringify(history.value, null, 2));
    if (history.value.length) {
      parts.push('**Release history**', '', markdownTable(['Revision', 'Status', 'Chart', 'Description'], history.value.slice(-6).map((h) => [String(h.revision), h.status, h.chart, h.description])));
    }
  }
  const unread = [status, history].find((r) => r.status === 'rejected');
  if (unread) parts.push(`Helm status/history unavailable: ${errorMessage(unread.reason).split('\n').slice(-1)[0]}`);
  parts.push(...failingContainersMarkdown(failures));
  if (events.status === 'fulfilled') parts.push(...events.value);
  parts.push('', `Full diagnostics: \`${t.dir}\``);
  return { markdown: parts.join('\n'), ...(status.status === 'fulfilled' ? { observed: { status: status.value } } : {}) };
}
