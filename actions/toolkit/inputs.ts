import * as core from '@actions/core';
import { InputError } from './errors.js';

/** Splits a list input on newlines and commas; trims; drops empties and `#` comment lines. */
export function parseList(raw: string, { comma = true }: { comma?: boolean } = {}): string[] {
  return raw
    .split(/\r?\n/)
    .flatMap((line) => (comma ? line.split(',') : [line]))
    .map((item) => item.trim())
    .filter((item) => item !== '' && !item.startsWith('#'));
}

export function parseBoolean(name: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(value)) return true;
  if (['false', 'no', '0', 'off'].includes(value)) return false;
  throw new InputError(name, `expected true or false, got '${raw}'`);
}

/** Go-style durations as Helm and kubectl take them: 300, 90s, 5m, 1h30m, 1.5s, 250ms. Returns ms. */
export function parseDuration(name: string, raw: string): number {
  const value = raw.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(value)) !== null) {
    const n = Number(match[1]);
    total += n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
    consumed = re.lastIndex;
  }
  if (value === '' || consumed !== value.length) {
    throw new InputError(name, `'${raw}' is not a duration (use e.g. 30s, 5m, 1h30m)`);
  }
  return Math.round(total);
}

/** Formats ms as a Go duration string (what --timeout flags take). */
export function formatDuration(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${rest || (!h && !m) ? `${rest}s` : ''}`;
}

export function parseInteger(name: string, raw: string, { min, max }: { min?: number; max?: number } = {}): number {
  const value = raw.trim();
  if (!/^-?\d+$/.test(value)) throw new InputError(name, `expected a whole number, got '${raw}'`);
  const n = Number(value);
  if (min !== undefined && n < min) throw new InputError(name, `must be at least ${min}, got ${n}`);
  if (max !== undefined && n > max) throw new InputError(name, `must be at most ${max}, got ${n}`);
  return n;
}

export function parseChoice<T extends string>(name: string, raw: string, choices: readonly T[]): T {
  const value = raw.trim().toLowerCase() as T;
  if (!choices.includes(value)) {
    throw new InputError(name, `expected one of ${choices.join(', ')}, got '${raw}'`);
  }
  return value;
}

/** Reads action inputs by name; every reader names the input in its error. */
export const input = {
  string(name: string, { required = false }: { required?: boolean } = {}): string {
    const value = core.getInput(name).trim();
    if (required && value === '') throw new InputError(name, 'is required');
    return value;
  },
  /** A secret: registered with the runner's masking before anything else sees it. */
  secret(name: string): string {
    const value = core.getInput(name);
    if (value) core.setSecret(value);
    return value;
  },
  list(name: string, options: { comma?: boolean } = {}): string[] {
    return parseList(core.getInput(name), options);
  },
  boolean(name: string, fallback: boolean): boolean {
    const raw = core.getInput(name);
    return raw.trim() === '' ? fallback : parseBoolean(name, raw);
  },
  integer(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = core.getInput(name);
    return raw.trim() === '' ? fallback : parseInteger(name, raw, range);
  },
  duration(name: string, fallback: string): number {
    const raw = core.getInput(name);
    return parseDuration(name, raw.trim() === '' ? fallback : raw);
  },
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const raw = core.getInput(name);
    return raw.trim() === '' ? fallback : parseChoice(name, raw, choices);
  },
};
