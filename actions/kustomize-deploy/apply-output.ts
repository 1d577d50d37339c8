// `kubectl apply` output → what it did to which object, and which errors it reported. Lines are kubectl's
// (see test/fixtures/kustomize): `<resource>/<name> <verb>[ (server dry run)]` on stdout, one error per object
// on stderr; kubectl goes on with the next object after a server error.

export interface AppliedLine {
  /** `deployment.apps/web` as kubectl prints it. */
  object: string;
  verb: string;
}

const LINE = /^(\S+\/\S+) (serverside-applied|created|configured|unchanged|pruned|deleted)( \(server dry run\)| \(dry run\))?$/;

export function parseApplyOutput(stdout: string): { applied: AppliedLine[]; pruned: string[] } {
  const applied: AppliedLine[] = [];
  const pruned: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    if (m[2] === 'pruned') pruned.push(m[1]);
    else applied.push({ object: m[1], verb: m[2] });
  }
  return { applied, pruned };
}

/** Jobs the server refused because their pod template changed (a Job's template is immutable). */
export function immutableJobs(stderr: string): string[] {
  return [...stderr.matchAll(/^The Job "([^"]+)" is invalid: spec\.template: .*field is immutable\s*$/gm)].map((m) => m[1]);
}

/** The error lines of a failed apply, each cut to a readable length (the Job errors carry a 3 KB Go dump). */
export function applyErrors(stderr: string, max = 300): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(error:|Error from server|The \S+ "[^"]+" is invalid)/.test(l))
    .map((l) => (l.length > max ? `${l.slice(0, max - 1)}…` : l));
}

/**
 * Whether every error of a failed dry run is a Job template change that deleting the Job will settle: then
 * every other object passed (kubectl applies each object and reports server errors at the end).
 */
export function onlyJobTemplateChanges(stderr: string, jobsInSet: string[]): boolean {
  const errors = applyErrors(stderr, Number.MAX_SAFE_INTEGER);
  const jobs = immutableJobs(stderr);
  return errors.length > 0 && errors.length === jobs.length && jobs.every((j) => jobsInSet.includes(j));
}

/** kubectl's error for the overlay itself, without the wrapper kustomization's nesting around it. */
export function renderErrorText(stderr: string): string {
  const inner = /recursed accumulation of path '[^']*': ([\s\S]*)$/.exec(stderr.trim());
  return inner ? `error: ${inner[1]}` : stderr.trim();
}
