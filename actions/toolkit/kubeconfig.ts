import { maskSecret } from './exec.js';
import { writeSecretFile } from './credentials.js';

const SENSITIVE_KEY = /^\s*-?\s*(token|id-token|refresh-token|client-key-data|client-certificate-data|password|access-token|secret)\s*:\s*(.+?)\s*$/i;

/**
 * The values in a kubeconfig worth masking one by one: the runner masks a multi-line secret as a
 * whole, so a token printed on its own would otherwise slip through.
 */
export function kubeconfigSecrets(content: string): string[] {
  const values: string[] = [];
  for (const line of content.split(/\r?\n/)) {
    const m = SENSITIVE_KEY.exec(line);
    const value = m?.[2].replace(/^["']|["']$/g, '');
    if (value && value.length >= 6) values.push(value);
  }
  return values;
}

/** Masks a kubeconfig (whole and its credentials), writes it 0600 under RUNNER_TEMP; removed in post. */
export function writeKubeconfig(content: string): string {
  maskSecret(content);
  for (const value of kubeconfigSecrets(content)) maskSecret(value);
  return writeSecretFile('kubeconfig', 'config', content);
}
