// The install path for real: a release tarball built here, served with its checksums file from a
// local HTTP server, downloaded through @actions/tool-cache by the built action.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { trivyAssetName } from '../../actions/trivy-gate/install.js';
import { runAction } from '../support/run-action.js';

const VERSION = '0.72.0';
const ASSET = trivyAssetName(VERSION, process.platform, process.arch);

// A stand-in release binary: prints a version, writes a clean report to --output, logs each run.
const SCRIPT = `#!/bin/sh
[ -n "$TRIVY_GATE_TEST_MARKER" ] && echo "$*" >> "$TRIVY_GATE_TEST_MARKER"
if [ "$1" = "--version" ]; then echo "Version: ${VERSION}"; exit 0; fi
out=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--output" ]; then out="$2"; fi
  shift
done
if [ -n "$out" ]; then
  printf '{"SchemaVersion":2,"ArtifactName":".","ArtifactType":"filesystem","Results":[{"Target":"package-lock.json","Class":"lang-pkgs","Type":"npm"}]}' > "$out"
fi
exit 0
`;

function buildTarball(dir: string): Buffer {
  const src = path.join(dir, 'release');
  fs.mkdirSync(src);
  fs.writeFileSync(path.join(src, 'trivy'), SCRIPT, { mode: 0o755 });
  fs.writeFileSync(path.join(src, 'LICENSE'), 'Apache-2.0\n');
  const tarball = path.join(dir, ASSET);
  const tar = spawnSync('tar', ['-czf', tarball, '-C', src, 'trivy', 'LICENSE']);
  assert.equal(tar.status, 0, String(tar.stderr));
  return fs.readFileSync(tarball);
}

interface Release {
  tarball: Buffer;
  checksums: string;
}

describe('trivy-gate installs Trivy from a release (local HTTP server)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trivy-release-'));
  const good = buildTarball(dir);
  const sha = createHash('sha256').update(good).digest('hex');
  const releases = new Map<string, Release>();
  const hits: string[] = [];
  let server: http.Server;
  let base = '';

  before(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      // URL: /<release set>/v<version>/<file>
      const [, set, , file] = (req.url ?? '').split('/');
      const release = releases.get(set);
      if (!release) return void res.writeHead(404).end('not found');
      if (file === ASSET) return void res.writeHead(200, { 'content-type': 'application/gzip' }).end(release.tarball);
      if (file === `trivy_${VERSION}_checksums.txt`) return void res.writeHead(200).end(release.checksums);
      res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function workspace(): string {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'trivy-ws-'));
    fs.writeFileSync(path.join(ws, 'package-lock.json'), '{}');
    return ws;
  }

  it('installs a verified release, runs it, and finds it in the tool cache on the next run', async () => {
    releases.set('good', { tarball: good, checksums: `${'0'.repeat(64)}  trivy_${VERSION}_checksums.txt.pem\n${sha}  ${ASSET}\n` });
    const marker = path.join(dir, 'good.log');
    const options = { inputs: { 'trivy-download-url': `${base}/good`, sarif: 'false' }, env: { TRIVY_GATE_TEST_MARKER: marker }, context: { workspace: workspace() } };
    const first = await runAction('trivy-gate', options);
    assert.equal(first.main.exitCode, 0, first.allOutput);
    assert.match(first.main.stdout, new RegExp(`sha256 verified: ${sha}`));
    assert.match(first.main.stdout, new RegExp(`Trivy ${VERSION.replace(/\./g, '\\.')} \\(.*tool-cache/trivy/${VERSION.replace(/\./g, '\\.')}/`));
    const cached = path.join(first.runnerDir, 'tool-cache', 'trivy', VERSION, process.arch, 'trivy');
    assert.ok(fs.existsSync(cached), 'cached under RUNNER_TOOL_CACHE');
    assert.equal(first.outputs.passed, 'true');
    assert.match(fs.readFileSync(marker, 'utf8'), /^fs --format json --output /m, 'the installed binary did the scan');
    const downloads = hits.filter((h) => h.endsWith(ASSET)).length;
    assert.equal(downloads, 1);

    const second = await runAction('trivy-gate', { ...options, runnerDir: first.runnerDir });
    assert.equal(second.main.exitCode, 0, second.allOutput);
    assert.match(second.main.stdout, /trivy 0\.72\.0 found in the tool cache/);
    assert.equal(hits.filter((h) => h.endsWith(ASSET)).length, downloads, 'no second download');
  });

  it('refuses a tampered tarball: hard failure, nothing cached, nothing run', async () => {
    const tampered = Buffer.concat([good, Buffer.from('\n# injected\n')]);
    releases.set('tampered', { tarball: tampered, checksums: `${sha}  ${ASSET}\n` });
    const marker = path.join(dir, 'tampered.log');
    const run = await runAction('trivy-gate', { inputs: { 'trivy-download-url': `${base}/tampered` }, env: { TRIVY_GATE_TEST_MARKER: marker }, context: { workspace: workspace() } });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, /::error::trivy 0\.72\.0: sha256 mismatch .* refusing to install/);
    assert.ok(!fs.existsSync(path.join(run.runnerDir, 'tool-cache', 'trivy')), 'nothing in the tool cache');
    assert.ok(!fs.existsSync(marker), 'the download never ran');
    assert.equal(run.outputs.passed, 'false');
  });

  it('refuses a release whose asset is missing from the checksums file', async () => {
    releases.set('unlisted', { tarball: good, checksums: `${sha}  trivy_${VERSION}_Other-OS.tar.gz\n` });
    const run = await runAction('trivy-gate', { inputs: { 'trivy-download-url': `${base}/unlisted` }, context: { workspace: workspace() } });
    assert.equal(run.main.exitCode, 1);
    assert.match(run.main.stdout, new RegExp(`${ASSET.replace(/\./g, '\\.')} is not listed in`));
    assert.ok(!fs.existsSync(path.join(run.runnerDir, 'tool-cache', 'trivy')));
  });
});
