// How long after a service turns healthy does the smoke test pass, with the action's defaults (the three
// default checks, 3 successes in a row, 20 latency samples each)? Baseline, measured in the same rounds:
// a plain retry loop with a 1 s delay on one path (`until curl -f …/healthz; do sleep 1; done`), against its
// own copy of the same server that turns healthy at the same moment (about 4 s after the start).
// Then how soon a latency budget broken from the first answers fails, against taking every planned request.
// Run: node_modules/.bin/node --import tsx bench/smoke-test.bench.ts [rounds]
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { runChecks } from '../actions/smoke-test/check-loop.js';
import { parseChecks } from '../actions/smoke-test/checks.js';
import { checkProbe, httpProbe } from '../actions/smoke-test/http-probe.js';
import { healthyApp, type Handler } from '../test/support/http-servers.js';

const ROUNDS = Number(process.argv[2] ?? 9);
/** The defaults of smoke-test/action.yml. */
const DEFAULTS = { consecutiveSuccesses: 3, samples: 20, requestTimeoutMs: 10_000 };
const RETRY_DELAY_MS = 1000;

interface Server {
  url: string;
  close: () => Promise<void>;
}

async function serve(handler: Handler): Promise<Server> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** 503 on every path until healthyAt, then the app the default checks expect. */
function turnsHealthy(healthyAt: number): Handler {
  const app = healthyApp();
  return (req, res) => (Date.now() >= healthyAt ? app(req, res) : void res.writeHead(503, { 'content-type': 'text/plain' }).end('starting'));
}

const probe = checkProbe({ headers: {}, insecureSkipTlsVerify: false, maxRedirects: 5 });

async function ours(url: string, healthyAt: number): Promise<number> {
  const out = await runChecks({ checks: parseChecks(''), baseUrl: url, probe, deadline: Date.now() + 60_000, ...DEFAULTS });
  if (!out.results.every((r) => r.passed)) throw new Error(`our loop did not pass: ${out.results.map((r) => r.reason).join('; ')}`);
  return Date.now() - healthyAt;
}

async function retryLoop(url: string, healthyAt: number): Promise<number> {
  for (;;) {
    const res = await httpProbe(`${url}/healthz`, { timeoutMs: 10_000 });
    if (res.status === 200) return Date.now() - healthyAt;
    await sleep(RETRY_DELAY_MS);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`smoke-test bench: ${ROUNDS} rounds; the service turns healthy 3.5-4.5 s after the start`);
const oursMs: number[] = [];
const loopMs: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const healthyAt = Date.now() + 3500 + Math.round(Math.random() * 1000);
  const [a, b] = await Promise.all([serve(turnsHealthy(healthyAt)), serve(turnsHealthy(healthyAt))]);
  const [o, l] = await Promise.all([ours(a.url, healthyAt), retryLoop(b.url, healthyAt)]);
  await Promise.all([a.close(), b.close()]);
  oursMs.push(o);
  loopMs.push(l);
  console.log(`  round ${i + 1}: passed ${o} ms after healthy (defaults: 3 checks, 3 in a row, 20 samples) vs ${l} ms (1 s retry loop, one path)`);
}
const oursMedian = median(oursMs);
const loopMedian = median(loopMs);
console.log(`healthy→pass, median: ours ${oursMedian} ms, 1 s retry loop ${loopMedian} ms → ratio ours/loop ×${(oursMedian / Math.max(1, loopMedian)).toFixed(2)}`);

// A latency budget broken from the very first answers: a service answering in 150 ms, budget 20 ms.
const slowServer = await serve((req, res) => setTimeout(() => healthyApp()(req, res), 150));
const timeToVerdict = async (checks: string): Promise<{ ms: number; reason?: string; requests: number }> => {
  const started = Date.now();
  const out = await runChecks({ checks: parseChecks(checks), baseUrl: slowServer.url, probe, deadline: Date.now() + 60_000, ...DEFAULTS });
  return { ms: Date.now() - started, reason: out.results[0].reason, requests: out.results[0].stats?.samples ?? 0 };
};
const early = await timeToVerdict('- path: /ready\n  latency-p99: 20ms');
// Baseline: the same check without a budget takes every planned request (what a verdict at the end costs).
const full = await timeToVerdict('- /ready');
await slowServer.close();
console.log(`broken p99 budget (150 ms answers, budget 20 ms): failed after ${early.ms} ms and ${early.requests} requests vs ${full.ms} ms for all ${full.requests} planned → ratio ×${(early.ms / full.ms).toFixed(2)}`);
console.log(`  reason: ${early.reason}`);
