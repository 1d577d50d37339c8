// Real Trivy outputs (Trivy's and trivy-action's own test data, copied into test/fixtures/trivy/upstream: see
// test/fixtures/NOTICE.md): the gate's counts and outcomes must equal expectations.json for every JSON and SARIF
// file, under three policies. A missing file fails the suite; nothing here is skipped.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EMPTY_RULES } from '../../actions/trivy-gate/ignore.js';
import { evaluateReport, evaluateSarif, normalizeSeverity, SEVERITIES, type Evaluation, type GatePolicy } from '../../actions/trivy-gate/gate.js';
import { parseReport } from '../../actions/trivy-gate/report.js';
import { ROOT } from '../support/run-action.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'trivy', 'upstream');

const POLICIES: Record<string, GatePolicy> = {
  critical_high: { severities: ['CRITICAL', 'HIGH'], ignoreUnfixed: false },
  critical_high_ignore_unfixed: { severities: ['CRITICAL', 'HIGH'], ignoreUnfixed: true },
  critical_only: { severities: ['CRITICAL'], ignoreUnfixed: false },
};

interface GateExpectation {
  fail: boolean;
  failVulnsOnly?: boolean;
  matched?: { vulnerabilities: number; misconfigurations: number; secrets: number; licenses: number };
  matchedResults?: number;
}

interface FileExpectation {
  format: 'trivy-json' | 'sarif';
  vulnerabilities?: { total: number; bySeverity: Record<string, number> };
  misconfigurations?: { bySeverity: Record<string, { FAIL: number }> };
  secrets?: { bySeverity: Record<string, number> };
  licenses?: { bySeverity: Record<string, number> };
  bySeverity?: Record<string, number>;
  resultCount?: number;
  gate: Record<string, GateExpectation>;
}

function load(): [string, FileExpectation][] {
  const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expectations.json'), 'utf8')) as { files: Record<string, FileExpectation> };
  return Object.entries(doc.files);
}

function evaluate(file: string, policy: GatePolicy): Evaluation {
  const parsed = parseReport(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
  return parsed.format === 'json' ? evaluateReport(parsed.report, policy, EMPTY_RULES) : evaluateSarif(parsed.sarif, policy, EMPTY_RULES);
}

describe('trivy-gate against real Trivy reports (test/fixtures/trivy/upstream)', () => {
  const files = load();
  it('covers every JSON and SARIF file listed in expectations.json', () => {
    assert.ok(files.length >= 18, `expected at least 18 fixtures, found ${files.length}`);
    assert.ok(files.some(([, e]) => e.format === 'sarif'));
  });
  for (const [file, expected] of files) {
    describe(file, () => {
      for (const [name, policy] of Object.entries(POLICIES)) {
        it(`gives the expected outcome and matched counts under ${name}`, () => {
          const evaluation = evaluate(file, policy);
          const want = expected.gate[name];
          assert.equal(!evaluation.passed, want.fail, 'fail');
          if (want.matched) {
            assert.deepEqual(evaluation.matched, want.matched);
            assert.equal(evaluation.matched.vulnerabilities > 0, want.failVulnsOnly);
          } else {
            assert.equal(evaluation.gated.length, want.matchedResults);
          }
        });
      }
      it('counts every finding by severity as expectations.json does', () => {
        const evaluation = evaluate(file, { severities: SEVERITIES, ignoreUnfixed: false });
        const want = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<string, number>;
        if (expected.format === 'sarif') {
          for (const s of SEVERITIES) want[s] = expected.bySeverity?.[s] ?? 0;
        } else {
          for (const s of SEVERITIES) {
            want[normalizeSeverity(s)] +=
              (expected.vulnerabilities?.bySeverity[s] ?? 0) + (expected.misconfigurations?.bySeverity[s]?.FAIL ?? 0) + (expected.secrets?.bySeverity[s] ?? 0) + (expected.licenses?.bySeverity[s] ?? 0);
          }
          assert.equal(evaluation.targets.length, expected.resultCount);
        }
        assert.deepEqual(evaluation.total, want);
      });
    });
  }
});
