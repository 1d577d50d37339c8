// Bundles the packages a run may not need (yaml, semver) on their own, outside each action's entry file, and loads
// them on first use (used by scripts/build.mjs).

/**
 * Package → the file ncc bundles for it. Node parses all of an entry file before it runs a line of it, so each
 * action paid for yaml (~125 kB minified) and semver (~35 kB), half of helm-deploy's entry, though a run that fails
 * on its inputs reads no YAML and compares no versions. Leaf packages only (no dependency of their own): a package
 * bundled twice would give two copies of its classes.
 */
export const LAZY_PACKAGES = { yaml: 'node_modules/yaml/dist/index.js', semver: 'node_modules/semver/index.js' };

/** Its file beside each bundle's index.js (CommonJS: dist/<name>/package.json says the .js files are modules). */
export const lazyPackageFile = (pkg) => `${pkg}.cjs`;

/**
 * ncc leaves an external package as a static import at the top of the entry file (`import*as t from"yaml";`), and
 * the bundle reads it only through that namespace (`t.parse`, `t["default"]` for a default import), at the moment
 * it uses a name. Each such import becomes `const t=__lazyPackage("./yaml.cjs")`: a stand-in that requires the
 * package's own bundle on the first read of a name and then answers as Node's namespace of a CommonJS module does
 * (`default` is module.exports). Returns the text and the packages it uses; throws on any other form of import of
 * a lazy package (the stand-in covers this one only). test/unit/lazy-builtins.test.ts checks the stand-in.
 */
export function lazyPackages(text, file = 'index.js') {
  const names = Object.keys(LAZY_PACKAGES);
  const used = [];
  const head = /^(?:\s*import[^;"]*"[^"]*";)+/.exec(text)?.[0] ?? '';
  const kept = head.replace(/import\s*\*\s*as\s+([\w$]+)\s+from\s*"([^"]+)";/g, (all, local, pkg) => {
    if (!names.includes(pkg)) return all;
    used.push([local, pkg]);
    return '';
  });
  const rest = text.slice(head.length);
  for (const pkg of names) {
    const left = new RegExp(`(?:from|import\\()\\s*["']${pkg}["']`).exec(kept + rest);
    if (left) throw new Error(`${file}: ${pkg} is imported as ${JSON.stringify(left[0])}, a form lazyPackages (scripts/lazy-packages.mjs) does not rewrite`);
  }
  if (!used.length) return { text, packages: [] };
  const createRequire = /import\{createRequire as ([\w$]+)\}from"module";/.exec(kept)?.[1];
  const req = createRequire ?? '__lazyCreateRequire';
  const imports = createRequire ? kept : `import{createRequire as ${req}}from"module";${kept}`;
  const consts = used.map(([local, pkg]) => `const ${local}=__lazyPackage(${JSON.stringify(`./${lazyPackageFile(pkg)}`)});`).join('');
  return { text: imports + lazyPackageHelper(req) + consts + rest, packages: used.map(([, pkg]) => pkg) };
}

/** The stand-in's source, one line: the namespace of the package, required on the first read of a name. */
function lazyPackageHelper(createRequire) {
  return `const __lazyPackage=(file)=>{let m;const load=()=>m??=${createRequire}(import.meta.url)(file);const get=(k)=>k==="default"?load():load()[k];return new Proxy({},{get:(t,k)=>get(k),has:(t,k)=>k==="default"||k in load(),ownKeys:()=>["default",...Object.keys(load())],getOwnPropertyDescriptor:(t,k)=>k==="default"||Object.hasOwn(load(),k)?{value:get(k),writable:true,enumerable:true,configurable:true}:undefined,set:()=>false,defineProperty:()=>false,deleteProperty:()=>false})};`;
}
