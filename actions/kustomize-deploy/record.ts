// The record of the last good deploy: the rendered set that rolled out, kept gzipped in a Secret in the
// namespace (a Secret, not a ConfigMap: the set may hold Secrets from a secretGenerator). A rollback re-applies
// it. Never printed; only object names and images leave it.
import { gunzipSync, gzipSync } from 'node:zlib';
import YAML from 'yaml';

export const RECORD_KEY = 'rendered.yaml.gz';
// A Secret holds at most 1 MiB; the data is base64 (4/3) plus the object's own fields.
export const RECORD_MAX_BYTES = 700 * 1024;

export interface RecordInfo {
  images: Record<string, string>;
  revision: string;
  deployedAt: string;
  runUrl: string;
  /** The application commit deployed (issue 18: newest wins); empty when not known. */
  sourceCommit: string;
  /** Job name → hash of the spec that last ran (jobs: changed). */
  jobHashes: Record<string, string>;
}

export interface DeployRecord extends RecordInfo {
  rendered: string;
}

export const recordName = (name: string): string => `kustomize-deploy.${name}`;

/** The Secret manifest (YAML), or undefined when the gzipped set is too big for a Secret. */
export function recordManifest(name: string, namespace: string, rendered: string, info: RecordInfo): string | undefined {
  const data = gzipSync(Buffer.from(rendered));
  if (data.length > RECORD_MAX_BYTES) return undefined;
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: recordName(name),
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'platform-actions', 'platform-actions/kustomize-deploy': name },
      annotations: {
        'platform-actions/images': JSON.stringify(info.images),
        'platform-actions/revision': info.revision,
        'platform-actions/deployed-at': info.deployedAt,
        'platform-actions/run-url': info.runUrl,
        'platform-actions/source-commit': info.sourceCommit,
        'platform-actions/job-hashes': JSON.stringify(info.jobHashes),
      },
    },
    data: { [RECORD_KEY]: data.toString('base64') },
  });
}

/** The record from `kubectl get secret … -o json` (empty output: none yet); throws on a damaged one. */
export function parseRecord(json: string): DeployRecord | undefined {
  if (!json.trim()) return undefined;
  const secret = JSON.parse(json) as { data?: Record<string, string>; metadata?: { annotations?: Record<string, string> } };
  const data = secret.data?.[RECORD_KEY];
  if (!data) throw new Error(`the record has no ${RECORD_KEY}`);
  const a = secret.metadata?.annotations ?? {};
  return {
    rendered: gunzipSync(Buffer.from(data, 'base64')).toString('utf8'),
    images: jsonMap(a['platform-actions/images']),
    revision: a['platform-actions/revision'] ?? '',
    deployedAt: a['platform-actions/deployed-at'] ?? '',
    runUrl: a['platform-actions/run-url'] ?? '',
    sourceCommit: a['platform-actions/source-commit'] ?? '',
    jobHashes: jsonMap(a['platform-actions/job-hashes']),
  };
}

/** A JSON string map from an annotation; a damaged or missing one reads as empty. */
function jsonMap(raw: string | undefined): Record<string, string> {
  try {
    const v = JSON.parse(raw ?? '{}') as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}
