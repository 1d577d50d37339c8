// The README's release journey, run through the example callers as GitHub would: push to main → dev,
// tag vX.Y.Z → staging, manual promotion → production. Each caller's job `if:` and `with:` are evaluated by
// GitHub's parser and expression engine, and each cd.yml call is itself simulated with those inputs and the
// secrets the caller hands over (test/support/workflow-sim.ts), against a model of the cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cluster, kubeconfigSpy, liveImage, mocks } from '../support/cd-model.js';
import type { Cluster } from '../support/cd-model.js';
import { simulateWorkflow } from '../support/workflow-sim.js';
import type { JobMock, RunRecord, WorkflowCall } from '../support/workflow-sim.js';
import { ROOT } from '../support/workflows.js';

const CD = '.github/workflows/cd.yml';
const DIGEST = `sha256:${'e'.repeat(64)}`;

interface World extends Cluster {
  cdRuns: { environment: string; with: Record<string, string>; run: RunRecord }[];
}

/** A docker stand-in for cd.yml's resolve job: login, and imagetools answering one digest for any tag. */
function dockerStandIn(): { bin: string; log: string; done: () => void } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-bin-'));
  const log = path.join(bin, 'docker.log');
  fs.writeFileSync(
    path.join(bin, 'docker'),
    `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >>'${log}'\nif [ "$1" = login ]; then cat >/dev/null; exit 0; fi\nif [ "$1 $2 $3" = "buildx imagetools inspect" ]; then printf '{"digest":"${DIGEST}"}\\n'; exit 0; fi\nexit 1\n`,
    { mode: 0o755 },
  );
  return { bin, log, done: () => fs.rmSync(bin, { recursive: true, force: true }) };
}

/** Plays a caller's cd.yml job by simulating cd.yml itself with what the caller passes. */
function cdCall(bin: string): JobMock<World> {
  return async (call: WorkflowCall<World>) => {
    assert.equal(call.uses, 'platform-org/platform-actions/.github/workflows/cd.yml@v1');
    const run = await simulateWorkflow<Cluster>(CD, { inputs: call.with, secrets: call.secrets, mocks: mocks(), world: call.world, pathPrepend: [bin] });
    call.world.cdRuns.push({ environment: call.with.environment, with: call.with, run });
    return { result: run.conclusion === 'success' ? 'success' : 'failure', outputs: run.outputs };
  };
}

function world(): World {
  return { ...cluster({ broken: new Set() }), cdRuns: [] };
}

// Environment secrets arrive through `secrets: inherit`; secret names ignore case, so KUBECONFIG is secrets.kubeconfig.
const SECRETS = { KUBECONFIG: 'kubeconfig-of-this-environment', DOCKERHUB_USERNAME: 'acme', DOCKERHUB_TOKEN: 'dckr_pat' };
const CI_OUTPUTS = { 'image-ref': `ghcr.io/acme-corp/myapp@${DIGEST}`, tags: `ghcr.io/acme-corp/myapp:sha-1a2b3c4`, digest: DIGEST };

test('push to main: CI, then the digest CI pushed is deployed to dev, and nothing to staging', async () => {
  const docker = dockerStandIn();
  try {
    const w = world();
    const ci: JobMock<World> = async (call) => {
      assert.equal(call.secrets['dockerhub-token'], 'dckr_pat');
      return { result: 'success', outputs: CI_OUTPUTS };
    };
    const r = await simulateWorkflow<World>('examples/workflows/push.yml', {
      github: { event_name: 'push', ref: 'refs/heads/main', repository: 'Acme-Corp/MyApp' },
      secrets: SECRETS,
      jobMocks: { ci, 'deploy-dev': cdCall(docker.bin), 'deploy-staging': cdCall(docker.bin) },
      world: w,
    });
    assert.deepEqual([r.jobs['deploy-dev'].result, r.jobs['deploy-staging'].result], ['success', 'skipped']);
    assert.deepEqual(w.cdRuns.map((c) => c.environment), ['dev']);
    const cd = w.cdRuns[0].run;
    assert.equal(cd.jobs.deploy.environment, 'dev');
    assert.equal(cd.outputs['image-ref'], CI_OUTPUTS['image-ref']);
    assert.equal(cd.outputs.verified, 'true');
    assert.equal(liveImage(w), CI_OUTPUTS['image-ref']);
    assert.equal(fs.existsSync(docker.log), false, 'a digest is deployed as given: no registry call');
  } finally {
    docker.done();
  }
});

test('tag v1.0.0: the same digest goes to staging, and dev is left alone', async () => {
  const docker = dockerStandIn();
  try {
    const w = world();
    const r = await simulateWorkflow<World>('examples/workflows/push.yml', {
      github: { event_name: 'push', ref: 'refs/tags/v1.0.0', ref_name: 'v1.0.0', repository: 'Acme-Corp/MyApp' },
      secrets: SECRETS,
      jobMocks: { ci: async () => ({ result: 'success', outputs: CI_OUTPUTS }), 'deploy-dev': cdCall(docker.bin), 'deploy-staging': cdCall(docker.bin) },
      world: w,
    });
    assert.deepEqual([r.jobs['deploy-dev'].result, r.jobs['deploy-staging'].result], ['skipped', 'success']);
    assert.deepEqual(w.cdRuns.map((c) => [c.environment, c.run.jobs.deploy.environment, c.run.outputs['image-ref']]), [['staging', 'staging', CI_OUTPUTS['image-ref']]]);
  } finally {
    docker.done();
  }
});

test('manual promotion (deploy.yml): production by default, the tag of an owner with capitals resolved lower-case, the environment secret in every cluster step', async () => {
  const docker = dockerStandIn();
  try {
    const w = world();
    const seen: string[] = [];
    const base = mocks();
    const spy = kubeconfigSpy(base, seen);
    // Dispatched with the environment left at its default.
    const r = await simulateWorkflow<World>('examples/workflows/deploy.yml', {
      github: { event_name: 'workflow_dispatch', ref: 'refs/heads/main', repository: 'Acme-Corp/MyApp' },
      inputs: { version: 'v1.0.0' },
      secrets: SECRETS,
      jobMocks: {
        deploy: async (call) => {
          const run = await simulateWorkflow<Cluster>(CD, {
            inputs: call.with,
            secrets: call.secrets,
            mocks: { ...base, 'deploy/deploy': spy('deploy/deploy'), 'deploy/smoke': spy('deploy/smoke') },
            world: call.world,
            pathPrepend: [docker.bin],
          });
          call.world.cdRuns.push({ environment: call.with.environment, with: call.with, run });
          return { result: run.conclusion === 'success' ? 'success' : 'failure', outputs: run.outputs };
        },
      },
      world: w,
    });
    assert.equal(r.conclusion, 'success');
    const cd = w.cdRuns[0];
    assert.deepEqual([cd.with.image, cd.with.tag, cd.with.environment], ['ghcr.io/Acme-Corp/MyApp', 'v1.0.0', 'production']);
    assert.equal(cd.run.jobs.deploy.environment, 'production');
    assert.ok(fs.readFileSync(docker.log, 'utf8').includes('buildx imagetools inspect ghcr.io/acme-corp/myapp:v1.0.0 '));
    assert.equal(cd.run.outputs['image-ref'], `ghcr.io/acme-corp/myapp:v1.0.0@${DIGEST}`, "the promoted tag stays beside its digest");
    assert.deepEqual(seen, ['deploy:kubeconfig-of-this-environment', 'smoke:kubeconfig-of-this-environment']);
  } finally {
    docker.done();
  }
});

test('the deploy.yml form offers production first and as its default', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'examples/workflows/deploy.yml'), 'utf8');
  assert.match(doc, /options: \[production, staging, dev\]\n\s+default: production/);
});
