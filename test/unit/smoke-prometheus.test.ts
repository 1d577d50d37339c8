import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { hasMetric, parseExposition, parseFloatValue } from '../../actions/smoke-test/prometheus.js';
import { ROOT } from '../support/run-action.js';

const fixture = (name: string): string => fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'smoke', name), 'utf8');

describe('Prometheus exposition parser', () => {
  it('parses a real-world exposition with HELP/TYPE, labels, escapes, histogram, summary, NaN, +Inf and timestamps', () => {
    const exp = parseExposition(fixture('metrics-valid.txt'));
    assert.deepEqual(exp.errors, []);
    const reqs = exp.families.get('http_requests_total');
    assert.equal(reqs?.type, 'counter');
    assert.equal(reqs?.help, 'The total number of HTTP requests.');
    assert.equal(reqs?.samples[0].timestampMs, 1395066363000);
    const escaped = exp.families.get('msdos_file_access_time_seconds')?.samples[0];
    assert.equal(escaped?.labels.path, 'C:\\DIR\\FILE.TXT');
    assert.equal(escaped?.labels.error, 'Cannot find file:\n"FILE.TXT"');
    assert.equal(exp.families.get('metric_without_timestamp_and_labels')?.samples[0].value, 12.47);
    assert.ok(Number.isNaN(exp.families.get('something_weird')?.samples[0].value));
    assert.equal(exp.families.get('something_weird')?.samples[0].labels.problem, 'division by zero');
    const hist = exp.families.get('http_request_duration_seconds');
    assert.equal(hist?.type, 'histogram');
    assert.equal(hist?.samples.length, 8);
    assert.equal(exp.families.get('rpc_duration_seconds')?.type, 'summary');
    assert.equal(exp.families.get('escaped_help')?.help, 'Line one\nand a \\ backslash');
  });

  it('finds required metrics by family or sample name', () => {
    const exp = parseExposition(fixture('metrics-valid.txt'));
    assert.ok(hasMetric(exp, 'http_requests_total'));
    assert.ok(hasMetric(exp, 'http_request_duration_seconds'));
    assert.ok(hasMetric(exp, 'http_request_duration_seconds_count'));
    assert.ok(!hasMetric(exp, 'http_request_size_bytes'));
  });

  it('accepts OpenMetrics counters (family x, samples x_total) and stops at # EOF', () => {
    const exp = parseExposition('# TYPE jobs counter\n# UNIT jobs jobs\njobs_total 3\njobs_created 1.7e9\n# EOF\ngarbage here\n');
    assert.deepEqual(exp.errors, []);
    assert.ok(hasMetric(exp, 'jobs_total'));
    assert.ok(hasMetric(exp, 'jobs'));
  });

  const bad: Array<[string, string, RegExp]> = [
    ['a value that is not a number', 'up abc\n', /line 1: up: 'abc' is not a number/],
    ['a missing value', 'up\n', /line 1: up: expected a space then a value/],
    ['an unterminated label value', 'up{job="x} 1\n', /unterminated value/],
    ['an invalid escape in a label', 'up{job="a\\tb"} 1\n', /invalid escape/],
    ['a label without quotes', 'up{job=x} 1\n', /double quotes/],
    ['a duplicate label', 'up{a="1",a="2"} 1\n', /label a appears twice/],
    ['a non-integer timestamp', 'up 1 12.5\n', /timestamp '12.5'/],
    ['extra fields', 'up 1 2 3\n', /unexpected text/],
    ['an unknown TYPE', '# TYPE up gaugee\nup 1\n', /unknown type 'gaugee'/],
    ['a TYPE after samples', 'up 1\n# TYPE up gauge\n', /TYPE line for up after its samples/],
    ['a second TYPE', '# TYPE up gauge\n# TYPE up gauge\nup 1\n', /second TYPE/],
    ['a second HELP', '# HELP up a\n# HELP up b\nup 1\n', /second HELP/],
    ['a duplicate series', 'up{a="1"} 1\nup{a="1"} 2\n', /duplicate sample up\{a="1"\}/],
    ['samples not grouped', 'a 1\nb 1\na{x="1"} 2\n', /not grouped together/],
    ['a histogram bucket without le', '# TYPE h histogram\nh_bucket 1\nh_count 1\n', /without an le label/],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\n', /no le="\+Inf" bucket/],
    ['decreasing histogram buckets', '# TYPE h histogram\nh_bucket{le="1"} 5\nh_bucket{le="2"} 3\nh_bucket{le="+Inf"} 5\n', /cumulative/],
    ['a histogram _count differing from +Inf', '# TYPE h histogram\nh_bucket{le="+Inf"} 5\nh_count 4\n', /_count 4 differs from the \+Inf bucket 5/],
    ['a summary quantile out of range', '# TYPE s summary\ns{quantile="1.5"} 1\n', /between 0 and 1/],
    ['a negative counter', '# TYPE c counter\nc -1\n', /negative/],
    ['an HTML error page', '<html><body>502 Bad Gateway</body></html>\n', /line 1: expected a metric name/],
    ['an empty body', '\n', /no samples found/],
  ];
  for (const [what, text, problem] of bad) {
    it(`reports ${what} with its line`, () => {
      const exp = parseExposition(text);
      assert.ok(exp.errors.some((e) => problem.test(e)), exp.errors.join('; ') || 'no errors');
    });
  }

  it('reports the malformed fixture line by line', () => {
    const exp = parseExposition(fixture('metrics-malformed.txt'));
    assert.ok(exp.errors.length >= 2, exp.errors.join('; '));
    assert.match(exp.errors[0], /^line \d+: /);
  });

  const floats: Array<[string, number | undefined]> = [['1', 1], ['-2.5e-3', -0.0025], ['+Inf', Infinity], ['-Inf', -Infinity], ['.5', 0.5], ['1.', 1], ['Inf', Infinity], ['0x10', undefined], ['1,5', undefined], ['', undefined]];
  for (const [text, value] of floats) it(`reads '${text}' as ${value}`, () => assert.equal(parseFloatValue(text), value));
  it("reads 'NaN' as NaN", () => assert.ok(Number.isNaN(parseFloatValue('NaN'))));
});
