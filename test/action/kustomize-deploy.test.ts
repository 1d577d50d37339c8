// kustomize-deploy's built bundle with the real `kubectl kustomize` (the stack's kubectl renders the Kardon-shaped
// overlay) and a stand-in for every cluster call that replays kubectl's captured outputs (test/fixtures/kustomize).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { recordManifest } from '../../actions/kustomize-deploy/record.js';
import type { ActionRun } from '../support/run-action.js';
import { ROOT, runAction } from '../support/run-action.js';
import { loadStack, stackSkip } from '../support/stack.js';
import type { StandIn, StandInRule } from '../support/stand-in.js';
import { createStandIn } from '../support/stand-in.js';

const CAPTURED = path.join(ROOT, 'test', 'fixtures', 'kustomize', 'captured');
const OVERLAY = 'test/fixtures/kustomize/tree/overlays/dev';
const stack = loadStack();
const skip = stackSkip(stack);
const fx = (step: string): string => path.join(CAPTURED, step);
const read = (file: string): string => fs.readFileSync(path.join(CAPTURED, file), 'utf8');
const DIGEST_WEB = `sha256:${'a1'.repeat(32)}`;
const DIGEST_MIGRATOR = `sha256:${'b2'.repeat(32)}`;
const IMAGES = JSON.stringify({ web: `ghcr.io/example-org/kardon/web@${DIGEST_WEB}`, migrator: `ghcr.io/example-org/kardon/migrator:sha-b71d0aa@${DIGEST_MIGRATOR}` });

interface Cluster {
  kubectl: StandIn;
  dir: string;
}

/** The captured first apply, restricted to what the Jobs-first apply sends (no Deployments). */
const jobsFirstStdout = (): string => read('02-apply-first.stdout').split('\n').filter((l) => l && !l.startsWith('deployment.apps/')).join('\n') + '\n';

/** A record Secret as `kubectl get secret -o json` returns it, holding the captured dev render. */
function recordJson(): string {
  const manifest = recordManifest('kardon', 'kardon-dev', read('01-kustomize-dev.stdout'), { images: {}, revision: 'c0ffee1', deployedAt: '2026-11-28T10:00:00Z', runUrl: '', sourceCommit: '', jobHashes: {} });
  assert.ok(manifest);
  return JSON.stringify(YAML.parse(manifest));
}

/** One answer of a sequence: a captured step (path without .stdout/.stderr/.rc) or literal stdout, after a delay. */
interface Step {
  fixture?: string;
  stdout?: string;
  delaySeconds?: number;
  repeat?: number;
}

/**
 * Calls answered in order, for what a deploy reads more than once (workloads before and after, pods before and
 * while rolling out, rollout status before and after a rollback); the last step repeats. Race-free under
 * concurrent calls: each call claims its step number with an atomic mkdir.
 */
type Sequences = Partial<Record<'live' | 'pods' | 'podWatch' | 'rollout' | 'rolloutAfter' | 'rolloutWeb', Step[]>>;
const SEQUENCE_KEYS: Record<Exclude<keyof Sequences, 'rolloutWeb' | 'podWatch' | 'rolloutAfter'>, string> = { live: 'get deployments,statefulsets,daemonsets,jobs', pods: 'get pods', rollout: 'rollout status' };

function writeSequences(dir: string, sequences: Sequences): void {
  for (const [key, steps] of Object.entries(sequences) as [keyof Sequences, Step[]][]) {
    const expanded = steps.flatMap((s) => Array.from({ length: s.repeat ?? 1 }, () => s));
    expanded.forEach((s, i) => {
      const stepDir = path.join(dir, `seq-${key}`, i === expanded.length - 1 ? 'last' : String(i));
      fs.mkdirSync(stepDir, { recursive: true });
      const part = (ext: string, literal: string | undefined, fallback: string): string => (s.fixture ? fs.readFileSync(`${s.fixture}${ext}`, 'utf8') : (literal ?? fallback));
      fs.writeFileSync(path.join(stepDir, 'stdout'), part('.stdout', s.stdout, ''));
      fs.writeFileSync(path.join(stepDir, 'stderr'), part('.stderr', undefined, ''));
      fs.writeFileSync(path.join(stepDir, 'rc'), part('.rc', undefined, '0').trim());
      if (s.delaySeconds) fs.writeFileSync(path.join(stepDir, 'delay'), String(s.delaySeconds));
    });
  }
}

/** Stand-in kubectl: `kustomize` goes to the real binary, sequences answer in order, every other call replays the rules (scenario first). */
function cluster(scenario: StandInRule[] = [], { record = false, sequences = {} }: { record?: boolean; sequences?: Sequences } = {}): Cluster {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-deploy-'));
  const kubectl = createStandIn(dir, 'kubectl-replay', [
    ...scenario,
    { match: ['version --client'], fixture: fx('00-version') },
    // The state is read in two calls: the namespace, the record and the set's live objects by `get --filename`
    // (none of the set's objects owned by anyone else here), and the workloads, ReplicaSets and pods in one list.
    { match: ['get --filename'], stdout: JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: {}, items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kardon-dev' } }, ...(record ? [JSON.parse(recordJson()) as unknown] : [])] }) },
    { match: ['get deployments,statefulsets,daemonsets,jobs'], fixture: fx('05-get-healthy') },
    // The dry run asks for the objects as JSON (their managed fields decide the conflicts): nothing owned by anyone else here.
    { match: ['apply', '--dry-run=server'], stdout: '{"kind":"List","apiVersion":"v1","metadata":{},"items":[]}\n' },
    { match: ['--selector applyset.kubernetes.io/part-of='], stdout: '' },
    { match: ['apply', '--applyset=kardon', '--prune'], fixture: fx('03-applyset-first') },
    { match: ['apply', 'jobs-first.yaml'], stdout: jobsFirstStdout() },
    { match: ['apply', 'rendered-members.yaml'], fixture: fx('02-apply-first') },
    { match: ['apply', 'previous.yaml'], fixture: fx('02-apply-first') },
    { match: ['apply', 'record.yaml'], stdout: 'secret/kustomize-deploy.kardon serverside-applied\n' },
    { match: ['delete job migrator'], fixture: fx('05-delete-job-migrator') },
    // The Jobs' wait watches the Jobs and their pods (--watch --output-watch-events): a replayed list is its first events.
    { match: ['get jobs'], fixture: fx('05-get-healthy') },
    // The Job pods' watch yields Pods only (a replayed list holding the Job too would race the Jobs' watch).
    { match: ['get pods', '--selector', 'job-name in (migrator)', '--watch'], stdout: '{"kind":"List","apiVersion":"v1","metadata":{},"items":[]}\n' },
    { match: ['get pods'], fixture: fx('05-get-healthy') },
    { match: ['rollout status'], fixture: fx('05-rollout-status-ok') },
    { match: ['rollout undo'], fixture: fx('06-rollout-undo') },
    { match: ['get events'], fixture: fx('05-get-events-after-crash') },
    { match: ['describe pod'], stdout: fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'kubectl', 'describe-pod-crashloop.txt'), 'utf8') },
    { match: ['logs'], stdout: '' },
  ]);
  writeSequences(dir, sequences);
  const real = stack?.kubectl ?? 'kubectl';
  const cases = Object.entries(SEQUENCE_KEYS).map(([key, cmd]) => `  "${cmd}") key=${key};;`).join('\n');
  fs.writeFileSync(
    path.join(dir, 'kubectl'),
    [
      '#!/bin/sh',
      `for a in "$@"; do if [ "$a" = kustomize ]; then exec "${real}" "$@"; fi; done`,
      // The Job pods' watch is not one of the rollout's pod lists a sequence answers.
      `for a in "$@"; do case "$a" in "job-name in"*) exec "${kubectl.bin}" "$@";; esac; done`,
      'key=""',
      // The rollback is issued (an undo, or the recorded set re-applied): rollout waits from now on answer
      // `rolloutAfter`. The deploy's waits, killed before the rollback, may not all have claimed a step by then.
      `case "$1 $2 $*" in "rollout undo"*|*previous.yaml*) : > "${dir}/rollback-issued";; esac`,
      `if [ "$1 $2 $3" = "rollout status deployment/web" ] && [ -d "${dir}/seq-rolloutWeb" ]; then key=rolloutWeb; else`,
      'case "$1 $2" in',
      cases,
      'esac',
      'fi',
      `if [ "$key" = rollout ] && [ -f "${dir}/rollback-issued" ] && [ -d "${dir}/seq-rolloutAfter" ]; then key=rolloutAfter; fi`,
      // Pod watches answer their own sequence when one is given: the lists read before the apply never take its steps.
      `if [ "$key" = pods ] && [ -d "${dir}/seq-podWatch" ]; then for a in "$@"; do [ "$a" = --watch ] && key=podWatch; done; fi`,
      `if [ -n "$key" ] && [ -d "${dir}/seq-$key" ]; then`,
      `  n=0; while ! mkdir "${dir}/seq-$key/taken-$n" 2>/dev/null; do n=$((n+1)); done`,
      `  step="${dir}/seq-$key/$n"; [ -d "$step" ] || step="${dir}/seq-$key/last"`,
      '  [ -f "$step/delay" ] && sleep "$(cat "$step/delay")"',
      '  cat "$step/stdout"; cat "$step/stderr" >&2; exit "$(cat "$step/rc")"',
      'fi',
      `exec "${kubectl.bin}" "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return { kubectl, dir };
}

/** How many calls a sequence answered. */
const answered = (c: Cluster, key: keyof Sequences): number => (fs.existsSync(path.join(c.dir, `seq-${key}`)) ? fs.readdirSync(path.join(c.dir, `seq-${key}`)).filter((d) => d.startsWith('taken-')).length : 0);

function deploy(c: Cluster, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('kustomize-deploy', {
    inputs: { overlay: OVERLAY, images: IMAGES, name: 'kardon', 'poll-interval': '100ms', 'crash-checks': '2', timeout: '2m', ...inputs },
    pathPrepend: [c.dir],
    timeoutMs: 240_000,
  });
}

const applies = (c: Cluster): string[][] => c.kubectl.calls().filter((a) => a[0] === 'apply');
const applied = (c: Cluster, file: string): string[][] => applies(c).filter((a) => a.some((x) => x.endsWith(file)) && !a.includes('--dry-run=server') && !a.some((x) => x.startsWith('--applyset')));
const rolloutStatus = (c: Cluster): string[][] => c.kubectl.calls().filter((a) => a[0] === 'rollout' && a[1] === 'status');
/**
 * Pods: every list (the healthy ones, listed again after the migrator ran) and every watch (started with the apply:
 * the failing list, after `delaySeconds`, so that the rollout waits it stops have started) answer their own
 * sequence, whatever order the lists and the watches start in.
 */
const podsThenFailing = (json: string, delaySeconds?: number): Pick<Sequences, 'pods' | 'podWatch'> => ({ pods: [{ fixture: fx('05-get-healthy') }], podWatch: [{ stdout: read(json), delaySeconds }] });

describe('kustomize-deploy (built bundle, real kubectl kustomize, replayed cluster)', { concurrency: true, skip }, () => {
  it('renders the overlay with the images set, runs the migrator first, applies, prunes and records', async () => {
    const c = cluster();
    const run = await deploy(c);
    assert.equal(run.main.exitCode, 0, run.main.stdout);
    assert.equal(run.outputs.status, 'deployed');
    assert.equal(run.outputs.applied, '11');
    assert.equal(run.outputs['rolled-back'], 'false');
    assert.equal(run.outputs.record, 'kustomize-deploy.kardon');
    assert.deepEqual(JSON.parse(run.outputs['previous-images']).web, 'ghcr.io/example-org/kardon/web:sha-3f9c2e1');
    const order = c.kubectl.calls().map((a) => (a[0] === 'apply' ? `apply ${a.includes('--dry-run=server') ? 'dry-run' : a.some((x) => x.startsWith('--applyset')) ? 'applyset' : path.basename(a[a.length - 1])}` : a.slice(0, 2).join(' ')));
    const at = (step: string): number => order.indexOf(step);
    assert.ok(at('apply dry-run') < at('apply jobs-first.yaml'), order.join('\n'));
    assert.ok(at('apply jobs-first.yaml') < at('get jobs'), 'the Job is awaited after it is applied');
    assert.ok(at('get jobs') < at('apply rendered-members.yaml'), 'workloads are applied after the Job completed');
    assert.ok(c.kubectl.calls().some((a) => a.slice(0, 2).join(' ') === 'get jobs' && a.includes('--watch') && a.includes('--output-watch-events')), 'the Jobs are watched, not polled');
    assert.ok(at('apply rendered-members.yaml') < at('rollout status'));
    assert.ok(at('rollout status') < at('apply applyset'), 'pruning only after the rollout');
    assert.ok(at('apply applyset') < at('apply record.yaml'));
    const dryRunAt = c.kubectl.calls().findIndex((a) => a[0] === 'apply');
    assert.deepEqual(c.kubectl.calls().slice(0, dryRunAt).filter((a) => a[0] === 'get').map((a) => a[1]).sort(), ['--filename', 'deployments,statefulsets,daemonsets,jobs,replicasets,pods'], 'the cluster state is read in two calls');
    assert.ok(applied(c, 'rendered-members.yaml')[0].includes('--validate=false') && applied(c, 'record.yaml')[0].includes('--validate=false'), 'applies of what the dry run validated skip the client-side schema check');
    assert.ok(!applied(c, 'jobs-first.yaml')[0].includes('--validate=false'), 'the Jobs-first apply (Jobs replaced without a dry run) keeps it');
    const [dryRun] = applies(c);
    assert.deepEqual(dryRun.slice(0, 10), ['apply', '--server-side', '--field-manager=platform-actions', '--force-conflicts', '--dry-run=server', '--output', 'json', '--show-managed-fields', '--namespace', 'kardon-dev']);
    assert.deepEqual(rolloutStatus(c).map((a) => a[2]).sort(), ['deployment/api', 'deployment/live', 'deployment/web', 'deployment/worker']);
    assert.match(run.main.stdout, /Rendered 11 objects: Namespace\/kardon-dev, ConfigMap\/kardon-config-7727k8bmhc/);
    assert.match(run.summary, /kustomize-deploy: `test\/fixtures\/kustomize\/tree\/overlays\/dev`/);
    assert.match(run.summary, /\| kardon-dev \| kardon \| deployed \| 11 of 11 \|/);
    assert.ok(!fs.readFileSync(path.join(ROOT, OVERLAY, 'kustomization.yaml'), 'utf8').includes(DIGEST_WEB), 'the overlay itself is never edited');
    assert.ok(!fs.existsSync(path.join(run.runnerTemp)) || fs.readdirSync(run.runnerTemp).every((d) => !d.startsWith('kustomize-deploy-')), 'post removes the rendered set');
  });

  it('stops when the migrator Job fails: no workload applied, no rollout, the Job failure in the summary', async () => {
    const c = cluster([
      { match: ['get jobs'], fixture: fx('05-get-job-failed') },
      { match: ['get events'], fixture: fx('05-get-events-after-job-failed') },
    ]);
    const run = await deploy(c);
    assert.equal(run.main.exitCode, 1, run.main.stdout);
    assert.match(run.main.stdout, /Job migrator failed \(BackoffLimitExceeded: Job has reached the specified backoff limit\); no workload was rolled out/);
    assert.equal(applied(c, 'rendered-members.yaml').length, 0, 'no workload applied');
    assert.equal(applies(c).filter((a) => a.some((x) => x.startsWith('--applyset'))).length, 0, 'nothing pruned');
    assert.equal(rolloutStatus(c).length, 0);
    assert.equal(run.outputs.status, 'failed');
    assert.equal(run.outputs['rolled-back'], 'false');
    const objects = JSON.parse(run.outputs['applied-objects']) as string[];
    assert.ok(objects.includes('job.batch/migrator') && !objects.some((o) => o.startsWith('deployment.apps/')), objects.join(','));
    assert.match(run.summary, /\| migrator \| failed: BackoffLimitExceeded/);
    assert.match(run.summary, /No workload was applied: they run what they ran before\. The objects applied for the Jobs stay \(no record of an earlier deploy to restore them from\): namespace\/kardon-dev, configmap\/kardon-config-7727k8bmhc/);
    assert.match(run.summary, /Job has reached the specified backoff limit/);
    assert.equal(c.kubectl.calls().filter((a) => a[0] === 'rollout').length, 0, 'nothing to undo: no workload was touched');
    assert.ok(fs.existsSync(path.join(run.outputs['diagnostics-path'], 'job-pod-migrator-5cwz7-logs.txt')));
  });

  it('restores the recorded set without its Jobs when the migrator fails after an earlier deploy', async () => {
    const c = cluster([{ match: ['get jobs'], fixture: fx('05-get-job-failed') }], { record: true });
    const run = await deploy(c);
    assert.equal(run.main.exitCode, 1);
    assert.equal(applied(c, 'rendered-members.yaml').length, 0, 'no workload applied');
    assert.equal(applied(c, 'previous.yaml').length, 1);
    assert.equal(run.outputs.status, 'rolled-back');
    assert.match(run.summary, /re-applied the set deployed at 2026-11-28T10:00:00Z \(c0ffee1\), 10 objects \(its Jobs not re-run\)/);
  });

  it('rolls back to the recorded set when a pod crash-loops, without waiting out the timeout', async () => {
    const c = cluster([], {
      record: true,
      sequences: {
        ...podsThenFailing('05-get-crashloop.json', 3),
        rollout: [{ fixture: fx('05-rollout-status-crash'), delaySeconds: 600 }],
        rolloutAfter: [{ fixture: fx('06-rollout-status-after-undo') }],
      },
    });
    const run = await deploy(c, { timeout: '5m' });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /ending the wait now instead of waiting out the timeout/);
    assert.ok(answered(c, 'rollout') <= 4, 'the four rollout waits were stopped early (one that was killed before it started answers nothing)');
    assert.equal(answered(c, 'rolloutAfter'), 4, 'one check per workload of the re-applied set');
    assert.match(run.main.stdout, /web-[a-z0-9]+-[a-z0-9]+\/web: CrashLoopBackOff/);
    assert.equal(applied(c, 'previous.yaml').length, 1, 'the recorded set is re-applied');
    assert.ok(applied(c, 'previous.yaml')[0].includes('--force-conflicts'));
    assert.equal(c.kubectl.calls().filter((a) => a[0] === 'rollout' && a[1] === 'undo').length, 0);
    assert.equal(applies(c).filter((a) => a.some((x) => x.startsWith('--applyset'))).length, 0, 'a failed deploy prunes nothing');
    assert.equal(applied(c, 'record.yaml').length, 0, 'a failed deploy is not recorded');
    assert.equal(run.outputs.status, 'rolled-back');
    assert.equal(run.outputs['rolled-back'], 'true');
    assert.match(run.summary, /Rolled back: re-applied the set deployed at 2026-11-28T10:00:00Z \(c0ffee1\), 10 objects \(its Jobs not re-run\)/);
    assert.match(run.summary, /CrashLoopBackOff/);
    const diag = run.outputs['diagnostics-path'];
    const describeFile = fs.readdirSync(diag).find((f) => f.endsWith('-describe.txt'));
    assert.ok(describeFile, fs.readdirSync(diag).join(','));
    const described = fs.readFileSync(path.join(diag, describeFile), 'utf8');
    assert.ok(!described.includes('s3cr3t-from-values') && described.includes('<value hidden by kustomize-deploy>'), 'literal env values are hidden');
  });

  it('rolls back when a Deployment exceeds its progress deadline', async () => {
    const c = cluster([], { record: true, sequences: { rolloutWeb: [{ fixture: fx('05-rollout-status-progress-deadline') }, { fixture: fx('06-rollout-status-after-undo') }] } });
    const run = await deploy(c);
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /Deployment\/web did not roll out: error: deployment "web" exceeded its progress deadline/);
    assert.equal(answered(c, 'rolloutWeb'), 2, 'web: the failed rollout, then the check after the rollback');
    assert.equal(applied(c, 'previous.yaml').length, 1);
    assert.equal(run.outputs.status, 'rolled-back');
  });

  it('detects an image that cannot be pulled and undoes the Deployment to its revision before (no record yet)', async () => {
    const c = cluster([], {
      sequences: {
        ...podsThenFailing('05-get-imagepull.json'),
        // What the rollback without a record reads: the Deployment at its new revision.
        live: [{ stdout: read('05-get-imagepull.json') }],
        rollout: [{ fixture: fx('05-rollout-status-badimage'), delaySeconds: 600 }],
        rolloutAfter: [{ fixture: fx('06-rollout-status-after-undo') }],
      },
    });
    const run = await deploy(c, { timeout: '5m' });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /ImagePullBackOff/);
    const undo = c.kubectl.calls().filter((a) => a[0] === 'rollout' && a[1] === 'undo');
    assert.deepEqual(undo, [['rollout', 'undo', 'deployment/web', '--namespace', 'kardon-dev', '--to-revision=1']], run.main.stdout);
    assert.equal(run.outputs.status, 'rolled-back');
    assert.match(run.summary, /kubectl rollout undo \(no record of an earlier deploy by this action\), each to the newest revision that was available: Deployment\/web → revision 1/);
    assert.match(run.summary, /\| Rolled back \|\n\| --- \|\n\| Deployment\/web \(revision 1\) \|/);
  });

  it('applies nothing when the server dry run rejects an object', async () => {
    const c = cluster([{ match: ['apply', '--dry-run=server'], fixture: fx('04-apply-unknown-field-strict') }]);
    const run = await deploy(c);
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /The server rejected the overlay in a dry run; nothing was applied/);
    assert.match(run.main.stdout, /unknown field "minReadySecond"/);
    assert.equal(applies(c).length, 1, 'only the dry run');
    assert.equal(run.outputs.status, 'failed');
    assert.equal(run.outputs.applied, '0');
    assert.match(run.summary, /Nothing was applied\./);
  });

  it('creates a missing namespace from the overlay before the dry run, and says it is all that was applied when the dry run fails', async () => {
    const c = cluster([
      { match: ['get --filename'], stdout: '' },
      { match: ['apply', 'namespace.yaml'], stdout: read('02-apply-first.stdout').split('\n')[0] + '\n' },
      { match: ['apply', '--dry-run=server'], fixture: fx('04-apply-selector-changed') },
    ]);
    const run = await deploy(c);
    assert.equal(run.main.exitCode, 1);
    const files = applies(c).map((a) => (a.includes('--dry-run=server') ? 'dry-run' : path.basename(a[a.length - 1])));
    assert.deepEqual(files, ['namespace.yaml', 'dry-run']);
    assert.equal(run.outputs.record, '', 'no record in a namespace that did not exist');
    assert.match(run.main.stdout, /The server rejected the overlay in a dry run; nothing but namespace\/kardon-dev was applied/);
    assert.deepEqual(JSON.parse(run.outputs['applied-objects']), ['namespace/kardon-dev']);
    assert.match(run.summary, /Namespace kardon-dev did not exist: the overlay's Namespace object was applied first/);
    assert.match(run.summary, /Only namespace\/kardon-dev was applied \(for the dry run\); nothing else\./);
  });

  it('retries the apply when the API server refuses connections, then deploys', async () => {
    const c = cluster([{ match: ['apply', '--dry-run=server'], fixture: fx('04-apply-connection-refused'), times: 1 }]);
    const run = await deploy(c);
    assert.equal(run.main.exitCode, 0, run.main.stdout);
    assert.equal(applies(c).filter((a) => a.includes('--dry-run=server')).length, 2);
    assert.match(run.main.stdout, /waiting for the cluster/);
    assert.equal(run.outputs.status, 'deployed');
  });

  it('fails at once, without a retry, when the identity may not patch the objects', async () => {
    const c = cluster([{ match: ['apply', '--dry-run=server'], fixture: fx('04-apply-forbidden') }]);
    const run = await deploy(c);
    assert.equal(run.main.exitCode, 1);
    assert.equal(applies(c).length, 1);
    assert.match(run.main.stdout, /cannot patch resource "deployments" in API group "apps"/);
    assert.equal(run.outputs.applied, '0');
  });

  it('reports what the ApplySet apply pruned, and keeps the kubeconfig out of the log', async () => {
    const token = 'tok-kustomize-9f8e7d6c5b4a';
    const kubeconfig = ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: kind', '  cluster: {server: "https://127.0.0.1:6443"}', 'contexts:', '- name: ci', '  context: {cluster: kind, user: ci}', 'current-context: ci', 'users:', '- name: ci', '  user:', `    token: ${token}`, ''].join('\n');
    const c = cluster([{ match: ['apply', '--applyset=kardon', '--prune'], fixture: fx('03-applyset-prune') }]);
    const run = await deploy(c, { kubeconfig });
    assert.equal(run.main.exitCode, 0, run.main.stdout);
    assert.deepEqual(JSON.parse(run.outputs.pruned), ['service/live', 'deployment.apps/live']);
    assert.match(run.summary, /\| Pruned \|\n\| --- \|\n\| service\/live \|\n\| deployment.apps\/live \|/);
    assert.ok(!run.visibleOutput.includes(token) && !run.summary.includes(token), 'the kubeconfig token is never shown');
    assert.match(run.post?.stdout ?? '', /Removed \d+ private file/);
  });

  it('replaces the migrator Job when the dry run says its template changed', async () => {
    const c = cluster([{ match: ['apply', '--dry-run=server'], fixture: fx('04-apply-job-image-changed'), times: 1 }]);
    const run = await deploy(c);
    assert.equal(run.main.exitCode, 0, run.main.stdout);
    const names = c.kubectl.calls().map((a) => a.slice(0, 3).join(' '));
    assert.ok(names.indexOf('delete job migrator') >= 0 && names.indexOf('delete job migrator') < names.findIndex((n, i) => n.startsWith('apply') && c.kubectl.calls()[i].some((x) => x.endsWith('jobs-first.yaml'))));
    assert.match(run.summary, /Job migrator was deleted and created again: its pod template changed/);
  });

  it('refuses an image the overlay does not use, before any cluster call', async () => {
    const c = cluster();
    const run = await deploy(c, { images: `ghcr.io/example-org/kardon/wbe@${DIGEST_WEB}` });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /Input 'images': 'ghcr.io\/example-org\/kardon\/wbe' is used by no container of the overlay/);
    assert.deepEqual(c.kubectl.calls().map((a) => a[0]), ['version'], 'only kubectl version ran against the stand-in');
    assert.equal(run.outputs.status, 'failed');
  });

  it('refuses an overlay directory without a kustomization before running kubectl', async () => {
    const c = cluster();
    const run = await deploy(c, { overlay: 'test/fixtures/kustomize/tree/services' });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /Input 'overlay': 'test\/fixtures\/kustomize\/tree\/services' has no kustomization.yaml/);
    assert.equal(c.kubectl.calls().length, 0);
    assert.equal(run.outputs.status, 'failed');
    assert.match(run.summary, /kustomize-deploy: not started[\s\S]*Nothing was applied\./);
  });

  it('reports the real kubectl kustomize error of a broken overlay and touches nothing', async () => {
    const c = cluster();
    const run = await deploy(c, { overlay: 'test/fixtures/kustomize/broken/missing-file' });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /kubectl kustomize test\/fixtures\/kustomize\/broken\/missing-file failed; nothing was applied:%0Aerror: accumulating resources: accumulation err='accumulating resources from 'hpa-web.yaml': evalsymlink failure on '[^']*\/broken\/missing-file\/hpa-web.yaml'/);
    const error = run.main.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
    assert.ok(error && !error.includes('/wrapper'), `the wrapper kustomization is not in the message: ${error}`);
    assert.deepEqual(c.kubectl.calls().map((a) => a[0]), ['version']);
    assert.equal(run.outputs.status, 'failed');
    assert.match(run.summary, /Nothing was applied\./);
  });
});
