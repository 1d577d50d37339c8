// A workflow_dispatch production deploy of an OLD release tag, through cd.yml's own steps on real tools: the run is
// dispatched from main (GitHub runs the ref's tip: GITHUB_SHA is main's head), the chart changed on main since the
// tag. cd.yml's "Find the source commit" step (its bash, run as the runner runs it, with a `gh` stand-in answering
// GET /repos/{o}/{r}/commits/{ref} from the real repository) must name the tag's commit; the deploy and scan jobs
// check that commit out, so the real `helm template` renders the tag's chart, not main's; and the images are
// checked by the real verify-image bundle against the real registry with `expected-revision` = that commit, as
// cd.yml passes it, before any job that touches the cluster: an image built from another commit is refused.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { parseFileCommands, runAction } from '../support/run-action.js';
import { loadStack, stackSkip } from '../support/stack.js';
import { findJob, findStep } from '../support/workflows.js';

const stack = loadStack();
const CD = '.github/workflows/cd.yml';
const REPO = 'acme/app';
const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } }).trim();

function chart(dir: string, marker: string): void {
  fs.mkdirSync(path.join(dir, 'deploy/chart/templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'deploy/chart/Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 1.0.0\n');
  fs.writeFileSync(path.join(dir, 'deploy/chart/values.yaml'), 'image: {repository: x, digest: ""}\n');
  fs.writeFileSync(path.join(dir, 'deploy/chart/templates/cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {chart: "${marker}", image: "{{ .Values.image.repository }}@{{ .Values.image.digest }}"}\n`);
}

function buildImage(revision: string): string {
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-dispatch-ctx-'));
  fs.writeFileSync(path.join(ctx, 'nonce'), randomBytes(16).toString('hex'));
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY nonce /nonce\n');
  const name = `${stack!.registryOpen}/cd-dispatch/${randomBytes(4).toString('hex')}`;
  const metadata = path.join(ctx, 'metadata.json');
  execFileSync('docker', ['buildx', 'build', '--platform', 'linux/amd64', '--metadata-file', metadata, '--output', `type=image,name=${name}:v1.0.0,push=true`, '--label', `org.opencontainers.image.source=https://github.com/${REPO}`, '--label', `org.opencontainers.image.revision=${revision}`, ctx], { stdio: ['ignore', 'ignore', 'pipe'] });
  return `${name}@${(JSON.parse(fs.readFileSync(metadata, 'utf8')) as Record<string, string>)['containerimage.digest']}`;
}

describe('cd.yml dispatch of an old release tag', { skip: stackSkip(stack) }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-dispatch-'));
  const app = path.join(root, 'app');
  let tagCommit = '';
  let mainHead = '';
  before(() => {
    execFileSync('git', ['init', '-q', '-b', 'main', app]);
    chart(app, 'chart of v1.0.0');
    git(app, 'add', '-A');
    git(app, 'commit', '-q', '-m', 'release 1.0.0');
    git(app, 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0');
    tagCommit = git(app, 'rev-parse', 'v1.0.0^{commit}');
    chart(app, 'chart of main, changed since v1.0.0');
    git(app, 'commit', '-q', '-am', 'chart changed on main');
    mainHead = git(app, 'rev-parse', 'HEAD');
  });

  /** `gh api repos/<repo>/commits/<ref> --jq .sha`, answered from the real repository as GitHub would (404 otherwise). */
  function ghStandIn(): string {
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(
      path.join(bin, 'gh'),
      `#!/bin/sh\n[ "$1" = api ] || exit 2\ncase "$2" in repos/${REPO}/commits/*) ref="\${2#repos/${REPO}/commits/}";;\n*) echo '{"message":"Not Found","status":"404"}'; echo 'gh: Not Found (HTTP 404)' >&2; exit 1;;\nesac\nsha=$(git -C "${app}" rev-parse --verify --quiet "$ref^{commit}") || { echo "gh: No commit found for SHA: $ref (HTTP 422)" >&2; exit 1; }\necho "$sha"\n`,
      { mode: 0o755 },
    );
    return bin;
  }

  function findSourceCommit(tag: string): { code: number; out: string; sha: string } {
    const output = path.join(root, `output-${randomBytes(3).toString('hex')}`);
    fs.writeFileSync(output, '');
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', String(findStep(CD, 'resolve', 'source').run)], {
      encoding: 'utf8',
      env: { PATH: `${ghStandIn()}:${process.env.PATH}`, HOME: root, GITHUB_OUTPUT: output, GITHUB_REPOSITORY: REPO, GITHUB_SHA: mainHead, GIVEN: '', TAG: tag, BUILT_HERE: 'false', GH_TOKEN: 'token' },
    });
    return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}`, sha: parseFileCommands(fs.readFileSync(output, 'utf8')).sha ?? '' };
  }

  it("names the tag's commit, not the tip of the ref the run was dispatched from", () => {
    const r = findSourceCommit('v1.0.0');
    assert.equal(r.code, 0, r.out);
    assert.equal(r.sha, tagCommit);
    assert.notEqual(r.sha, mainHead);
  });

  it("the scan and deploy jobs check that commit out, so the real helm template renders the tag's chart", () => {
    for (const job of ['scan', 'deploy']) {
      const steps = findJob(CD, job).steps as Array<{ uses?: string; with?: Record<string, string> }>;
      const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'));
      assert.equal(checkout?.with?.ref, '${{ needs.resolve.outputs.source-commit }}', `${job} checks out the source commit`);
    }
    // What actions/checkout does with `ref:` a commit SHA: a checkout of exactly that commit.
    const workspace = path.join(root, 'workspace');
    execFileSync('git', ['clone', '-q', '--no-checkout', app, workspace]);
    git(workspace, 'checkout', '-q', '--detach', findSourceCommit('v1.0.0').sha);
    const rendered = execFileSync(stack!.helm3, ['template', 'app', path.join(workspace, 'deploy/chart'), '--set', 'image.repository=r', '--set', 'image.digest=sha256:0'], { encoding: 'utf8' });
    assert.match(rendered, /chart: "chart of v1\.0\.0"/);
    assert.doesNotMatch(rendered, /changed since/);
  });

  it('verify-image, as cd.yml calls it before any cluster job, accepts the release image and refuses one built from another commit', async () => {
    const steps = findJob(CD, 'resolve').steps as Array<{ id?: string; uses?: string; with?: Record<string, string> }>;
    const verify = steps.find((s) => s.id === 'verify');
    assert.equal(verify?.uses, '$/verify-image');
    assert.match(verify?.with?.['expected-revision'] ?? '', /steps\.source\.outputs\.sha/);
    for (const job of ['scan', 'deploy']) assert.ok((findJob(CD, job).needs as string[] | string).includes('resolve'), `${job} runs only after resolve (and its verify step)`);

    const expected = findSourceCommit('v1.0.0').sha;
    const workspace = path.join(root, 'verify-ws');
    execFileSync('git', ['clone', '-q', app, workspace]);
    const run = (image: string) =>
      runAction('verify-image', { inputs: { 'image-refs': image, repository: REPO, 'expected-revision': expected, 'default-branch': 'main' }, context: { repository: REPO, workspace }, timeoutMs: 120_000 });
    const good = await run(buildImage(tagCommit));
    assert.equal(good.main.exitCode, 0, good.allOutput);
    const laptop = await run(buildImage(mainHead));
    assert.notEqual(laptop.main.exitCode, 0);
    assert.match(laptop.allOutput, new RegExp(`org\\.opencontainers\\.image\\.revision.*${mainHead.slice(0, 12)}`));
  });
});
