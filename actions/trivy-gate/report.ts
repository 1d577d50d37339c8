// Trivy's JSON report (SchemaVersion 2) and SARIF, as far as the gate reads them. Every key may be
// missing or null (Go omitempty), so every field is optional.

export interface TrivyVulnerability {
  VulnerabilityID?: string;
  PkgID?: string;
  PkgName?: string;
  PkgPath?: string;
  PkgIdentifier?: { PURL?: string; UID?: string } | null;
  InstalledVersion?: string;
  FixedVersion?: string;
  Status?: string;
  Severity?: string;
  Title?: string;
  PrimaryURL?: string;
}

export interface TrivyMisconfiguration {
  ID?: string;
  AVDID?: string;
  Title?: string;
  Message?: string;
  Severity?: string;
  Status?: string;
  PrimaryURL?: string;
  CauseMetadata?: { StartLine?: number; Resource?: string } | null;
}

export interface TrivySecret {
  RuleID?: string;
  Category?: string;
  Severity?: string;
  Title?: string;
  StartLine?: number;
}

export interface TrivyLicense {
  Severity?: string;
  Category?: string;
  PkgName?: string;
  FilePath?: string;
  Name?: string;
  Link?: string;
}

export interface TrivyResult {
  Target?: string;
  Class?: string;
  Type?: string;
  Vulnerabilities?: TrivyVulnerability[] | null;
  Misconfigurations?: TrivyMisconfiguration[] | null;
  Secrets?: TrivySecret[] | null;
  Licenses?: TrivyLicense[] | null;
  MisconfSummary?: { Successes?: number; Failures?: number } | null;
  ExperimentalModifiedFindings?: unknown[] | null;
  [key: string]: unknown;
}

export interface TrivyReport {
  SchemaVersion?: number;
  ArtifactName?: string;
  ArtifactType?: string;
  Trivy?: { Version?: string } | null;
  Results?: TrivyResult[] | null;
  [key: string]: unknown;
}

export interface SarifRule {
  id?: string;
  shortDescription?: { text?: string };
  helpUri?: string;
  properties?: { tags?: string[] };
}

export interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  level?: string;
  message?: { text?: string };
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
}

export interface SarifLog {
  version?: string;
  runs?: { tool?: { driver?: { name?: string; version?: string; rules?: SarifRule[] } }; results?: SarifResult[] }[];
}

export type ParsedReport = { format: 'json'; report: TrivyReport } | { format: 'sarif'; sarif: SarifLog };

/** The report is not something the gate can evaluate; the message says why. */
export class ReportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportFormatError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Accepts a Trivy JSON report of SchemaVersion 2 (any release since 0.20) or a Trivy SARIF 2.1.0 log. */
export function parseReport(text: string): ParsedReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ReportFormatError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return classifyReport(data);
}

export function classifyReport(data: unknown): ParsedReport {
  if (Array.isArray(data)) throw new ReportFormatError('a JSON array: reports of Trivy before 0.20 (schema 1) are not supported');
  if (!isObject(data)) throw new ReportFormatError('not a Trivy report (the top level is not a JSON object)');
  if (Array.isArray(data.runs) && typeof data.version === 'string') {
    if (data.version !== '2.1.0') throw new ReportFormatError(`SARIF version ${data.version} is not supported (expected 2.1.0)`);
    checkSarifTool(data as SarifLog);
    return { format: 'sarif', sarif: data as SarifLog };
  }
  if (!('SchemaVersion' in data)) {
    throw new ReportFormatError('not a Trivy JSON report (no SchemaVersion); Kubernetes, AWS, CycloneDX and SPDX outputs are not supported');
  }
  if (data.SchemaVersion !== 2) {
    throw new ReportFormatError(`Trivy report SchemaVersion ${JSON.stringify(data.SchemaVersion)} is not supported (expected 2, written by Trivy 0.20 and later)`);
  }
  if (data.Results !== undefined && data.Results !== null && !Array.isArray(data.Results)) {
    throw new ReportFormatError('Results is not a list');
  }
  return { format: 'json', report: data as TrivyReport };
}

/**
 * The gate reads Trivy's SARIF only (severity and fix come from Trivy's own message lines): a log whose
 * runs were written by another scanner (Grype, Snyk, CodeQL…) would pass unread, so it is refused.
 */
export function checkSarifTool(sarif: SarifLog): void {
  const names = (sarif.runs ?? []).map((r) => r.tool?.driver?.name);
  if (names.length === 0) throw new ReportFormatError('a SARIF log with no runs: nothing says Trivy wrote it (runs[].tool.driver.name)');
  const at = names.findIndex((n) => typeof n !== 'string' || n.trim().toLowerCase() !== 'trivy');
  if (at >= 0) {
    const foreign = names[at];
    const who = typeof foreign === 'string' && foreign.trim() ? `by ${foreign.trim()}` : 'by an unnamed tool';
    throw new ReportFormatError(`a SARIF log written ${who}, not Trivy (runs[].tool.driver.name): only Trivy's JSON or SARIF can be gated; CycloneDX, SPDX and other scanners' SARIF are not supported`);
  }
}
