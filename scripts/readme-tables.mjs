// Generates each action's inputs/outputs tables in README.md from its action.yml, between
// <!-- action-docs:NAME --> and <!-- /action-docs:NAME -->. --check fails when README and action.yml disagree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { ROOT, actionNames } from './actions.mjs';

const cell = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim();

export function tablesFor(name) {
  const manifest = YAML.parse(fs.readFileSync(path.join(ROOT, name, 'action.yml'), 'utf8'));
  const inputs = Object.entries(manifest.inputs ?? {}).map(([k, v]) => `| \`${k}\` | ${v.required ? 'yes' : 'no'} | ${v.default === undefined || v.default === '' ? '' : `\`${cell(v.default)}\``} | ${cell(v.description)} |`);
  const outputs = Object.entries(manifest.outputs ?? {}).map(([k, v]) => `| \`${k}\` | ${cell(v.description)} |`);
  return [
    `<!-- action-docs:${name} -->`,
    '| Input | Required | Default | Description |',
    '| --- | --- | --- | --- |',
    ...inputs,
    '',
    '| Output | Description |',
    '| --- | --- |',
    ...outputs,
    `<!-- /action-docs:${name} -->`,
  ].join('\n');
}

const readmePath = path.join(ROOT, 'README.md');
const readme = fs.readFileSync(readmePath, 'utf8');
let updated = readme;
const problems = [];
for (const name of actionNames()) {
  const re = new RegExp(`<!-- action-docs:${name} -->[\\s\\S]*?<!-- /action-docs:${name} -->`);
  if (!re.test(updated)) {
    problems.push(`README.md has no <!-- action-docs:${name} --> block`);
    continue;
  }
  updated = updated.replace(re, tablesFor(name));
}
if (process.argv.includes('--write')) {
  fs.writeFileSync(readmePath, updated);
  console.log('README.md tables regenerated');
} else {
  if (updated !== readme) problems.push('README.md inputs/outputs tables differ from action.yml: run `npm run docs`');
  for (const p of problems) console.error(p);
  if (!problems.length) console.log(`README tables match action.yml for ${actionNames().length} actions`);
  process.exit(problems.length ? 1 : 0);
}
