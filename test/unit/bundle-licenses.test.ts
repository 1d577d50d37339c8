// dist/<name>/licenses.txt names every package whose code the bundle ships, in every chunk and lazy package file (scripts/build.mjs
// writes it from the build's module list: ncc's own --license kept only the last chunk's list).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../support/run-action.js';

/** Text only a package's own code holds → that package (the entry files are minified: no paths left in them). */
const MARKERS: [RegExp, string][] = [
  [/ACTIONS_ID_TOKEN_REQUEST_URL/, '@actions/core'],
  [/llhttp/, 'undici'],
  [/octokit-core\.js\//, '@octokit/core'],
  [/azsdk-js-storage-blob/, '@azure/storage-blob'],
  [/SEMVER_SPEC_VERSION/, 'semver'],
];

/** An entry starts with the package's name on its own line, then its license field (scripts/build.mjs). */
const lists = (licenses: string, pkg: string): boolean => new RegExp(`(^|\\n\\n)${pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\n`).test(licenses);

describe('bundle licenses', () => {
  const bundles = fs.readdirSync(path.join(ROOT, 'dist')).filter((d) => fs.existsSync(path.join(ROOT, 'dist', d, 'index.js')));

  for (const name of bundles) {
    it(`dist/${name}/licenses.txt lists the packages of every chunk`, () => {
      const dir = path.join(ROOT, 'dist', name);
      const licenses = fs.readFileSync(path.join(dir, 'licenses.txt'), 'utf8');
      const shipped = new Set<string>();
      for (const chunk of fs.readdirSync(dir).filter((f) => /\.c?js$/.test(f))) {
        const text = fs.readFileSync(path.join(dir, chunk), 'utf8');
        for (const [marker, pkg] of MARKERS) if (marker.test(text)) shipped.add(pkg);
        // The chunks ncc leaves unminified name each module's path.
        for (const m of text.matchAll(/\/\/ (?:CONCATENATED MODULE|EXTERNAL MODULE): \.\/node_modules\/(?:.*\/node_modules\/)?((?:@[\w.-]+\/)?[\w.-]+)\//g)) shipped.add(m[1]);
      }
      assert.ok(shipped.size >= 2, `found only ${[...shipped].join(', ')} in dist/${name}`);
      const missing = [...shipped].filter((pkg) => !lists(licenses, pkg));
      assert.deepEqual(missing, [], `dist/${name} ships code of ${missing.join(', ')}, which licenses.txt does not list (npm run build)`);
    });
  }

  it('every listed package comes with its license text, or says it ships none', () => {
    for (const name of bundles) {
      const licenses = fs.readFileSync(path.join(ROOT, 'dist', name, 'licenses.txt'), 'utf8');
      assert.ok(lists(licenses, '@actions/core'), `dist/${name}/licenses.txt lists no @actions/core entry to check`);
      for (const m of licenses.matchAll(/(?:^|\n\n)((?:@[\w.-]+\/)?[\w.-]+)\n([^\n]*)\n([^\n]*)/g)) {
        assert.ok(m[2].trim(), `dist/${name}: ${m[1]} has no license field`);
        assert.ok(m[3].trim(), `dist/${name}: ${m[1]} has no license text`);
      }
    }
  });
});
