// Decides whether a failed Helm/kubectl call is worth another attempt. Messages are the real ones
// (see test/fixtures/helm): only errors known to be transient are retried; anything else fails fast.

export type ErrorKind = 'transient' | 'permanent' | 'conflict' | 'rolled-back';

export interface Classification {
  kind: ErrorKind;
  reason: string;
}

interface Rule {
  pattern: RegExp;
  kind: ErrorKind;
  reason: string;
}

// Order matters: the first rule that matches wins, so the outcomes that embed a transient-looking
// cause ("…rolled back…: context deadline exceeded") come before the transient network errors.
const RULES: Rule[] = [
  { pattern: /has been (rolled back|uninstalled) due to (atomic|rollback-on-failure) being set/i, kind: 'rolled-back', reason: 'Helm rolled the release back after it failed' },
  { pattern: /another operation \(install\/upgrade\/rollback\) is in progress/i, kind: 'conflict', reason: 'another Helm operation holds the release' },
  { pattern: /\btemplate: |executing ".*" at <|parse error|function ".*" not defined|YAML parse error/i, kind: 'permanent', reason: 'chart failed to render' },
  { pattern: /unable to build kubernetes objects|error validating data|ValidationError\(|is invalid:|field is immutable|no matches for kind|ensure CRDs are installed/i, kind: 'permanent', reason: 'manifest rejected by validation' },
  { pattern: /\bforbidden\b|Unauthorized|provide credentials|certificate signed by unknown authority|x509:/i, kind: 'permanent', reason: 'access denied or untrusted cluster' },
  { pattern: /has no deployed releases|cannot re-use a name that is still in use|invalid ownership metadata|exists and cannot be imported/i, kind: 'permanent', reason: 'release state prevents the upgrade' },
  { pattern: /connection refused|connection to the server [^ ]+ was refused|connection reset by peer|broken pipe|i\/o timeout|TLS handshake timeout|http2: client connection lost|unexpected EOF/i, kind: 'transient', reason: 'network error talking to the API server' },
  { pattern: /the server is currently unable to handle the request|ServiceUnavailable/i, kind: 'transient', reason: 'API server unavailable' },
  { pattern: /etcdserver: (request timed out|leader changed|too many requests)|etcd cluster is unavailable/i, kind: 'transient', reason: 'etcd request failed' },
  { pattern: /\b429\b|Too Many Requests|the server has received too many requests|rate limit/i, kind: 'transient', reason: 'throttled by the API server (429)' },
  { pattern: /\b(500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout)\b|Internal error occurred|the server was unable to return a response in the time allotted/i, kind: 'transient', reason: 'API server error (5xx)' },
];

/** Classifies the stderr (or full output) of a failed Helm or kubectl command. Unknown errors are permanent. */
export function classifyHelmError(text: string): Classification {
  for (const rule of RULES) {
    if (rule.pattern.test(text)) return { kind: rule.kind, reason: rule.reason };
  }
  return { kind: 'permanent', reason: 'not a known transient error' };
}

export function isTransientText(text: string): boolean {
  return classifyHelmError(text).kind === 'transient';
}
