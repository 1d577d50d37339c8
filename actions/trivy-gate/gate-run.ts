import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ActionError, InputError, errorMessage, runnerTemp, appendSummary } from '../toolkit/index.js';
import { SEVERITIES, filterSarif, ignoreEntryFor, sumCounts, type Evaluation, type EvaluatorOptions, type GatePolicy, type SeverityCounts } from './gate.js';
import { FindingsFile } from './findings-file.js';
import { IgnoreFileError, buildRules, parseTrivyIgnore, parseTrivyIgnoreYaml, type IgnoreEntry, type IgnoreRules } from './ignore.js';
import { workspace, type Inputs, type ScanKind } from './inputs.js';
import { resolveTrivy } from './install.js';
import { ReportFormatError, parseReport } from './report.js';
import { evaluateReportFile, writeFilteredReport, type StreamedReport } from './stream.js';
import { LOG_TABLE_LIMIT, renderGatedTable, renderSummary, type ScannedTarget } from './summary.js';
import { Trivy } from './trivy.js';

/** @actions/cache (and the Azure SDK under it) is loaded only when a scan needs the DB: mode report stays light. */
function dbCache(): Promise<typeof import('./db-cache.js')> {
  return import('./db-cache.js');
}

export function loadIgnoreRules(files: string[], now: Date): IgnoreRules {
  const entries: IgnoreEntry[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const label = path.relative(workspace(), file) || file;
    try {
      if (/\.ya?ml$/i.test(file)) entries.push(...parseTrivyIgnoreYaml(text, label));
      else {
        const parsed = parseTrivyIgnore(text, label);
        entries.push(...parsed.entries);
        warnings.push(...parsed.warnings);
      }
    } catch (err) {
      if (err instanceof IgnoreFileError) throw new InputError('ignore-file', err.message);
      throw err;
    }
  }
  return buildRules(entries, now, warnings);
}

interface OutputDirs {
  base: string;
  reports: string;
  sarif: string;
  work: string;
}

function makeOutputDirs(): OutputDirs {
  const base = path.join(runnerTemp(), `trivy-gate-${randomBytes(4).toString('hex')}`);
  const dirs = { reports: path.join(base, 'reports'), sarif: path.join(base, 'sarif'), work: path.join(base, 'work') };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  return { base, ...dirs };
}

interface Produced {
  scan: ScannedTarget;
  /** A Trivy JSON report (scanned, or given in mode report). */
  json?: string;
  /** A SARIF log given in mode report (before the ignore file is applied). */
  sarifInput?: string;
  sarif?: string;
}

/** Streams the report through the gate (memory follows the findings kept, not the file size). */
async function evaluateFile(file: string, source: 'report' | ScanKind, policy: GatePolicy, rules: IgnoreRules, options: EvaluatorOptions): Promise<StreamedReport> {
  try {
    return await evaluateReportFile(file, policy, rules, options);
  } catch (err) {
    if (err instanceof ReportFormatError) {
      if (source === 'report') throw new InputError('report', `${file}: ${err.message}`);
      throw new ActionError(`trivy ${source} wrote an unusable report ${file}: ${err.message}`);
    }
    throw err;
  }
}

/** The gate, once main.ts has read the inputs: set up Trivy, scan or read the report, evaluate, outputs and summary. */
export async function gate(inputs: Inputs): Promise<void> {
  const now = new Date();
  const rules = loadIgnoreRules(inputs.ignoreFiles, now);
  const policy: GatePolicy = { severities: inputs.severities, ignoreUnfixed: inputs.ignoreUnfixed };
  for (const w of rules.warnings) core.warning(w);
  for (const e of rules.expired) core.warning(`Ignore entry ${e.id} (${e.source}) expired on ${e.expiresAt}: it no longer applies`);
  const dirs = makeOutputDirs();

  let trivy: Trivy | undefined;
  const produced: Produced[] = [];
  // Every gated and ignored finding goes to this file as it is evaluated; memory keeps only what is shown.
  const findings = new FindingsFile(path.join(dirs.base, 'findings.tsv'));
  const keep = Math.max(inputs.summaryLimit, LOG_TABLE_LIMIT);
  const evaluating = (scan: string): EvaluatorOptions => ({ keep, keepTargets: Math.max(inputs.summaryLimit, 1), sink: findings.sink(scan) });
  try {
    if (inputs.mode === 'report') {
      const { format, evaluation } = await evaluateFile(inputs.report, 'report', policy, rules, evaluating('report'));
      const scan = { kind: 'report', subject: path.relative(workspace(), inputs.report) || inputs.report, evaluation };
      if (format === 'json') {
        produced.push({ scan, json: inputs.report });
        // Only SARIF needs Trivy here; the table is rendered from this evaluation.
        if (inputs.sarif) trivy = await setUpTrivy(inputs, false);
      } else {
        produced.push({ scan, sarifInput: inputs.report });
      }
    } else {
      trivy = await setUpTrivy(inputs, true);
      for (const kind of inputs.targets) produced.push(await scanTarget(trivy, kind, inputs, policy, rules, dirs, now, evaluating(kind)));
    }
    await convertReports(trivy, produced, inputs, rules, dirs, findings.path);
  } catch (err) {
    core.setOutput('passed', 'false');
    throw err;
  } finally {
    findings.close();
  }

  const scans = produced.map((p) => p.scan);
  const findingsPath = findings.path;
  writeOutputs(scans, produced, inputs, findingsPath);
  await appendSummary(
    renderSummary({
      scans,
      policy,
      ignoreFiles: inputs.ignoreFiles.map((f) => path.relative(workspace(), f) || f),
      expired: rules.expired,
      ignoreWarnings: rules.warnings,
      limit: inputs.summaryLimit,
      warnOnly: inputs.warnOnly,
      trivyVersion: trivy ? await trivy.version() : undefined,
      findingsPath,
    }),
  );

  const gated = scans.flatMap((s) => s.evaluation.gated);
  const gatedCount = scans.reduce((n, s) => n + s.evaluation.gatedCount, 0);
  if (gatedCount === 0) {
    core.info(`Trivy gate passed: no finding at ${inputs.severities.join(', ')}${inputs.ignoreUnfixed ? ' with a fix' : ''}`);
    return;
  }
  const counts = SEVERITIES.filter((s) => scans.some((x) => x.evaluation.gatedCounts[s] > 0)).map((s) => `${scans.reduce((n, x) => n + x.evaluation.gatedCounts[s], 0)} ${s}`);
  const ids = [...new Set(gated.map((f) => f.id))];
  // The evaluations keep the most severe findings only: past them, the IDs are in the findings file.
  const more = gated.length < gatedCount ? `, and more (every one in ${findingsPath})` : ids.length > 10 ? `, and ${ids.length - 10} more` : '';
  const message = `Trivy gate: ${gatedCount} finding${gatedCount === 1 ? '' : 's'} at ${inputs.severities.join(', ')} (${counts.join(', ')}): ${ids.slice(0, 10).join(', ')}${more}`;
  if (inputs.warnOnly) {
    core.warning(`${message} (warn-only: not failing)`);
    return;
  }
  throw new ActionError(message);
}

async function setUpTrivy(inputs: Inputs, forScan: boolean): Promise<Trivy> {
  return core.group('Set up Trivy', async () => {
    const bin = await resolveTrivy(inputs.usePathTrivy, inputs.trivyVersion, inputs.trivyDownloadUrl);
    const env: Record<string, string | undefined> = {};
    if (forScan && inputs.registryUsername) {
      env.TRIVY_USERNAME = inputs.registryUsername;
      env.TRIVY_PASSWORD = inputs.registryPassword;
    }
    const trivy = new Trivy(bin, env);
    core.info(`Trivy ${await trivy.version()} (${bin})`);
    if (forScan && inputs.cache) await (await dbCache()).restoreDbCache(inputs.cacheDir, new Date());
    return trivy;
  });
}

async function scanTarget(trivy: Trivy, kind: ScanKind, inputs: Inputs, policy: GatePolicy, rules: IgnoreRules, dirs: OutputDirs, now: Date, evaluating: EvaluatorOptions): Promise<Produced> {
  const subject = kind === 'image' ? inputs.imageRef : inputs.path;
  return core.group(`Scan ${kind} ${subject}`, async () => {
    const output = path.join(dirs.reports, `${kind}.json`);
    const emptyIgnoreFile = emptyIgnore(dirs);
    const { decideSkip } = await dbCache();
    const db = decideSkip(inputs.skipDbUpdate, inputs.cacheDir, now, 'db');
    const javaDb = decideSkip(inputs.skipDbUpdate, inputs.cacheDir, now, 'java-db');
    if (db.warning) core.warning(db.warning);
    if (db.skip) core.info('Vulnerability DB is fresh in the cache: --skip-db-update');
    const inside = kind !== 'image' && isInside(inputs.cacheDir, subject);
    const started = Date.now();
    const result = await trivy.scan(
      {
        kind,
        target: subject,
        output,
        emptyIgnoreFile,
        cacheDir: inputs.cacheDir,
        scanners: inputs.scanners,
        timeout: inputs.timeout,
        dbRepositories: inputs.dbRepositories,
        javaDbRepositories: inputs.javaDbRepositories,
        skipDbUpdate: db.skip,
        skipJavaDbUpdate: javaDb.skip,
        skipDirs: inside ? [inputs.cacheDir] : [],
      },
      workspace(),
    );
    if (result.stderr.trim()) core.info(result.stderr.trim());
    if (!fs.existsSync(output)) throw new ActionError(`trivy ${kind} exited 0 but wrote no report at ${output}`);
    const { format, evaluation } = await evaluateFile(output, kind, policy, rules, evaluating);
    if (format !== 'json') throw new ActionError(`trivy ${kind} wrote SARIF instead of JSON at ${output}`);
    core.info(`${kind}: ${sumCounts(evaluation.total)} findings, ${evaluation.gatedCount} gated, ${evaluation.ignoredCount} ignored (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return { scan: { kind, subject: kind === 'image' ? subject : path.relative(workspace(), subject) || '.', evaluation }, json: output };
  });
}

/** An empty ignore file: Trivy's own ignore handling off, ours applies. */
function emptyIgnore(dirs: OutputDirs): string {
  const file = path.join(dirs.work, 'empty.trivyignore');
  if (!fs.existsSync(file)) fs.writeFileSync(file, '');
  return file;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * SARIF (all severities, ignore file applied): `trivy convert` of the JSON, or the SARIF input itself
 * (a copy without the ignored results when the ignore file removed any). Then the log table of the gated
 * findings, rendered from the evaluation and bounded (the full list is in the findings file).
 */
async function convertReports(trivy: Trivy | undefined, produced: Produced[], inputs: Inputs, rules: IgnoreRules, dirs: OutputDirs, findingsPath: string): Promise<void> {
  const emptyIgnoreFile = emptyIgnore(dirs);
  for (const p of produced) {
    const name = p.scan.kind;
    const json = p.json;
    if (inputs.sarif && trivy && json) {
      await core.group(`SARIF for ${name}`, async () => {
        let input = json;
        if (p.scan.evaluation.ignoredCount) {
          input = path.join(dirs.work, `${name}.not-ignored.json`);
          writeFilteredReport(json, input, (f) => !ignoreEntryFor(f, rules.active));
        }
        const sarif = path.join(dirs.sarif, `${name}.sarif`);
        await trivy.convert('sarif', input, emptyIgnoreFile, sarif);
        tagSarifCategory(sarif, name);
        p.sarif = sarif;
        core.info(`SARIF written to ${sarif}`);
      });
    }
    if (inputs.sarif && p.sarifInput) {
      if (p.scan.evaluation.ignoredCount === 0) p.sarif = p.sarifInput;
      else {
        // Trivy SARIF is a fraction of the JSON's size: read whole, only when something was ignored.
        const parsed = parseReport(fs.readFileSync(p.sarifInput, 'utf8'));
        if (parsed.format !== 'sarif') throw new ActionError(`${p.sarifInput} changed while it was read`);
        const sarif = path.join(dirs.sarif, `${name}.sarif`);
        fs.writeFileSync(sarif, JSON.stringify(filterSarif(parsed.sarif, (f) => !ignoreEntryFor(f, rules.active)), null, 2));
        p.sarif = sarif;
        core.info(`SARIF without the ${p.scan.evaluation.ignoredCount} ignored findings written to ${sarif}`);
      }
    }
    if (inputs.table && !p.scan.evaluation.passed) {
      await core.group(`Gated findings of ${name} (table)`, async () => {
        const { gated, gatedCount } = p.scan.evaluation;
        core.info(renderGatedTable(gated.slice(0, LOG_TABLE_LIMIT), gatedCount));
        if (gatedCount > LOG_TABLE_LIMIT) core.info(`…and ${gatedCount - LOG_TABLE_LIMIT} more gated findings: every one is in ${findingsPath} (the findings-path output)`);
      });
    }
  }
}

/** A distinct category per target, so code scanning keeps the runs of several targets apart. */
function tagSarifCategory(file: string, kind: string): void {
  try {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { runs?: Record<string, unknown>[] };
    for (const run of doc.runs ?? []) run.automationDetails ??= { id: `trivy-gate/${kind}/` };
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
  } catch (err) {
    throw new ActionError(`trivy convert wrote an unreadable SARIF file ${file}: ${errorMessage(err)}`);
  }
}

function total(scans: ScannedTarget[], pick: (e: Evaluation) => SeverityCounts): SeverityCounts {
  const out = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
  for (const s of scans) for (const k of SEVERITIES) out[k] += pick(s.evaluation)[k];
  return out;
}

function writeOutputs(scans: ScannedTarget[], produced: Produced[], inputs: Inputs, findingsPath: string): void {
  const totals = total(scans, (e) => e.total);
  const gated = total(scans, (e) => e.gatedCounts);
  const ignored = scans.reduce((n, s) => n + s.evaluation.ignoredCount, 0);
  core.setOutput('passed', String(scans.every((s) => s.evaluation.passed)));
  core.setOutput('gated', String(sumCounts(gated)));
  core.setOutput('total', String(sumCounts(totals)));
  for (const s of SEVERITIES) core.setOutput(s.toLowerCase(), String(totals[s]));
  core.setOutput('ignored', String(ignored));
  core.setOutput(
    'counts',
    JSON.stringify({
      total: totals,
      gated,
      ignored,
      byTarget: scans.map((s) => ({ kind: s.kind, subject: s.subject, total: s.evaluation.total, gated: s.evaluation.gatedCounts, ignored: s.evaluation.ignoredCount })),
    }),
  );
  const one = (files: (string | undefined)[], dir: string): string => {
    const present = files.filter((f): f is string => Boolean(f));
    if (present.length === 0) return '';
    return present.length === 1 ? present[0] : dir;
  };
  core.setOutput('report-path', inputs.mode === 'report' ? inputs.report : one(produced.map((p) => p.json), path.dirname(produced[0]?.json ?? '')));
  core.setOutput('sarif-path', one(produced.map((p) => p.sarif), path.dirname(produced.find((p) => p.sarif)?.sarif ?? '')));
  core.setOutput('findings-path', findingsPath);
}
