// The scripted stand-ins of test/support/stand-in.ts keep exact `times:` counts when the code under test calls
// them side by side (parallel kubectl polls, concurrent Helm calls): a rule used up never answers again.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createStandIn } from '../support/stand-in.js';

const run = promisify(execFile);

describe('stand-in', () => {
  it('answers concurrent calls with each times: rule used exactly its count', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-'));
    const tool = createStandIn(dir, 'tool', [
      { match: ['get'], stdout: 'first', times: 3 },
      { match: ['get'], stdout: 'second', times: 5 },
      { match: ['get'], stdout: 'rest' },
    ]);
    const calls = 16;
    const answers = await Promise.all(Array.from({ length: calls }, (_, i) => run(tool.bin, ['get', `n${i}`]).then((r) => r.stdout)));
    const count = (word: string): number => answers.filter((a) => a === word).length;
    assert.deepEqual([count('first'), count('second'), count('rest')], [3, 5, calls - 8]);
    assert.equal(tool.calls().length, calls);
    assert.deepEqual(tool.calls().map((argv) => argv[1]).sort(), Array.from({ length: calls }, (_, i) => `n${i}`).sort());
  });

  it('starts the counts again when the rules are replaced', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-'));
    const tool = createStandIn(dir, 'tool', [{ match: ['get'], stdout: 'once', times: 1 }, { match: ['get'], stdout: 'after' }]);
    assert.equal((await run(tool.bin, ['get'])).stdout, 'once');
    assert.equal((await run(tool.bin, ['get'])).stdout, 'after');
    tool.setRules([{ match: ['get'], stdout: 'again', times: 1 }, { match: ['get'], stdout: 'after' }]);
    assert.equal((await run(tool.bin, ['get'])).stdout, 'again');
    assert.equal((await run(tool.bin, ['get'])).stdout, 'after');
  });

  it('fails a call no rule matches with exit 127, naming it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-'));
    const tool = createStandIn(dir, 'tool', [{ match: ['get'], stdout: 'x' }]);
    await assert.rejects(run(tool.bin, ['delete', 'pod']), (e: { code?: number; stderr?: string }) => e.code === 127 && /no rule for: delete pod/.test(e.stderr ?? ''));
  });
});
