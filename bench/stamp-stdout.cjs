// Preloaded into a bundle (NODE_OPTIONS=--require) by a bench's BENCH_LOG mode: every stdout line starts with
// `[seconds since the process started]`, so an action's log gives its phase breakdown.
/* global process, Buffer */
/* eslint-disable @typescript-eslint/no-require-imports */
const { performance } = require('node:perf_hooks');
const write = process.stdout.write.bind(process.stdout);
let atLineStart = true;
process.stdout.write = (chunk, ...rest) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
  const stamp = `[${(performance.now() / 1000).toFixed(3).padStart(7)}] `;
  let out = '';
  for (const part of text.split(/(?<=\n)/)) {
    if (!part) continue;
    if (atLineStart) out += stamp;
    out += part;
    atLineStart = part.endsWith('\n');
  }
  return write(out, ...rest);
};
