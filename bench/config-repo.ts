// Generates a GitOps config repository of a given size as a bare git repository: `apps` Helm charts, one per
// application (`applications/<app>/{Chart.yaml,values.yaml,values-<env>.yaml,templates/…}`, the k3d team's
// layout), and `commits` promotion commits of history on top of the first, each bumping one
// values-<env>.yaml digest, as a busy config repository collects them. Written by one `git fast-import`, then
// repacked; served with `uploadpack.allowFilter` on, as GitHub serves partial clones.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

export interface ConfigRepoShape {
  apps: number;
  envs: string[];
  /** Promotion commits after the first one. */
  commits: number;
}

export interface ConfigRepo {
  bare: string;
  url: string;
  apps: string[];
  files: number;
  commits: number;
}

export const appName = (i: number): string => `app-${String(i).padStart(3, '0')}`;
const hex = (seed: number): string => {
  let out = '';
  let x = seed * 2654435761 + 1;
  while (out.length < 64) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += x.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
};

export function valuesFile(app: string, env: string, digest: string): string {
  return [
    `# Values for ${app} in ${env}: Argo CD renders applications/${app} with values.yaml, then this file.`,
    `replicaCount: ${env === 'production' ? 3 : 1}`,
    '',
    'image:',
    `  repository: ghcr.io/acme/${app}`,
    '  # Pinned by digest by the promotion; empty means "use the tag".',
    `  digest: "${digest}"`,
    '  pullPolicy: IfNotPresent',
    '',
    'resources:',
    `  limits: {cpu: ${env === 'production' ? '1' : '500m'}, memory: 256Mi}`,
    '',
    'env:',
    `  LOG_LEVEL: ${env === 'dev' ? 'debug' : 'info'}        # noisy on purpose in dev`,
    `  ENVIRONMENT: ${env}`,
    '',
  ].join('\n');
}

function chartFiles(app: string): Array<[string, string]> {
  return [
    [`applications/${app}/Chart.yaml`, `apiVersion: v2\nname: ${app}\ndescription: ${app} service\ntype: application\nversion: 0.1.0\nappVersion: "1.0.0"\n`],
    [`applications/${app}/values.yaml`, `replicaCount: 1\nimage:\n  repository: ghcr.io/acme/${app}\n  tag: ""\n  digest: ""\n  pullPolicy: IfNotPresent\nservice:\n  type: ClusterIP\n  port: 8080\nresources: {}\n`],
    [`applications/${app}/templates/_helpers.tpl`, `{{- define "${app}.name" -}}\n{{ .Chart.Name }}\n{{- end }}\n`],
    [
      `applications/${app}/templates/deployment.yaml`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "${app}.name" . }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n  selector:\n    matchLabels: {app: ${app}}\n  template:\n    metadata:\n      labels: {app: ${app}}\n    spec:\n      containers:\n        - name: ${app}\n          image: "{{ .Values.image.repository }}{{ if .Values.image.digest }}@{{ .Values.image.digest }}{{ else }}:{{ .Values.image.tag | default .Chart.AppVersion }}{{ end }}"\n          ports: [{containerPort: 8080}]\n`,
    ],
    [`applications/${app}/templates/service.yaml`, `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "${app}.name" . }}\nspec:\n  selector: {app: ${app}}\n  ports: [{port: {{ .Values.service.port }}}]\n`],
  ];
}

/** Writes the repository into `bare` (created); returns its shape. */
export function generateConfigRepo(bare: string, shape: ConfigRepoShape): ConfigRepo {
  fs.mkdirSync(bare, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  const apps = Array.from({ length: shape.apps }, (_, i) => appName(i));
  const chunks: string[] = [];
  const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let when = 1_700_000_000;
  const commit = (message: string, files: Array<[string, string]>, first: boolean): void => {
    when += 97;
    chunks.push(`commit refs/heads/main\ncommitter Config Bot <bot@example.com> ${when} +0000\n${data(message)}${first ? '' : ''}`);
    for (const [p, text] of files) chunks.push(`M 100644 inline ${p}\n${data(text)}`);
    chunks.push('\n');
  };
  const first: Array<[string, string]> = [['README.md', `# Config repository\n\n${shape.apps} applications × ${shape.envs.join(', ')}.\n`]];
  for (const app of apps) {
    first.push(...chartFiles(app));
    for (const env of shape.envs) first.push([`applications/${app}/values-${env}.yaml`, valuesFile(app, env, `sha256:${hex(apps.indexOf(app) * 7 + env.length)}`)]);
  }
  commit('Initial config', first, true);
  for (let c = 1; c <= shape.commits; c++) {
    const app = apps[(c * 37) % apps.length];
    const env = shape.envs[c % shape.envs.length];
    const digest = `sha256:${hex(c + 100_000)}`;
    commit(`promote(${env}): ${app} ${digest.slice(0, 19)}\n\nSource-Commit: ${hex(c).slice(0, 40)}\n`, [[`applications/${app}/values-${env}.yaml`, valuesFile(app, env, digest)]], false);
  }
  chunks.push('done\n');
  execFileSync('git', ['-C', bare, 'fast-import', '--quiet', '--done'], { input: chunks.join(''), maxBuffer: 1 << 30 });
  execFileSync('git', ['-C', bare, 'repack', '-a', '-d', '-q']);
  execFileSync('git', ['-C', bare, 'config', 'uploadpack.allowFilter', 'true']);
  return { bare, url: `file://${bare}`, apps, files: first.length, commits: shape.commits + 1 };
}
