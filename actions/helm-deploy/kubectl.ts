import type { ExecResult } from '../toolkit/index.js';
import { formatDuration, runCommand } from '../toolkit/index.js';
import type { Pod } from './pods.js';
import { parsePodList } from './pods.js';

/** kubectl for watching and diagnosing the release; never used to read Secrets. */
export class Kubectl {
  readonly bin: string;
  private readonly env: Record<string, string | undefined>;
  private readonly context: string;

  constructor(bin: string, env: Record<string, string | undefined>, context = '') {
    this.bin = bin;
    this.env = env;
    this.context = context;
  }

  run(args: string[], allowFailure = false): Promise<ExecResult> {
    return runCommand(this.bin, this.context ? ['--context', this.context, ...args] : args, { env: this.env, allowFailure });
  }

  async pods(namespace: string, selector: string): Promise<Pod[]> {
    return parsePodList((await this.run(['get', 'pods', '--namespace', namespace, '--selector', selector, '--output', 'json'])).stdout);
  }

  async eventsJson(namespace: string): Promise<string> {
    return (await this.run(['get', 'events', '--namespace', namespace, '--output', 'json'])).stdout;
  }

  rolloutStatus(kind: string, name: string, namespace: string, timeoutMs: number): Promise<ExecResult> {
    return this.run(['rollout', 'status', `${kind.toLowerCase()}/${name}`, '--namespace', namespace, '--timeout', formatDuration(timeoutMs)], true);
  }

  describePod(namespace: string, pod: string): Promise<ExecResult> {
    return this.run(['describe', 'pod', pod, '--namespace', namespace], true);
  }

  logs(namespace: string, pod: string, previous: boolean): Promise<ExecResult> {
    return this.run(['logs', pod, '--namespace', namespace, '--all-containers', '--tail', '200', ...(previous ? ['--previous'] : [])], true);
  }
}
