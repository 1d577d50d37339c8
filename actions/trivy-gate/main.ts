import { maskSecret, runAction } from '../toolkit/index.js';
import { readInputs } from './inputs.js';

export async function run(): Promise<void> {
  await runAction({ main, post: async () => (await import('./db-cache.js')).saveDbCache() });
}

/**
 * Reads and checks the inputs, then loads the rest of the action (gate-run.ts, its own bundle chunk): a run that
 * fails on its inputs does not load or compile the scanning, report and SARIF code (bench/startup.bench.ts).
 */
async function main(): Promise<void> {
  const inputs = readInputs();
  maskSecret(inputs.registryPassword);
  await (await import('./gate-run.js')).gate(inputs);
}
