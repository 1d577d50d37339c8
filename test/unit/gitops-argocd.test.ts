// Argo CD's verdict for gitops-promote, over Argo CD's own Application objects (test/fixtures/argocd, copied
// from argoproj/argo-cd): which states wait, which are done, which fail; the poll loop with a fake clock.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { atRevision, judge, readAppState, stateMarkdown } from '../../actions/gitops-promote/argocd.js';
import type { ApplicationSource } from '../../actions/gitops-promote/argocd-client.js';
import { TransientReadError, apiErrorMessage, waitForApplication } from '../../actions/gitops-promote/argocd-client.js';
import { ActionError } from '../../actions/toolkit/index.js';
import { ROOT } from '../support/run-action.js';

const DIR = path.join(ROOT, 'test', 'fixtures', 'argocd');
const load = (name: string): Record<string, unknown> => YAML.parse(fs.readFileSync(path.join(DIR, 'applications', name), 'utf8')) as Record<string, unknown>;
const REV = 'ea8759964626a583667a2bfd08f334ec2070040a';
const OTHER = '0123456789abcdef0123456789abcdef01234567';

function at(app: Record<string, unknown>, revision: string, syncResult = false): Record<string, unknown> {
  const copy = structuredClone(app);
  const status = copy.status as { sync: Record<string, unknown>; operationState?: Record<string, unknown> };
  status.sync.revision = revision;
  if (syncResult && status.operationState) status.operationState.syncResult = { revision };
  return copy;
}

describe('gitops-promote Argo CD verdict over real Application objects', () => {
  it('reads the full production-like object: revision from sync and syncResult, resources, Healthy', () => {
    const s = readAppState(load('synced-healthy-succeeded-full.yaml'));
    assert.equal(s.sync, 'Synced');
    assert.equal(s.health, 'Healthy');
    assert.deepEqual(s.revisions, ['rev1']);
    assert.deepEqual(s.operationRevisions, [REV]);
    assert.equal(s.operationPhase, 'Succeeded');
    assert.deepEqual(s.unhealthy, []);
  });

  const table: Array<[string, Record<string, unknown>, string, 'done' | 'wait' | 'failed', RegExp?]> = [
    ['Synced/Healthy at the promoted revision', at(load('synced-healthy-succeeded-full.yaml'), REV), REV, 'done'],
    ['Synced/Healthy at an older revision (the fixture as copied: rev1)', load('synced-healthy-succeeded-full.yaml'), REV, 'wait', /compared at rev1, not ea8759964626 yet/],
    ['Synced/Healthy without any revision', load('synced-healthy-succeeded.yaml'), REV, 'wait', /no revision yet/],
    ['OutOfSync/Progressing, operation Running, at the revision', at(load('outofsync-progressing-running.yaml'), REV), REV, 'wait', /OutOfSync\/Progressing, operation Running/],
    ['OutOfSync/Degraded at the revision (conditions)', at(load('outofsync-degraded-conditions.yaml'), REV), REV, 'failed', /health is Degraded/],
    ['OutOfSync/Degraded at an older revision (still syncing)', at(load('outofsync-degraded-conditions.yaml'), OTHER), REV, 'wait'],
    ['operation Failed for the promoted revision', at(load('outofsync-degraded-failed.yaml'), OTHER, true), OTHER, 'failed', /the sync operation Failed/],
    ['Application being deleted', load('outofsync-degraded-deleting.yaml'), REV, 'failed', /being deleted/],
    ['short revision reported by Argo CD', at(load('synced-healthy-succeeded-full.yaml'), REV.slice(0, 12)), REV, 'done'],
  ];
  for (const [name, app, revision, kind, why] of table) {
    it(`${name} → ${kind}`, () => {
      const v = judge(app, revision);
      assert.equal(v.kind, kind);
      if (why && v.kind !== 'done') assert.match(v.why, why);
    });
  }

  it('multi-source applications: any of status.sync.revisions counts', () => {
    const app = at(load('synced-healthy-succeeded-full.yaml'), '');
    (app.status as { sync: Record<string, unknown> }).sync.revisions = [OTHER, REV];
    assert.equal(judge(app, REV).kind, 'done');
    assert.equal(atRevision(['abc'], REV), false, 'a prefix shorter than 7 never matches');
  });

  it('lists degraded resources with their messages, and conditions, in the summary', () => {
    const app = at(load('outofsync-degraded-conditions.yaml'), REV);
    (app.status as Record<string, unknown>).resources = [
      { group: 'apps', kind: 'Deployment', name: 'web', namespace: 'kardon-dev', status: 'Synced', health: { status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' } },
      { kind: 'Service', name: 'web', namespace: 'kardon-dev', status: 'Synced', health: { status: 'Healthy' } },
    ];
    const md = stateMarkdown('kardon-dev', readAppState(app));
    assert.match(md, /\| Deployment \| kardon-dev \| web \| Degraded \| Synced \| Deployment "web" exceeded its progress deadline \|/);
    assert.doesNotMatch(md, /\| Service \|/);
    assert.match(md, /- OrphanedResourceWarning: Application has 1 orphaned resources/);
  });

  it("takes the message of Argo CD's runtimeError body", () => {
    assert.equal(apiErrorMessage('{"error":"x","code":5,"message":"applications.argoproj.io \\"nope\\" not found"}'), 'applications.argoproj.io "nope" not found');
    assert.equal(apiErrorMessage('<html>bad gateway</html>'), '<html>bad gateway</html>');
  });
});

describe('gitops-promote Argo CD poll loop (fake clock)', () => {
  function clock(): { now: () => number; sleep: (ms: number) => Promise<void> } {
    let t = 0;
    return { now: () => t, sleep: async (ms) => void (t += ms) };
  }
  const source = (answers: Array<unknown | Error>): ApplicationSource & { reads: boolean[] } => {
    const reads: boolean[] = [];
    return {
      describe: 'test',
      reads,
      read: async (first: boolean) => {
        reads.push(first);
        const a = answers[Math.min(reads.length - 1, answers.length - 1)];
        if (a instanceof Error) throw a;
        return a;
      },
    };
  };

  it('polls through transient errors to the verdict, asking for a refresh only first', async () => {
    const s = source([new TransientReadError('HTTP 503'), at(load('outofsync-progressing-running.yaml'), REV), at(load('synced-healthy-succeeded-full.yaml'), REV)]);
    const r = await waitForApplication(s, { revision: REV, timeoutMs: 60_000, pollMs: 5_000, ...clock() });
    assert.equal(r.kind, 'done');
    assert.equal(r.polls, 3);
    assert.deepEqual(s.reads, [true, false, false]);
  });

  it('times out with the last state when no verdict comes', async () => {
    const s = source([at(load('outofsync-progressing-running.yaml'), REV)]);
    const r = await waitForApplication(s, { revision: REV, timeoutMs: 30_000, pollMs: 10_000, ...clock() });
    assert.equal(r.kind, 'timeout');
    assert.equal(r.polls, 4);
    assert.equal(r.state?.health, 'Progressing');
    assert.match(r.kind === 'timeout' ? r.why : '', /no verdict within the wait-timeout: OutOfSync\/Progressing, operation Running/);
  });

  it('stops at once on a permanent error', async () => {
    const s = source([new ActionError('HTTP 403')]);
    await assert.rejects(waitForApplication(s, { revision: REV, timeoutMs: 30_000, pollMs: 10_000, ...clock() }), /HTTP 403/);
    assert.equal(s.reads.length, 1);
  });
});
