// Several images per release and the <key>@digest tag part, rendered by real Helm 3 and Helm 4: October's chart
// (FastAPI api + Celery worker, a chart that reads only repository + tag) pinned by digest for both services, a
// golden rendering of `helm create`'s chart (real Helm output) with `image.tag@digest`, and October end to end
// on the control plane: one helm upgrade for both images; a crashing worker rolls both back.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import YAML from 'yaml';
import { buildValues, parseImageKeys, parseImageRef, parseImageValues, parseImagesInput } from '../../actions/helm-deploy/values.js';
import { NodeStandIn, byImage, clusterSkip, createNamespace, kubectl, loadCluster } from '../support/cluster.js';
import { ROOT, runAction } from '../support/run-action.js';
import { loadStack, stackSkip } from '../support/stack.js';

const stack = loadStack();
const OCTOBER = path.join(ROOT, 'test', 'fixtures', 'helm', 'october-chart');
const GOLDEN = path.join(ROOT, 'test', 'fixtures', 'helm', 'golden');
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const IMAGES = { api: `127.0.0.1:5000/october-api:0.2.0@${D1}`, worker: `127.0.0.1:5000/october-worker:0.2.0@${D2}` };
const IMAGE_VALUES = ['api: api.image.repository,api.image.tag@digest,', 'worker: worker.image.repository,worker.image.tag@digest,'];

function helm(bin: string, args: string[], cwd?: string): { status: number; stdout: string; stderr: string } {
  const env = { ...process.env, HELM_CACHE_HOME: path.join(os.tmpdir(), 'helm-it-cache'), HELM_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'helm-cfg-')) };
  const r = spawnSync(bin, args, { cwd, env, encoding: 'utf8' });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function valuesFile(values: object): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gen-values-')), 'generated-values.yaml');
  fs.writeFileSync(file, YAML.stringify(values));
  return file;
}

interface Doc {
  kind: string;
  metadata: { name: string };
  spec?: { template?: { spec?: { containers?: { name: string; image: string }[] } } };
}

const images = (rendered: string): Record<string, string> =>
  Object.fromEntries(
    YAML.parseAllDocuments(rendered)
      .map((d) => d.toJS() as Doc)
      .filter((d) => d?.kind === 'Deployment')
      .flatMap((d) => (d.spec?.template?.spec?.containers ?? []).map((c) => [c.name, c.image])),
  );

for (const major of [3, 4] as const) {
  const bin = (): string => (major === 3 ? stack!.helm3 : stack!.helm4);
  describe(`images + tag@digest rendered by real Helm ${major}`, { skip: stackSkip(stack) }, () => {
    it('October: api and worker both pinned by digest through a chart that reads only repository + tag', () => {
      const map = parseImagesInput(JSON.stringify(IMAGES));
      const keys = parseImageValues(IMAGE_VALUES, Object.keys(map));
      const list = Object.entries(map).map(([service, reference]) => ({ service, reference, image: parseImageRef(reference), keys: keys.get(service)! }));
      const r = helm(bin(), ['template', 'october', OCTOBER, '--values', valuesFile(buildValues([], undefined, parseImageKeys(''), [], list))]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(images(r.stdout), { api: IMAGES.api, worker: IMAGES.worker });
      assert.match(r.stdout, new RegExp(`image: "127\\.0\\.0\\.1:5000/october-worker:0\\.2\\.0@${D2}"`));
    });

    it('golden: `helm create` chart with image.tag@digest renders <repository>:<tag>@sha256:…', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-create-'));
      const created = helm(bin(), ['create', 'demo'], dir);
      assert.equal(created.status, 0, created.stderr);
      const chart = path.join(dir, 'demo');
      const values = buildValues([], parseImageRef(`127.0.0.1:5000/demo:1.4.2@${D1}`), parseImageKeys('image.repository,image.tag@digest,'));
      const r = helm(bin(), ['template', 'demo', chart, '--values', valuesFile(values)]);
      assert.equal(r.status, 0, r.stderr);
      const deployment = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS() as Doc).find((d) => d?.kind === 'Deployment')!;
      const golden = path.join(GOLDEN, `helm${major}-create-deployment-tag-at-digest.yaml`);
      const text = YAML.stringify(deployment);
      if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, text);
      assert.equal(text, fs.readFileSync(golden, 'utf8'), `rendered Deployment differs from ${path.relative(ROOT, golden)} (UPDATE_GOLDEN=1 rewrites it)`);
      assert.deepEqual(images(r.stdout), { demo: `127.0.0.1:5000/demo:1.4.2@${D1}` });
    });
  });
}

const cluster = loadCluster();
const controlPlane = clusterSkip(cluster) || (stack ? false : 'test stack not running (npm run stack)');
// `…-crash:` crash-loops on kubelet's back-off (first exit ~1 s after start); every other image is ready after 1 s.
const standIn = cluster
  ? new NodeStandIn(cluster, { namespaces: [], name: 'helm-october', behaviour: byImage({ '-crash:': { kind: 'crash' } }, { kind: 'ready', readyAfterMs: 1000 }) })
  : undefined;

async function helmHistory(bin: string, ns: string): Promise<{ revision: number; status: string; description: string }[]> {
  const r = await kubectl(cluster!, ['history', 'october', '--namespace', ns, '--output', 'json'], { bin });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { revision: number; status: string; description: string }[];
}

// Both Helm majors. (Helm 3 once timed out here in its own `helm rollback --wait`: the private node player this
// file used sent its DELETE gracePeriodSeconds=0 body unframed — Node sends a DELETE body with neither
// Content-Length nor chunked encoding — so the API server saw a graceful delete, the old pods stayed Terminating,
// and the leftover bytes broke the player's next request on the socket: the rolled-back pod was never made ready.)
describe('October end to end on the control plane: one upgrade for api + worker', { skip: controlPlane, concurrency: 1 }, () => {
  before(async () => {
    await standIn?.start();
  });
  after(async () => {
    await standIn?.stop();
    cluster?.api.close();
  });
  for (const major of [3, 4] as const) {
    it(`Helm ${major}: both images in one helm upgrade; a crashing worker rolls both back`, async () => {
      const bin = major === 3 ? stack!.helm3 : stack!.helm4;
      const namespace = await createNamespace(cluster!, `helm-october-${major}`);
      const ns = namespace.name;
      await standIn!.addNamespace(ns);
      const deploy = (imgs: Record<string, string>) =>
        runAction('helm-deploy', {
          inputs: { release: 'october', namespace: ns, chart: path.relative(ROOT, OCTOBER), images: JSON.stringify(imgs), 'image-values': IMAGE_VALUES.join('\n'), timeout: '3m', 'poll-interval': '1s', 'crash-checks': '2' },
          env: { KUBECONFIG: cluster!.kubeconfig },
          pathPrepend: [path.dirname(bin)],
          timeoutMs: 240_000,
        });
      try {
        const good = await deploy(IMAGES);
        assert.equal(good.main.exitCode, 0, good.main.stdout);
        assert.deepEqual(JSON.parse(good.outputs.images), IMAGES);
        assert.match(good.summary, /\| api \| `127\.0\.0\.1:5000\/october-api:0\.2\.0@sha256:1{64}` \| `api\.image\.repository`, `api\.image\.tag@digest`, - \|/);
        assert.equal((good.main.stdout.match(/\[command\][^\n]*helm upgrade/g) ?? []).length <= 1, true);

        const broken = { api: `127.0.0.1:5000/october-api:0.3.0@${D2}`, worker: `127.0.0.1:5000/october-worker-crash:0.3.0@${D1}` };
        const bad = await deploy(broken);
        assert.equal(bad.main.exitCode, 1, bad.main.stdout.slice(-4000));
        assert.match(bad.main.stdout, /CrashLoopBackOff/, bad.main.stdout.split('\n').filter((l) => !l.startsWith('::debug')).slice(-40).join('\n'));
        assert.deepEqual([bad.outputs['rolled-back'], bad.outputs.status, bad.outputs.images], ['true', 'deployed', '{}']);
        const history = await helmHistory(bin, ns);
        assert.equal(history.filter((h) => /Upgrade|Install|upgrade/.test(h.description) || h.status !== 'deployed').length >= 2, true);
        assert.match(history[history.length - 1].description, /^Rollback to 1/, 'both services back to revision 1');
        const manifest = await kubectl(cluster!, ['get', 'manifest', 'october', '--namespace', ns], { bin });
        assert.equal(manifest.status, 0, manifest.stderr);
        assert.deepEqual(images(manifest.stdout), { api: IMAGES.api, worker: IMAGES.worker });
      } finally {
        await namespace.cleanup();
      }
    });
  }
});
