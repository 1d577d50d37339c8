// A model of one release in one cluster for simulated cd.yml runs (test/support/workflow-sim.ts): revisions,
// the live one, images whose smoke test fails; mocks of cd.yml's action steps that act on it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Mock, StepPlay } from './workflow-sim.js';

export const GOOD = `ghcr.io/acme/app@sha256:${'a'.repeat(64)}`;
export const BAD = `ghcr.io/acme/app@sha256:${'b'.repeat(64)}`;
export const OLD = `ghcr.io/acme/app@sha256:${'0'.repeat(64)}`;
/** The commit the model's images carry in their org.opencontainers.image.revision label. */
export const REVISION = '9e107d9d372bb6826bd81d3542a419d6f0a1b2c3';

export interface Cluster {
  revisions: string[]; // image of each revision, revision n at index n-1
  live: number;
  /** Images whose smoke test fails. */
  broken: Set<string>;
  /** Smoke test failures still to happen whatever the image (a flaky check). */
  flaky: number;
  deployFails?: boolean;
  calls: string[];
  artifacts: Record<string, string[]>;
}

export function cluster(over: Partial<Cluster> = {}): Cluster {
  return { revisions: [OLD], live: 1, broken: new Set([BAD]), flaky: 0, calls: [], artifacts: {}, ...over };
}

export const liveImage = (c: Cluster): string => c.revisions[c.live - 1];

/** Wraps `base[key]` so each call records `<step>:<kubeconfig it received>` in `seen`. */
export function kubeconfigSpy(base: Record<string, Mock<Cluster>>, seen: string[]): (key: string) => Mock<Cluster> {
  return (key) => (call) => {
    seen.push(`${call.step}:${call.with.kubeconfig}`);
    const m = base[key];
    return typeof m === 'function' ? m(call) : m;
  };
}

export function mocks(scan: { fsPassed?: boolean; imagePassed?: boolean; scanFails?: boolean; sarifFails?: boolean } = {}): Record<string, Mock<Cluster>> {
  return {
    'resolve/Log in to the image registry': { outcome: 'success' },
    // verify-image: every image passes and carries REVISION (the stand-in for the registry's labels).
    'resolve/verify': ({ with: w }): StepPlay => ({ outputs: { revisions: JSON.stringify(Object.fromEntries(w['image-refs'].split('\n').filter(Boolean).map((r) => [r, REVISION]))), sources: '{}' } }),
    'scan/fs': ({ world }): StepPlay => {
      world.calls.push('scan fs');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-fs-'));
      fs.writeFileSync(path.join(dir, 'fs.json'), '{}');
      fs.writeFileSync(path.join(dir, 'fs.sarif'), '{}');
      return { outcome: scan.scanFails ? 'failure' : 'success', outputs: { passed: String(scan.fsPassed ?? true), gated: scan.fsPassed === false ? '2' : '0', 'report-path': path.join(dir, 'fs.json'), 'sarif-path': path.join(dir, 'fs.sarif') } };
    },
    'scan/image': ({ world, with: w }) => {
      world.calls.push(`scan image ${w['image-ref']}`);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-image-'));
      fs.writeFileSync(path.join(dir, 'image.json'), '{}');
      fs.writeFileSync(path.join(dir, 'image.sarif'), '{}');
      return { outputs: { passed: String(scan.imagePassed ?? true), gated: scan.imagePassed === false ? '1' : '0', 'report-path': path.join(dir, 'image.json'), 'sarif-path': path.join(dir, 'image.sarif') } };
    },
    'scan/sarif-fs': ({ world }): StepPlay => {
      world.calls.push('sarif fs');
      return { outcome: scan.sarifFails ? 'failure' : 'success' };
    },
    'scan/sarif-image': ({ world }): StepPlay => {
      world.calls.push('sarif image');
      return { outcome: scan.sarifFails ? 'failure' : 'success' };
    },
    'scan/Keep the scan reports': ({ world, with: w }) => {
      world.artifacts[w.name] = fs.readdirSync(w.path).sort();
      return {};
    },
    'deploy/deploy': ({ world, with: w }): StepPlay => {
      world.calls.push(`deploy ${w.image}`);
      const previous = String(world.live);
      if (world.deployFails) return { outcome: 'failure', outputs: { revision: previous, 'previous-revision': previous, status: 'deployed', 'rolled-back': 'true', 'diagnostics-path': '/tmp/diag' } };
      world.revisions.push(w.image);
      world.live = world.revisions.length;
      return { outputs: { revision: String(world.live), 'previous-revision': previous, status: 'deployed', 'rolled-back': 'false' } };
    },
    'deploy/smoke': ({ world }): StepPlay => {
      world.calls.push(`smoke ${liveImage(world)}`);
      const fails = world.broken.has(liveImage(world)) || world.flaky-- > 0;
      return fails ? { outcome: 'failure', outputs: { passed: 'false', mode: 'url', 'failed-checks': '[{"name":"/ready","status":503}]' } } : { outputs: { passed: 'true', mode: 'url', 'failed-checks': '[]' } };
    },
    'deploy/rollback': ({ world, with: w }) => {
      world.calls.push(`rollback to ${w.revision}`);
      world.live = Number(w.revision);
      return { outputs: { revision: w.revision, status: 'deployed', 'rolled-back': 'true', 'diagnostics-path': w['diagnostics-path'] } };
    },
    // The workflow before issue 9: the same actions in their own jobs.
    'smoke/smoke': ({ world }): StepPlay => {
      world.calls.push(`smoke ${liveImage(world)}`);
      const fails = world.broken.has(liveImage(world)) || world.flaky-- > 0;
      return fails ? { outcome: 'failure', outputs: { passed: 'false', mode: 'url', 'failed-checks': '[]' } } : { outputs: { passed: 'true', mode: 'url', 'failed-checks': '[]' } };
    },
    'rollback/rollback': ({ world, with: w }) => {
      world.calls.push(`rollback to ${w.revision}`);
      world.live = Number(w.revision);
      return { outputs: { revision: w.revision, status: 'deployed', 'rolled-back': 'true' } };
    },
  };
}

