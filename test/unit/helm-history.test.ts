import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { HistoryEntry } from '../../actions/helm-deploy/history.js';
import { decideRecovery, deployedRevision, lastGoodRevision, parseHistory, planRollback } from '../../actions/helm-deploy/history.js';
import { ROOT } from '../support/run-action.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'helm', 'helm3');
const fixture = (step: string): HistoryEntry[] => parseHistory(fs.readFileSync(path.join(FIXTURES, `${step}.stdout`), 'utf8'));
const entry = (revision: number, status: string, description = '', updated = '2026-11-20T09:00:00Z'): HistoryEntry => ({ revision, status, description, updated, chart: 'c-1' });
const NOW = Date.parse('2026-11-20T10:00:00Z');
const TEN_MIN = 600_000;

describe('decideRecovery', () => {
  it('treats a missing release as a first install', () => assert.deepEqual(decideRecovery([], NOW, TEN_MIN), { action: 'none', firstInstall: true }));
  it('leaves a deployed release alone and reports its revision', () => assert.deepEqual(decideRecovery(fixture('01-history'), NOW, TEN_MIN), { action: 'none', firstInstall: false, previousRevision: 1 }));
  it('rolls an old pending-upgrade back to the last deployed revision', () => {
    const d = decideRecovery(fixture('04-history-pending'), NOW, TEN_MIN);
    assert.equal(d.action, 'rollback');
    assert.equal(d.action === 'rollback' && d.revision, 2);
    assert.equal(d.action === 'rollback' && d.pendingRevision, 3);
  });
  it('refuses a pending release younger than the threshold (a concurrent deploy)', () => {
    assert.equal(decideRecovery(fixture('04-history-pending'), Date.parse('2026-11-20T09:05:00Z'), TEN_MIN).action, 'conflict');
  });
  it('uninstalls a release that was never deployed and is pending-install', () => assert.equal(decideRecovery([entry(1, 'pending-install')], NOW, TEN_MIN).action, 'uninstall'));
  it('uninstalls a release whose only revision failed', () => assert.equal(decideRecovery([entry(1, 'failed')], NOW, TEN_MIN).action, 'uninstall'));
  it('rolls a pending-rollback back to the superseded revision before it', () => {
    const d = decideRecovery([entry(1, 'superseded'), entry(2, 'failed'), entry(3, 'pending-rollback')], NOW, TEN_MIN);
    assert.deepEqual(d.action === 'rollback' && d.revision, 1);
  });
});

describe('lastGoodRevision and deployedRevision', () => {
  it('finds the rollback revision after an atomic rollback', () => assert.equal(deployedRevision(fixture('02-history-after-rollback')), 3));
  it('skips failed revisions', () => assert.equal(lastGoodRevision(fixture('02-history-after-rollback'), 3), 1));
  it('is undefined when nothing ever deployed', () => assert.equal(lastGoodRevision([entry(1, 'failed')]), undefined));
});

describe('planRollback (mode: rollback)', () => {
  it('rolls back to the revision before the current one', () => {
    assert.deepEqual(planRollback([entry(1, 'superseded'), entry(2, 'superseded'), entry(3, 'deployed', 'Upgrade complete')], undefined), { action: 'rollback', revision: 2, from: 3 });
  });
  it('is a no-op when the current revision is already a rollback', () => {
    assert.equal(planRollback(fixture('02-history-after-rollback'), undefined).action, 'noop');
  });
  it('is a no-op when asked for the revision already rolled back to', () => assert.equal(planRollback(fixture('02-history-after-rollback'), 1).action, 'noop'));
  it('rolls back to a requested revision', () => assert.deepEqual(planRollback([entry(1, 'superseded'), entry(2, 'superseded'), entry(3, 'deployed')], 1), { action: 'rollback', revision: 1, from: 3 }));
  it('rejects a revision that is not in the history', () => assert.throws(() => planRollback(fixture('01-history'), 7), /revision 7 is not in the release history/));
  it('recovers a pending release to the last good revision', () => assert.deepEqual(planRollback(fixture('04-history-pending'), undefined), { action: 'rollback', revision: 2, from: 3 }));
  it('plans an uninstall when the first revision is the only one (no good revision to return to)', () =>
    assert.deepEqual(planRollback(fixture('01-history'), undefined), { action: 'uninstall', from: 1, reason: 'no good revision before revision 1 to roll back to' }));
});
