// The pin rule for third-party actions, over every place a user copies a `uses:` line from: the workflows, the
// example callers, and the YAML code blocks of README.md and docs/*.md. Each third-party `uses:` is
// `owner/repo[/path]@<40-hex SHA> # vX.Y.Z`, and every pin of one repository is the same SHA and release.
// `tsx scripts/workflow-pins.ts` checks; `--write` copies the newest release's pin over the older ones (run it
// after a Dependabot update, which only edits .github/workflows).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** This repository's own actions and workflows: referenced as @vN (moved by release.yml), not pinned by SHA. */
export const FIRST_PARTY = 'platform-org/platform-actions';

export interface Pin {
  file: string;
  line: number;
  /** The whole `uses:` value, e.g. github/codeql-action/upload-sarif@<sha>. */
  uses: string;
  /** owner/repo: pins of one repository must agree, whatever sub-path they use. */
  repo: string;
  ref: string;
  /** vX.Y.Z from the trailing comment, when there is one. */
  version?: string;
}

const USES = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)['"]?(.*)$/;
const SHA = /^[0-9a-f]{40}$/;
const VERSION_COMMENT = /#\s*(v\d+\.\d+\.\d+)(?![\w.-])/;

const listDir = (root: string, dir: string, re: RegExp): string[] => {
  const abs = path.join(root, dir);
  return fs.existsSync(abs) ? fs.readdirSync(abs).filter((f) => re.test(f)).sort().map((f) => (dir === '.' ? f : `${dir}/${f}`)) : [];
};

/** Every workflow file of the repository and of the examples, relative to root. */
export function workflowFiles(root: string = ROOT): string[] {
  return ['.github/workflows', 'examples/workflows'].flatMap((dir) => listDir(root, dir, /\.ya?ml$/));
}

/** Files whose `uses:` lines are checked, relative to root: workflows and examples whole, Markdown code blocks. */
export function pinnedFiles(root: string = ROOT): string[] {
  return [...workflowFiles(root), ...listDir(root, '.', /^README\.md$/), ...listDir(root, 'docs', /\.md$/)];
}

/** Every `uses:` of a file (for Markdown: inside fenced code blocks only). */
export function usesIn(file: string, text: string): Pin[] {
  const markdown = file.endsWith('.md');
  let fenced = false;
  const pins: Pin[] = [];
  text.split('\n').forEach((line, i) => {
    if (markdown && /^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return;
    }
    if (markdown && !fenced) return;
    const m = USES.exec(line);
    if (!m) return;
    const uses = m[1];
    const at = uses.lastIndexOf('@');
    const target = at > 0 ? uses.slice(0, at) : uses;
    pins.push({ file, line: i + 1, uses, repo: target.split('/').slice(0, 2).join('/'), ref: at > 0 ? uses.slice(at + 1) : '', version: VERSION_COMMENT.exec(m[2])?.[1] });
  });
  return pins;
}

/** Third-party references: not local (./), not this repository's own ($/<name>), not docker://, not FIRST_PARTY. */
export function isThirdParty(p: Pin): boolean {
  return !p.uses.startsWith('./') && !p.uses.startsWith('$/') && !p.uses.startsWith('docker://') && p.repo !== FIRST_PARTY && p.repo.includes('/');
}

export function collectPins(root: string = ROOT): Pin[] {
  return pinnedFiles(root).flatMap((f) => usesIn(f, fs.readFileSync(path.join(root, f), 'utf8')));
}

const where = (p: Pin): string => `${p.file}:${p.line}`;

/** Why the pins break the rule: one line per unpinned or uncommented reference, one per disagreeing repository. */
export function pinProblems(pins: Pin[]): string[] {
  const problems: string[] = [];
  const byRepo = new Map<string, Pin[]>();
  for (const p of pins) {
    if (p.uses.startsWith('docker://')) {
      if (!/@sha256:[0-9a-f]{64}$/.test(p.uses)) problems.push(`${where(p)}: ${p.uses} is not pinned by digest (docker://image@sha256:…)`);
      continue;
    }
    if (!isThirdParty(p)) continue;
    if (!SHA.test(p.ref)) problems.push(`${where(p)}: ${p.uses} is not pinned by a full 40-hex commit SHA (owner/repo@<sha> # vX.Y.Z)`);
    else if (!p.version) problems.push(`${where(p)}: ${p.uses} has no '# vX.Y.Z' comment naming the release of that SHA`);
    else byRepo.set(p.repo, [...(byRepo.get(p.repo) ?? []), p]);
  }
  for (const [repo, list] of byRepo) {
    const variants = new Map<string, Pin[]>();
    for (const p of list) variants.set(`${p.ref} # ${p.version}`, [...(variants.get(`${p.ref} # ${p.version}`) ?? []), p]);
    if (variants.size < 2) continue;
    const detail = [...variants].map(([pin, at]) => `${pin} (${at.map(where).join(', ')})`).join('; ');
    problems.push(`${repo} is pinned ${variants.size} ways: ${detail}. Use one release everywhere (tsx scripts/workflow-pins.ts --write copies the newest).`);
  }
  return problems;
}

function versionKey(v: string): number[] {
  return v.slice(1).split('.').map(Number);
}

function newer(a: Pin, b: Pin): Pin {
  const [x, y] = [versionKey(a.version ?? 'v0.0.0'), versionKey(b.version ?? 'v0.0.0')];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i] ? a : b;
  return a;
}

/** Rewrites every older pin of a repository to its newest `sha # vX.Y.Z`; returns the files changed. */
export function syncPins(root: string = ROOT): string[] {
  const pins = collectPins(root).filter((p) => isThirdParty(p) && SHA.test(p.ref) && p.version);
  const newest = new Map<string, Pin>();
  for (const p of pins) newest.set(p.repo, newest.has(p.repo) ? newer(newest.get(p.repo) as Pin, p) : p);
  const changed = new Set<string>();
  const byFile = new Map<string, Pin[]>();
  for (const p of pins) {
    const best = newest.get(p.repo) as Pin;
    if (p.ref !== best.ref || p.version !== best.version) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  }
  for (const [file, stale] of byFile) {
    const abs = path.join(root, file);
    const lines = fs.readFileSync(abs, 'utf8').split('\n');
    for (const p of stale) {
      const best = newest.get(p.repo) as Pin;
      lines[p.line - 1] = lines[p.line - 1].replace(`@${p.ref}`, `@${best.ref}`).replace(VERSION_COMMENT, `# ${best.version}`);
    }
    fs.writeFileSync(abs, lines.join('\n'));
    changed.add(file);
  }
  return [...changed];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) {
    const changed = syncPins();
    console.log(changed.length ? `pins updated in: ${changed.join(', ')}` : 'every pin already agrees');
  }
  const pins = collectPins();
  const problems = pinProblems(pins);
  for (const p of problems) console.error(p);
  console.log(`pins: ${pins.filter(isThirdParty).length} third-party uses in ${pinnedFiles().length} files, ${problems.length} problems`);
  process.exit(problems.length ? 1 : 0);
}
