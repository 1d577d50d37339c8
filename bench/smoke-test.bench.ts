// How long after a service turns healthy does the smoke test notice? Our check loop (fast start,
// backoff to a 1 s cap) against the anchor's fixed retry delay (Jtalk/url-health-check-action:
// retry-delay 3s), on the same real HTTP server on 127.0.0.1 that turns healthy at a random moment.
// Fair comparison: consecutive-successes 1 and no latency samples for ours, one path for both.
// Run: node_modules/.bin/node --import tsx bench/smoke-test.bench.ts [rounds]
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { runChecks } from '../actions/smoke-test/check-loop.js';
import { parseChecks } from '../actions/smoke-test/checks.js';
import { checkProbe, httpProbe } from '../actions/smoke-test/http-probe.js';

const ROUNDS = Number(process.argv[2] ?? 8);
const FIXED_DELAY_MS = 3000;
/** The service turns healthy uniformly at random in this window after the loop starts. */
const HEALTHY_WINDOW_MS = [500, 8000] as const;

interface Flip {
  url: string;
  healthyAt: number;
  close: () => Promise<void>;
}

async function flippingServer(delayMs: number): Promise<Flip> {
  const healthyAt = Date.now() + Math.round(delayMs);
  const server = http.createServer((_req, res) => {
    const ok = Date.now() >= healthyAt;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'starting');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    healthyAt,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function ours(flip: Flip, consecutiveSuccesses = 1): Promise<number> {
  const out = await runChecks({
    checks: parseChecks('- /ready'),
    baseUrl: flip.url,
    probe: checkProbe({ headers: {}, insecureSkipTlsVerify: false, maxRedirects: 5 }),
    deadline: Date.now() + 60_000,
    requestTimeoutMs: 10_000,
    consecutiveSuccesses,
    samples: 0,
  });
  if (!out.results[0].passed) throw new Error('our loop did not pass');
  return Date.now() - flip.healthyAt;
}

/** The anchor's loop: request, and on failure wait a fixed delay before the next attempt. */
async function fixedDelay(flip: Flip): Promise<number> {
  for (;;) {
    const res = await httpProbe(`${flip.url}/ready`, { timeoutMs: 10_000 });
    if (res.status === 200) return Date.now() - flip.healthyAt;
    await sleep(FIXED_DELAY_MS);
  }
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const p = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((q / 100) * xs.length) - 1)];

const oursMs: number[] = [];
const fixedMs: number[] = [];
const defaultsMs: number[] = [];
console.log(`smoke-test bench: ${ROUNDS} rounds, service healthy at a random moment in ${HEALTHY_WINDOW_MS[0]}-${HEALTHY_WINDOW_MS[1]} ms`);
for (let i = 0; i < ROUNDS; i++) {
  const delay = HEALTHY_WINDOW_MS[0] + Math.random() * (HEALTHY_WINDOW_MS[1] - HEALTHY_WINDOW_MS[0]);
  // Both loops run at once against their own server with the same flip time.
  const [a, b, c] = await Promise.all([flippingServer(delay), flippingServer(delay), flippingServer(delay)]);
  const [o, f, d] = await Promise.all([ours(a), fixedDelay(b), ours(c, 3)]);
  await Promise.all([a.close(), b.close(), c.close()]);
  oursMs.push(o);
  fixedMs.push(f);
  defaultsMs.push(d);
  console.log(`  round ${i + 1}: healthy at ${Math.round(delay)} ms; noticed after ${o} ms (ours) vs ${f} ms (fixed ${FIXED_DELAY_MS / 1000}s delay); ours with 3 successes in a row: ${d} ms`);
}
console.log(`delay from healthy to pass, mean: ours ${mean(oursMs).toFixed(0)} ms, fixed 3s ${mean(fixedMs).toFixed(0)} ms → ${(mean(fixedMs) / Math.max(1, mean(oursMs))).toFixed(1)}x faster`);
console.log(`ours with the default consecutive-successes 3 (safer, not comparable): mean ${mean(defaultsMs).toFixed(0)} ms → ${(mean(fixedMs) / Math.max(1, mean(defaultsMs))).toFixed(1)}x the fixed loop's speed`);
console.log(`delay from healthy to pass, p90:  ours ${p(oursMs, 90)} ms, fixed 3s ${p(fixedMs, 90)} ms → ${(p(fixedMs, 90) / Math.max(1, p(oursMs, 90))).toFixed(1)}x faster`);
