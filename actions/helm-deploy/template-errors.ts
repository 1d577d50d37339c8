// Finds the chart file, line and column Helm names in a render error, for a file annotation.
import * as path from 'node:path';

export interface TemplateLocation {
  /** Path of the file inside the chart, e.g. templates/cm.yaml. */
  file: string;
  line: number;
  column?: number;
}

/**
 * Helm 3: `template: web/templates/cm.yaml:4:18: executing …`; Helm 4: `Error: web/templates/cm.yaml:4:18`.
 * The first path segment is the chart name, which is dropped.
 */
export function findTemplateLocation(stderr: string): TemplateLocation | undefined {
  const m = /(?:template: |Error: |^|\s)([\w.-]+)\/((?:[\w.@-]+\/)*[\w.@-]+\.(?:yaml|yml|tpl|txt|json)):(\d+)(?::(\d+))?/m.exec(stderr);
  if (!m) return undefined;
  return { file: m[2], line: Number(m[3]), ...(m[4] ? { column: Number(m[4]) } : {}) };
}

/** The annotation path, relative to the workspace, for a location inside a local chart. */
export function annotationPath(workspace: string, chartDir: string, location: TemplateLocation): string {
  return path.relative(workspace, path.join(chartDir, location.file)).split(path.sep).join('/');
}
