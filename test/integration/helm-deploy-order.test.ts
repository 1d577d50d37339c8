// Newest wins in helm-deploy (the built bundle) on real Helm 3 and Helm 4 against the real API server, with real
// git history: main A - B - C (tag v1.0.0 on B), a branch F off A, and G pushed to main then force-pushed away.
// The workspace is a full clone (git decides) or a directory without history (GitHub's compare API, through a
// stand-in that answers from the same repository, decides). The chart holds only a ConfigMap: no node needed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clusterSkip, createNamespace, kubectl, loadCluster } from '../support/cluster.js';
import type { ActionRun } from '../support/run-action.js';
import { runAction } from '../support/run-action.js';
import { startGitHubApi } from '../support/github-api.js';
import type { GitHubApiStandIn } from '../support/github-api.js';
import { loadStack } from '../support/stack.js';
import { makeHistory } from '../support/git-history.js';

const stack = loadStack();
const cluster = loadCluster();
const skip = clusterSkip(cluster) || (stack ? false : 'test stack not running (npm run stack)');

interface Repo {
  origin: string;
  full: string;
  bare: string;
  a: string;
  b: string;
  c: string;
  f: string;
  g: string;
}

function makeRepo(): Repo {
  const h = makeHistory('helm-order');
  // A workspace with the chart but no git history: only the compare API can order commits there.
  const bare = path.join(h.root, 'no-history');
  fs.mkdirSync(bare);
  for (const ws of [h.full, bare]) writeChart(path.join(ws, 'chart'));
  return { origin: h.origin, full: h.full, bare, a: h.a, b: h.b, c: h.c, f: h.feature, g: h.gone };
}

function writeChart(dir: string): void {
  fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: settings\nversion: 0.1.0\n');
  fs.writeFileSync(path.join(dir, 'values.yaml'), 'commit: ""\n');
  fs.writeFileSync(path.join(dir, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n  commit: {{ .Values.commit | quote }}\n');
}

interface HistoryEntry {
  revision: number;
  status: string;
  description: string;
}

async function history(bin: string, ns: string): Promise<HistoryEntry[]> {
  const r = await kubectl(cluster!, ['history', 'rel', '--namespace', ns, '--output', 'json'], { bin });
  if (r.status !== 0) throw new Error(`helm history: ${r.stderr}`);
  return (JSON.parse(r.stdout) as HistoryEntry[]).sort((x, y) => x.revision - y.revision);
}

describe('helm-deploy: newest wins, on real git history', { skip, concurrency: 2 }, () => {
  let repo: Repo;
  let github: GitHubApiStandIn;
  before(async () => {
    repo = makeRepo();
    github = await startGitHubApi('acme/app', repo.origin);
  });
  after(() => {
    cluster?.api.close();
    github?.close();
  });

  for (const major of [3, 4] as const) {
    const deploy = (ns: string, commit: string, extra: Record<string, string> = {}, workspace = repo.full): Promise<ActionRun> =>
      runAction('helm-deploy', {
        inputs: { release: 'rel', namespace: ns, chart: 'chart', set: `commit=${commit}`, 'source-commit': commit, timeout: '1m', 'retry-budget': '5s', ...extra },
        env: { KUBECONFIG: cluster!.kubeconfig, GITHUB_API_URL: github.url },
        context: { workspace, repository: 'acme/app', token: 'test-token' },
        pathPrepend: [path.dirname(major === 3 ? stack!.helm3 : stack!.helm4)],
        timeoutMs: 120_000,
      });

    it(`Helm ${major}: refuses an older commit (superseded, green, nothing changed), passes a newer one, rolls back only with allow-older`, async () => {
      const bin = major === 3 ? stack!.helm3 : stack!.helm4;
      const namespace = await createNamespace(cluster!, `helm-order-${major}`);
      const ns = namespace.name;
      try {
        const first = await deploy(ns, repo.b);
        assert.equal(first.main.exitCode, 0, first.main.stdout);
        assert.deepEqual([first.outputs.superseded, first.outputs['live-commit'], first.outputs.revision], ['false', '', '1']);
        assert.match((await history(bin, ns))[0].description, new RegExp(`source-commit ${repo.b}`), 'the commit is recorded where helm history shows it');

        const newer = await deploy(ns, repo.c);
        assert.equal(newer.main.exitCode, 0, newer.main.stdout);
        assert.deepEqual([newer.outputs.superseded, newer.outputs['live-commit'], newer.outputs.revision, newer.outputs.status], ['false', repo.b, '2', 'deployed']);

        const older = await deploy(ns, repo.a);
        assert.equal(older.main.exitCode, 0, older.main.stdout);
        assert.deepEqual([older.outputs.superseded, older.outputs['live-commit'], older.outputs.revision, older.outputs.status], ['true', repo.c, '2', 'deployed']);
        assert.match(older.main.stdout, new RegExp(`superseded: ${repo.c.slice(0, 12)} is newer than ${repo.a.slice(0, 12)}`));
        assert.match(older.summary, /Nothing changed/);
        assert.equal((await history(bin, ns)).length, 2, 'an older commit changes nothing');

        const diverged = await deploy(ns, repo.f);
        assert.equal(diverged.main.exitCode, 1);
        assert.match(diverged.main.stdout, /::error::Cannot tell whether .* the histories diverged .*allow-unordered/);
        assert.equal((await history(bin, ns)).length, 2, 'a diverged commit changes nothing by default');

        const rollback = await deploy(ns, repo.a, { 'allow-older': 'true' });
        assert.equal(rollback.main.exitCode, 0, rollback.main.stdout);
        assert.deepEqual([rollback.outputs.superseded, rollback.outputs['live-commit'], rollback.outputs.revision], ['false', repo.c, '3']);
        assert.match(rollback.main.stdout, /rolling back on purpose \(allow-older\)/);

        // After a Helm rollback (mode rollback: revision 4 = "Rollback to 2"), the live commit is revision 2's.
        const undo = await runAction('helm-deploy', { inputs: { release: 'rel', namespace: ns, mode: 'rollback', revision: '2' }, env: { KUBECONFIG: cluster!.kubeconfig }, pathPrepend: [path.dirname(bin)], timeoutMs: 120_000 });
        assert.equal(undo.main.exitCode, 0, undo.main.stdout);
        const afterUndo = await deploy(ns, repo.b);
        assert.deepEqual([afterUndo.main.exitCode, afterUndo.outputs.superseded, afterUndo.outputs['live-commit']], [0, 'true', repo.c], afterUndo.main.stdout);
      } finally {
        await namespace.cleanup();
      }
    });

    it(`Helm ${major}: without local history the compare API orders the commits; a live commit force-pushed away is refused by name`, async () => {
      const namespace = await createNamespace(cluster!, `helm-order-api-${major}`);
      const ns = namespace.name;
      try {
        const first = await deploy(ns, repo.g, {}, repo.bare);
        assert.equal(first.main.exitCode, 0, first.main.stdout);
        const unknown = await deploy(ns, repo.c, {}, repo.bare);
        assert.equal(unknown.main.exitCode, 1);
        assert.match(unknown.main.stdout, new RegExp(`::error::Cannot tell whether .*does not have the live commit ${repo.g.slice(0, 12)}.*allow-unordered`));
        const forced = await deploy(ns, repo.c, { 'allow-unordered': 'true' }, repo.bare);
        assert.equal(forced.main.exitCode, 0, forced.main.stdout);
        const older = await deploy(ns, repo.b, {}, repo.bare);
        assert.deepEqual([older.main.exitCode, older.outputs.superseded, older.outputs['live-commit']], [0, 'true', repo.c], older.main.stdout);
        assert.ok(github.requests.some((r) => r.path.includes(`/compare/${repo.c}...${repo.b}`)), 'asked GitHub\'s compare API');
      } finally {
        await namespace.cleanup();
      }
    });
  }
});
