import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EMPTY_RULES, buildRules, parseTrivyIgnore, parseTrivyIgnoreYaml } from '../../actions/trivy-gate/ignore.js';
import {
  SEVERITIES,
  evaluateReport,
  evaluateSarif,
  filterReport,
  hasFix,
  isFailedMisconfiguration,
  normalizeSeverity,
  resultFindings,
  type GatePolicy,
} from '../../actions/trivy-gate/gate.js';
import { ReportFormatError, parseReport, type TrivyReport } from '../../actions/trivy-gate/report.js';
import { ROOT } from '../support/run-action.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'trivy');
const POLICIES: Record<string, GatePolicy> = {
  critical_high: { severities: ['CRITICAL', 'HIGH'], ignoreUnfixed: false },
  critical_high_ignore_unfixed: { severities: ['CRITICAL', 'HIGH'], ignoreUnfixed: true },
  critical_only: { severities: ['CRITICAL'], ignoreUnfixed: false },
};
const NOW = new Date('2026-09-01T12:00:00Z');

function report(name: string): TrivyReport {
  const parsed = parseReport(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
  assert.equal(parsed.format, 'json');
  return parsed.report;
}

function fixtureRules() {
  const plain = parseTrivyIgnore(fs.readFileSync(path.join(FIXTURES, '.trivyignore'), 'utf8'), '.trivyignore');
  const yaml = parseTrivyIgnoreYaml(fs.readFileSync(path.join(FIXTURES, '.trivyignore.yaml'), 'utf8'), '.trivyignore.yaml');
  return buildRules([...plain.entries, ...yaml], NOW, plain.warnings);
}

interface OwnExpectation {
  resultCount: number;
  total: Record<string, number>;
  gate: Record<string, { fail: boolean; matched: Record<string, number> }>;
  withIgnoreFiles: { ignored: string[]; total: Record<string, number>; critical_high: { fail: boolean; gated: string[] } };
}
const expectations = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expectations.json'), 'utf8')) as { files: Record<string, OwnExpectation> };

describe('gate on the project fixtures (Trivy JSON schema)', () => {
  for (const [file, want] of Object.entries(expectations.files)) {
    for (const [name, policy] of Object.entries(POLICIES)) {
      it(`${file}: outcome and matched counts under ${name}`, () => {
        const e = evaluateReport(report(file), policy, EMPTY_RULES);
        assert.equal(!e.passed, want.gate[name].fail);
        assert.deepEqual(e.matched, want.gate[name].matched);
      });
    }
    it(`${file}: counts every finding by severity, per result target`, () => {
      const e = evaluateReport(report(file), POLICIES.critical_high, EMPTY_RULES);
      assert.deepEqual(e.total, want.total);
      assert.equal(e.targets.length, want.resultCount);
    });
    it(`${file}: applies .trivyignore and .trivyignore.yaml as Trivy would`, () => {
      const e = evaluateReport(report(file), POLICIES.critical_high, fixtureRules());
      assert.deepEqual(e.ignored.map((i) => i.finding.id).sort(), want.withIgnoreFiles.ignored);
      assert.deepEqual(e.total, want.withIgnoreFiles.total);
      assert.equal(!e.passed, want.withIgnoreFiles.critical_high.fail);
      assert.deepEqual(e.gated.map((f) => f.id).sort(), want.withIgnoreFiles.critical_high.gated);
    });
  }

  it('marks a gated finding whose ignore entry expired', () => {
    const e = evaluateReport(report('image-alpine.json'), POLICIES.critical_high, fixtureRules());
    const critical = e.gated.filter((f) => f.id === 'CVE-2024-0727');
    assert.equal(critical.length, 2);
    assert.ok(critical.every((f) => f.expiredIgnore?.expiresAt === '2020-01-01' || f.expiredIgnore?.expiresAt === '2021-05-01'));
  });

  it('never counts ExperimentalModifiedFindings (a suppressed CRITICAL stays suppressed)', () => {
    const e = evaluateReport(report('image-alpine.json'), POLICIES.critical_only, EMPTY_RULES);
    assert.ok(!e.gated.some((f) => f.id === 'CVE-2024-5535'));
  });

  it('orders gated findings by severity, then ID', () => {
    const e = evaluateReport(report('image-alpine.json'), { severities: SEVERITIES, ignoreUnfixed: false }, EMPTY_RULES);
    assert.deepEqual(
      e.gated.map((f) => f.severity),
      ['CRITICAL', 'CRITICAL', 'HIGH', 'HIGH', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'],
    );
  });
});

describe('gate on a Trivy SARIF log', () => {
  const parsed = parseReport(fs.readFileSync(path.join(FIXTURES, 'image.sarif'), 'utf8'));
  const sarif = parsed.format === 'sarif' ? parsed.sarif : assert.fail('expected SARIF');
  const table: [string, number][] = [
    ['critical_high', 3],
    ['critical_high_ignore_unfixed', 2],
    ['critical_only', 1],
  ];
  for (const [name, gated] of table) {
    it(`reads severity from the message, license severity from the rule tag, fix from Fixed Version (${name})`, () => {
      assert.equal(evaluateSarif(sarif, POLICIES[name], EMPTY_RULES).gated.length, gated);
    });
  }
  it('applies the ignore file to SARIF findings by ID', () => {
    const rules = buildRules(parseTrivyIgnore('CVE-2024-0727\n', 'x').entries, NOW);
    const e = evaluateSarif(sarif, POLICIES.critical_only, rules);
    assert.equal(e.passed, true);
    assert.equal(e.ignored.length, 1);
  });
});

describe('counting rules', () => {
  const severities: [unknown, string][] = [
    ['CRITICAL', 'CRITICAL'],
    ['high', 'HIGH'],
    ['', 'UNKNOWN'],
    [undefined, 'UNKNOWN'],
    ['NEGLIGIBLE', 'UNKNOWN'],
  ];
  for (const [raw, want] of severities) it(`severity ${JSON.stringify(raw)} counts as ${want}`, () => assert.equal(normalizeSeverity(raw), want));

  const fixes: [{ Status?: string; FixedVersion?: string }, boolean][] = [
    [{ Status: 'fixed', FixedVersion: '1.2' }, true],
    [{ Status: 'affected', FixedVersion: '' }, false],
    [{ Status: 'will_not_fix', FixedVersion: '1.2' }, false],
    [{ FixedVersion: '1.2, 2.0' }, true],
    [{ FixedVersion: '' }, false],
    [{}, false],
  ];
  for (const [v, want] of fixes) it(`a vulnerability ${JSON.stringify(v)} has a fix: ${want}`, () => assert.equal(hasFix(v), want));

  const statuses: [string | undefined, boolean][] = [
    ['FAIL', true],
    ['PASS', false],
    ['EXCEPTION', false],
    [undefined, true],
  ];
  for (const [status, want] of statuses) it(`a misconfiguration with Status ${String(status)} counts: ${want}`, () => assert.equal(isFailedMisconfiguration({ Status: status }), want));

  it('treats null lists and a null Results as empty', () => {
    assert.equal([...resultFindings({ Target: 'x', Vulnerabilities: null, Secrets: null })].length, 0);
    const e = evaluateReport({ SchemaVersion: 2, Results: null }, POLICIES.critical_high, EMPTY_RULES);
    assert.equal(e.passed, true);
  });

  it('filterReport keeps PASS misconfigurations and drops only what the predicate rejects', () => {
    const r = report('misconfig-dockerfile.json');
    const out = filterReport(r, (f) => f.severity !== 'HIGH');
    const ids = out.Results?.[0].Misconfigurations?.map((m) => m.ID);
    assert.deepEqual(ids, ['DS-0001', 'DS-0026', 'DS-0013']);
    assert.equal(r.Results?.[0].Misconfigurations?.length, 5, 'the original is untouched');
  });
});

describe('report formats', () => {
  const bad: [string, RegExp][] = [
    [fs.readFileSync(path.join(FIXTURES, 'schema-v1.json'), 'utf8'), /schema 1/],
    ['{"SchemaVersion": 3, "Results": []}', /SchemaVersion 3 is not supported/],
    ['{"Resources": []}', /no SchemaVersion/],
    ['{"version": "2.0.0", "runs": []}', /SARIF version 2.0.0/],
    ['not json', /not valid JSON/],
    ['{"SchemaVersion": 2, "Results": {}}', /Results is not a list/],
  ];
  for (const [text, message] of bad) it(`refuses ${text.slice(0, 30)}… with ${message}`, () => assert.throws(() => parseReport(text), (err: unknown) => err instanceof ReportFormatError && message.test(err.message)));

  it('accepts a report with no Results key as a clean report', () => {
    const parsed = parseReport(fs.readFileSync(path.join(FIXTURES, 'no-results.json'), 'utf8'));
    assert.equal(parsed.format, 'json');
  });
});
