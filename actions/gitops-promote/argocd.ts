// Argo CD's verdict on an Application (the `applications.argoproj.io` object, or the same JSON from
// GET /api/v1/applications/{name}): pure, from status.sync, status.health, status.operationState, status.resources.
import { escapeCell, markdownTable } from '../toolkit/summary.js';

export interface ResourceHealth {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  sync: string;
  health: string;
  message: string;
}

export interface AppState {
  sync: string;
  health: string;
  healthMessage: string;
  /** Revisions the last comparison was made at (one per source). */
  revisions: string[];
  operationPhase: string;
  operationMessage: string;
  operationRevisions: string[];
  /** Resources not Healthy (and not merely unknown), with their messages. */
  unhealthy: ResourceHealth[];
  conditions: Array<{ type: string; message: string }>;
  deleting: boolean;
}

export type Verdict =
  | { kind: 'done'; state: AppState }
  | { kind: 'wait'; state: AppState; why: string }
  | { kind: 'failed'; state: AppState; why: string };

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function readAppState(app: unknown): AppState {
  const a = obj(app);
  const status = obj(a.status);
  const sync = obj(status.sync);
  const health = obj(status.health);
  const op = obj(status.operationState);
  const syncResult = obj(op.syncResult);
  const revisions = [str(sync.revision), ...arr(sync.revisions).map(str)].filter(Boolean);
  const operationRevisions = [str(syncResult.revision), ...arr(syncResult.revisions).map(str)].filter(Boolean);
  const unhealthy = arr(status.resources)
    .map(obj)
    .map((r) => ({
      group: str(r.group),
      kind: str(r.kind),
      namespace: str(r.namespace),
      name: str(r.name),
      sync: str(r.status),
      health: str(obj(r.health).status),
      message: str(obj(r.health).message),
    }))
    .filter((r) => r.health !== '' && r.health !== 'Healthy');
  return {
    sync: str(sync.status) || 'Unknown',
    health: str(health.status) || 'Unknown',
    healthMessage: str(health.message),
    revisions,
    operationPhase: str(op.phase),
    operationMessage: str(op.message),
    operationRevisions,
    unhealthy,
    conditions: arr(status.conditions).map(obj).map((c) => ({ type: str(c.type), message: str(c.message) })),
    deleting: str(obj(a.metadata).deletionTimestamp) !== '',
  };
}

/** True when `revision` (a full commit SHA) is one Argo CD compared at: exact, or a prefix either way. */
export function atRevision(revisions: readonly string[], revision: string): boolean {
  return revisions.some((r) => r === revision || (r.length >= 7 && revision.startsWith(r)) || (revision.length >= 7 && r.startsWith(revision)));
}

/**
 * Done: Synced at the promoted revision and Healthy. Failed: the promoted revision is in and the app is
 * Degraded, or the sync operation for it Failed/Errored, or the Application is being deleted.
 * Everything else (an older revision, OutOfSync, Progressing, Missing, a running operation) waits.
 */
export function judge(app: unknown, revision: string): Verdict {
  const state = readAppState(app);
  if (state.deleting) return { kind: 'failed', state, why: 'the Application is being deleted' };
  const here = atRevision(state.revisions, revision);
  const opHere = atRevision(state.operationRevisions, revision);
  if (opHere && (state.operationPhase === 'Failed' || state.operationPhase === 'Error')) {
    return { kind: 'failed', state, why: `the sync operation ${state.operationPhase}${state.operationMessage ? `: ${state.operationMessage}` : ''}` };
  }
  if (here && state.health === 'Degraded') {
    return { kind: 'failed', state, why: `health is Degraded${state.healthMessage ? ` (${state.healthMessage})` : ''}` };
  }
  if (here && state.sync === 'Synced' && state.health === 'Healthy') return { kind: 'done', state };
  if (!here) {
    const at = state.revisions.length ? state.revisions.map((r) => r.slice(0, 12)).join(', ') : 'no revision yet';
    return { kind: 'wait', state, why: `Argo CD has compared at ${at}, not ${revision.slice(0, 12)} yet (${state.sync}/${state.health})` };
  }
  return { kind: 'wait', state, why: `${state.sync}/${state.health}${state.operationPhase ? `, operation ${state.operationPhase}` : ''}` };
}

/** The summary section: status line, unhealthy resources with messages, conditions. */
export function stateMarkdown(app: string, state: AppState): string {
  const lines = [
    markdownTable(['Application', 'Sync', 'Health', 'Revision', 'Operation'], [[app, state.sync, state.health, state.revisions.map((r) => r.slice(0, 12)).join(', ') || '-', state.operationPhase || '-']]),
  ];
  if (state.unhealthy.length) {
    lines.push('', '**Resources not healthy**', '', markdownTable(['Kind', 'Namespace', 'Name', 'Health', 'Sync', 'Message'], state.unhealthy.map((r) => [r.kind, r.namespace || '-', r.name, r.health, r.sync || '-', r.message || '-'])));
  }
  if (state.conditions.length) {
    lines.push('', '**Conditions**', '', ...state.conditions.map((c) => `- ${escapeCell(c.type)}: ${escapeCell(c.message)}`));
  }
  if (state.operationMessage) lines.push('', `Operation message: ${escapeCell(state.operationMessage)}`);
  return lines.join('\n');
}

/** One line per unhealthy resource, for the log and the error. */
export function unhealthyLines(state: AppState): string[] {
  return state.unhealthy.map((r) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${r.health}${r.message ? ` — ${r.message}` : ''}`);
}
