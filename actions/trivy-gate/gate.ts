// The gate, computed from Trivy's JSON (or SARIF) by our code: counting follows Trivy's own
// Results.Failed() — every remaining vulnerability, FAIL misconfiguration, secret and license
// counts; PASS/EXCEPTION misconfigurations and ExperimentalModifiedFindings never do.
import { matchIgnore, type FindingKind, type IgnoreEntry, type IgnoreRules } from './ignore.js';
import type { SarifLog, SarifRule, TrivyLicense, TrivyMisconfiguration, TrivyReport, TrivyResult, TrivySecret, TrivyVulnerability } from './report.js';

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
  targets: TargetEvaluation[];
  total: SeverityCounts;
  gatedCounts: SeverityCounts;
  matched: KindCounts;
  gated: GatedFinding[];
  ignored: IgnoredFinding[];
  passed: boolean;
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

export function evaluateFindings(groups: Iterable<FindingGroup>, policy: GatePolicy, rules: IgnoreRules): Evaluation {
  const evaluation: Evaluation = {
    targets: [],
    total: emptyCounts(),
    gatedCounts: emptyCounts(),
    matched: { vulnerabilities: 0, misconfigurations: 0, secrets: 0, licenses: 0 },
    gated: [],
    ignored: [],
    passed: true,
  };
  for (const group of groups) {
    const t: TargetEvaluation = { target: group.target, class: group.class, type: group.type, total: emptyCounts(), gated: emptyCounts(), ignored: 0 };
    for (const f of group.findings) {
      const entry = ignoreEntryFor(f, rules.active);
      if (entry) {
        evaluation.ignored.push({ finding: f, entry });
        t.ignored++;
        continue;
      }
      t.total[f.severity]++;
      evaluation.total[f.severity]++;
      if (!isGated(f, policy)) continue;
      t.gated[f.severity]++;
      evaluation.gatedCounts[f.severity]++;
      evaluation.matched[KIND_KEY[f.kind]]++;
      const expiredIgnore = rules.expired.length ? ignoreEntryFor(f, rules.expired) : undefined;
      evaluation.gated.push(expiredIgnore ? { ...f, expiredIgnore } : f);
    }
    evaluation.targets.push(t);
  }
  evaluation.passed = evaluation.gated.length === 0;
  evaluation.gated.sort(bySeverityThenId);
  return evaluation;
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
  const results = (report.Results ?? []).map((r) => {
    const target = r.Target ?? '';
    const out: TrivyResult = { ...r };
    if (r.Vulnerabilities) out.Vulnerabilities = r.Vulnerabilities.filter((v) => keep(vulnerabilityFinding(v, target)));
    if (r.Misconfigurations) out.Misconfigurations = r.Misconfigurations.filter((m) => !isFailedMisconfiguration(m) || keep(misconfigurationFinding(m, target)));
    if (r.Secrets) out.Secrets = r.Secrets.filter((s) => keep(secretFinding(s, target)));
    if (r.Licenses) out.Licenses = r.Licenses.filter((l) => keep(licenseFinding(l, target)));
    return out;
  });
  return report.Results ? { ...report, Results: results } : { ...report };
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
      const finding: Finding = {
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
      const list = groups.get(target) ?? [];
      list.push(finding);
      groups.set(target, list);
    }
  }
  return [...groups].map(([target, findings]) => ({ target, findings }));
}

export function evaluateSarif(sarif: SarifLog, policy: GatePolicy, rules: IgnoreRules): Evaluation {
  return evaluateFindings(sarifGroups(sarif), policy, rules);
}
