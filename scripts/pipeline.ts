// The CD pipeline run locally: the four built bundles in the order of ci.yml → cd.yml, each given the
// `with:` of its step in those workflows, evaluated with GitHub's expression engine (so the inputs are
// the workflows' own), and cd.yml's resolve scripts run by bash. Against the local stack: a real multi-arch
// build-push to 127.0.0.1:5000, trivy-gate in report mode on a report written for the built digest,
// helm-deploy against helm/kubectl stand-ins replaying real output formats (or a real cluster with
// --kubeconfig), smoke-test against the example app on 127.0.0.1, and the rollback step when it fails.
//
//   npm run pipeline [-- --kubeconfig ~/.kube/config] [--fail-smoke] [--promote] [--findings] [--helm 3|4]
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionRun } from '../test/support/run-action.js';
import { ROOT, runAction } from '../test/support/run-action.js';
import type { StandIn } from '../test/support/stand-in.js';
import { createStandIn } from '../test/support/stand-in.js';
import type { Stack } from '../test/support/stack.js';
import { ensureExampleBinaries, loadStack } from '../test/support/stack.js';
import type { ExpressionContext } from '../test/support/workflows.js';
import { evaluate, findStep, interpolate, stepInputs, workflowCallDefaults } from '../test/support/workflows.js';
import { evaluateStatus } from '../test/support/expressions.js';
import { truthy } from '@actions/expressions/result';

const CI = '.github/workflows/ci.yml';
const CD = '.github/workflows/cd.yml';
const BUNDLES = ['build-push', 'trivy-gate', 'helm-deploy', 'smoke-test'] as const;
const SECRET_INPUTS = /kubeconfig|password|token|secret/i;

export interface PipelineOptions {
  /** Deploy to this cluster (no stand-ins). */
  kubeconfig?: string;
  /** Registry the image is pushed to (default: the stack's open registry). */
  registry?: string;
  /** Make /ready answer 503 so the smoke test fails and the rollback job runs. */
  failSmoke?: boolean;
  /** Deploy like deploy.yml: by tag, resolved to its digest by cd.yml's resolve script. */
  promote?: boolean;
  /** Put a HIGH vulnerability in the image report so the scan gate stops the pipeline. */
  findings?: boolean;
  /** Helm major used in front of the stand-ins / against the cluster. */
  helm?: 3 | 4;
  /** Smoke-test base URL against a real cluster (default: none → port-forward). */
  url?: string;
  log?: (line: string) => void;
}

export interface StageResult {
  stage: string;
  action?: string;
  inputs: Record<string, string>;
  overrides: Record<string, string>;
  outputs: Record<string, string>;
  summary: string;
  exitCode: number;
  log: string;
}

export interface PipelineResult {
  mode: 'stand-in' | 'cluster';
  stages: StageResult[];
  /** The run ended as cd.yml would: deployed and answering, or (with failSmoke) rolled back. */
  ok: boolean;
  stoppedAt?: string;
  standIns?: { helm: StandIn; kubectl: StandIn };
}

export class PipelineSetupError extends Error {}

/** Problems that stop the pipeline before it starts: missing bundles, no stack. */
export function preflight(stack: Stack | undefined): string[] {
  const problems: string[] = [];
  for (const name of BUNDLES) {
    if (!fs.existsSync(path.join(ROOT, name, 'action.yml'))) problems.push(`${name}/action.yml is missing: the ${name} action is not written yet`);
    else if (!fs.existsSync(path.join(ROOT, 'dist', name, 'index.js'))) problems.push(`dist/${name}/index.js is missing: run 'npm run build -- ${name}'`);
  }
  if (!stack) problems.push("the test stack is not running: run 'npm run stack' (Docker, registries, Helm, kubectl)");
  return problems;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface AppServer {
  url: string;
  stop(): Promise<void>;
  kind: string;
}

/** The example app on 127.0.0.1: its real static binary when it runs here, else an HTTP stand-in. */
async function startApp(failReady: boolean): Promise<AppServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const binary = path.join(ROOT, 'examples', 'app', 'bin', os.arch() === 'arm64' ? 'server-arm64' : 'server-amd64');
  if (fs.existsSync(binary) && os.platform() === 'linux' && (os.arch() === 'x64' || os.arch() === 'arm64')) {
    const child = spawn(binary, [], { env: { PORT: String(port), READY_DELAY_SECONDS: failReady ? '3600' : '0' }, stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return { url, kind: `examples/app binary (${path.basename(binary)})`, stop: async () => void child.kill('SIGTERM') };
  }
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const send = (code: number, type: string, body: string): void => void res.writeHead(code, { 'content-type': type }).end(body);
    if (req.url === '/healthz') send(200, 'application/json', '{"status":"ok"}');
    else if (req.url === '/ready') send(failReady ? 503 : 200, 'application/json', failReady ? '{"status":"starting"}' : '{"status":"ready"}');
    else if (req.url === '/metrics') send(200, 'text/plain; version=0.0.4', `# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total{path="all"} ${requests}\n`);
    else send(404, 'text/plain', 'not found\n');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url, kind: 'HTTP stand-in of the example app', stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A Trivy JSON report (SchemaVersion 2) for an artifact, clean or with one HIGH finding. */
export function trivyReport(artifact: string, type: 'container_image' | 'filesystem', findings: boolean): string {
  const vulnerabilities = findings
    ? [{ VulnerabilityID: 'CVE-2026-0001', PkgName: 'libexample', InstalledVersion: '1.0.0', FixedVersion: '1.0.1', Status: 'fixed', Severity: 'HIGH', Title: 'example vulnerability for the local pipeline' }]
    : [];
  return JSON.stringify(
    {
      SchemaVersion: 2,
      CreatedAt: new Date().toISOString(),
      ArtifactName: artifact,
      ArtifactType: type,
      Metadata: { OS: type === 'container_image' ? { Family: 'none', Name: 'scratch' } : undefined },
      Results: [{ Target: type === 'container_image' ? `${artifact} (scratch)` : 'examples/app', Class: type === 'container_image' ? 'os-pkgs' : 'lang-pkgs', Type: 'none', Vulnerabilities: vulnerabilities }],
    },
    null,
    2,
  );
}

function gitSha(): string {
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '0123456789abcdef0123456789abcdef01234567';
}

/** Runs a `run:` step of a workflow with bash: its `env:` evaluated, GITHUB_OUTPUT and GITHUB_ENV files. */
function runScriptStep(file: string, job: string, step: string, ctx: ExpressionContext, extraEnv: Record<string, string>, tmp: string): StageResult {
  const spec = findStep(file, job, step);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries((spec.env ?? {}) as Record<string, unknown>)) env[k] = interpolate(v, ctx);
  const outFile = path.join(tmp, `${job}-${step.replace(/\W+/g, '-')}.output`);
  const envFile = `${outFile}.env`;
  const summaryFile = `${outFile}.summary`;
  fs.writeFileSync(outFile, '');
  fs.writeFileSync(envFile, '');
  fs.writeFileSync(summaryFile, '');
  const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', String(spec.run)], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...extraEnv, ...env, GITHUB_OUTPUT: outFile, GITHUB_ENV: envFile, GITHUB_STEP_SUMMARY: summaryFile, RUNNER_TEMP: tmp, GITHUB_REPOSITORY: 'acme/app', GITHUB_ACTOR: 'octocat' },
  });
  const parse = (text: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
      if (heredoc) {
        const value: string[] = [];
        for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]);
        out[heredoc[1]] = value.join('\n').replace(/\n+$/, '');
      } else if (lines[i].includes('=')) out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
    return out;
  };
  const outputs = parse(fs.readFileSync(outFile, 'utf8'));
  Object.assign(extraEnv, parse(fs.readFileSync(envFile, 'utf8')));
  return { stage: `${job} / ${String(spec.name ?? step)}`, inputs: env, overrides: {}, outputs, summary: fs.readFileSync(summaryFile, 'utf8'), exitCode: r.status ?? 1, log: `${r.stdout}${r.stderr}` };
}

function fromRun(stage: string, action: string, inputs: Record<string, string>, overrides: Record<string, string>, run: ActionRun): StageResult {
  return { stage, action, inputs, overrides, outputs: run.outputs, summary: run.summary, exitCode: run.main.exitCode, log: run.allOutput };
}

/** Stand-in helm and kubectl: a cluster where release `release` is at revision 1 and upgrades cleanly. */
function standInCluster(dir: string, stack: Stack, helmMajor: 3 | 4, release: string, namespace: string, chart: string, valuesFiles: string[], image: string): { helm: StandIn; kubectl: StandIn; rollbackStage: () => void } {
  const realHelm = helmMajor === 3 ? stack.helm3 : stack.helm4;
  const real = (args: string[]): { stdout: string; stderr: string; exitCode: number } => {
    const r = spawnSync(realHelm, args, { cwd: ROOT, encoding: 'utf8' });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? 1 };
  };
  const values = valuesFiles.flatMap((f) => ['--values', f]);
  const version = real(['version', '--short']);
  const lint = real(['lint', chart, '--strict', '--namespace', namespace, ...values]);
  const manifest = real(['template', release, chart, '--namespace', namespace, ...values]);
  if (manifest.exitCode !== 0) throw new PipelineSetupError(`real helm template of ${chart} failed: ${manifest.stderr}`);
  const at = (m: number): string => new Date(Date.UTC(2026, 10, 23, 9, m)).toISOString();
  const entry = (revision: number, status: string, description: string): Record<string, unknown> => ({ revision, updated: at(revision), status, chart: 'app-0.1.0', app_version: '1.0.0', description });
  const status = (revision: number, description: string): string => JSON.stringify({ name: release, namespace, version: revision, info: { first_deployed: at(1), last_deployed: at(revision), status: 'deployed', description }, manifest: manifest.stdout });
  const pods = JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${release}-7c9d5b6f4-abcde`, namespace, labels: { 'app.kubernetes.io/instance': release, 'app.kubernetes.io/name': 'app' }, creationTimestamp: at(2) },
        spec: { containers: [{ name: 'app', image }] },
        status: { phase: 'Running', containerStatuses: [{ name: 'app', image, ready: true, restartCount: 0, started: true, state: { running: { startedAt: at(2) } } }] },
      },
    ],
  });
  const helm = createStandIn(dir, 'helm', [
    { match: ['version', '--short'], stdout: version.stdout },
    { match: ['lint'], stdout: lint.stdout, stderr: lint.stderr, exitCode: lint.exitCode },
    { match: ['template', release], stdout: manifest.stdout },
    { match: ['dependency'], stdout: '' },
    { match: ['history', release], stdout: JSON.stringify([entry(1, 'deployed', 'Install complete')]), times: 1 },
    { match: ['history', release], stdout: JSON.stringify([entry(1, 'superseded', 'Install complete'), entry(2, 'deployed', 'Upgrade complete')]) },
    { match: ['upgrade', release], stdout: `Release "${release}" has been upgraded. Happy Helming!\nNAME: ${release}\nLAST DEPLOYED: Mon Nov 23 09:02 2026\nNAMESPACE: ${namespace}\nSTATUS: deployed\nREVISION: 2\n` },
    { match: ['status', release], stdout: status(2, 'Upgrade complete') },
    { match: ['get', 'manifest'], stdout: manifest.stdout },
  ]);
  const kubectl = createStandIn(dir, 'kubectl', [
    { match: ['get', 'pods', 'json'], stdout: pods },
    { match: ['get', 'pods'], stdout: `NAME                     READY   STATUS    RESTARTS   AGE   IP           NODE\n${release}-7c9d5b6f4-abcde   1/1     Running   0          1m    10.244.0.7   stand-in\n` },
    { match: ['rollout', 'status'], stdout: `deployment "${release}" successfully rolled out\n` },
    { match: ['get', 'events'], stdout: '{"apiVersion":"v1","items":[],"kind":"List"}' },
    { match: ['describe'], stdout: `Name:         ${release}-7c9d5b6f4-abcde\nNamespace:    ${namespace}\nStatus:       Running\n` },
    { match: ['logs'], stdout: 'listening on :8080\n' },
  ]);
  const rollbackStage = (): void => {
    helm.setRules([
      { match: ['version', '--short'], stdout: version.stdout },
      { match: ['history', release], stdout: JSON.stringify([entry(1, 'superseded', 'Install complete'), entry(2, 'deployed', 'Upgrade complete')]), times: 1 },
      { match: ['history', release], stdout: JSON.stringify([entry(1, 'superseded', 'Install complete'), entry(2, 'superseded', 'Upgrade complete'), entry(3, 'deployed', 'Rollback to 1')]) },
      { match: ['rollback', release], stdout: 'Rollback was a success! Happy Helming!\n' },
      { match: ['status', release], stdout: status(3, 'Rollback to 1') },
      { match: ['get', 'manifest'], stdout: manifest.stdout },
    ]);
  };
  return { helm, kubectl, rollbackStage };
}

function masked(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, SECRET_INPUTS.test(k) && v ? '***' : v]));
}

function report(log: (l: string) => void, s: StageResult): void {
  log(`\n━━ ${s.stage}${s.action ? `  (${s.action})` : ''} → exit ${s.exitCode}`);
  const shown = masked(s.inputs);
  if (Object.keys(shown).length) log(`  inputs:    ${JSON.stringify(shown)}`);
  if (Object.keys(s.overrides).length) log(`  local:     ${JSON.stringify(masked(s.overrides))}`);
  for (const [k, v] of Object.entries(s.outputs)) log(`  output ${k}: ${v.length > 160 ? `${v.slice(0, 160)}…` : v}`);
  if (s.summary.trim()) log(s.summary.trim().split('\n').map((l) => `  │ ${l}`).join('\n'));
  if (s.exitCode !== 0) log(s.log.split('\n').filter((l) => l && !l.startsWith('::debug::')).slice(-15).map((l) => `  ! ${l}`).join('\n'));
}

export async function runPipeline(options: PipelineOptions = {}): Promise<PipelineResult> {
  const log = options.log ?? ((l: string) => console.log(l));
  const stack = loadStack();
  const problems = preflight(stack);
  if (problems.length || !stack) throw new PipelineSetupError(`cannot run the pipeline:\n  - ${problems.join('\n  - ')}`);
  ensureExampleBinaries();
  const clusterMode = Boolean(options.kubeconfig);
  const helmMajor = options.helm ?? 3;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
  const result: PipelineResult = { mode: clusterMode ? 'cluster' : 'stand-in', stages: [], ok: false };
  const add = (s: StageResult): StageResult => {
    result.stages.push(s);
    report(log, s);
    return s;
  };
  const context = { eventName: 'push', ref: 'refs/heads/main', sha: gitSha(), repository: 'acme/app', workspace: ROOT };
  const github = { actor: 'octocat', token: '', repository: 'acme/app', event_name: 'push', ref: 'refs/heads/main', sha: context.sha };
  const app = clusterMode ? undefined : await startApp(Boolean(options.failSmoke));
  log(`pipeline: ${clusterMode ? `real cluster (${options.kubeconfig})` : `stand-in helm/kubectl, smoke test against ${app?.kind} at ${app?.url}`}`);
  try {
    // ci.yml → build job: the images step's default, then build-push.
    const registry = options.registry ?? stack.registryOpen;
    // A repository per run: the sha-<commit> tag is immutable, and two builds of one commit differ (timestamps).
    const repository = `${registry}/platform-actions/pipeline-${Date.now().toString(36)}${process.pid.toString(36)}`;
    // target prebuilt: the binaries build.sh compiled; the default target pulls a Debian image to compile.
    const ciInputs = { ...workflowCallDefaults(CI), images: repository, context: 'examples/app', target: 'prebuilt' };
    const ciCtx: ExpressionContext = { inputs: ciInputs, github, secrets: {}, steps: { images: { outputs: { list: ciInputs.images } } } };
    const buildInputs = stepInputs(CI, 'build', 'build', ciCtx);
    const buildOverrides = { cache: 'none' }; // no Actions cache service here
    const build = add(fromRun('ci / build and push', 'build-push', buildInputs, buildOverrides, await runAction('build-push', { inputs: { ...buildInputs, ...buildOverrides }, context, timeoutMs: 600_000 })));
    if (build.exitCode !== 0 || !build.outputs['image-ref']) return { ...result, stoppedAt: build.stage };

    // cd.yml inputs as the example callers pass them (push.yml: by digest; deploy.yml: by tag).
    const tag = build.outputs.tags?.split('\n')[0]?.split(':').pop() ?? '';
    const cdInputs = {
      ...workflowCallDefaults(CD),
      environment: 'dev',
      chart: 'examples/chart',
      release: 'app',
      url: clusterMode ? (options.url ?? '') : (app?.url ?? ''),
      ...(options.promote ? { image: build.outputs['image-ref'].split('@')[0], tag } : { 'image-ref': build.outputs['image-ref'] }),
      ...(options.failSmoke ? { 'smoke-timeout': '8s' } : {}),
    };
    const kubeconfig = options.kubeconfig ? fs.readFileSync(options.kubeconfig, 'utf8') : '';
    const secrets = { kubeconfig, 'registry-username': '', 'registry-password': '' };
    const base: ExpressionContext = { inputs: cdInputs, github, secrets, env: {} };

    // resolve job: cd.yml's own scripts (a tag is resolved with docker buildx imagetools inspect).
    const scriptEnv: Record<string, string> = {};
    const image = add(runScriptStep(CD, 'resolve', 'image', base, scriptEnv, tmp));
    if (image.exitCode !== 0) return { ...result, stoppedAt: image.stage };
    const target = add(runScriptStep(CD, 'resolve', 'target', base, scriptEnv, tmp));
    if (target.exitCode !== 0) return { ...result, stoppedAt: target.stage };
    // The source commit is this checkout's (cd.yml checks it out; verify-image compares the labels with it).
    const resolve = { outputs: { 'image-ref': image.outputs.ref, images: image.outputs.images, matrix: image.outputs.matrix, 'source-commit': context.sha, namespace: target.outputs.namespace, 'values-files': target.outputs['values-files'] ?? '', service: target.outputs.service } };

    // scan job (its one leg: one image): trivy-gate twice, in report mode on reports written for what cd.yml scans.
    const leg = (JSON.parse(resolve.outputs.matrix) as { include: { service: string; image: string }[] }).include[0];
    const scanCtx: ExpressionContext = { ...base, needs: { resolve }, matrix: leg, steps: {} };
    const scanSteps: Record<string, { outputs: Record<string, string> }> = {};
    for (const [id, artifact, type] of [['fs', 'examples/app', 'filesystem'], ['image', resolve.outputs['image-ref'], 'container_image']] as const) {
      const file = path.join(tmp, `trivy-${id}.json`);
      fs.writeFileSync(file, trivyReport(artifact, type, Boolean(options.findings) && id === 'image'));
      const inputs = stepInputs(CD, 'scan', id, scanCtx);
      const overrides = { mode: 'report', report: file, sarif: 'false', table: 'false', cache: 'false' }; // no Trivy binary or DB here
      const s = add(fromRun(`cd / scan (${id})`, 'trivy-gate', inputs, overrides, await runAction('trivy-gate', { inputs: { ...inputs, ...overrides }, context })));
      if (s.exitCode !== 0) return { ...result, stoppedAt: s.stage };
      scanSteps[id] = { outputs: s.outputs };
    }
    const gate = findStep(CD, 'scan', 'Gate on the findings');
    const gateFails = evaluate(String(gate.if).replace(/^\$\{\{|\}\}$/g, ''), { ...scanCtx, steps: scanSteps }).coerceString() === 'true';
    log(`\n━━ cd / scan gate (cd.yml's if: evaluated) → ${gateFails ? 'FAIL: deploy blocked' : 'pass'}`);
    if (gateFails) return { ...result, stoppedAt: 'cd / scan gate' };

    // deploy job.
    const dir = path.join(tmp, 'bin');
    let standIns: ReturnType<typeof standInCluster> | undefined;
    const pathPrepend: string[] = [];
    if (clusterMode) {
      pathPrepend.push(path.dirname(helmMajor === 3 ? stack.helm3 : stack.helm4), path.dirname(stack.kubectl));
    } else {
      standIns = standInCluster(dir, stack, helmMajor, cdInputs.release, resolve.outputs.namespace, cdInputs.chart, resolve.outputs['values-files'].split('\n').filter(Boolean), resolve.outputs['image-ref']);
      result.standIns = { helm: standIns.helm, kubectl: standIns.kubectl };
      pathPrepend.push(dir);
    }
    const deployCtx: ExpressionContext = { ...base, needs: { resolve } };
    const deployInputs = stepInputs(CD, 'deploy', 'deploy', deployCtx);
    const fast: Record<string, string> = clusterMode ? {} : { 'poll-interval': '100ms' };
    const deploy = add(fromRun('cd / deploy', 'helm-deploy', deployInputs, fast, await runAction('helm-deploy', { inputs: { ...deployInputs, ...fast }, pathPrepend, context, timeoutMs: 900_000 })));
    if (deploy.exitCode !== 0) return { ...result, stoppedAt: deploy.stage };

    // deploy job, smoke test step (same job as the deploy: it sees the deploy step's outputs).
    const smokeInputs = stepInputs(CD, 'deploy', 'smoke', deployCtx);
    const smoke = add(fromRun('cd / smoke test', 'smoke-test', smokeInputs, {}, await runAction('smoke-test', { inputs: smokeInputs, pathPrepend, context, timeoutMs: 600_000 })));
    const stepsSoFar = {
      deploy: { outcome: 'success', conclusion: 'success', outputs: deploy.outputs },
      smoke: { outcome: smoke.exitCode === 0 ? 'success' : 'failure', conclusion: smoke.exitCode === 0 ? 'success' : 'failure', outputs: smoke.outputs },
    };
    const status = { success: smoke.exitCode === 0, failure: smoke.exitCode !== 0, cancelled: false };
    const verdict = (steps: Record<string, unknown>, env: Record<string, string>): StageResult => add(runScriptStep(CD, 'deploy', 'verdict', { ...deployCtx, steps, env }, env, tmp));

    // rollback step: cd.yml's own `if:` evaluated with the step statuses of this run.
    const rollbackIf = String(findStep(CD, 'deploy', 'rollback').if).replace(/^\$\{\{|\}\}$/g, '');
    const rollbackNeeded = truthy(evaluateStatus(rollbackIf, { ...deployCtx, steps: stepsSoFar, env: {} }, status));
    log(`\n━━ cd / roll back (cd.yml's if: evaluated) → ${rollbackNeeded ? 'run' : 'skipped'}`);
    if (!rollbackNeeded) {
      verdict(stepsSoFar, {});
      result.ok = smoke.exitCode === 0 && !options.failSmoke;
      if (smoke.exitCode !== 0) result.stoppedAt = smoke.stage;
      return result;
    }
    standIns?.rollbackStage();
    const rollbackCtx: ExpressionContext = { ...deployCtx, steps: stepsSoFar, env: {} };
    const diagEnv: Record<string, string> = { PATH: [...pathPrepend, process.env.PATH ?? ''].join(path.delimiter) };
    add(runScriptStep(CD, 'deploy', 'record', rollbackCtx, diagEnv, tmp));
    const rollbackInputs = stepInputs(CD, 'deploy', 'rollback', { ...rollbackCtx, env: { DIAGNOSTICS_DIR: diagEnv.DIAGNOSTICS_DIR ?? path.join(tmp, 'diagnostics') } });
    const rollback = add(fromRun('cd / roll back', 'helm-deploy', rollbackInputs, {}, await runAction('helm-deploy', { inputs: rollbackInputs, pathPrepend, context, timeoutMs: 600_000 })));
    // The job's verdict fails after a rollback: the run is never green with the old revision live.
    const final = verdict({ ...stepsSoFar, rollback: { outcome: rollback.exitCode === 0 ? 'success' : 'failure', conclusion: rollback.exitCode === 0 ? 'success' : 'failure', outputs: rollback.outputs } }, {});
    result.ok = Boolean(options.failSmoke) && rollback.exitCode === 0 && rollback.outputs['rolled-back'] === 'true' && final.exitCode !== 0;
    result.stoppedAt = smoke.stage;
    return result;
  } finally {
    await app?.stop();
  }
}

function parseArgs(argv: string[]): PipelineOptions {
  const o: PipelineOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new PipelineSetupError(`${a} needs a value`);
      return v;
    };
    if (a === '--kubeconfig') o.kubeconfig = path.resolve(value());
    else if (a === '--registry') o.registry = value();
    else if (a === '--url') o.url = value();
    else if (a === '--helm') o.helm = value() === '4' ? 4 : 3;
    else if (a === '--fail-smoke') o.failSmoke = true;
    else if (a === '--promote') o.promote = true;
    else if (a === '--findings') o.findings = true;
    else throw new PipelineSetupError(`unknown option ${a} (see the top of scripts/pipeline.ts)`);
  }
  if (!o.kubeconfig && process.env.KUBECONFIG && fs.existsSync(process.env.KUBECONFIG)) o.kubeconfig = process.env.KUBECONFIG;
  return o;
}

async function main(): Promise<void> {
  try {
    const result = await runPipeline(parseArgs(process.argv.slice(2)));
    console.log(`\npipeline (${result.mode}): ${result.ok ? 'OK' : `FAILED${result.stoppedAt ? ` at ${result.stoppedAt}` : ''}`}`);
    process.exitCode = result.ok ? 0 : 1;
  } catch (err) {
    console.error(err instanceof PipelineSetupError ? err.message : err);
    process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
