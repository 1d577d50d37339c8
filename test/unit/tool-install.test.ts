// The toolkit's installTool (used by trivy-gate and helm-deploy) outside a runner and when the download
// fails: each test file runs in its own process, so the environment changes here stay here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { helmDownloadHint } from '../../actions/helm-deploy/install-helm.js';
import { ActionError, InputError, installTool, type ToolRelease } from '../../actions/toolkit/index.js';
import { resolveTrivy } from '../../actions/trivy-gate/install.js';

// @actions/tool-cache waits 10-20 s between its download attempts; no waiting here.
Object.assign(globalThis, { TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS: 0, TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS: 0 });
// Not a runner: no runner variables, and addPath must not write to a real job's GITHUB_PATH.
for (const name of ['RUNNER_TOOL_CACHE', 'RUNNER_TEMP', 'GITHUB_PATH', 'GITHUB_ACTIONS']) delete process.env[name];

const UNREACHABLE = 'http://127.0.0.1:1';

function demoRelease(url: string, sha256: string): ToolRelease {
  return { tool: 'demo-tool', version: '1.2.3', url, sha256, archive: 'tar.gz', binary: 'demo', avoid: 'set demo-url, or demo-on-path: true.' };
}

describe('installTool', () => {
  let tmp = '';
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tool-install-'));
    process.env.TMPDIR = tmp;
    delete process.env.RUNNER_TOOL_CACHE;
    delete process.env.RUNNER_TEMP;
  });

  let server: http.Server;
  let base = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-release-'));
  fs.writeFileSync(path.join(dir, 'demo'), '#!/bin/sh\necho demo 1.2.3\n', { mode: 0o755 });
  const tarball = path.join(dir, 'demo.tar.gz');
  assert.equal(spawnSync('tar', ['-czf', tarball, '-C', dir, 'demo']).status, 0);
  const bytes = fs.readFileSync(tarball);
  const sha = createHash('sha256').update(bytes).digest('hex');
  before(async () => {
    server = http.createServer((req, res) => (req.url === '/demo.tar.gz' ? res.writeHead(200).end(bytes) : res.writeHead(404).end('not found')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('installs outside a runner, caching under the system temp directory instead of failing on RUNNER_TOOL_CACHE', async () => {
    const bin = await installTool(demoRelease(`${base}/demo.tar.gz`, sha));
    assert.equal(bin, path.join(tmp, 'platform-actions', 'tool-cache', 'demo-tool', '1.2.3', process.arch, 'demo'));
    assert.equal(spawnSync(bin).stdout.toString(), 'demo 1.2.3\n');
    assert.equal(process.env.RUNNER_TOOL_CACHE, path.join(tmp, 'platform-actions', 'tool-cache'));
    assert.equal(process.env.RUNNER_TEMP, tmp);
    assert.equal(await installTool(demoRelease(`${UNREACHABLE}/never-fetched.tar.gz`, sha)), bin, 'found in that tool cache the next time');
  });

  it('keeps RUNNER_TOOL_CACHE when it is set', async () => {
    process.env.RUNNER_TOOL_CACHE = path.join(tmp, 'runner-cache');
    const bin = await installTool(demoRelease(`${base}/demo.tar.gz`, sha));
    assert.ok(bin.startsWith(path.join(tmp, 'runner-cache', 'demo-tool')), bin);
  });

  it('says which tool, version and URL failed after the retries, and how to avoid the download', async () => {
    const url = `${UNREACHABLE}/demo.tar.gz`;
    await assert.rejects(installTool(demoRelease(url, sha)), (e: unknown) => {
      assert.ok(e instanceof ActionError);
      assert.equal(e.message, `Could not download the release of demo-tool 1.2.3 from ${url}: connect ECONNREFUSED 127.0.0.1:1. To avoid the download: set demo-url, or demo-on-path: true.`);
      return true;
    });
  });

  it('names the checksums file when that download fails (HTTP 404, not retried)', async () => {
    const release: ToolRelease = { ...demoRelease(`${base}/demo.tar.gz`, ''), sha256: undefined, checksumsUrl: `${base}/missing/checksums.txt`, checksumName: 'demo.tar.gz' };
    await assert.rejects(installTool(release), /^ActionError: Could not download the checksums file of demo-tool 1\.2\.3 from http:\/\/127\.0\.0\.1:\d+\/missing\/checksums\.txt: Unexpected HTTP response: 404\. To avoid the download: set demo-url/);
  });
});

describe('use sites', () => {
  beforeEach(() => {
    process.env.TMPDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'tool-install-'));
    delete process.env.RUNNER_TOOL_CACHE;
  });

  it('trivy-gate: a failed Trivy download names trivy-download-url and use-path-trivy', async () => {
    await assert.rejects(resolveTrivy(false, '0.72.0', `${UNREACHABLE}/releases`), (e: unknown) => {
      assert.ok(e instanceof ActionError);
      assert.match(e.message, /^Could not download the checksums file of trivy 0\.72\.0 from http:\/\/127\.0\.0\.1:1\/releases\/v0\.72\.0\/trivy_0\.72\.0_checksums\.txt: connect ECONNREFUSED 127\.0\.0\.1:1\./);
      assert.match(e.message, /To avoid the download: set trivy-download-url to a reachable mirror of the Trivy releases \(now http:\/\/127\.0\.0\.1:1\/releases\), or put trivy on PATH and set use-path-trivy: true\.$/);
      return true;
    });
  });

  it("trivy-gate: use-path-trivy without a trivy on PATH is an input error naming it", async () => {
    const saved = process.env.PATH;
    process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-path-'));
    try {
      await assert.rejects(resolveTrivy(true, '', ''), (e: unknown) => e instanceof InputError && e.input === 'use-path-trivy' && /^Input 'use-path-trivy': is true but no trivy is on PATH/.test(e.message));
    } finally {
      process.env.PATH = saved;
    }
  });

  it('helm-deploy: the download hint names helm-version and what is on PATH', () => {
    assert.equal(
      helmDownloadHint('>=3.17.0 <5'),
      "put a helm that satisfies helm-version '>=3.17.0 <5' on PATH before this step (e.g. with azure/setup-helm), or set helm-version to a range the helm on PATH satisfies (there is no helm on PATH).",
    );
    assert.match(helmDownloadHint('^4', { bin: '/usr/bin/helm', version: '3.12.0' }), /\(the helm on PATH, \/usr\/bin\/helm, is v3\.12\.0\)\.$/);
  });
});
