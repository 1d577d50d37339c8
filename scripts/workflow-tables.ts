// Generates docs/workflows.md's tables from the workflows themselves: for every .github/workflows file with
// `on.workflow_call`, its inputs, secrets and outputs between <!-- workflow-docs:<file> --> and
// <!-- /workflow-docs:<file> -->; and the third-party actions with their pinned release between
// <!-- pinned-actions --> and <!-- /pinned-actions -->. `--write` regenerates; `--check` (default) fails when
// the document differs or a block is missing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { collectPins, isThirdParty, ROOT } from './workflow-pins.js';

export const DOC = 'docs/workflows.md';

type Node = Record<string, unknown>;
const obj = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});
const flat = (v: unknown): string => String(v ?? '').replace(/\|/g, '\\|').replace(/\s*\r?\n\s*/g, ' ').trim();
// `<image>` outside code would be taken for an HTML tag and vanish on GitHub.
const cell = (v: unknown): string => flat(v).replace(/<(?=[A-Za-z/!])/g, '&lt;');
const code = (v: unknown): string => (v === undefined || v === null || v === '' ? '' : `\`${flat(v)}\``);

/** Reusable workflows (file names) of .github/workflows, in name order. */
export function reusableWorkflows(root: string = ROOT): string[] {
  const dir = path.join(root, '.github/workflows');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .filter((f) => 'workflow_call' in obj(obj(YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8'))).on));
}

/** The marker block of one reusable workflow, from its `on.workflow_call`. */
export function workflowBlock(file: string, source: string): string {
  const call = obj(obj(obj(YAML.parse(source)).on).workflow_call);
  const inputs = Object.entries(obj(call.inputs)).map(([name, v]) => {
    const s = obj(v);
    return `| \`${name}\` | ${cell(s.type ?? 'string')} | ${s.required === true ? 'yes' : 'no'} | ${code(s.default)} | ${cell(s.description)} |`;
  });
  const secrets = Object.entries(obj(call.secrets)).map(([name, v]) => `| \`${name}\` | ${obj(v).required === true ? 'yes' : 'no'} | ${cell(obj(v).description)} |`);
  const outputs = Object.entries(obj(call.outputs)).map(([name, v]) => `| \`${name}\` | ${cell(obj(v).description)} |`);
  const table = (header: string, rows: string[], none: string): string[] => (rows.length ? ['', header, header.replace(/[^|]+/g, ' --- '), ...rows] : ['', none]);
  return [
    `<!-- workflow-docs:${file} -->`,
    ...table('| Input | Type | Required | Default | Description |', inputs, 'No inputs.'),
    ...table('| Secret | Required | Description |', secrets, 'No secrets.'),
    ...table('| Output | Description |', outputs, 'No outputs.'),
    '',
    `<!-- /workflow-docs:${file} -->`,
  ].join('\n');
}

/** The table of third-party actions: one row per repository, its pinned release and commit. */
export function pinnedActionsBlock(root: string = ROOT): string {
  const rows = new Map<string, string>();
  for (const p of collectPins(root).filter((x) => isThirdParty(x) && x.file.startsWith('.github/workflows/'))) {
    const used = p.uses.slice(0, p.uses.lastIndexOf('@'));
    if (!rows.has(used)) rows.set(used, `| \`${used}\` | ${p.version ?? ''} | \`${p.ref}\` |`);
  }
  return ['<!-- pinned-actions -->', '| Action | Release | Commit |', '| --- | --- | --- |', ...[...rows.keys()].sort().map((k) => rows.get(k)), '<!-- /pinned-actions -->'].join('\n');
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The document with every block regenerated, and the problems that need a person (missing or stale blocks). */
export function render(doc: string, root: string = ROOT): { text: string; problems: string[] } {
  const problems: string[] = [];
  let text = doc;
  const files = reusableWorkflows(root);
  for (const file of files) {
    const re = new RegExp(`<!-- workflow-docs:${escape(file)} -->[\\s\\S]*?<!-- /workflow-docs:${escape(file)} -->`);
    if (!re.test(text)) {
      problems.push(
        `${DOC} has no block for .github/workflows/${file} (a reusable workflow: it has on.workflow_call). Add a heading and these two lines under "### Inputs, secrets and outputs", then run \`npm run docs\`:\n#### \`${file}\`\n<!-- workflow-docs:${file} -->\n<!-- /workflow-docs:${file} -->`,
      );
      continue;
    }
    text = text.replace(re, () => workflowBlock(file, fs.readFileSync(path.join(root, '.github/workflows', file), 'utf8')));
  }
  const seen = new Set<string>();
  for (const m of text.matchAll(/<!-- workflow-docs:([^ ]+) -->/g)) {
    if (seen.has(m[1])) problems.push(`${DOC} has two blocks for ${m[1]}: keep one`);
    seen.add(m[1]);
    if (!files.includes(m[1])) problems.push(`${DOC} has a block for ${m[1]}, which is not a reusable workflow in .github/workflows: remove the block and its heading`);
  }
  const pins = /<!-- pinned-actions -->[\s\S]*?<!-- \/pinned-actions -->/;
  if (pins.test(text)) text = text.replace(pins, () => pinnedActionsBlock(root));
  else problems.push(`${DOC} has no <!-- pinned-actions --><!-- /pinned-actions --> block (the table of third-party actions): add the two lines, then run \`npm run docs\``);
  return { text, problems };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const abs = path.join(ROOT, DOC);
  const doc = fs.readFileSync(abs, 'utf8');
  const { text, problems } = render(doc);
  if (process.argv.includes('--write')) {
    if (text !== doc) fs.writeFileSync(abs, text);
    console.log(`${DOC}: tables regenerated for ${reusableWorkflows().length} reusable workflows`);
  } else if (text !== doc) {
    problems.push(`${DOC}: the workflow tables differ from the workflows' on.workflow_call (or the pinned actions): run \`npm run docs\``);
  }
  for (const p of problems) console.error(p);
  if (!problems.length && !process.argv.includes('--write')) console.log(`${DOC}: tables match ${reusableWorkflows().length} reusable workflows and the pinned actions`);
  process.exit(problems.length ? 1 : 0);
}
