// Which Helm to run: the one on PATH when it satisfies `helm-version`, else a pinned release installed
// through the tool cache with its published sha256 checked.
import * as core from '@actions/core';
import * as io from '@actions/io';
import semver from 'semver';
import type { ToolRelease } from '../toolkit/index.js';
import { InputError, installTool, runCommand } from '../toolkit/index.js';
import { parseHelmVersion } from './helm-args.js';

/** Releases this action knows how to install; the newest one in range wins. */
export const PINNED_HELM_VERSIONS = ['4.1.4', '3.17.3'];

export function pickPinnedHelm(range: string, pinned: string[] = PINNED_HELM_VERSIONS): string | undefined {
  return semver.maxSatisfying(pinned, range) ?? undefined;
}

export function helmRelease(version: string, platform: string = process.platform, nodeArch: string = process.arch): ToolRelease {
  const os = platform === 'win32' ? 'windows' : platform;
  const arch = nodeArch === 'x64' ? 'amd64' : nodeArch;
  const file = `helm-v${version}-${os}-${arch}.${os === 'windows' ? 'zip' : 'tar.gz'}`;
  return {
    tool: 'helm',
    version,
    url: `https://get.helm.sh/${file}`,
    checksumsUrl: `https://get.helm.sh/${file}.sha256sum`,
    checksumName: file,
    archive: os === 'windows' ? 'zip' : 'tar.gz',
    binary: `${os}-${arch}/helm${os === 'windows' ? '.exe' : ''}`,
  };
}

/** What avoids the download, for its error: helm-deploy installs Helm only when none on PATH fits helm-version. */
export function helmDownloadHint(range: string, onPath?: { bin: string; version?: string }): string {
  const current = onPath ? ` (the helm on PATH, ${onPath.bin}, is ${onPath.version ? `v${onPath.version}` : 'of an unknown version'})` : ' (there is no helm on PATH)';
  return `put a helm that satisfies helm-version '${range}' on PATH before this step (e.g. with azure/setup-helm), or set helm-version to a range the helm on PATH satisfies${current}.`;
}

/** The helm to run and its version (read from the one on PATH, or the pinned release installed): read once per run. */
export async function resolveHelm(range: string): Promise<{ bin: string; source: string; version: string }> {
  const onPath = await io.which('helm', false);
  let found: { bin: string; version?: string } | undefined;
  if (onPath) {
    const r = await runCommand(onPath, ['version', '--short'], { allowFailure: true });
    const version = parseHelmVersion(r.stdout);
    found = { bin: onPath, version };
    if (r.exitCode === 0 && version && semver.satisfies(version, range, { includePrerelease: true })) {
      return { bin: onPath, source: `PATH (${onPath})`, version };
    }
    core.info(`helm on PATH (${version ?? 'unknown version'}) does not satisfy helm-version '${range}'`);
  }
  const pinned = pickPinnedHelm(range);
  if (!pinned) throw new InputError('helm-version', `no helm on PATH satisfies '${range}' and no pinned release does (${PINNED_HELM_VERSIONS.join(', ')}); install one first`);
  const bin = await installTool({ ...helmRelease(pinned), avoid: helmDownloadHint(range, found) });
  return { bin, source: `tool cache (v${pinned}, sha256 verified)`, version: pinned };
}
