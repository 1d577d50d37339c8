// Decides whether a failed kubectl/Helm call against the API server is worth another attempt. The texts are
// client-go's, printed alike by kubectl and Helm (see test/fixtures/kubectl/transient): only errors known to
// be transient are retried; anything else, and anything unknown, fails fast.

export type ClusterErrorKind = 'transient' | 'permanent';

export interface ClusterClassification {
  kind: ClusterErrorKind;
  reason: string;
}

interface Rule {
  pattern: RegExp;
  kind: ClusterErrorKind;
  reason: string;
}

// Order matters: the first rule that matches wins, so refusals (RBAC, bad certificates, invalid objects)
// come before the network errors a longer message may also quote.
const RULES: Rule[] = [
  { pattern: /unable to build kubernetes objects|ValidationError\(|is invalid:|field is immutable|no matches for kind|ensure CRDs are installed/i, kind: 'permanent', reason: 'manifest rejected by validation' },
  { pattern: /\bforbidden\b|Unauthorized|provide credentials|certificate signed by unknown authority|x509:/i, kind: 'permanent', reason: 'access denied or untrusted cluster' },
  // The API server answered but could not reach the node's kubelet (logs, exec, port-forward go through it): waiting
  // for the API server cannot help, and a node that is gone stays gone for the length of a step.
  { pattern: /^Error from server: Get "https:\/\/[^"]+:10250\/|error dialing backend/im, kind: 'permanent', reason: 'the API server could not reach the node\'s kubelet' },
  { pattern: /connection refused|connection to the server [^ ]+ was refused|connection reset by peer|broken pipe|i\/o timeout|TLS handshake timeout|http2: client connection lost|unexpected EOF|": EOF\s*$|no route to host/im, kind: 'transient', reason: 'API server unreachable' },
  { pattern: /the server is currently unable to handle the request|ServiceUnavailable/i, kind: 'transient', reason: 'API server unavailable (503)' },
  { pattern: /etcdserver: (request timed out|leader changed|too many requests)|etcd cluster is unavailable/i, kind: 'transient', reason: 'etcd request failed' },
  { pattern: /\b429\b|Too Many Requests|the server has received too many requests|rate limit/i, kind: 'transient', reason: 'throttled by the API server (429)' },
  { pattern: /\b(500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout)\b|Internal error occurred|the server was unable to return a response in the time allotted/i, kind: 'transient', reason: 'API server error (5xx)' },
];

// kubectl apply validates against the server's OpenAPI document first, so the network failing reads like a
// validation error (`error validating "x": error validating data: failed to download openapi: Get …: connect:
// connection refused; if you choose to ignore these errors, turn validation off with --validate=false`): the
// wrapper is taken off and its cause decides.
const VALIDATION_WRAPPER = /error validating "[^"\n]*": |error validating data: |failed to download openapi: |; if you choose to ignore these errors, turn validation off with --validate=false/g;
const OPENAPI_DOWNLOAD = /failed to download openapi: /;

function firstRule(text: string): ClusterClassification | undefined {
  const rule = RULES.find((r) => r.pattern.test(text));
  return rule && { kind: rule.kind, reason: rule.reason };
}

/** Classifies the stderr (or full output) of a failed cluster call. Unknown errors are permanent. */
export function classifyClusterError(text: string): ClusterClassification {
  const causes = text.replace(VALIDATION_WRAPPER, '');
  if (causes === text) return firstRule(text) ?? { kind: 'permanent', reason: 'not a known transient error' };
  const c = firstRule(causes);
  if (c) return c.kind === 'transient' ? { kind: 'transient', reason: `${c.reason} (during kubectl's validation)` } : c;
  return OPENAPI_DOWNLOAD.test(text) ? { kind: 'permanent', reason: 'the OpenAPI document for validation could not be downloaded' } : { kind: 'permanent', reason: 'manifest rejected by validation' };
}

export function isTransientClusterError(text: string): boolean {
  return classifyClusterError(text).kind === 'transient';
}
