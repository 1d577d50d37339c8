import * as core from '@actions/core';
import * as io from '@actions/io';
import { ActionError, InputError, installTool, type ToolRelease } from '../toolkit/index.js';

/** Trivy's release asset for this runner: trivy_<v>_Linux-64bit.tar.gz and friends. */
export function trivyAssetName(version: string, platform: NodeJS.Platform, arch: string): string {
  const os = { linux: 'Linux', darwin: 'macOS', win32: 'windows', freebsd: 'FreeBSD' }[platform as string];
  const cpu = { x64: '64bit', arm64: 'ARM64', arm: 'ARM', ppc64: 'PPC64LE', s390x: 's390x', ia32: '32bit' }[arch];
  if (!os || !cpu) throw new ActionError(`Trivy publishes no release for ${platform}/${arch}; set use-path-trivy with a trivy on PATH`);
  return `trivy_${version}_${os}-${cpu}.${platform === 'win32' ? 'zip' : 'tar.gz'}`;
}

export function trivyRelease(version: string, baseUrl: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): ToolRelease {
  const asset = trivyAssetName(version, platform, arch);
  return {
    tool: 'trivy',
    version,
    url: `${baseUrl}/v${version}/${asset}`,
    checksumsUrl: `${baseUrl}/v${version}/trivy_${version}_checksums.txt`,
    checksumName: asset,
    archive: platform === 'win32' ? 'zip' : 'tar.gz',
    binary: platform === 'win32' ? 'trivy.exe' : 'trivy',
    arch,
    avoid: `set trivy-download-url to a reachable mirror of the Trivy releases (now ${baseUrl}), or put trivy on PATH and set use-path-trivy: true.`,
  };
}

/** The pinned release, sha256-verified against its checksums file, or the trivy already on PATH. */
export async function resolveTrivy(usePath: boolean, version: string, baseUrl: string): Promise<string> {
  if (usePath) {
    const bin = await io.which('trivy', false);
    if (!bin) throw new InputError('use-path-trivy', 'is true but no trivy is on PATH; install Trivy in an earlier step, or set it to false to install trivy-version');
    core.info(`Using ${bin}`);
    return bin;
  }
  return installTool(trivyRelease(version, baseUrl));
}
