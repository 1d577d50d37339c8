import * as core from '@actions/core';
import { appendSummary, freeLocalPort, loadState, portForward, removeSensitivePaths, runAction, saveState, writeKubeconfig, ActionError, Kubectl } from '../toolkit/index.js';
import { runChecks, type LoopOutcome, type Probe } from './check-loop.js';
import { decideFallback, initialFallbackState, observe, type FallbackState } from './fallback.js';
import { checkProbe, type ResolveEntry } from './http-probe.js';
import { readInputs, type Inputs } from './inputs.js';
import { killLeftoverPortForward } from './kubectl.js';
import { failureMessage, outputs, summaryMarkdown, type Mode, type SmokeReport } from './report.js';

const PORT_FORWARD_PID = 'portForwardPid';
/** Longest wait for kubectl's "Forwarding from" line (capped by the remaining deadline). */
const PORT_FORWARD_READY_MS = 30_000;

export function run(): Promise<void> {
  return runAction({ main, post });
}

function probeWith(inputs: Inputs, route: { hostHeader?: string; resolve: ResolveEntry[] }): Probe {
  return checkProbe({ ...route, headers: inputs.headers, insecureSkipTlsVerify: inputs.insecureSkipTlsVerify, maxRedirects: inputs.maxRedirects });
}

async function main(): Promise<void> {
  const inputs = readInputs();
  const started = Date.now();
  const deadline = started + inputs.timeoutMs;
  const loop = { checks: inputs.checks, deadline, requestTimeoutMs: inputs.requestTimeoutMs, consecutiveSuccesses: inputs.consecutiveSuccesses, samples: inputs.samples, log: (l: string) => core.info(l) };

  let mode: Mode = 'ingress';
  let url = inputs.url ?? '';
  let fallbackReason: string | undefined = inputs.fallback === 'always' ? 'fallback is always' : undefined;
  let outcome: LoopOutcome | undefined;

  if (inputs.url && inputs.fallback !== 'always') {
    const baseUrl = inputs.url;
    let state: FallbackState = initialFallbackState;
    const policy = { mode: inputs.fallback, canForward: Boolean(inputs.service), fallbackAfterMs: inputs.fallbackAfterMs };
    outcome = await core.group(`Checking ${baseUrl}${inputs.hostHeader ? ` (Host: ${inputs.hostHeader})` : ''}`, () =>
      runChecks({
        ...loop,
        baseUrl,
        probe: probeWith(inputs, { hostHeader: inputs.hostHeader, resolve: inputs.resolve }),
        onObservation: (obs) => {
          state = observe(state, obs, Date.now());
          return decideFallback(state, Date.now(), policy);
        },
      }),
    );
    fallbackReason = outcome.abortedFor;
    if (fallbackReason) core.warning(`Falling back to kubectl port-forward to svc/${inputs.service}: ${fallbackReason}`);
  }

  if (fallbackReason && inputs.service) {
    const service = inputs.service;
    mode = 'port-forward';
    try {
      outcome = await core.group(`Port-forward to svc/${service} in ${inputs.namespace}`, async () => {
        const kubeconfig = inputs.kubeconfig ? writeKubeconfig(inputs.kubeconfig) : undefined;
        const kubectl = new Kubectl({ kubeconfig, context: inputs.context });
        const localPort = await freeLocalPort();
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new ActionError(`no time left for the port-forward fallback (timeout ${inputs.timeoutMs / 1000}s); raise timeout or lower fallback-after`);
        const forward = await portForward(kubectl, { resource: `svc/${service}`, namespace: inputs.namespace, remotePort: inputs.port, localPort, readyTimeoutMs: Math.min(PORT_FORWARD_READY_MS, remaining) });
        saveState(PORT_FORWARD_PID, forward.pid);
        url = `http://127.0.0.1:${localPort}`;
        try {
          return await runChecks({ ...loop, baseUrl: url, probe: probeWith(inputs, { resolve: [] }) });
        } finally {
          await forward.stop();
          saveState(PORT_FORWARD_PID, 0);
          core.info(`Stopped kubectl port-forward (pid ${forward.pid})`);
        }
      });
    } catch (err) {
      if (!(err instanceof ActionError)) throw err;
      // The report still goes out (outputs, summary) so the workflow can tell why nothing was checked.
      outcome = { results: inputs.checks.map((check) => ({ check, passed: false, healthy: false, attempts: 0, sampleFailures: 0, reason: `not checked: ${err.message}` })) };
    } finally {
      removeSensitivePaths();
    }
  }
  if (!outcome) throw new ActionError('no checks ran');

  const report: SmokeReport = {
    passed: outcome.results.every((r) => r.passed),
    mode,
    url,
    results: outcome.results,
    fallbackReason,
    elapsedMs: Date.now() - started,
  };
  for (const [key, value] of Object.entries(outputs(report))) core.setOutput(key, value);
  await appendSummary(summaryMarkdown(report));
  if (!report.passed) throw new ActionError(failureMessage(report));
  core.info(`Smoke test passed (${mode}): ${report.results.map((r) => `${r.check.name} p99 ${r.stats ? `${r.stats.p99} ms` : 'n/a'}`).join(', ')}`);
}

async function post(): Promise<void> {
  const pid = loadState<number>(PORT_FORWARD_PID) ?? 0;
  if (await killLeftoverPortForward(pid)) core.info(`Killed a kubectl port-forward left running (pid ${pid})`);
  removeSensitivePaths();
}
