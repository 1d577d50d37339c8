// Decides whether a failed Helm call is worth another attempt. Helm's own outcomes (a release it rolled back,
// another operation holding it, a chart that does not render) come first; the rest is the toolkit's cluster
// classification (the client-go texts kubectl prints too). Unknown errors are permanent.
import type { ClusterClassification } from '../toolkit/index.js';
import { classifyClusterError } from '../toolkit/index.js';

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

// Order matters: the outcomes that embed a transient-looking cause ("…rolled back…: context deadline
// exceeded", "…rolled back…: connection refused") come before the cluster's transient network errors.
const RULES: Rule[] = [
  { pattern: /has been (rolled back|uninstalled) due to (atomic|rollback-on-failure) being set/i, kind: 'rolled-back', reason: 'Helm rolled the release back after it failed' },
  { pattern: /another operation \(install\/upgrade\/rollback\) is in progress/i, kind: 'conflict', reason: 'another Helm operation holds the release' },
  { pattern: /\btemplate: |executing ".*" at <|parse error|function ".*" not defined|YAML parse error/i, kind: 'permanent', reason: 'chart failed to render' },
  { pattern: /has no deployed releases|cannot re-use a name that is still in use|invalid ownership metadata|exists and cannot be imported/i, kind: 'permanent', reason: 'release state prevents the upgrade' },
];

/** Classifies the stderr (or full output) of a failed Helm command. */
export function classifyHelmError(text: string): Classification {
  for (const rule of RULES) {
    if (rule.pattern.test(text)) return { kind: rule.kind, reason: rule.reason };
  }
  return classifyClusterError(text);
}

/** classifyHelmError for the toolkit's ClusterRetry: Helm's own outcomes are never retried. */
export function helmRetryClassification(text: string): ClusterClassification {
  const c = classifyHelmError(text);
  return { kind: c.kind === 'transient' ? 'transient' : 'permanent', reason: c.reason };
}

export function isTransientText(text: string): boolean {
  return classifyHelmError(text).kind === 'transient';
}
