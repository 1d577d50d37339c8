// The gate, computed from Trivy's JSON (or SARIF) by our code: counting follows Trivy's own
// Results.Failed() — every remaining vulnerability, FAIL misconfiguration, secret and license
// counts; PASS/EXCEPTION misconfigurations and ExperimentalModifiedFindings never do.
import { matchIgnore, type FindingKind, type IgnoreEntry, type IgnoreRules } from './ignore.js';
import type { SarifLog, SarifResult, SarifRule, TrivyLicense, TrivyMisconfiguration, TrivyReport, TrivyResult, TrivySecret, TrivyVulnerability } from './report.js';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type SeverityCounts = Record<Severity, number>;
export type KindCounts = Record<'vulnerabilities' | 'misconfigurations' | 'secrets' | 'licenses', number>;

export interface GatePolicy {
  severities: readonly Severity[];
  ignoreUnfixed: boolean;
}

export interface Finding {
  kind: FindingKind;
  id: string;
  severity: Severity;
  target: string;
  title?: string;
  url?: string;
  pkgName?: string;
  pkgPath?: string;
  purl?: string;
  installedVersion?: string;
  fixedVersion?: string;
  /** Vulnerabilities: a fix exists (Status 'fixed', or FixedVersion set when Status is absent). */
  fixed: boolean;
  avdId?: string;
  line?: number;
}

export interface GatedFinding extends Finding {
  /** An ignore entry would have covered it, but it expired. */
  expiredIgnore?: IgnoreEntry;
}

export interface IgnoredFinding {
  finding: Finding;
  entry: IgnoreEntry;
}

export interface TargetEvaluation {
  target: string;
  class?: string;
  type?: string;
  total: SeverityCounts;
  gated: SeverityCounts;
  ignored: number;
}

export interface Evaluation {
  artifactName?: string;
  artifactType?: string;
  /** Per result target; at most `keep` of them (those with the most gated findings) when there are more. */
  targets: TargetEvaluation[];
  targetCount: number;
  total: SeverityCounts;
  gatedCounts: SeverityCounts;
  matched: KindCounts;
  /** The most severe gated findings, at most `keep`; `gatedCount` counts them all. */
  gated: GatedFinding[];
  gatedCount: number;
  /** The first ignored findings, at most `keep`; `ignoredCount` counts them all. */
  ignored: IgnoredFinding[];
  ignoredCount: number;
  passed: boolean;
}

export interface EvaluatorOptions {
  /** How many gated findings and ignored findings to keep in memory (default: all). */
  keep?: number;
  /** How many result targets to keep in memory (default: keep). */
  keepTargets?: number;
  /** Sees every gated and ignored finding as it is evaluated (the full list, e.g. to a file). */
  sink?: (item: { gated: GatedFinding } | { ignored: IgnoredFinding }) => void;
}

export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}

export function sumCounts(counts: SeverityCounts): number {
  return SEVERITIES.reduce((n, s) => n + counts[s], 0);
}

/** Empty, missing or unknown severities are UNKNOWN, as in Trivy's filter. */
export function normalizeSeverity(value: unknown): Severity {
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : 'UNKNOWN';
}

/** Status 'fixed' decides; reports written before Trivy had Status fall back to FixedVersion. */
export function hasFix(v: Pick<TrivyVulnerability, 'Status' | 'FixedVersion'>): boolean {
  if (typeof v.Status === 'string' && v.Status !== '') return v.Status === 'fixed';
  return typeof v.FixedVersion === 'string' && v.FixedVersion.trim() !== '';
}

/** Misconfigurations count only when failed; a missing Status is a failure. */
export function isFailedMisconfiguration(m: TrivyMisconfiguration): boolean {
  const status = typeof m.Status === 'string' ? m.Status.toUpperCase() : '';
  return status !== 'PASS' && status !== 'EXCEPTION';
}

export function advisoryUrl(id: string, primaryUrl?: string): string | undefined {
  if (primaryUrl) return primaryUrl;
  if (/^CVE-\d+-\d+$/i.test(id)) return `https://avd.aquasec.com/nvd/${id.toLowerCase()}`;
  if (/^GHSA-/i.test(id)) return `https://github.com/advisories/${id}`;
  return undefined;
}

export function vulnerabilityFinding(v: TrivyVulnerability, target: string): Finding {
  const id = v.VulnerabilityID ?? '';
  return {
    kind: 'vulnerability',
    id,
    severity: normalizeSeverity(v.Severity),
    target,
    title: v.Title,
    url: advisoryUrl(id, v.PrimaryURL),
    pkgName: v.PkgName,
    pkgPath: v.PkgPath,
    purl: v.PkgIdentifier?.PURL,
    installedVersion: v.InstalledVersion,
    fixedVersion: v.FixedVersion,
    fixed: hasFix(v),
  };
}

export function misconfigurationFinding(m: TrivyMisconfiguration, target: string): Finding {
  const id = m.ID ?? m.AVDID ?? '';
  return {
    kind: 'misconfiguration',
    id,
    severity: normalizeSeverity(m.Severity),
    target,
    title: m.Title ?? m.Message,
    url: m.PrimaryURL || undefined,
    avdId: m.AVDID,
    fixed: true,
    line: m.CauseMetadata?.StartLine,
  };
}

export function secretFinding(s: TrivySecret, target: string): Finding {
  return { kind: 'secret', id: s.RuleID ?? '', severity: normalizeSeverity(s.Severity), target, title: s.Title, fixed: true, line: s.StartLine };
}

export function licenseFinding(l: TrivyLicense, target: string): Finding {
  return {
    kind: 'license',
    id: l.Name ?? '',
    severity: normalizeSeverity(l.Severity),
    target,
    title: l.Category ? `${l.Category} license` : undefined,
    url: l.Link || undefined,
    pkgName: l.PkgName,
    fixed: true,
  };
}

/** Every finding of one Result that counts (PASS/EXCEPTION misconfigurations and suppressed ones never do). */
export function* resultFindings(result: TrivyResult): Generator<Finding> {
  const target = result.Target ?? '';
  for (const v of result.Vulnerabilities ?? []) yield vulnerabilityFinding(v, target);
  for (const m of result.Misconfigurations ?? []) if (isFailedMisconfiguration(m)) yield misconfigurationFinding(m, target);
  for (const s of result.Secrets ?? []) yield secretFinding(s, target);
  for (const l of result.Licenses ?? []) yield licenseFinding(l, target);
}

export function isGated(f: Finding, policy: GatePolicy): boolean {
  if (!policy.severities.includes(f.severity)) return false;
  return !(policy.ignoreUnfixed && f.kind === 'vulnerability' && !f.fixed);
}

export function ignoreEntryFor(f: Finding, entries: readonly IgnoreEntry[]): IgnoreEntry | undefined {
  const ids = f.avdId && f.avdId !== f.id ? [f.id, f.avdId] : [f.id];
  return matchIgnore(entries, { kind: f.kind, ids, target: f.target, pkgPath: f.pkgPath, purl: f.purl });
}

export interface FindingGroup {
  target: string;
  class?: string;
  type?: string;
  findings: Iterable<Finding>;
}

const KIND_KEY: Record<FindingKind, keyof KindCounts> = {
  vulnerability: 'vulnerabilities',
  misconfiguration: 'misconfigurations',
  secret: 'secrets',
  license: 'licenses',
};

/**
 * Evaluates groups of findings one at a time, so a report never has to be held whole; what is kept in
 * memory is bounded by `keep` (the counts are always complete, the full lists go to `sink`).
 */
export class Evaluator {
  private readonly evaluation: Evaluation = {
    targets: [],
    targetCount: 0,
    total: emptyCounts(),
    gatedCounts: emptyCounts(),
    matched: { vulnerabilities: 0, misconfigurations: 0, secrets: 0, licenses: 0 },
    gated: [],
    gatedCount: 0,
    ignored: [],
    ignoredCount: 0,
    passed: true,
  };
  private readonly keep: number;
  private readonly keepTargets: number;

  constructor(
    private readonly policy: GatePolicy,
    private readonly rules: IgnoreRules,
    private readonly options: EvaluatorOptions = {},
  ) {
    this.keep = options.keep ?? Infinity;
    this.keepTargets = options.keepTargets ?? this.keep;
  }

  add(group: FindingGroup): void {
    const evaluation = this.evaluation;
    const sink = this.options.sink;
    const t: TargetEvaluation = { target: group.target, class: group.class, type: group.type, total: emptyCounts(), gated: emptyCounts(), ignored: 0 };
    for (const f of group.findings) {
      const entry = ignoreEntryFor(f, this.rules.active);
      if (entry) {
        const item = { finding: f, entry };
        if (evaluation.ignored.length < this.keep) evaluation.ignored.push(item);
        evaluation.ignoredCount++;
        sink?.({ ignored: item });
        t.ignored++;
        continue;
      }
      t.total[f.severity]++;
      evaluation.total[f.severity]++;
      if (!isGated(f, this.policy)) continue;
      t.gated[f.severity]++;
      evaluation.gatedCounts[f.severity]++;
      evaluation.matched[KIND_KEY[f.kind]]++;
      const expiredIgnore = this.rules.expired.length ? ignoreEntryFor(f, this.rules.expired) : undefined;
      const gated: GatedFinding = expiredIgnore ? { ...f, expiredIgnore } : f;
      evaluation.gatedCount++;
      evaluation.gated.push(gated);
      sink?.({ gated });
      if (evaluation.gated.length >= 2 * this.keep) evaluation.gated = mostSevere(evaluation.gated, this.keep);
    }
    evaluation.targetCount++;
    evaluation.targets.push(t);
    if (evaluation.targets.length >= 2 * this.keepTargets) evaluation.targets = busiest(evaluation.targets, this.keepTargets);
  }

  finish(): Evaluation {
    const e = this.evaluation;
    e.passed = e.gatedCount === 0;
    e.gated = mostSevere(e.gated, this.keep);
    if (e.targets.length > this.keepTargets) e.targets = busiest(e.targets, this.keepTargets);
    return e;
  }
}

function mostSevere(gated: GatedFinding[], keep: number): GatedFinding[] {
  return gated.sort(bySeverityThenId).slice(0, keep);
}

/** The targets with the most gated (then counted) findings, in report order. */
function busiest(targets: TargetEvaluation[], keep: number): TargetEvaluation[] {
  const weight = (t: TargetEvaluation): number => sumCounts(t.gated) * 1e9 + sumCounts(t.total);
  const chosen = new Set([...targets].sort((a, b) => weight(b) - weight(a)).slice(0, keep));
  return targets.filter((t) => chosen.has(t));
}

export function evaluateFindings(groups: Iterable<FindingGroup>, policy: GatePolicy, rules: IgnoreRules): Evaluation {
  const evaluator = new Evaluator(policy, rules);
  for (const group of groups) evaluator.add(group);
  return evaluator.finish();
}

const RANK: Record<Severity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, UNKNOWN: 4 };
function bySeverityThenId(a: Finding, b: Finding): number {
  return RANK[a.severity] - RANK[b.severity] || a.id.localeCompare(b.id) || a.target.localeCompare(b.target);
}

export function evaluateReport(report: TrivyReport, policy: GatePolicy, rules: IgnoreRules): Evaluation {
  const groups = (report.Results ?? []).map((r) => ({ target: r.Target ?? '', class: r.Class, type: r.Type, findings: resultFindings(r) }));
  const evaluation = evaluateFindings(groups, policy, rules);
  evaluation.artifactName = report.ArtifactName;
  evaluation.artifactType = report.ArtifactType;
  return evaluation;
}

/**
 * A copy of the report keeping only the findings `keep` accepts, for `trivy convert`: the SARIF
 * (ignore file applied, all severities) and the table (gated findings only) come from the same JSON.
 */
export function filterReport(report: TrivyReport, keep: (f: Finding) => boolean): TrivyReport {
  const results = (report.Results ?? []).map((r) => filterResult(r, keep));
  return report.Results ? { ...report, Results: results } : { ...report };
}

/** One Result keeping only the findings `keep` accepts (PASS/EXCEPTION misconfigurations always stay). */
export function filterResult(r: TrivyResult, keep: (f: Finding) => boolean): TrivyResult {
  const target = r.Target ?? '';
  const out: TrivyResult = { ...r };
  if (r.Vulnerabilities) out.Vulnerabilities = r.Vulnerabilities.filter((v) => keep(vulnerabilityFinding(v, target)));
  if (r.Misconfigurations) out.Misconfigurations = r.Misconfigurations.filter((m) => !isFailedMisconfiguration(m) || keep(misconfigurationFinding(m, target)));
  if (r.Secrets) out.Secrets = r.Secrets.filter((s) => keep(secretFinding(s, target)));
  if (r.Licenses) out.Licenses = r.Licenses.filter((l) => keep(licenseFinding(l, target)));
  return out;
}

const SARIF_KINDS: readonly string[] = ['vulnerability', 'misconfiguration', 'secret', 'license'];

/**
 * Findings of a Trivy SARIF log: severity from the `Severity:` line of the message (the rule's third
 * tag for license results), kind from the rule's first tag, fix from a non-empty `Fixed Version:`.
 */
export function sarifGroups(sarif: SarifLog): FindingGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const run of sarif.runs ?? []) {
    const rules: SarifRule[] = run.tool?.driver?.rules ?? [];
    for (const result of run.results ?? []) {
      const finding = sarifFinding(result, rules);
      const list = groups.get(finding.target) ?? [];
      list.push(finding);
      groups.set(finding.target, list);
    }
  }
  return [...groups].map(([target, findings]) => ({ target, findings }));
}

/** One SARIF result as a Finding, its rule looked up by index, else by id. */
export function sarifFinding(result: SarifResult, rules: readonly SarifRule[]): Finding {
  const rule = (result.ruleIndex !== undefined ? rules[result.ruleIndex] : undefined) ?? rules.find((r) => r.id === result.ruleId);
  const tags = rule?.properties?.tags ?? [];
  const text = result.message?.text ?? '';
  const field = (name: string): string | undefined => {
    const m = new RegExp(`(?:^|\\n|\\\\n)${name}: ?([^\\n\\\\]*)`).exec(text);
    return m ? m[1].trim() : undefined;
  };
  const kind = (SARIF_KINDS.includes(tags[0] ?? '') ? tags[0] : 'vulnerability') as FindingKind;
  const severity = normalizeSeverity(field('Severity') ?? tags[2]);
  const location = result.locations?.[0]?.physicalLocation;
  const target = location?.artifactLocation?.uri ?? '';
  const fixedVersion = field('Fixed Version');
  const id = result.ruleId ?? rule?.id ?? '';
  return {
    kind,
    id,
    severity,
    target,
    title: rule?.shortDescription?.text,
    url: advisoryUrl(id, rule?.helpUri),
    pkgName: field('Package'),
    installedVersion: field('Installed Version'),
    fixedVersion,
    fixed: kind !== 'vulnerability' || (fixedVersion !== undefined && fixedVersion !== ''),
    line: location?.region?.startLine,
  };
}

/** A copy of a SARIF log keeping only the results `keep` accepts (rules and everything else unchanged). */
export function filterSarif(sarif: SarifLog, keep: (f: Finding) => boolean): SarifLog {
  return {
    ...sarif,
    runs: sarif.runs?.map((run) => (run.results ? { ...run, results: run.results.filter((r) => keep(sarifFinding(r, run.tool?.driver?.rules ?? []))) } : run)),
  };
}

export function evaluateSarif(sarif: SarifLog, policy: GatePolicy, rules: IgnoreRules): Evaluation {
  return evaluateFindings(sarifGroups(sarif), policy, rules);
}
