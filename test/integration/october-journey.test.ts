// October's release journey end to end on real tools (app team 002: FastAPI api + Celery worker from one chart):
// both images built and pushed by the real build-push bundle (real Docker + registry), both gated by the trivy-gate
// bundle (report mode: there is no Trivy binary here, so on a report written for each built digest, as
// scripts/pipeline.ts does), then ONE helm upgrade of both by digest (`images` + `image-values` with the tag@digest
// part, the chart reads only repository + tag) on the real control plane with the node stand-in, on Helm 3 and 4.
// A release whose worker crash-loops rolls BOTH back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import { trivyReport } from '../../scripts/pipeline.js';
import { NodeStandIn, byImage, clusterSkip, createNamespace, kubectl, loadCluster } from '../support/cluster.js';
import { runAction } from '../support/run-action.js';
import { loadStack } from '../support/stack.js';

const stack = loadStack();
const cluster = loadCluster();
const skip = clusterSkip(cluster) || (stack ? false : 'test stack not running (npm run stack)');
const CHART = path.join('test', 'fixtures', 'helm', 'october-chart');
const IMAGE_VALUES = 'api: api.image.repository,api.image.tag@digest,\nworker: worker.image.repository,worker.image.tag@digest,';
const run = randomBytes(3).toString('hex');

/** A commit of a tiny FROM scratch service, built and pushed by the build-push bundle for a release tag: `<image>:<version>@sha256:…`. */
async function buildService(name: string, version: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `october-${name}-`));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY nonce /nonce\n');
  fs.writeFileSync(path.join(dir, 'nonce'), randomBytes(16).toString('hex'));
  const git = (...args: string[]): string => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', name);
  const sha = git('rev-parse', 'HEAD');
  const image = `${stack!.registryOpen}/october-${run}/${name}`;
  const built = await runAction('build-push', {
    inputs: { images: image, context: dir, platforms: 'linux/amd64', 'claim-window': '0s' },
    context: { eventName: 'push', ref: `refs/tags/${version}`, sha, workspace: dir },
    timeoutMs: 240_000,
  });
  assert.equal(built.main.exitCode, 0, built.main.stdout + built.main.stderr);
  assert.ok(built.outputs.tags.split('\n').includes(`${image}:${version}`), built.outputs.tags);
  return `${image}:${version}@${built.outputs.digest}`;
}

async function gate(ref: string): Promise<void> {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'october-scan-')), 'trivy.json');
  fs.writeFileSync(report, trivyReport(ref, 'container_image', false));
  const scan = await runAction('trivy-gate', { inputs: { mode: 'report', report, 'image-ref': ref, sarif: 'false', table: 'false', cache: 'false' } });
  assert.equal(scan.main.exitCode, 0, scan.main.stdout);
  assert.equal(scan.outputs.passed, 'true');
}

/** The image of each Deployment in the release's manifest. */
function deployed(manifest: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const doc of YAML.parseAllDocuments(manifest)) {
    const o = doc.toJS() as { kind?: string; metadata?: { name?: string }; spec?: { template?: { spec?: { containers?: { image: string }[] } } } } | null;
    if (o?.kind === 'Deployment') out[o.metadata?.name ?? ''] = o.spec?.template?.spec?.containers?.[0]?.image ?? '';
  }
  return out;
}

describe('October: api + worker built, scanned and released together', { skip, concurrency: 1 }, () => {
  const standIn = cluster ? new NodeStandIn(cluster, { namespaces: [], name: 'october-journey', behaviour: byImage({ '/worker-crash:': { kind: 'crash', backoffMs: 2000 } }, { kind: 'ready', readyAfterMs: 500 }) }) : undefined;
  const release: Record<string, string> = {};
  const broken: Record<string, string> = {};
  before(async () => {
    await standIn!.start();
    release.api = await buildService('api', 'v0.2.0');
    release.worker = await buildService('worker', 'v0.2.0');
    broken.api = await buildService('api', 'v0.3.0');
    broken.worker = await buildService('worker-crash', 'v0.3.0');
    for (const ref of [...Object.values(release), ...Object.values(broken)]) await gate(ref);
  });
  after(async () => {
    await standIn?.stop();
    cluster?.api.close();
  });

  for (const major of [3, 4] as const) {
    it(`Helm ${major}: one upgrade pins both digests; a crash-looping worker rolls both back`, async () => {
      const bin = major === 3 ? stack!.helm3 : stack!.helm4;
      const namespace = await createNamespace(cluster!, `october-${major}`);
      await standIn!.addNamespace(namespace.name);
      const deploy = (images: Record<string, string>) =>
        runAction('helm-deploy', {
          inputs: { release: 'october', namespace: namespace.name, chart: CHART, images: JSON.stringify(images), 'image-values': IMAGE_VALUES, timeout: '3m', 'crash-checks': '2' },
          env: { KUBECONFIG: cluster!.kubeconfig },
          pathPrepend: [path.dirname(bin)],
          timeoutMs: 240_000,
        });
      try {
        const good = await deploy(release);
        assert.equal(good.main.exitCode, 0, good.main.stdout.slice(-4000));
        assert.deepEqual(JSON.parse(good.outputs.images), release);
        assert.equal((good.main.stdout.match(/helm upgrade/g) ?? []).length >= 1, true);
        const manifest = await kubectl(cluster!, ['get', 'manifest', 'october', '--namespace', namespace.name], { bin });
        assert.deepEqual(Object.values(deployed(manifest.stdout)).sort(), Object.values(release).sort(), 'both Deployments run <repository>:v0.2.0@<digest>');

        const bad = await deploy(broken);
        assert.equal(bad.main.exitCode, 1, bad.main.stdout.slice(-4000));
        assert.equal(bad.outputs['rolled-back'], 'true');
        const after = await kubectl(cluster!, ['get', 'manifest', 'october', '--namespace', namespace.name], { bin });
        assert.deepEqual(Object.values(deployed(after.stdout)).sort(), Object.values(release).sort(), 'api AND worker are back on the first release');
      } finally {
        await namespace.cleanup();
      }
    });
  }
});
