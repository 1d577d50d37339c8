// Streaming evaluation of a report file, so memory follows the findings kept (gated, ignored), not the
// size of the file: a Trivy JSON report is split into its Results by a byte scanner and each Result is
// JSON.parse'd and reduced to small Finding objects (Descriptions, References, CVSS, Packages dropped);
// a SARIF log goes through @streamparser/json one result at a time.
import { JSONParser } from '@streamparser/json';
import * as fs from 'node:fs';
import { Evaluator, filterResult, resultFindings, sarifGroups, type Evaluation, type EvaluatorOptions, type Finding, type GatePolicy } from './gate.js';
import type { IgnoreRules } from './ignore.js';
import { scanJsonFile } from './scanner.js';
import { ReportFormatError, checkSarifTool, type SarifLog, type SarifResult, type SarifRule, type TrivyResult } from './report.js';

export interface StreamedReport {
  format: 'json' | 'sarif';
  evaluation: Evaluation;
}


/** Paths the SARIF parser emits: none is an ancestor of another, so each emitted value is dropped from its parent. */
const SARIF_PATHS = ['$.version', '$.SchemaVersion', '$.runs.*.tool.driver.name', '$.runs.*.tool.driver.rules.*', '$.runs.*.results.*'];

interface PendingRun {
  name?: unknown;
  rules: SarifRule[];
  /** Only the fields the gate reads (message text, rule, first location). */
  results: SarifResult[];
}

function head(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(512);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  } finally {
    fs.closeSync(fd);
  }
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function compactSarifResult(value: unknown): SarifResult {
  const r = (value ?? {}) as SarifResult;
  const loc = r.locations?.[0]?.physicalLocation;
  return {
    ruleId: r.ruleId,
    ruleIndex: r.ruleIndex,
    message: { text: r.message?.text },
    locations: loc ? [{ physicalLocation: { artifactLocation: { uri: loc.artifactLocation?.uri }, region: { startLine: loc.region?.startLine } } }] : undefined,
  };
}

/**
 * Evaluates a Trivy JSON report (SchemaVersion 2) or a Trivy SARIF 2.1.0 log read from `file` as a stream.
 * Throws ReportFormatError for anything else, as parseReport does for text in memory.
 */
export async function evaluateReportFile(file: string, policy: GatePolicy, rules: IgnoreRules, options: EvaluatorOptions = {}): Promise<StreamedReport> {
  const start = head(file);
  if (start === '') throw new ReportFormatError('not valid JSON (the file is empty)');
  if (start.startsWith('[')) throw new ReportFormatError('a JSON array: reports of Trivy before 0.20 (schema 1) are not supported');
  if (!start.startsWith('{')) {
    if (/^(?:"|-?\d|true\b|false\b|null\b)/.test(start)) throw new ReportFormatError('not a Trivy report (the top level is not a JSON object)');
    throw new ReportFormatError(`not valid JSON (it starts with ${JSON.stringify(start.slice(0, 20))})`);
  }

  const top: Record<string, unknown> = {};
  const evaluator = new Evaluator(policy, rules, options);
  let sarif = false;
  try {
    scanJsonFile(file, 'Results', {
      member(key, text) {
        // A SARIF log (its runs hold every result): read by the streaming parser below instead.
        if (key === 'runs' || (key === 'version' && !('SchemaVersion' in top))) {
          sarif = true;
          return false;
        }
        const value: unknown = JSON.parse(text);
        top[key] = value;
        if (key === 'SchemaVersion' && value !== 2) throw new ReportFormatError(`Trivy report SchemaVersion ${JSON.stringify(value)} is not supported (expected 2, written by Trivy 0.20 and later)`);
        if (key === 'Results' && value !== null) throw new ReportFormatError('Results is not a list');
        return true;
      },
      element(text) {
        const value: unknown = JSON.parse(text);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
        const r = value as TrivyResult;
        evaluator.add({ target: r.Target ?? '', class: r.Class, type: r.Type, findings: resultFindings(r) });
      },
    });
  } catch (err) {
    if (err instanceof ReportFormatError) throw err;
    throw new ReportFormatError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (sarif) return evaluateSarifFile(file, policy, rules, options);
  if (!('SchemaVersion' in top)) {
    throw new ReportFormatError('not a Trivy JSON report (no SchemaVersion); Kubernetes, AWS, CycloneDX and SPDX outputs are not supported');
  }
  const evaluation = evaluator.finish();
  evaluation.artifactName = asString(top.ArtifactName);
  evaluation.artifactType = asString(top.ArtifactType);
  return { format: 'json', evaluation };
}

/** A SARIF log through @streamparser/json: results one at a time, reduced to the fields the gate reads. */
async function evaluateSarifFile(file: string, policy: GatePolicy, rules: IgnoreRules, options: EvaluatorOptions): Promise<StreamedReport> {
  let version: unknown;
  let schemaVersion = false;
  const runs: PendingRun[] = [];
  const runAt = (index: number): PendingRun => (runs[index] ??= { rules: [], results: [] });
  const parser = new JSONParser({ paths: SARIF_PATHS, keepStack: false });
  parser.onValue = ({ value, key, stack }) => {
    // stack[i].key is where stack[i + 1] (or, last, the value's parent) sits: [root, runs, index, …].
    const depth = stack.length;
    if (depth === 1) {
      if (key === 'version') version = value;
      else if (key === 'SchemaVersion') schemaVersion = true;
      return;
    }
    const run = runAt(Number(stack[2].key));
    if (key === 'name' && depth === 5) run.name = value;
    else if (stack[depth - 1].key === 'rules') run.rules[Number(key)] = (value ?? {}) as SarifRule;
    else if (stack[depth - 1].key === 'results') run.results.push(compactSarifResult(value));
  };
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 64 * 1024 })) parser.write(chunk as Buffer);
    if (!parser.isEnded) parser.end();
  } catch (err) {
    throw new ReportFormatError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof version !== 'string' || schemaVersion) throw new ReportFormatError('not a Trivy JSON report (no SchemaVersion) nor a SARIF log (no version); Kubernetes, AWS, CycloneDX and SPDX outputs are not supported');
  if (version !== '2.1.0') throw new ReportFormatError(`SARIF version ${version} is not supported (expected 2.1.0)`);
  const log: SarifLog = { version, runs: runs.map((r) => ({ tool: { driver: { name: asString(r.name), rules: r.rules } }, results: r.results })) };
  checkSarifTool(log);
  const evaluator = new Evaluator(policy, rules, options);
  for (const group of sarifGroups(log)) evaluator.add(group);
  return { format: 'sarif', evaluation: evaluator.finish() };
}

/**
 * Copies a Trivy JSON report keeping only the findings `keep` accepts, one Result at a time (for
 * `trivy convert`; the other top-level members are copied after Results, their order does not matter).
 */
export function writeFilteredReport(source: string, dest: string, keep: (f: Finding) => boolean): void {
  const fd = fs.openSync(dest, 'w');
  const tail: string[] = [];
  let count = 0;
  let pending: string[] = [];
  let size = 0;
  const write = (text: string): void => {
    pending.push(text);
    size += text.length;
    if (size >= 1 << 20) {
      fs.writeSync(fd, pending.join(''));
      pending = [];
      size = 0;
    }
  };
  try {
    write('{"Results":[');
    scanJsonFile(source, 'Results', {
      member: (key, text) => void tail.push(`${JSON.stringify(key)}:${text.trim()}`),
      element: (text) => write(`${count++ ? ',' : ''}${JSON.stringify(filterResult(JSON.parse(text) as TrivyResult, keep))}`),
    });
    write(`]${tail.filter((t) => !t.startsWith('"Results":')).map((t) => `,${t}`).join('')}}`);
    fs.writeSync(fd, pending.join(''));
  } finally {
    fs.closeSync(fd);
  }
}
