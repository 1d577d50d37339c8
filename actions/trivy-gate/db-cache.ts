import * as cache from '@actions/cache';
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage, loadState, saveState } from '../toolkit/index.js';

const STATE_KEY = 'trivyDbCache';

export interface DbCacheState {
  dir: string;
  key: string;
  restoredKey?: string;
}

/** One key a day per runner OS/arch, restored by prefix: at most one fresh DB download a day. */
export function cacheKeys(now: Date, os = process.env.RUNNER_OS ?? process.platform, arch = process.env.RUNNER_ARCH ?? process.arch): { key: string; restoreKeys: string[] } {
  const prefix = `trivy-cache-${os}-${arch}-`;
  return { key: `${prefix}${now.toISOString().slice(0, 10)}`, restoreKeys: [prefix] };
}

/** The Actions cache service is only there on GitHub (ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL). */
function available(): boolean {
  try {
    return cache.isFeatureAvailable();
  } catch {
    return false;
  }
}

export async function restoreDbCache(dir: string, now: Date): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  if (!available()) {
    core.debug('Actions cache service not available (not running on GitHub): the Trivy DB cache is not restored');
    return;
  }
  const { key, restoreKeys } = cacheKeys(now);
  try {
    const restoredKey = await cache.restoreCache([dir], key, restoreKeys);
    core.info(restoredKey ? `Trivy cache restored from ${restoredKey}` : 'No Trivy cache yet: the DB will be downloaded');
    saveState<DbCacheState>(STATE_KEY, { dir, key, restoredKey });
  } catch (err) {
    core.warning(`Trivy cache restore failed (the DB will be downloaded): ${errorMessage(err)}`);
    saveState<DbCacheState>(STATE_KEY, { dir, key });
  }
}

/** Post step: saves the cache even when the gate failed; never fails the job. */
export async function saveDbCache(): Promise<void> {
  const state = loadState<DbCacheState>(STATE_KEY);
  if (!state) {
    core.debug('No Trivy cache to save (cache disabled, not on GitHub, or no scan ran)');
    return;
  }
  if (!available()) {
    core.debug('Actions cache service not available: the Trivy DB cache is not saved');
    return;
  }
  if (state.restoredKey === state.key) {
    core.info(`Trivy cache ${state.key} was restored as is; not saving it again`);
    return;
  }
  if (!fs.existsSync(path.join(state.dir, 'db', 'metadata.json'))) {
    core.info('No Trivy DB in the cache directory; nothing to save');
    return;
  }
  try {
    await cache.saveCache([state.dir], state.key);
    core.info(`Trivy cache saved as ${state.key}`);
  } catch (err) {
    if (err instanceof cache.ReserveCacheError) core.info(`Trivy cache ${state.key} already saved by another job`);
    else core.warning(`Trivy cache save failed: ${errorMessage(err)}`);
  }
}

export interface DbMetadata {
  NextUpdate?: string;
  DownloadedAt?: string;
}

/** Fresh = Trivy itself would not download: NextUpdate is still ahead. */
export function isDbFresh(metadata: DbMetadata | undefined, now: Date): boolean {
  if (!metadata?.NextUpdate) return false;
  const next = Date.parse(metadata.NextUpdate);
  return !Number.isNaN(next) && next > now.getTime();
}

export function readDbMetadata(dir: string): DbMetadata | undefined {
  try {
    return JSON.parse(fs.readFileSync(dir, 'utf8')) as DbMetadata;
  } catch {
    return undefined;
  }
}

/** Decides --skip-db-update / --skip-java-db-update from the input and what the cache holds. */
export function decideSkip(mode: 'auto' | 'true' | 'false', cacheDir: string, now: Date, sub: 'db' | 'java-db'): { skip: boolean; warning?: string } {
  if (mode === 'false') return { skip: false };
  const metadata = readDbMetadata(path.join(cacheDir, sub, 'metadata.json'));
  if (mode === 'true') {
    if (!metadata) {
      // Trivy fails on an empty cache with --skip-db-update; downloading is what the user needs.
      return { skip: false, warning: sub === 'db' ? `skip-db-update is true but ${path.join(cacheDir, sub)} holds no DB (cache miss?): downloading it` : undefined };
    }
    return { skip: true };
  }
  return { skip: isDbFresh(metadata, now) };
}
