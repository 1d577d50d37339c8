// Newest wins (issue 18) for kustomize-deploy's built bundle on the REAL control plane: the record Secret keeps the
// source commit, and before anything changes the live commit is ordered against the new one on real git history
// (the workspace's, or GitHub's compare API through the stand-in answering from the same repository).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeObject, TestNamespace } from '../support/cluster.js';
import { clusterSkip, createNamespace, loadCluster } from '../support/cluster.js';
import type { GitHubApiStandIn } from '../support/github-api.js';
import { startGitHubApi } from '../support/github-api.js';
import type { ActionRun } from '../support/run-action.js';
import { runAction } from '../support/run-action.js';

const cluster = loadCluster();
const skip = clusterSkip(cluster) || (cluster?.kubectl ? false : 'test stack not running (npm run stack)');
const REPOSITORY = 'example-org/kardon';

function git(dir: string, args: string[]): string {
  const r = spawnSync('git', ['-C', dir, '-c', 'user.name=Kardon Dev', '-c', 'user.email=dev@kardon.example', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

interface History {
  repo: string;
  a: string;
  b: string;
  /** On a side branch from a: neither older nor newer than b. */
  c: string;
}

/** A repository whose overlay says which commit it is: a → b on main, c on a side branch from a. */
function history(ns: string): History {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-order-'));
  git(repo, ['init', '-q', '-b', 'main']);
  const at = (label: string): string => {
    fs.mkdirSync(path.join(repo, 'deploy'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'deploy', 'kustomization.yaml'), `namespace: ${ns}\nconfigMapGenerator:\n  - name: release\n    options: {disableNameSuffixHash: true}\n    literals: [COMMIT=${label}]\n`);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', label]);
    return git(repo, ['rev-parse', 'HEAD']);
  };
  const a = at('a');
  const b = at('b');
  git(repo, ['checkout', '-q', '-b', 'side', a]);
  const c = at('c');
  git(repo, ['checkout', '-q', 'main']);
  return { repo, a, b, c };
}

/** The workspace at `sha` (a worktree of the repository, with its history), or a plain copy without `.git`. */
function checkout(h: History, sha: string, withHistory = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-order-ws-'));
  if (withHistory) {
    fs.rmSync(dir, { recursive: true });
    git(h.repo, ['worktree', 'add', '-q', '--detach', dir, sha]);
  } else {
    fs.mkdirSync(path.join(dir, 'deploy'));
    fs.writeFileSync(path.join(dir, 'deploy', 'kustomization.yaml'), git(h.repo, ['show', `${sha}:deploy/kustomization.yaml`]) + '\n');
  }
  return dir;
}

let ns: TestNamespace;
let h: History;
let api: GitHubApiStandIn;

before(async () => {
  if (skip || !cluster) return;
  ns = await createNamespace(cluster, 'kustomize-order');
  h = history(ns.name);
  api = await startGitHubApi(REPOSITORY, h.repo);
});
after(async () => {
  await ns?.cleanup().catch(() => undefined);
  await api?.close();
  cluster?.api.close();
  if (h) fs.rmSync(h.repo, { recursive: true, force: true });
});

function deploy(sha: string, inputs: Record<string, string> = {}, withHistory = true): Promise<ActionRun> {
  return runAction('kustomize-deploy', {
    inputs: { overlay: 'deploy', name: 'kardon', timeout: '60s', 'source-commit': sha, 'github-token': 'ghs_standin', ...inputs },
    env: { KUBECONFIG: cluster?.kubeconfig, GITHUB_API_URL: api.url },
    context: { workspace: checkout(h, sha, withHistory), repository: REPOSITORY, sha },
    pathPrepend: [path.dirname(cluster?.kubectl ?? 'kubectl')],
    timeoutMs: 180_000,
  });
}

const live = async (): Promise<string> => ((await cluster!.api.get<KubeObject & { data: Record<string, string> }>(`/api/v1/namespaces/${ns.name}/configmaps/release`)).data.COMMIT);
const recorded = async (): Promise<string | undefined> => (await cluster!.api.get<KubeObject>(`/api/v1/namespaces/${ns.name}/secrets/kustomize-deploy.kardon`)).metadata.annotations?.['platform-actions/source-commit'];

describe('kustomize-deploy: newest wins on real git history', { skip, concurrency: false }, () => {
  it('records the source commit, refuses an older one (superseded, green, nothing changed), rolls back only with allow-older', async () => {
    const first = await deploy(h.b);
    assert.equal(first.main.exitCode, 0, first.main.stdout.slice(-3000));
    assert.equal(await recorded(), h.b);
    assert.equal(await live(), 'b');

    const older = await deploy(h.a);
    assert.equal(older.main.exitCode, 0, older.main.stdout.slice(-3000));
    assert.equal(older.outputs.status, 'superseded');
    assert.equal(older.outputs.superseded, 'true');
    assert.equal(older.outputs['live-commit'], h.b);
    assert.match(older.summary, new RegExp(`superseded: ${h.b.slice(0, 12)} is newer than ${h.a.slice(0, 12)}`));
    assert.deepEqual(JSON.parse(older.outputs['applied-objects']), []);
    assert.equal(await live(), 'b', 'nothing was changed');
    assert.equal(await recorded(), h.b);

    const rollback = await deploy(h.a, { 'allow-older': 'true' });
    assert.equal(rollback.main.exitCode, 0, rollback.main.stdout.slice(-3000));
    assert.equal(rollback.outputs.status, 'deployed');
    assert.equal(await live(), 'a');
    assert.equal(await recorded(), h.a);

    const newer = await deploy(h.b);
    assert.equal(newer.outputs.status, 'deployed');
    assert.equal(newer.outputs['live-commit'], h.a);
    assert.equal(await live(), 'b');
  });

  it('refuses a commit on a diverged history before changing anything, naming allow-unordered', async () => {
    const run = await deploy(h.c);
    assert.equal(run.main.exitCode, 1);
    assert.equal(run.outputs.status, 'failed');
    assert.match(run.main.stdout, /::error::Cannot tell whether .* is newer than the live .*allow-unordered/);
    assert.equal(await live(), 'b');
    assert.equal(await recorded(), h.b);
  });

  it("orders through GitHub's compare API when the workspace has no history", async () => {
    const run = await deploy(h.a, {}, false);
    assert.equal(run.main.exitCode, 0, run.main.stdout.slice(-3000));
    assert.equal(run.outputs.status, 'superseded');
    assert.ok(api.requests.some((r) => r.path.startsWith(`/repos/${REPOSITORY}/compare/${h.b}...${h.a}`)), api.requests.map((r) => r.path).join('\n'));
    assert.equal(await live(), 'b');
  });
});
