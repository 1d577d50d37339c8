// Scripted stand-ins for CLIs that cannot run here (kubectl against a cluster, trivy, helm upgrade).
// A stand-in is a tiny executable that records its argv and answers from rules: the first rule whose
// `match` substrings all occur in the joined argv (and whose `times` is not used up) decides stdout,
// stderr and exit code, or replays a captured fixture (`fixture`: path without .stdout/.stderr/.rc).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface StandInRule {
  match: string[];
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Replay NAME.stdout, NAME.stderr, NAME.rc from this path prefix. */
  fixture?: string;
  /** Copy this file to the path given after this argv flag (e.g. trivy's --output). */
  writeFileArg?: { flag: string; from: string };
  /** Use this rule at most N times, then fall through to the next. */
  times?: number;
  delayMs?: number;
}

export interface StandIn {
  bin: string;
  calls(): string[][];
  /** Each finished call with its start and end time (ms), to check what ran side by side. */
  spans(): { argv: string[]; start: number; end: number }[];
  setRules(rules: StandInRule[]): void;
}

const RUNNER = `
const fs = require('node:fs');
const base = process.argv[2];
const argv = process.argv.slice(3);
const start = Date.now();
fs.appendFileSync(base + '.calls.jsonl', JSON.stringify(argv) + '\\n');
const joined = argv.join(' ');
// Choosing a rule and counting it is one step under a lock (mkdir is atomic), so concurrent calls never share a
// use of a times: rule; the counts file is replaced by rename, so it is never read half written.
const lock = base + '.lock';
const pause = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  try { fs.mkdirSync(lock); break; } catch (e) {
    if (e.code !== 'EEXIST') throw e;
    try { if (Date.now() - fs.statSync(lock).mtimeMs > 10000) fs.rmdirSync(lock); } catch {}
    Atomics.wait(pause, 0, 0, 2);
  }
}
let idx;
let rules;
try {
  rules = JSON.parse(fs.readFileSync(base + '.rules.json', 'utf8'));
  let counts = {};
  try { counts = JSON.parse(fs.readFileSync(base + '.counts.json', 'utf8')); } catch {}
  idx = rules.findIndex((r, i) => r.match.every((m) => joined.includes(m)) && (r.times === undefined || (counts[i] || 0) < r.times));
  if (idx >= 0) {
    counts[idx] = (counts[idx] || 0) + 1;
    fs.writeFileSync(base + '.counts.json.' + process.pid, JSON.stringify(counts));
    fs.renameSync(base + '.counts.json.' + process.pid, base + '.counts.json');
  }
} finally {
  fs.rmdirSync(lock);
}
if (idx < 0) { process.stderr.write('stand-in: no rule for: ' + joined + '\\n'); process.exit(127); }
const r = rules[idx];
const finish = () => {
  let out = r.stdout || '', err = r.stderr || '', code = r.exitCode || 0;
  if (r.fixture) {
    const read = (ext) => { try { return fs.readFileSync(r.fixture + ext, 'utf8'); } catch { return ''; } };
    out = read('.stdout'); err = read('.stderr'); code = Number(read('.rc').trim() || '0');
  }
  if (r.writeFileArg) {
    const at = argv.indexOf(r.writeFileArg.flag);
    const eq = argv.find((a) => a.startsWith(r.writeFileArg.flag + '='));
    const target = at >= 0 ? argv[at + 1] : eq ? eq.slice(r.writeFileArg.flag.length + 1) : undefined;
    if (target) fs.copyFileSync(r.writeFileArg.from, target);
  }
  process.stdout.write(out);
  process.stderr.write(err);
  process.exitCode = code;
  fs.appendFileSync(base + '.spans.jsonl', JSON.stringify({ argv, start, end: Date.now() }) + '\\n');
};
if (r.delayMs) setTimeout(finish, r.delayMs); else finish();
`;

/** Creates `<dir>/<name>` (put `dir` first on PATH). */
export function createStandIn(dir: string, name: string, rules: StandInRule[]): StandIn {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `.${name}`);
  const runner = path.join(dir, `.${name}.runner.cjs`);
  fs.writeFileSync(runner, RUNNER);
  const bin = path.join(dir, name);
  fs.writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${runner}" "${base}" "$@"\n`, { mode: 0o755 });
  // Under the runners' lock: a call in flight sees the old rules and counts or the new ones, never a mix.
  const setRules = (r: StandInRule[]): void => {
    const lock = `${base}.lock`;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let tries = 0; ; tries++) {
      try {
        fs.mkdirSync(lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 5000) throw e;
        Atomics.wait(pause, 0, 0, 2);
      }
    }
    try {
      fs.writeFileSync(`${base}.rules.json.new`, JSON.stringify(r));
      fs.renameSync(`${base}.rules.json.new`, `${base}.rules.json`);
      fs.rmSync(`${base}.counts.json`, { force: true });
    } finally {
      fs.rmdirSync(lock);
    }
  };
  setRules(rules);
  fs.writeFileSync(`${base}.calls.jsonl`, '');
  fs.writeFileSync(`${base}.spans.jsonl`, '');
  return {
    bin,
    setRules,
    calls: () =>
      fs
        .readFileSync(`${base}.calls.jsonl`, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]),
    spans: () =>
      fs
        .readFileSync(`${base}.spans.jsonl`, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { argv: string[]; start: number; end: number }),
  };
}
