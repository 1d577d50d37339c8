// Real Helm 3.17 and 4.1 binaries: the chart checks helm-deploy runs (lint --strict, template with the
// generated values, dependency build, package, OCI push/pull) and the flags it sends, on both majors.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { classifyHelmError } from '../../actions/helm-deploy/classify.js';
import { lintArgs, rollbackArgs, templateArgs, upgradeArgs } from '../../actions/helm-deploy/helm-args.js';
import { parseWorkloads } from '../../actions/toolkit/kube/manifest.js';
import { findTemplateLocation } from '../../actions/helm-deploy/template-errors.js';
import { buildValues, parseImageKeys, parseImageRef } from '../../actions/helm-deploy/values.js';
import { ROOT, runAction } from '../support/run-action.js';
import { loadStack, stackSkip } from '../support/stack.js';

const stack = loadStack();
const CHART = path.join(ROOT, 'examples', 'chart');
const DIGEST = `sha256:${'c'.repeat(64)}`;

function helmRun(bin: string, args: string[], cwd?: string): { status: number; stdout: string; stderr: string } {
  const env = { ...process.env, HELM_CACHE_HOME: path.join(os.tmpdir(), 'helm-it-cache'), HELM_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'helm-cfg-')) };
  const r = spawnSync(bin, args, { cwd, env, encoding: 'utf8' });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function helpFlags(bin: string, sub: string): Set<string> {
  const help = execFileSync(bin, [sub, '--help'], { encoding: 'utf8' });
  return new Set([...help.matchAll(/(--[a-z][a-z-]*)/g)].map((m) => m[1]));
}

function generatedValuesFile(lines: string[], image?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-values-'));
  const file = path.join(dir, 'generated-values.yaml');
  fs.writeFileSync(file, YAML.stringify(buildValues(lines, image ? parseImageRef(image) : undefined, parseImageKeys([]))));
  return file;
}

for (const major of [3, 4] as const) {
  const bin = (): string => (major === 3 ? stack!.helm3 : stack!.helm4);
  describe(`real Helm ${major}`, { skip: stackSkip(stack), concurrency: true }, () => {
    it('accepts every flag helm-deploy sends to upgrade and rollback', () => {
      const upgrade = helpFlags(bin(), 'upgrade');
      const built = upgradeArgs(major, {
        release: 'r', namespace: 'n', chart: { kind: 'repo', ref: 'c', repo: 'https://x' }, chartVersion: '1', valuesFiles: ['v.yaml'],
        timeoutMs: 60_000, historyMax: 3, rollbackOnFailure: true, serverSide: 'true', forceConflicts: true, forceReplace: true, createNamespace: true,
      }).args;
      const sent = built.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]);
      assert.deepEqual(sent.filter((f) => !upgrade.has(f)), []);
      assert.equal(upgrade.has('--atomic'), major === 3, '--atomic exists on Helm 3 only');
      const rollback = helpFlags(bin(), 'rollback');
      assert.deepEqual(rollbackArgs(major, 'r', 'n', 1, 1000, 3).filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]).filter((f) => !rollback.has(f)), []);
    });

    it('lints examples/chart strictly with every environment values file', () => {
      for (const env of ['dev', 'staging', 'production']) {
        const r = helmRun(bin(), lintArgs(CHART, 'prod', [path.join(CHART, `values-${env}.yaml`)]));
        assert.equal(r.status, 0, `${env}: ${r.stdout}${r.stderr}`);
      }
    });

    it('renders examples/chart with values files and the generated set/image file', () => {
      const gen = generatedValuesFile(['replicaCount=4', 'env.FEATURE_X=true'], `ghcr.io/acme/app:2.0.0@${DIGEST}`);
      const r = helmRun(bin(), templateArgs('web', 'prod', { chart: { kind: 'local', dir: CHART, ref: CHART }, chartVersion: '', valuesFiles: [path.join(CHART, 'values-staging.yaml'), gen] }));
      assert.equal(r.status, 0, r.stderr);
      const docs = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; spec: Record<string, unknown> });
      assert.deepEqual(docs.map((d) => d.kind).sort(), ['Deployment', 'Ingress', 'PodDisruptionBudget', 'Service']);
      const deployment = docs.find((d) => d.kind === 'Deployment') as unknown as { spec: { replicas: number; template: { spec: { containers: { image: string; env: { name: string; value: string }[]; securityContext: Record<string, unknown>; ports: { containerPort: number }[]; livenessProbe: { httpGet: { path: string } }; readinessProbe: { httpGet: { path: string } } }[] } } } };
      const container = deployment.spec.template.spec.containers[0];
      assert.equal(deployment.spec.replicas, 4);
      assert.equal(container.image, `ghcr.io/acme/app@${DIGEST}`);
      assert.deepEqual(container.env.find((e) => e.name === 'FEATURE_X'), { name: 'FEATURE_X', value: 'true' });
      assert.equal(container.securityContext.readOnlyRootFilesystem, true);
      assert.equal(container.securityContext.allowPrivilegeEscalation, false);
      assert.equal(container.ports[0].containerPort, 8080);
      assert.deepEqual([container.livenessProbe.httpGet.path, container.readinessProbe.httpGet.path], ['/healthz', '/ready']);
      assert.deepEqual(parseWorkloads(r.stdout).map((w) => w.selector), ['app.kubernetes.io/name=app,app.kubernetes.io/instance=web']);
    });

    it('renders production with an HPA instead of fixed replicas', () => {
      const r = helmRun(bin(), templateArgs('web', 'prod', { chart: { kind: 'local', dir: CHART, ref: CHART }, chartVersion: '', valuesFiles: [path.join(CHART, 'values-production.yaml')] }));
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /kind: HorizontalPodAutoscaler/);
      assert.doesNotMatch(r.stdout, /replicas: \d/);
    });

    it('names the broken template file in a render error, and it is permanent', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-'));
      fs.mkdirSync(path.join(dir, 'templates'));
      fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: broken\nversion: 0.1.0\n');
      fs.writeFileSync(path.join(dir, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.missing.key }}\n');
      const r = helmRun(bin(), ['template', 'r', dir]);
      assert.equal(r.status, 1);
      assert.deepEqual(findTemplateLocation(r.stderr), { file: 'templates/cm.yaml', line: 6, column: 15 });
      assert.equal(classifyHelmError(r.stderr).kind, 'permanent');
      const lint = helmRun(bin(), ['lint', dir, '--strict']);
      assert.equal(lint.status, 1);
      assert.equal(findTemplateLocation(lint.stdout)?.file, 'templates/cm.yaml');
    });

    it('builds a local file:// dependency and renders it', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deps-'));
      fs.mkdirSync(path.join(dir, 'sub', 'templates'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'sub', 'Chart.yaml'), 'apiVersion: v2\nname: sub\nversion: 0.2.0\n');
      fs.writeFileSync(path.join(dir, 'sub', 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-sub\n');
      fs.cpSync(CHART, path.join(dir, 'parent'), { recursive: true });
      const chartYaml = path.join(dir, 'parent', 'Chart.yaml');
      fs.appendFileSync(chartYaml, 'dependencies:\n  - name: sub\n    version: 0.2.0\n    repository: file://../sub\n');
      const build = helmRun(bin(), ['dependency', 'build', path.join(dir, 'parent')]);
      assert.equal(build.status, 0, build.stderr);
      assert.ok(fs.existsSync(path.join(dir, 'parent', 'charts', 'sub-0.2.0.tgz')));
      const r = helmRun(bin(), ['template', 'web', path.join(dir, 'parent')]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /name: web-sub/);
    });

    it('packages the chart, pushes it to the OCI registry and deploys-renders it from there', () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-'));
      const pkg = helmRun(bin(), ['package', CHART, '--destination', out]);
      assert.equal(pkg.status, 0, pkg.stderr);
      const tgz = path.join(out, 'app-0.1.0.tgz');
      assert.ok(fs.existsSync(tgz));
      const repo = `oci://${stack!.registryOpen}/it-${major}-${randomBytes(4).toString('hex')}`;
      const push = helmRun(bin(), ['push', tgz, repo, '--plain-http']);
      assert.equal(push.status, 0, push.stderr);
      assert.match(push.stdout + push.stderr, /Digest: sha256:[a-f0-9]{64}/);
      const pullDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pull-'));
      const pull = helmRun(bin(), ['pull', `${repo}/app`, '--version', '0.1.0', '--plain-http', '--destination', pullDir]);
      assert.equal(pull.status, 0, pull.stderr);
      assert.ok(fs.existsSync(path.join(pullDir, 'app-0.1.0.tgz')));
      const args = [...templateArgs('web', 'prod', { chart: { kind: 'oci', ref: `${repo}/app` }, chartVersion: '0.1.0', valuesFiles: [generatedValuesFile([], 'ghcr.io/acme/app:9.9.9')] }), '--plain-http'];
      const r = helmRun(bin(), args);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /image: "ghcr\.io\/acme\/app:9\.9\.9"/);
    });

    it('stops the action on a template error before the cluster, annotated on the chart file', async () => {
      const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-'));
      fs.cpSync(CHART, path.join(ws, 'deploy', 'chart'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'deploy', 'chart', 'templates', 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.nope.key }}\n');
      const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-bin-'));
      fs.symlinkSync(bin(), path.join(binDir, 'helm'));
      const run = await runAction('helm-deploy', {
        // A valid kubeconfig whose cluster is never reached: the template error stops the action first.
        inputs: { release: 'web', chart: 'deploy/chart', kubeconfig: 'apiVersion: v1\nkind: Config\nclusters:\n- name: none\n  cluster: {server: "https://127.0.0.1:1"}\ncontexts:\n- name: none\n  context: {cluster: none, user: none}\ncurrent-context: none\nusers:\n- name: none\n  user: {}\n' },
        context: { workspace: ws },
        pathPrepend: [binDir],
      });
      assert.equal(run.main.exitCode, 1);
      assert.equal(run.outputs['helm-version'], major === 3 ? 'v3.17.3' : 'v4.1.4');
      assert.match(run.main.stdout, /::error title=helm lint --strict failed,file=deploy\/chart\/templates\/broken.yaml,line=6/);
      assert.doesNotMatch(run.main.stdout, /helm (history|upgrade) /);
    });
  });
}
