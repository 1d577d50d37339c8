// The streaming evaluation (byte scanner + JSON.parse per Result, @streamparser/json for SARIF) against the
// in-memory one, on every fixture; the scanner on documents cut at every byte; bounded retention; refusals.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { Evaluator, SEVERITIES, evaluateReport, evaluateSarif, filterSarif, ignoreEntryFor, type Evaluation, type GatePolicy } from '../../actions/trivy-gate/gate.js';
import { EMPTY_RULES, buildRules, parseTrivyIgnore, parseTrivyIgnoreYaml } from '../../actions/trivy-gate/ignore.js';
import { ReportFormatError, parseReport } from '../../actions/trivy-gate/report.js';
import { JsonScanError, scanChunks } from '../../actions/trivy-gate/scanner.js';
import { evaluateReportFile, writeFilteredReport } from '../../actions/trivy-gate/stream.js';
import { ROOT } from '../support/run-action.js';

const OWN = path.join(ROOT, 'test', 'fixtures', 'trivy');
const UPSTREAM = path.join(OWN, 'upstream'); // Trivy's own golden reports (test/fixtures/NOTICE.md)
const POLICY: GatePolicy = { severities: ['CRITICAL', 'HIGH'], ignoreUnfixed: false };
const ALL: GatePolicy = { severities: SEVERITIES, ignoreUnfixed: false };
const NOW = new Date('2026-09-01T12:00:00Z');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trivy-stream-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

function rules() {
  const plain = parseTrivyIgnore(fs.readFileSync(path.join(OWN, '.trivyignore'), 'utf8'), '.trivyignore');
  const yaml = parseTrivyIgnoreYaml(fs.readFileSync(path.join(OWN, '.trivyignore.yaml'), 'utf8'), '.trivyignore.yaml');
  return buildRules([...plain.entries, ...yaml], NOW, plain.warnings);
}

/** What must agree between the streaming and the in-memory evaluation. */
function essence(e: Evaluation): unknown {
  return {
    total: e.total,
    gatedCounts: e.gatedCounts,
    matched: e.matched,
    gated: e.gated.map((f) => `${f.severity} ${f.id} ${f.target} ${f.expiredIgnore?.source ?? ''}`),
    ignored: e.ignored.map((i) => `${i.finding.id} ${i.finding.target} ${i.entry.source}`).sort(),
    targets: e.targets.map((t) => `${t.target} ${JSON.stringify(t.total)} ${JSON.stringify(t.gated)} ${t.ignored}`),
    passed: e.passed,
    counts: [e.gatedCount, e.ignoredCount, e.targetCount],
  };
}

function reportFiles(): string[] {
  const own = fs.readdirSync(OWN).filter((f) => /\.(json|sarif)$/.test(f) && !['expectations.json', 'schema-v1.json', 'grype.sarif'].includes(f)).map((f) => path.join(OWN, f));
  const upstream = fs.readdirSync(UPSTREAM).filter((f) => f.endsWith('.golden') && f !== 'license-cyclonedx.json.golden').map((f) => path.join(UPSTREAM, f));
  return [...own, ...upstream];
}

describe('streaming evaluation agrees with the in-memory one', () => {
  for (const file of reportFiles()) {
    for (const [name, policy, withRules] of [['HIGH,CRITICAL', POLICY, false], ['every severity, ignore files', ALL, true]] as const) {
      it(`${path.relative(ROOT, file)} (${name})`, async () => {
        const r = withRules ? rules() : EMPTY_RULES;
        const parsed = parseReport(fs.readFileSync(file, 'utf8'));
        const memory = parsed.format === 'json' ? evaluateReport(parsed.report, policy, r) : evaluateSarif(parsed.sarif, policy, r);
        const streamed = await evaluateReportFile(file, policy, r);
        assert.equal(streamed.format, parsed.format);
        assert.deepEqual(essence(streamed.evaluation), essence(memory));
      });
    }
  }
});

describe('JSON scanner', () => {
  const doc = {
    SchemaVersion: 2,
    'Odd "key" {': 'value with } ] , : and \\" and \\\\',
    Results: [
      { Target: 'a "quoted" {target}', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', Title: 'back\\slash\\\\ "end" \u00e9\u4e2d\ud83d\ude00', Severity: 'HIGH' }] },
      { Target: 'b', Secrets: [] },
      null,
      { Target: 'c\\', Misconfigurations: [{ ID: 'DS-1', Status: 'FAIL', Severity: 'LOW', Title: '[[{{' }] },
    ],
    After: [1, { x: [] }, 'z'],
  };
  for (const [style, text] of [['compact', JSON.stringify(doc)], ['indented', `\ufeff${JSON.stringify(doc, null, 2)}\n`]] as const) {
    it(`splits a ${style} document into members and Result elements at every chunk size`, () => {
      const bytes = Buffer.from(text, 'utf8');
      for (const size of [1, 2, 3, 5, 7, 64, bytes.length + 1]) {
        let pos = 0;
        const members: Record<string, unknown> = {};
        const elements: unknown[] = [];
        scanChunks(
          (buf) => {
            const n = Math.min(buf.length, bytes.length - pos);
            bytes.copy(buf, 0, pos, pos + n);
            pos += n;
            return n;
          },
          'Results',
          { member: (key, t) => void (members[key] = JSON.parse(t)), element: (t) => void elements.push(JSON.parse(t)) },
          size,
        );
        assert.deepEqual(elements, doc.Results, `elements at chunk size ${size}`);
        assert.deepEqual(members, { SchemaVersion: 2, 'Odd "key" {': doc['Odd "key" {'], After: doc.After }, `members at chunk size ${size}`);
      }
    });
  }
  const bad: Array<[string, RegExp]> = [
    ['{"SchemaVersion": 2, "Results": [{}, {}', /ends early, at byte \d+ inside "Results"/],
    ['{"SchemaVersion": 2} trailing', /unexpected text after the end of the document/],
    ['{"a" 1}', /expected ':' after "a"/],
    ['{"Results": [{} {}]}', /expected ',' or '\]' in "Results"/],
    ['{"Results": [,]}', /expected an element of "Results"/],
    ['{"a": 1 "b": 2}', /Unexpected non-whitespace character/],
    ['{"a": [1, 2}', /Expected ',' or '\]'/],
  ];
  for (const [text, message] of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      const bytes = Buffer.from(text);
      let done = false;
      const read = (buf: Buffer): number => (done ? 0 : ((done = true), bytes.copy(buf)));
      // The scanner checks the structure around the pieces; JSON.parse (as in the gate) checks each piece.
      const parse = (t: string): void => void JSON.parse(t);
      assert.throws(() => scanChunks(read, 'Results', { member: (_k, t) => parse(t), element: parse }), (e: unknown) => (e instanceof JsonScanError || e instanceof SyntaxError) && message.test(e.message));
    });
  }
});

describe('report files the gate refuses', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['schema-v1.json', fs.readFileSync(path.join(OWN, 'schema-v1.json'), 'utf8'), /schema 1/],
    ['v3.json', '{"SchemaVersion": 3, "Results": []}', /SchemaVersion 3 is not supported/],
    ['cyclonedx.json', '{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": []}', /no SchemaVersion/],
    ['sarif-2.0.json', '{"version": "2.0.0", "runs": []}', /SARIF version 2\.0\.0/],
    ['not-json.json', 'not json', /not valid JSON/],
    ['empty.json', '', /the file is empty/],
    ['scalar.json', '42', /top level is not a JSON object/],
    ['results-object.json', '{"SchemaVersion": 2, "Results": {}}', /Results is not a list/],
    ['truncated.json', '{"SchemaVersion": 2, "Results": [{"Target": "x", "Vulnerabilities": [', /not valid JSON \(the document ends early/],
    ['broken-result.json', '{"SchemaVersion": 2, "Results": [{"Target": x}]}', /not valid JSON/],
    ['no-runs.sarif', '{"version": "2.1.0", "runs": []}', /no runs: nothing says Trivy wrote it/],
  ];
  for (const [name, text, message] of cases) {
    it(`refuses ${name} (${message.source})`, async () => {
      await assert.rejects(evaluateReportFile(write(name, text), POLICY, EMPTY_RULES), (e: unknown) => e instanceof ReportFormatError && message.test(e.message));
    });
  }

  it('refuses a SARIF log written by another scanner, which would otherwise pass a CRITICAL finding', async () => {
    const grype = path.join(OWN, 'grype.sarif');
    const message = /^a SARIF log written by Grype, not Trivy \(runs\[\]\.tool\.driver\.name\)/;
    await assert.rejects(evaluateReportFile(grype, POLICY, EMPTY_RULES), (e: unknown) => e instanceof ReportFormatError && message.test(e.message));
    assert.throws(() => parseReport(fs.readFileSync(grype, 'utf8')), (e: unknown) => e instanceof ReportFormatError && message.test(e.message));
    // What the gate would have said, unrefused: the message has no "Severity:" line, so UNKNOWN, and a pass.
    const log = JSON.parse(fs.readFileSync(grype, 'utf8'));
    log.runs[0].tool.driver.name = 'Trivy';
    const unrefused = evaluateReportFile(write('grype-renamed.sarif', JSON.stringify(log)), POLICY, EMPTY_RULES);
    assert.equal((await unrefused).evaluation.passed, true);
  });

  it('refuses a SARIF log with one foreign run among Trivy runs', async () => {
    const log = JSON.parse(fs.readFileSync(path.join(OWN, 'image.sarif'), 'utf8'));
    log.runs.push({ tool: { driver: { name: 'Snyk Open Source' } }, results: [] });
    await assert.rejects(evaluateReportFile(write('mixed.sarif', JSON.stringify(log)), POLICY, EMPTY_RULES), /written by Snyk Open Source, not Trivy/);
  });
});

describe('bounded retention', () => {
  it('keeps only the most severe gated findings and the busiest targets, counts all, and hands every one to the sink', () => {
    const seen: string[] = [];
    const evaluator = new Evaluator(ALL, EMPTY_RULES, { keep: 3, sink: (item) => seen.push('gated' in item ? item.gated.id : item.ignored.finding.id) });
    const severities = ['LOW', 'CRITICAL', 'MEDIUM', 'HIGH', 'UNKNOWN', 'CRITICAL', 'LOW'] as const;
    for (let r = 0; r < 10; r++) {
      evaluator.add({ target: `t${r}`, findings: severities.slice(0, r % 4).map((severity, i) => ({ kind: 'vulnerability' as const, id: `V-${r}-${i}-${severity}`, severity, target: `t${r}`, fixed: true })) });
    }
    const e = evaluator.finish();
    assert.equal(e.gatedCount, 13);
    assert.equal(seen.length, 13);
    assert.equal(e.targetCount, 10);
    assert.deepEqual(e.gated.map((f) => f.severity), ['CRITICAL', 'CRITICAL', 'CRITICAL']);
    assert.equal(e.targets.length, 3);
    assert.deepEqual(e.targets.map((t) => t.target), ['t2', 't3', 't7'], 'the targets with the most gated findings, in report order');
    assert.equal(e.passed, false);
  });
});

describe('copies without the ignored findings', () => {
  it('writes a JSON report without the ignored findings that evaluates to the same counts', async () => {
    const r = rules();
    const source = path.join(OWN, 'image-alpine.json');
    const before = await evaluateReportFile(source, ALL, r);
    assert.ok(before.evaluation.ignoredCount > 0);
    const dest = path.join(tmp, 'not-ignored.json');
    writeFilteredReport(source, dest, (f) => !ignoreEntryFor(f, r.active));
    const after = await evaluateReportFile(dest, ALL, EMPTY_RULES);
    assert.equal(after.evaluation.ignoredCount, 0);
    assert.deepEqual(after.evaluation.total, before.evaluation.total);
    const copy = JSON.parse(fs.readFileSync(dest, 'utf8'));
    const original = JSON.parse(fs.readFileSync(source, 'utf8'));
    assert.equal(copy.ArtifactName, original.ArtifactName);
    assert.deepEqual(copy.Metadata, original.Metadata);
  });

  it('filters SARIF results the ignore file covers, keeping the rules', () => {
    const parsed = parseReport(fs.readFileSync(path.join(OWN, 'image.sarif'), 'utf8'));
    assert.equal(parsed.format, 'sarif');
    if (parsed.format !== 'sarif') return;
    const r = buildRules(parseTrivyIgnore('CVE-2024-0727\n', 'x').entries, NOW);
    const out = filterSarif(parsed.sarif, (f) => !ignoreEntryFor(f, r.active));
    const ids = (out.runs ?? []).flatMap((run) => (run.results ?? []).map((x) => x.ruleId));
    assert.ok(!ids.includes('CVE-2024-0727'));
    assert.equal(ids.length, (parsed.sarif.runs ?? []).flatMap((run) => run.results ?? []).length - 1);
    assert.deepEqual(out.runs?.[0].tool, parsed.sarif.runs?.[0].tool);
  });
});
