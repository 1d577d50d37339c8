// What the bundles (and tsx) get for `semver` (tsconfig.json "paths"; this folder is CommonJS): every name the package
// exports, as a getter that evaluates the package on first read. A run that fails on its inputs, or never reads YAML
// / compares versions, no longer compiles and evaluates the package as it starts (yaml ~290 kB, semver ~85 kB).
// The first line lists the names so that Node's ESM loader sees them (tsx runs the tests through this file too);
// test/unit/lazy-builtins.test.ts checks they are exactly the package's names (regenerate them when it updates).
'use strict';
exports.Comparator = exports.RELEASE_TYPES = exports.Range = exports.SEMVER_SPEC_VERSION = exports.SemVer = exports.clean = exports.cmp = exports.coerce = exports.compare = exports.compareBuild = exports.compareIdentifiers = exports.compareLoose = exports.diff = exports.eq = exports.gt = exports.gte = exports.gtr = exports.inc = exports.intersects = exports.lt = exports.lte = exports.ltr = exports.major = exports.maxSatisfying = exports.minSatisfying = exports.minVersion = exports.minor = exports.neq = exports.outside = exports.parse = exports.patch = exports.prerelease = exports.rcompare = exports.rcompareIdentifiers = exports.re = exports.rsort = exports.satisfies = exports.simplifyRange = exports.sort = exports.src = exports.subset = exports.toComparators = exports.tokens = exports.truncate = exports.valid = exports.validRange = void 0;
let real;
const load = () => (real ??= require('../../../node_modules/semver/index.js'));
for (const name of Object.keys(exports)) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
