// For GitHub Enterprise Server mirrors and runners older than 2.336.0, which do not know the self-repository
// syntax: rewrites every `uses: $/<path>` of the reusable workflows to `uses: <owner>/<repo>/<path>@<ref>`.
// Stamp with the full SHA of the commit being released to keep what `$/` gives on github.com (the actions
// of the workflow's own commit); a moving tag (`@v1`) gives that up.
//
//   tsx scripts/stamp-workflows.ts --repository my-org/platform-actions --ref <40-hex sha> [--root <dir>]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const USES = /^(\s*(?:-\s+)?uses:\s*)(['"]?)\$\/([^\s'"#]+)\2(\s*(?:#.*)?)$/;
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const REF = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** Rewrites the `$/` references of one workflow; `count` is how many lines changed. */
export function stampText(text: string, repository: string, ref: string): { text: string; count: number } {
  let count = 0;
  const out = text.split('\n').map((line) => {
    const m = USES.exec(line);
    if (!m) return line;
    count++;
    const [, lead, , target, tail] = m;
    return `${lead}${repository}/${target.replace(/\/$/, '')}@${ref}${tail}`;
  });
  return { text: out.join('\n'), count };
}

/** Why the arguments cannot be used, or undefined. */
export function argumentProblem(repository: string, ref: string): string | undefined {
  if (!REPOSITORY.test(repository)) return `--repository must be <owner>/<name>, got ${JSON.stringify(repository)}`;
  if (!REF.test(ref) || ref.includes('..')) return `--ref must be a commit SHA or a tag, got ${JSON.stringify(ref)}`;
  return undefined;
}

/** Stamps every workflow under <root>/.github/workflows; returns the files changed with their counts. */
export function stampWorkflows(root: string, repository: string, ref: string): { file: string; count: number }[] {
  const problem = argumentProblem(repository, ref);
  if (problem) throw new Error(problem);
  const dir = path.join(root, '.github', 'workflows');
  const changed: { file: string; count: number }[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const file = path.join(dir, name);
    const stamped = stampText(fs.readFileSync(file, 'utf8'), repository, ref);
    if (stamped.count === 0) continue;
    fs.writeFileSync(file, stamped.text);
    changed.push({ file: path.relative(root, file), count: stamped.count });
  }
  return changed;
}

function main(argv: string[]): number {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      console.error(`stamp-workflows: expected --name value pairs, got ${argv.slice(i).join(' ')}`);
      return 2;
    }
    args.set(argv[i].slice(2), argv[i + 1]);
  }
  const repository = args.get('repository') ?? process.env.GITHUB_REPOSITORY ?? '';
  const ref = args.get('ref') ?? '';
  const root = path.resolve(args.get('root') ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const problem = argumentProblem(repository, ref);
  if (problem) {
    console.error(`stamp-workflows: ${problem}`);
    return 2;
  }
  if (!/^[0-9a-f]{40}$/.test(ref)) console.warn(`stamp-workflows: ${ref} is not a full commit SHA: callers pinning a workflow will get the actions ${ref} points at when they run`);
  const changed = stampWorkflows(root, repository, ref);
  for (const c of changed) console.log(`${c.file}: ${c.count} reference(s) → ${repository}/…@${ref}`);
  console.log(`stamp-workflows: ${changed.reduce((n, c) => n + c.count, 0)} reference(s) in ${changed.length} file(s)`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
