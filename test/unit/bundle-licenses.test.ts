// dist/<name>/licenses.txt names every package whose code the bundle ships, in every chunk (scripts/build.mjs
// writes it from the build's module list: ncc's own --license kept only the last chunk's list).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../support/run-action.js';

/** Text only a package's own code holds → that package. */
const MARKERS: [RegExp, string][] = [
  [/ACTIONS_ID_TOKEN_REQUEST_URL/, '@actions/core'],
  [/llhttp/, 'undici'],
  [/octokit-core\.js\//, '@octokit/core'],
  [/azsdk-js-storage-blob/, '@azure/storage-blob'],
];

describe('bundle licenses', () => {
  const bundles = fs.readdirSync(path.join(ROOT, 'dist')).filter((d) => fs.existsSync(path.join(ROOT, 'dist', d, 'index.js')));

  for (const name of bundles) {
    it(`dist/${name}/licenses.txt lists the packages of every chunk`, () => {
      const dir = path.join(ROOT, 'dist', name);
      const listed = new Set(fs.readFileSync(path.join(dir, 'licenses.txt'), 'utf8').split('\n\n').map((entry) => entry.split('\n')[0]));
      const chunks = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
      let found = 0;
      for (const chunk of chunks) {
        const text = fs.readFileSync(path.join(dir, chunk), 'utf8');
        for (const [marker, pkg] of MARKERS) {
          if (!marker.test(text)) continue;
          found++;
          assert.ok(listed.has(pkg), `dist/${name}/${chunk} holds ${pkg}, which licenses.txt does not list (npm run build)`);
        }
      }
      assert.ok(found >= 1, `no known package found in dist/${name}`);
    });
  }
});
