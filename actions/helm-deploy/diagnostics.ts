// On failure: what happened, written under diagnostics-path and summarised in the job summary. The pod and
// event part is the toolkit's (shared with other deploy actions); the Helm part: never `helm get values`,
// `helm status` reduced to its non-value fields.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kubectl, PodFailure } from '../toolkit/index.js';
import { collectPodDiagnostics as collectPods, errorMessage, eventDiagnostics, failingContainersMarkdown, markdownTable } from '../toolkit/index.js';
import type { Helm } from './helm.js';

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
    parts.push(`Helm status/history unavailable: ${errorMessage(err).split('\n').slice(-1)[0]}`);
  }
  parts.push(...failingContainersMarkdown(failures));
  if (t.kubectl) parts.push(...(await eventDiagnostics(t.kubectl, t.namespace, t.dir)));
  parts.push('', `Full diagnostics: \`${t.dir}\``);
  return parts.join('\n');
}
