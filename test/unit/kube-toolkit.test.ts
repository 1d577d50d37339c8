// The toolkit's cluster layer (actions/toolkit/kube): which errors are transient (the texts captured from the
// real helm and kubectl), the time-budgeted retry policy every cluster call goes through, and the Kubectl class.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ExecResult } from '../../actions/toolkit/exec.js';
import { ClusterRetry, InputError, Kubectl, classifyClusterError, timed, timingsMarkdown, validateKubeconfig, validateNamespace, verifyRollouts } from '../../actions/toolkit/index.js';
import { retry } from '../../actions/toolkit/retry.js';
import { createStandIn } from '../support/stand-in.js';
import { ROOT } from '../support/run-action.js';

const TRANSIENT = path.join(ROOT, 'test', 'fixtures', 'helm', 'transient');
const KUSTOMIZE = path.join(ROOT, 'test', 'fixtures', 'kustomize');

/** A clock that sleeping advances: no real waiting. */
function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return { now: () => t, sleep: async (ms) => void (slept.push(ms), (t += ms)), slept };
}

const result = (exitCode: number, stderr = ''): ExecResult => ({ exitCode, stdout: '', stderr });

describe('classifyClusterError', () => {
  for (const fault of ['refused', 'io-timeout', 'tls-timeout', 'unavailable']) {
    for (const file of fs.readdirSync(path.join(TRANSIENT, fault)).filter((f) => f.endsWith('.stderr'))) {
      it(`${fault}/${file} (captured) is transient`, () => assert.equal(classifyClusterError(fs.readFileSync(path.join(TRANSIENT, fault, file), 'utf8')).kind, 'transient'));
    }
  }
  const permanent = [
    'Error from server (Forbidden): pods is forbidden: User "ci" cannot list resource "pods" in API group "" in the namespace "team-a"',
    'error: You must be logged in to the server (Unauthorized)',
    'Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority',
    'The Deployment "shop" is invalid: spec.template.spec.containers[0].image: Required value',
    'error: deployment "shop" exceeded its progress deadline',
    'something nobody has seen before',
  ];
  for (const text of permanent) it(`'${text.slice(0, 50)}…' is permanent`, () => assert.equal(classifyClusterError(text).kind, 'permanent'));

  // kubectl apply's own failures, captured from real kubectl (test/fixtures/kustomize: captured/ v1.33, captured/v31/
  // v1.31, validation/ v1.33 against a silent, a 503 and a 401 server): inside a validation message, the cause decides.
  const applied: [string, 'transient' | 'permanent', RegExp][] = [
    ['captured/04-apply-connection-refused', 'transient', /API server unreachable \(during kubectl's validation\)/],
    ['captured/v31/04-apply-connection-refused', 'transient', /API server unreachable \(during kubectl's validation\)/],
    ['validation/apply-tls-timeout', 'transient', /API server unreachable \(during kubectl's validation\)/],
    ['validation/apply-unavailable', 'transient', /API server unavailable \(503\) \(during kubectl's validation\)/],
    ['captured/04-apply-connection-refused-novalidate', 'transient', /API server unreachable/],
    ['captured/04-rollout-status-connection-refused', 'transient', /API server unreachable/],
    ['validation/apply-unauthorized', 'permanent', /access denied/],
    ['captured/04-apply-forbidden', 'permanent', /access denied/],
    ['captured/04-apply-unknown-field-strict', 'permanent', /rejected by validation/],
    ['captured/v31/04-apply-unknown-field-strict', 'permanent', /rejected by validation/],
    ['captured/04-apply-job-image-changed', 'permanent', /rejected by validation/],
    ['captured/04-apply-selector-changed', 'permanent', /rejected by validation/],
    ['captured/04-apply-clusterip-changed', 'permanent', /rejected by validation/],
    ['captured/06-apply-after-undo-conflict', 'permanent', /not a known transient error/],
    ['captured/04-kustomize-missing-file', 'permanent', /not a known transient error/],
  ];
  for (const [step, kind, reason] of applied) {
    it(`${step} (captured) is ${kind}: ${reason.source.replace(/\\/g, '')}`, () => {
      const c = classifyClusterError(fs.readFileSync(path.join(KUSTOMIZE, `${step}.stderr`), 'utf8'));
      assert.equal(c.kind, kind);
      assert.match(c.reason, reason);
    });
  }
  for (const file of ['logs', 'logs-previous', 'port-forward']) {
    it(`kubelet-unreachable/${file} (captured: the API server answered, the kubelet did not) is permanent`, () => {
      const c = classifyClusterError(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'kubectl', 'kubelet-unreachable', `${file}.stderr`), 'utf8'));
      assert.deepEqual(c, { kind: 'permanent', reason: "the API server could not reach the node's kubelet" });
    });
  }
  it('an OpenAPI download that fails for a reason nobody has seen is permanent, and says so', () => {
    const c = classifyClusterError('error: error validating "x": error validating data: failed to download openapi: something new; if you choose to ignore these errors, turn validation off with --validate=false');
    assert.deepEqual(c, { kind: 'permanent', reason: 'the OpenAPI document for validation could not be downloaded' });
  });
});

describe('ClusterRetry', () => {
  it('retries a transient failure until it succeeds, naming the call and the reason', async () => {
    const clock = fakeClock();
    const lines: string[] = [];
    const policy = new ClusterRetry({ ...clock, random: () => 0.5, log: (m) => lines.push(m) });
    let calls = 0;
    const r = await policy.result('kubectl get pods', async () => (++calls < 3 ? result(1, 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?') : result(0)));
    assert.equal(r.exitCode, 0);
    assert.equal(calls, 3);
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^kubectl get pods: waiting for the cluster: attempt 1 failed with a transient error, retrying in 0\.8s \(API server unreachable: The connection to the server 127\.0\.0\.1:6443 was refused.*; 0s of 60s waited\)$/);
  });

  it('gives up when the budget is spent and returns the last failure', async () => {
    const clock = fakeClock();
    const policy = new ClusterRetry({ ...clock, budgetMs: 60_000, random: () => 1, log: () => undefined });
    let calls = 0;
    const r = await policy.result('helm history web', async () => (calls++, result(1, 'Error: Kubernetes cluster unreachable: the server is currently unable to handle the request')));
    assert.equal(r.exitCode, 1);
    assert.equal(clock.slept.reduce((a, b) => a + b, 0), 60_000, 'waits exactly the budget, the last wait cut to fit');
    assert.ok(calls >= 9 && calls <= 12, `${calls} calls in 60 s with 1 s doubling to 8 s`);
  });

  it('never waits past the deadline', async () => {
    const clock = fakeClock();
    const policy = new ClusterRetry({ ...clock, deadline: clock.now() + 5000, random: () => 1, log: () => undefined });
    await policy.result('kubectl rollout status deployment/web', async () => result(1, 'Unable to connect to the server: net/http: TLS handshake timeout'));
    assert.equal(clock.slept.reduce((a, b) => a + b, 0), 5000);
  });

  it('fails fast on a permanent error', async () => {
    const clock = fakeClock();
    const policy = new ClusterRetry({ ...clock });
    let calls = 0;
    const r = await policy.result('kubectl get pods', async () => (calls++, result(1, 'Error from server (Forbidden): pods is forbidden')));
    assert.equal([r.exitCode, calls, clock.slept.length].join(), '1,1,0');
    await assert.rejects(policy.run('kubectl get pods', async () => result(1, 'Error from server (Forbidden): pods is forbidden')), /kubectl get pods failed with exit code 1/);
  });

  it('takes a tool-specific classification (a Helm outcome is never retried)', async () => {
    const policy = new ClusterRetry({ ...fakeClock(), classify: () => ({ kind: 'permanent', reason: 'rolled back' }) });
    let calls = 0;
    await policy.result('helm upgrade', async () => (calls++, result(1, 'connection refused')));
    assert.equal(calls, 1);
  });
});

describe('retry with a time budget', () => {
  it('stops at the budget even with attempts left, and keeps the attempts cap', async () => {
    const clock = fakeClock();
    let calls = 0;
    await assert.rejects(retry(async () => { calls++; throw new Error('503'); }, { ...clock, baseDelayMs: 1000, maxDelayMs: 1000, budgetMs: 3000, random: () => 1, isTransient: () => true, label: 't', log: () => undefined }), /503/);
    assert.equal(calls, 4, 'three 1 s waits fit a 3 s budget');
    calls = 0;
    await assert.rejects(retry(async () => { calls++; throw new Error('503'); }, { ...fakeClock(), attempts: 2, baseDelayMs: 1000, budgetMs: 60_000, isTransient: () => true, label: 't', log: () => undefined }), /503/);
    assert.equal(calls, 2);
  });
});

describe('Kubectl', () => {
  it('passes the context and kubeconfig on every call, retries transient failures and reports a rollout failure', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-toolkit-'));
    const kubectl = createStandIn(dir, 'kubectl', [
      { match: ['get', 'pods'], fixture: path.join(TRANSIENT, 'refused', 'kubectl-get-pods'), times: 1 },
      { match: ['get', 'pods'], stdout: JSON.stringify({ items: [{ metadata: { name: 'web-1', uid: 'u1' } }] }) },
      { match: ['rollout', 'status'], stderr: 'error: deployment "web" exceeded its progress deadline\n', exitCode: 1 },
    ]);
    const k = new Kubectl({ bin: kubectl.bin, context: 'kind-ci', kubeconfig: '/dev/null', retry: new ClusterRetry({ baseDelayMs: 10, log: () => undefined }) });
    const pods = await k.pods('team-a', 'app=web');
    assert.deepEqual(pods.map((p) => p.metadata.name), ['web-1']);
    const verdict = await verifyRollouts(k, [{ kind: 'Deployment', name: 'web' }], 'team-a', Date.now() + 60_000);
    assert.ok(!verdict.ok && !verdict.unreachable && /progress deadline/.test(verdict.message));
    const argv = kubectl.calls();
    assert.equal(argv.length, 3);
    for (const a of argv) assert.deepEqual(a.slice(0, 2), ['--context', 'kind-ci']);
    assert.deepEqual(argv[2].slice(2, 6), ['rollout', 'status', 'deployment/web', '--namespace']);
  });
});

describe('ClusterRetry after a whole budget without the cluster', () => {
  it('tries later calls once (no second full wait) until one succeeds, across copies of the policy', async () => {
    const clock = fakeClock();
    const policy = new ClusterRetry({ ...clock, budgetMs: 10_000, random: () => 1, log: () => undefined });
    const copy = policy.withDeadline(undefined);
    const refused = async (): Promise<ExecResult> => result(1, 'dial tcp 127.0.0.1:6443: connect: connection refused');
    await policy.result('helm rollback web', refused);
    assert.equal(clock.slept.reduce((a, b) => a + b, 0), 10_000);
    let calls = 0;
    await copy.result('helm status web', async () => (calls++, refused()));
    assert.equal(calls, 1, 'one attempt while the cluster is known to be down');
    assert.equal(clock.slept.reduce((a, b) => a + b, 0), 10_000);
    await copy.result('helm status web', async () => result(0));
    calls = 0;
    await policy.result('helm history web', async () => (++calls < 2 ? refused() : result(0)));
    assert.equal(calls, 2, 'retried again after a success');
  });
});

describe('shared input checks name the input they are given', () => {
  const names = { kubeconfig: 'argocd-kubeconfig', context: 'argocd-context' };
  const named = (input: string) => (e: unknown): boolean => e instanceof InputError && e.input === input;
  it('a kubeconfig input of another name', () => {
    assert.throws(() => validateKubeconfig('- a list', '', names), named('argocd-kubeconfig'));
    assert.throws(() => validateKubeconfig('clusters: [{name: c}]\ncontexts: [{name: a}]\n', 'b', names), (e: unknown) => named('argocd-context')(e) && /of the argocd-kubeconfig input/.test((e as Error).message));
  });
  it('a namespace input of another name', () => {
    assert.equal(validateNamespace('argocd', 'argocd-namespace'), 'argocd');
    assert.throws(() => validateNamespace('Argo_CD', 'argocd-namespace'), named('argocd-namespace'));
    assert.throws(() => validateNamespace('Argo_CD'), named('namespace'));
  });
});

describe('timed', () => {
  it('records the step also when it throws', async () => {
    const timings: [string, number][] = [];
    assert.equal(await timed(timings, 'Apply', async () => 'ok'), 'ok');
    await assert.rejects(timed(timings, 'Wait', async () => Promise.reject(new Error('boom'))), /boom/);
    assert.deepEqual(timings.map(([label]) => label), ['Apply', 'Wait']);
    assert.ok(timings.every(([, ms]) => ms >= 0));
  });
  it('renders a Step | Time table for the summary, nothing when no step was timed', () => {
    assert.deepEqual(timingsMarkdown([]), []);
    const [blank, table] = timingsMarkdown([['Apply', 1200], ['Wait', 61_000]]);
    assert.equal(blank, '');
    assert.match(table, /\| Step \| Time \|/);
    assert.match(table, /\| Apply \| 1\.2 s \|/);
  });
});
