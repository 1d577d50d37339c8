// What the bundles (and tsx) get for `yaml` (tsconfig.json "paths"; this folder is CommonJS): every name the package
// exports, as a getter that evaluates the package on first read. A run that fails on its inputs, or never reads YAML
// / compares versions, no longer compiles and evaluates the package as it starts (yaml ~290 kB, semver ~85 kB).
// The first line lists the names so that Node's ESM loader sees them (tsx runs the tests through this file too);
// test/unit/lazy-builtins.test.ts checks they are exactly the package's names (regenerate them when it updates).
'use strict';
exports.Alias = exports.CST = exports.Composer = exports.Document = exports.Lexer = exports.LineCounter = exports.Pair = exports.Parser = exports.Scalar = exports.Schema = exports.YAMLError = exports.YAMLMap = exports.YAMLParseError = exports.YAMLSeq = exports.YAMLWarning = exports.isAlias = exports.isCollection = exports.isDocument = exports.isMap = exports.isNode = exports.isPair = exports.isScalar = exports.isSeq = exports.parse = exports.parseAllDocuments = exports.parseDocument = exports.stringify = exports.visit = exports.visitAsync = void 0;
let real;
const load = () => (real ??= require('../../../node_modules/yaml/dist/index.js'));
for (const name of Object.keys(exports)) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
