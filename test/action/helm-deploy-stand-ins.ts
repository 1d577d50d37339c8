// Stand-in clusters for helm-deploy's action tests: `helm` and `kubectl` on PATH replaying fixture outputs of
// either Helm major, scenario rules first, healthy defaults after.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ActionRun } from '../support/run-action.js';
import { ROOT, runAction } from '../support/run-action.js';
import type { StandIn, StandInRule } from '../support/stand-in.js';
import { createStandIn } from '../support/stand-in.js';

export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'helm');
export const SECRET_VALUE = 'secret-do-not-print';

export interface Cluster {
  helm: StandIn;
  kubectl: StandIn;
  dir: string;
}

export interface Scenario {
  helm?: StandInRule[];
  kubectl?: StandInRule[];
}

export function history(entries: [number, string, string][]): string {
  return JSON.stringify(entries.map(([revision, status, description]) => ({ revision, updated: '2026-11-20T09:00:00Z', status, chart: 'shop-1.2.0', app_version: '1.2.0', description })));
}

export function statusJson(revision: number, status: string): string {
  return JSON.stringify({ name: 'shop', info: { status, description: 'x' }, config: { password: SECRET_VALUE }, version: revision, namespace: 'team-a' });
}

/** Stand-ins for one Helm major; scenario rules come first, then the healthy defaults. */
export function standInCluster(major: 3 | 4, scenario: Scenario = {}): Cluster {
  const fx = (step: string): string => path.join(FIXTURES, `helm${major}`, step);
  const file = (name: string): string => fs.readFileSync(fx(name), 'utf8');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `helm-deploy-${major}-`));
  const helm = createStandIn(dir, 'helm', [
    { match: ['version', '--short'], fixture: fx('08-version') },
    ...(scenario.helm ?? []),
    { match: ['lint'], stdout: '==> Linting chart\n1 chart(s) linted, 0 chart(s) failed\n' },
    { match: ['template shop'], fixture: fx('01-get-manifest') },
    { match: ['history shop'], fixture: fx('07-status-after-first-failure') },
    { match: ['upgrade shop'], fixture: fx('01-install-ok') },
    { match: ['status shop'], fixture: fx('01-status-deployed') },
    { match: ['get', 'manifest'], fixture: fx('01-get-manifest') },
    { match: ['get', 'metadata'], stdout: JSON.stringify({ name: 'shop', revision: 1, status: 'deployed' }) },
  ]);
  const kubectl = createStandIn(dir, 'kubectl', [
    ...(scenario.kubectl ?? []),
    { match: ['get', 'pods'], fixture: fx('01-pods-healthy') },
    { match: ['rollout', 'status'], fixture: fx('01-rollout-status-ok') },
    { match: ['get', 'events'], stdout: file('02-events-crashloop.json') },
    { match: ['describe', 'pod'], stdout: fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'kubectl', 'describe-pod-crashloop.txt'), 'utf8') },
    { match: ['logs', '--previous'], stdout: 'panic: listen tcp :8080: address already in use\n' },
    { match: ['logs'], stdout: '' },
  ]);
  return { helm, kubectl, dir };
}

export function deploy(cluster: Cluster, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('helm-deploy', {
    inputs: { release: 'shop', namespace: 'team-a', chart: 'examples/chart', 'poll-interval': '100ms', 'crash-checks': '2', 'pending-threshold': '1m', ...inputs },
    pathPrepend: [cluster.dir],
    // A kill switch for a hung run, not a speed check: the shared runners here are often heavily loaded.
    timeoutMs: 180_000,
  });
}

/** A kubeconfig with one cluster, user (token) and context. */
export function kubeconfigFor(context: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kind',
    '  cluster:',
    '    server: https://127.0.0.1:6443',
    'contexts:',
    `- name: ${context}`,
    '  context: {cluster: kind, user: ci}',
    `current-context: ${context}`,
    'users:',
    '- name: ci',
    '  user:',
    '    token: tok-9f8e7d6c5b4a',
    '',
  ].join('\n');
}

export const calls = (s: StandIn, sub: string): string[][] => s.calls().filter((c) => c[0] === sub);
export const crashPods = (major: number): StandInRule[] => [
  { match: ['get', 'pods'], fixture: path.join(FIXTURES, `helm${major}`, '01-pods-healthy'), times: 1 },
  { match: ['get', 'pods'], stdout: fs.readFileSync(path.join(FIXTURES, `helm${major}`, '02-pods-crashloop.json'), 'utf8') },
];

