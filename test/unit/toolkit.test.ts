import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../actions/toolkit/errors.js';
import { formatDuration, parseBoolean, parseDuration, parseInteger, parseList } from '../../actions/toolkit/inputs.js';
import { lookupChecksum } from '../../actions/toolkit/install.js';
import { backoffDelay, retry } from '../../actions/toolkit/retry.js';
import { formatCommand, redact } from '../../actions/toolkit/exec.js';
import { markdownTable } from '../../actions/toolkit/summary.js';

describe('parseDuration', () => {
  const ok: [string, number][] = [['300', 300_000], ['90s', 90_000], ['5m', 300_000], ['1h30m', 5_400_000], ['1.5s', 1500], ['250ms', 250], ['2m30s', 150_000]];
  for (const [raw, ms] of ok) it(`${raw} is ${ms} ms`, () => assert.equal(parseDuration('timeout', raw), ms));
  for (const bad of ['', '5 minutes', '5x', 'm5', '-1s', '1h 30m']) {
    it(`rejects '${bad}' naming the input`, () => assert.throws(() => parseDuration('timeout', bad), (e: unknown) => e instanceof InputError && e.input === 'timeout' && /is not a duration/.test(e.message)));
  }
  it('formats back to a Go duration', () => {
    assert.equal(formatDuration(300_000), '5m');
    assert.equal(formatDuration(5_430_000), '1h30m30s');
    assert.equal(formatDuration(1), '1s');
  });
});

describe('parseList / parseBoolean / parseInteger', () => {
  it('splits on commas and newlines, trims, drops blanks and comments', () => assert.deepEqual(parseList(' a, b\n\n# note\nc ,'), ['a', 'b', 'c']));
  it('keeps commas when asked', () => assert.deepEqual(parseList('k=a,b\nx=y', { comma: false }), ['k=a,b', 'x=y']));
  it('reads booleans the YAML way', () => {
    assert.equal(parseBoolean('x', 'True'), true);
    assert.equal(parseBoolean('x', 'off'), false);
    assert.throws(() => parseBoolean('push', 'maybe'), /Input 'push': expected true or false/);
  });
  it('bounds integers', () => {
    assert.equal(parseInteger('n', '3', { min: 1 }), 3);
    assert.throws(() => parseInteger('attempts', '0', { min: 1 }), /Input 'attempts': must be at least 1/);
    assert.throws(() => parseInteger('attempts', '2.5'), /expected a whole number/);
  });
});

describe('retry', () => {
  const fast = { baseDelayMs: 1, sleep: async () => {}, random: () => 0.5 };
  it('retries a transient error and returns the later success', async () => {
    let calls = 0;
    const got = await retry(async () => (++calls < 3 ? Promise.reject(new Error('503')) : 'ok'), { ...fast, attempts: 3, isTransient: () => true, label: 't' });
    assert.equal(got, 'ok');
    assert.equal(calls, 3);
  });
  it('fails fast on a permanent error', async () => {
    let calls = 0;
    await assert.rejects(retry(async () => { calls++; throw new Error('401'); }, { ...fast, attempts: 5, isTransient: () => false, label: 't' }), /401/);
    assert.equal(calls, 1);
  });
  it('gives up after the last attempt', async () => {
    let calls = 0;
    await assert.rejects(retry(async () => { calls++; throw new Error('503'); }, { ...fast, attempts: 4, isTransient: () => true, label: 't' }), /503/);
    assert.equal(calls, 4);
  });
  it('backs off exponentially with jitter inside [exp/2, exp], capped', () => {
    assert.equal(backoffDelay(1, 1000, 30_000, () => 0), 500);
    assert.equal(backoffDelay(3, 1000, 30_000, () => 1), 4000);
    assert.equal(backoffDelay(10, 1000, 30_000, () => 1), 30_000);
  });
});

describe('checksums, masking, tables', () => {
  const sum = 'a'.repeat(64);
  it('finds a file in a checksums list', () => {
    assert.equal(lookupChecksum(`${'b'.repeat(64)}  other.tar.gz\n${sum}  trivy_0.72.0_Linux-64bit.tar.gz\n`, 'trivy_0.72.0_Linux-64bit.tar.gz'), sum);
    assert.equal(lookupChecksum(`${sum} *bin/helm.zip`, 'helm.zip'), sum);
    assert.equal(lookupChecksum('garbage', 'x'), undefined);
  });
  it('redacts secrets from a command line', () => {
    assert.equal(redact(formatCommand('docker', ['login', '-p', 's3cr3t']), ['s3cr3t']), 'docker login -p ***');
  });
  it('escapes table cells', () => {
    assert.equal(markdownTable(['a'], [['x|<y>']]).split('\n')[2], '| x&#124;&lt;y&gt; |');
  });
});
