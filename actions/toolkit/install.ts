import * as core from '@actions/core';
import * as tc from '@actions/tool-cache';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ActionError, errorMessage } from './errors.js';

export interface ToolRelease {
  /** Tool-cache name, e.g. 'trivy' or 'helm'. */
  tool: string;
  /** Exact version (no range), e.g. '0.72.0'. */
  version: string;
  /** Archive or binary URL. */
  url: string;
  /** Either the expected sha256 (hex) … */
  sha256?: string;
  /** … or a checksums file (`<sha256>  <file name>` per line) and the name to look up in it. */
  checksumsUrl?: string;
  checksumName?: string;
  archive: 'tar.gz' | 'zip' | 'none';
  /** Path of the executable inside the extracted archive (or the file name for 'none'). */
  binary: string;
  arch?: string;
  /** How the user avoids this download (the action's inputs), appended to a download failure. */
  avoid?: string;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Finds `<sha256>  <name>` (or `<sha256> *<name>`) in a checksums file. */
export function lookupChecksum(checksums: string, name: string): string | undefined {
  for (const line of checksums.split(/\r?\n/)) {
    const m = /^([a-fA-F0-9]{64})\s+\*?(\S+)\s*$/.exec(line.trim());
    if (m && (m[2] === name || path.basename(m[2]) === name)) return m[1].toLowerCase();
  }
  return undefined;
}

/**
 * @actions/tool-cache needs RUNNER_TOOL_CACHE and RUNNER_TEMP, which only a runner sets; elsewhere (a
 * local run, another CI) they default to directories under the system temp directory.
 */
export function ensureToolCacheDirs(): void {
  const fallbacks: [string, string][] = [
    ['RUNNER_TOOL_CACHE', path.join(os.tmpdir(), 'platform-actions', 'tool-cache')],
    // The toolkit's runnerTemp() falls back to the same directory.
    ['RUNNER_TEMP', os.tmpdir()],
  ];
  for (const [name, dir] of fallbacks) {
    if (process.env[name]) continue;
    process.env[name] = dir;
    core.info(`${name} is not set (not on a GitHub Actions runner): using ${dir}; set ${name} to choose another directory`);
  }
}

/**
 * tc.downloadTool, whose final error (after its own retries) is only the socket's (`getaddrinfo
 * ENOTFOUND github.com`): says what was downloaded, from where, and how to do without the download.
 */
async function download(release: ToolRelease, url: string, what: string): Promise<string> {
  try {
    return await tc.downloadTool(url);
  } catch (err) {
    const avoid = release.avoid ? ` To avoid the download: ${release.avoid}` : '';
    throw new ActionError(`Could not download ${what} of ${release.tool} ${release.version} from ${url}: ${errorMessage(err).replace(/\.$/, '')}.${avoid}`);
  }
}

async function expectedSha256(release: ToolRelease): Promise<string> {
  if (release.sha256) return release.sha256.toLowerCase();
  if (!release.checksumsUrl || !release.checksumName) {
    throw new ActionError(`${release.tool} ${release.version}: no sha256 and no checksums file to verify the download against`);
  }
  const file = await download(release, release.checksumsUrl, 'the checksums file');
  try {
    const sum = lookupChecksum(fs.readFileSync(file, 'utf8'), release.checksumName);
    if (!sum) throw new ActionError(`${release.tool} ${release.version}: ${release.checksumName} is not listed in ${release.checksumsUrl}`);
    return sum;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * tool-cache find → download → sha256 verify → extract → cache → PATH. A checksum mismatch is a
 * hard failure: the download is deleted and never extracted, cached or run.
 */
export async function installTool(release: ToolRelease): Promise<string> {
  const arch = release.arch ?? process.arch;
  ensureToolCacheDirs();
  const cached = tc.find(release.tool, release.version, arch);
  if (cached) {
    core.info(`${release.tool} ${release.version} found in the tool cache`);
    const bin = path.join(cached, release.binary);
    core.addPath(path.dirname(bin));
    return bin;
  }
  const expected = await expectedSha256(release);
  core.info(`Downloading ${release.tool} ${release.version} from ${release.url}`);
  const downloaded = await download(release, release.url, 'the release');
  const actual = await sha256File(downloaded);
  if (actual !== expected) {
    fs.rmSync(downloaded, { force: true });
    throw new ActionError(`${release.tool} ${release.version}: sha256 mismatch for ${release.url} (expected ${expected}, got ${actual}); refusing to install`);
  }
  core.info(`sha256 verified: ${actual}`);
  let dir: string;
  if (release.archive === 'tar.gz') dir = await tc.extractTar(downloaded);
  else if (release.archive === 'zip') dir = await tc.extractZip(downloaded);
  else {
    dir = path.join(path.dirname(downloaded), `${release.tool}-${release.version}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(downloaded, path.join(dir, release.binary));
  }
  fs.rmSync(downloaded, { force: true });
  const binInDir = path.join(dir, release.binary);
  if (!fs.existsSync(binInDir)) throw new ActionError(`${release.tool} ${release.version}: ${release.binary} not found in the release archive`);
  fs.chmodSync(binInDir, 0o755);
  const cachedDir = await tc.cacheDir(dir, release.tool, release.version, arch);
  const bin = path.join(cachedDir, release.binary);
  core.addPath(path.dirname(bin));
  return bin;
}
