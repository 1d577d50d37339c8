// The list of actions: every folder under actions/ with an index.ts, except the shared toolkit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function actionNames() {
  return fs
    .readdirSync(path.join(ROOT, 'actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'toolkit' && fs.existsSync(path.join(ROOT, 'actions', d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}
