export const id = 716;
export const ids = [716];
export const modules = {

/***/ 716:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  gate: () => (/* binding */ gate_run_gate),
  loadIgnoreRules: () => (/* binding */ loadIgnoreRules)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var lib_core = __webpack_require__(3838);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./actions/toolkit/errors.ts
var errors = __webpack_require__(8232);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./actions/toolkit/credentials.ts







function runnerTemp() {
    return process.env.RUNNER_TEMP || external_node_os_.tmpdir();
}
/** A private (0700) directory under RUNNER_TEMP, recorded for removal in the post step. */
function makePrivateDir(prefix) {
    const dir = path.join(runnerTemp(), `${prefix}-${randomBytes(6).toString('hex')}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    track(dir);
    return dir;
}
/** Writes a secret (kubeconfig, registry config…) 0600 into a private dir; removed in post. */
function writeSecretFile(prefix, fileName, content) {
    const dir = makePrivateDir(prefix);
    const file = path.join(dir, fileName);
    fs.writeFileSync(file, content, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    return file;
}
/** Removes everything recorded by makePrivateDir/writeSecretFile in this job step (main or post). */
function removeSensitivePaths() {
    const paths = [...new Set([...(loadState(STATE_KEY) ?? []), ...tracked])];
    const removed = [];
    for (const p of paths) {
        try {
            fs.rmSync(p, { recursive: true, force: true });
            removed.push(p);
        }
        catch (err) {
            core.warning(`could not remove ${p}: ${String(err)}`);
        }
    }
    tracked.length = 0;
    saveState(STATE_KEY, []);
    return removed;
}
// GITHUB_STATE is only read back in the post step, so main keeps its own list and rewrites the key.
const tracked = (/* unused pure expression or super */ null && ([]));
function track(p) {
    tracked.push(p);
    saveState(STATE_KEY, tracked);
}

;// CONCATENATED MODULE: ./actions/toolkit/summary.ts

function escapeCell(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;').replace(/\r?\n/g, ' ');
}
/** A GitHub-flavoured Markdown table; cells are escaped. */
function markdownTable(headers, rows) {
    const line = (cells) => `| ${cells.join(' | ')} |`;
    return [line(headers), line(headers.map(() => '---')), ...rows.map((r) => line(r.map((c) => escapeCell(c))))].join('\n');
}
/** Appends Markdown to the job summary; a missing GITHUB_STEP_SUMMARY (a local run) prints it instead. */
async function appendSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY) {
        lib_core/* info */.pq(markdown);
        return;
    }
    await lib_core/* summary */.z.addRaw(markdown, true).write();
}
function formatSeconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}

// EXTERNAL MODULE: ./actions/trivy-gate/gate.ts
var gate = __webpack_require__(7532);
;// CONCATENATED MODULE: ./actions/trivy-gate/findings-file.ts
// The full list behind the bounded log table and job summary: every gated and ignored finding, one
// tab-separated line each, written as the gate evaluates them (the `findings-path` output).

const FINDINGS_HEADER = ['scan', 'status', 'severity', 'id', 'kind', 'package / location', 'installed', 'fixed', 'target', 'title', 'url', 'note'];
function cell(value) {
    return value === undefined ? '' : String(value).replace(/[\t\r\n]+/g, ' ');
}
function row(scan, status, f, note) {
    const location = f.kind === 'vulnerability' ? f.pkgName ?? '' : f.line ? `${f.target}:${f.line}` : f.target;
    return [scan, status, f.severity, f.id, f.kind, location, f.installedVersion, f.fixedVersion, f.target, f.title, f.url, note].map(cell).join('\t');
}
class FindingsFile {
    path;
    fd;
    pending = [];
    size = 0;
    lines = 0;
    constructor(path) {
        this.path = path;
        this.fd = external_node_fs_.openSync(path, 'w');
        this.write(FINDINGS_HEADER.join('\t'));
    }
    /** The Evaluator sink for one scan. */
    sink(scan) {
        return (item) => {
            if ('gated' in item) {
                const f = item.gated;
                this.write(row(scan, 'gated', f, f.expiredIgnore ? `ignore expired ${f.expiredIgnore.expiresAt} (${f.expiredIgnore.source})` : ''));
            }
            else {
                const { finding, entry } = item.ignored;
                this.write(row(scan, 'ignored', finding, `${entry.source}${entry.expiresAt ? `, until ${entry.expiresAt}` : ''}${entry.statement ? `: ${entry.statement}` : ''}`));
            }
            this.lines++;
        };
    }
    write(line) {
        this.pending.push(line);
        this.size += line.length;
        if (this.size >= 64 * 1024)
            this.flush();
    }
    flush() {
        if (this.pending.length)
            external_node_fs_.writeSync(this.fd, `${this.pending.join('\n')}\n`);
        this.pending = [];
        this.size = 0;
    }
    close() {
        this.flush();
        external_node_fs_.closeSync(this.fd);
    }
}

// EXTERNAL MODULE: ./actions/trivy-gate/ignore.ts + 1 modules
var ignore = __webpack_require__(1335);
// EXTERNAL MODULE: ./actions/trivy-gate/inputs.ts + 2 modules
var trivy_gate_inputs = __webpack_require__(1567);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
// EXTERNAL MODULE: ./node_modules/@actions/tool-cache/lib/tool-cache.js + 2 modules
var tool_cache = __webpack_require__(9805);
;// CONCATENATED MODULE: ./actions/toolkit/install.ts








async function sha256File(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of (0,external_node_fs_.createReadStream)(file))
        hash.update(chunk);
    return hash.digest('hex');
}
/** Finds `<sha256>  <name>` (or `<sha256> *<name>`) in a checksums file. */
function lookupChecksum(checksums, name) {
    for (const line of checksums.split(/\r?\n/)) {
        const m = /^([a-fA-F0-9]{64})\s+\*?(\S+)\s*$/.exec(line.trim());
        if (m && (m[2] === name || external_node_path_.basename(m[2]) === name))
            return m[1].toLowerCase();
    }
    return undefined;
}
/**
 * @actions/tool-cache needs RUNNER_TOOL_CACHE and RUNNER_TEMP, which only a runner sets; elsewhere (a
 * local run, another CI) they default to directories under the system temp directory.
 */
function ensureToolCacheDirs() {
    const fallbacks = [
        ['RUNNER_TOOL_CACHE', external_node_path_.join(external_node_os_.tmpdir(), 'platform-actions', 'tool-cache')],
        // The toolkit's runnerTemp() falls back to the same directory.
        ['RUNNER_TEMP', external_node_os_.tmpdir()],
    ];
    for (const [name, dir] of fallbacks) {
        if (process.env[name])
            continue;
        process.env[name] = dir;
        lib_core/* info */.pq(`${name} is not set (not on a GitHub Actions runner): using ${dir}; set ${name} to choose another directory`);
    }
}
/**
 * tc.downloadTool, whose final error (after its own retries) is only the socket's (`getaddrinfo
 * ENOTFOUND github.com`): says what was downloaded, from where, and how to do without the download.
 */
async function download(release, url, what) {
    try {
        return await tool_cache/* downloadTool */.bq(url);
    }
    catch (err) {
        const avoid = release.avoid ? ` To avoid the download: ${release.avoid}` : '';
        throw new errors/* ActionError */.lZ(`Could not download ${what} of ${release.tool} ${release.version} from ${url}: ${(0,errors/* errorMessage */.gJ)(err).replace(/\.$/, '')}.${avoid}`);
    }
}
async function expectedSha256(release) {
    if (release.sha256)
        return release.sha256.toLowerCase();
    if (!release.checksumsUrl || !release.checksumName) {
        throw new errors/* ActionError */.lZ(`${release.tool} ${release.version}: no sha256 and no checksums file to verify the download against`);
    }
    const file = await download(release, release.checksumsUrl, 'the checksums file');
    try {
        const sum = lookupChecksum(external_node_fs_.readFileSync(file, 'utf8'), release.checksumName);
        if (!sum)
            throw new errors/* ActionError */.lZ(`${release.tool} ${release.version}: ${release.checksumName} is not listed in ${release.checksumsUrl}`);
        return sum;
    }
    finally {
        external_node_fs_.rmSync(file, { force: true });
    }
}
/**
 * tool-cache find → download → sha256 verify → extract → cache → PATH. A checksum mismatch is a
 * hard failure: the download is deleted and never extracted, cached or run.
 */
async function installTool(release) {
    const arch = release.arch ?? process.arch;
    ensureToolCacheDirs();
    const cached = tool_cache/* find */.I6(release.tool, release.version, arch);
    if (cached) {
        lib_core/* info */.pq(`${release.tool} ${release.version} found in the tool cache`);
        const bin = external_node_path_.join(cached, release.binary);
        lib_core/* addPath */.fM(external_node_path_.dirname(bin));
        return bin;
    }
    const expected = await expectedSha256(release);
    lib_core/* info */.pq(`Downloading ${release.tool} ${release.version} from ${release.url}`);
    const downloaded = await download(release, release.url, 'the release');
    const actual = await sha256File(downloaded);
    if (actual !== expected) {
        external_node_fs_.rmSync(downloaded, { force: true });
        throw new errors/* ActionError */.lZ(`${release.tool} ${release.version}: sha256 mismatch for ${release.url} (expected ${expected}, got ${actual}); refusing to install`);
    }
    lib_core/* info */.pq(`sha256 verified: ${actual}`);
    let dir;
    if (release.archive === 'tar.gz')
        dir = await tool_cache/* extractTar */.nN(downloaded);
    else if (release.archive === 'zip')
        dir = await tool_cache/* extractZip */.JE(downloaded);
    else {
        dir = external_node_path_.join(external_node_path_.dirname(downloaded), `${release.tool}-${release.version}`);
        external_node_fs_.mkdirSync(dir, { recursive: true });
        external_node_fs_.copyFileSync(downloaded, external_node_path_.join(dir, release.binary));
    }
    external_node_fs_.rmSync(downloaded, { force: true });
    const binInDir = external_node_path_.join(dir, release.binary);
    if (!external_node_fs_.existsSync(binInDir))
        throw new errors/* ActionError */.lZ(`${release.tool} ${release.version}: ${release.binary} not found in the release archive`);
    external_node_fs_.chmodSync(binInDir, 0o755);
    const cachedDir = await tool_cache/* cacheDir */.e8(dir, release.tool, release.version, arch);
    const bin = external_node_path_.join(cachedDir, release.binary);
    lib_core/* addPath */.fM(external_node_path_.dirname(bin));
    return bin;
}

;// CONCATENATED MODULE: ./actions/trivy-gate/install.ts



/** Trivy's release asset for this runner: trivy_<v>_Linux-64bit.tar.gz and friends. */
function trivyAssetName(version, platform, arch) {
    const os = { linux: 'Linux', darwin: 'macOS', win32: 'windows', freebsd: 'FreeBSD' }[platform];
    const cpu = { x64: '64bit', arm64: 'ARM64', arm: 'ARM', ppc64: 'PPC64LE', s390x: 's390x', ia32: '32bit' }[arch];
    if (!os || !cpu)
        throw new errors/* ActionError */.lZ(`Trivy publishes no release for ${platform}/${arch}; set use-path-trivy with a trivy on PATH`);
    return `trivy_${version}_${os}-${cpu}.${platform === 'win32' ? 'zip' : 'tar.gz'}`;
}
function trivyRelease(version, baseUrl, platform = process.platform, arch = process.arch) {
    const asset = trivyAssetName(version, platform, arch);
    return {
        tool: 'trivy',
        version,
        url: `${baseUrl}/v${version}/${asset}`,
        checksumsUrl: `${baseUrl}/v${version}/trivy_${version}_checksums.txt`,
        checksumName: asset,
        archive: platform === 'win32' ? 'zip' : 'tar.gz',
        binary: platform === 'win32' ? 'trivy.exe' : 'trivy',
        arch,
        avoid: `set trivy-download-url to a reachable mirror of the Trivy releases (now ${baseUrl}), or put trivy on PATH and set use-path-trivy: true.`,
    };
}
/** The pinned release, sha256-verified against its checksums file, or the trivy already on PATH. */
async function resolveTrivy(usePath, version, baseUrl) {
    if (usePath) {
        const bin = await io/* which */.K7('trivy', false);
        if (!bin)
            throw new errors/* InputError */.dz('use-path-trivy', 'is true but no trivy is on PATH; install Trivy in an earlier step, or set it to false to install trivy-version');
        lib_core/* info */.pq(`Using ${bin}`);
        return bin;
    }
    return installTool(trivyRelease(version, baseUrl));
}

;// CONCATENATED MODULE: ./actions/trivy-gate/report.ts
// Trivy's JSON report (SchemaVersion 2) and SARIF, as far as the gate reads them. Every key may be
// missing or null (Go omitempty), so every field is optional.
/** The report is not something the gate can evaluate; the message says why. */
class ReportFormatError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ReportFormatError';
    }
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Accepts a Trivy JSON report of SchemaVersion 2 (any release since 0.20) or a Trivy SARIF 2.1.0 log. */
function parseReport(text) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch (err) {
        throw new ReportFormatError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    return classifyReport(data);
}
function classifyReport(data) {
    if (Array.isArray(data))
        throw new ReportFormatError('a JSON array: reports of Trivy before 0.20 (schema 1) are not supported');
    if (!isObject(data))
        throw new ReportFormatError('not a Trivy report (the top level is not a JSON object)');
    if (Array.isArray(data.runs) && typeof data.version === 'string') {
        if (data.version !== '2.1.0')
            throw new ReportFormatError(`SARIF version ${data.version} is not supported (expected 2.1.0)`);
        checkSarifTool(data);
        return { format: 'sarif', sarif: data };
    }
    if (!('SchemaVersion' in data)) {
        throw new ReportFormatError('not a Trivy JSON report (no SchemaVersion); Kubernetes, AWS, CycloneDX and SPDX outputs are not supported');
    }
    if (data.SchemaVersion !== 2) {
        throw new ReportFormatError(`Trivy report SchemaVersion ${JSON.stringify(data.SchemaVersion)} is not supported (expected 2, written by Trivy 0.20 and later)`);
    }
    if (data.Results !== undefined && data.Results !== null && !Array.isArray(data.Results)) {
        throw new ReportFormatError('Results is not a list');
    }
    return { format: 'json', report: data };
}
/**
 * The gate reads Trivy's SARIF only (severity and fix come from Trivy's own message lines): a log whose
 * runs were written by another scanner (Grype, Snyk, CodeQL…) would pass unread, so it is refused.
 */
function checkSarifTool(sarif) {
    const names = (sarif.runs ?? []).map((r) => r.tool?.driver?.name);
    if (names.length === 0)
        throw new ReportFormatError('a SARIF log with no runs: nothing says Trivy wrote it (runs[].tool.driver.name)');
    const at = names.findIndex((n) => typeof n !== 'string' || n.trim().toLowerCase() !== 'trivy');
    if (at >= 0) {
        const foreign = names[at];
        const who = typeof foreign === 'string' && foreign.trim() ? `by ${foreign.trim()}` : 'by an unnamed tool';
        throw new ReportFormatError(`a SARIF log written ${who}, not Trivy (runs[].tool.driver.name): only Trivy's JSON or SARIF can be gated; CycloneDX, SPDX and other scanners' SARIF are not supported`);
    }
}

// EXTERNAL MODULE: ./node_modules/@streamparser/json/dist/mjs/index.js + 7 modules
var mjs = __webpack_require__(5497);
;// CONCATENATED MODULE: ./actions/trivy-gate/scanner.ts
// A byte-level scanner that splits a JSON document into its top-level members, and the elements of one
// top-level array member (Trivy's `Results`) into separate values, without parsing anything else: each
// piece is handed on as text for JSON.parse. Memory is one element at a time plus the read buffer, and
// the native JSON.parse does the real parsing (and validation) of every piece.

class JsonScanError extends Error {
    constructor(message) {
        super(message);
        this.name = 'JsonScanError';
    }
}
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
/** Where the scanner is in the root object. */
var At;
(function (At) {
    /** Before the root '{'. */
    At[At["Start"] = 0] = "Start";
    /** Expecting a member key (or '}' when `first`). */
    At[At["Key"] = 1] = "Key";
    /** After a key, expecting ':'. */
    At[At["Colon"] = 2] = "Colon";
    /** Expecting a member value. */
    At[At["Value"] = 3] = "Value";
    /** Inside a member value (depth > 1, or a scalar). */
    At[At["InValue"] = 4] = "InValue";
    /** After a member value: ',' or '}'. */
    At[At["AfterValue"] = 5] = "AfterValue";
    /** Inside the streamed array: expecting an element (or ']' when `first`). */
    At[At["Element"] = 6] = "Element";
    /** Inside one element. */
    At[At["InElement"] = 7] = "InElement";
    /** After an element: ',' or ']'. */
    At[At["AfterElement"] = 8] = "AfterElement";
    /** After the root '}': only whitespace. */
    At[At["End"] = 9] = "End";
})(At || (At = {}));
/**
 * Scans `file` (a JSON object) in chunks: each top-level member goes to `member`, except `streamKey`
 * when it is an array, whose elements go one by one to `element`. Throws JsonScanError on a structure
 * error it sees (the pieces themselves are validated by JSON.parse in the handlers).
 */
function scanJsonFile(file, streamKey, handlers, chunkSize = 64 * 1024) {
    const fd = external_node_fs_.openSync(file, 'r');
    try {
        scanChunks((buf) => external_node_fs_.readSync(fd, buf, 0, buf.length, null), streamKey, handlers, chunkSize);
    }
    finally {
        external_node_fs_.closeSync(fd);
    }
}
/** The text of a piece that started in earlier chunks (`parts`) and ends at `end` of `buf`. */
function pieceText(parts, buf, start, end) {
    if (parts.length === 0)
        return buf.toString('utf8', start, end);
    parts.push(buf.subarray(start, end));
    const text = Buffer.concat(parts).toString('utf8');
    parts.length = 0;
    return text;
}
/** Index of the closing quote of a string whose content starts at i (or -1), given `run` backslashes just before i. */
function closingQuote(buf, i, n, run) {
    for (let from = i;;) {
        const q = buf.indexOf(QUOTE, from);
        if (q < 0 || q >= n)
            return -1;
        let k = q - 1;
        while (k >= i && buf[k] === BACKSLASH)
            k--;
        const backslashes = q - 1 - k + (k < i ? run : 0);
        if (backslashes % 2 === 0)
            return q;
        from = q + 1;
    }
}
/** Backslashes ending buf[i..n), plus `run` when they fill it. */
function trailingBackslashes(buf, i, n, run) {
    let k = n - 1;
    while (k >= i && buf[k] === BACKSLASH)
        k--;
    return n - 1 - k + (k < i ? run : 0);
}
/** The scanner proper, over a `read` that fills a buffer and returns the byte count (0 at the end). */
function scanChunks(read, streamKey, handlers, chunkSize = 64 * 1024) {
    let at = At.Start;
    let first = true;
    let depth = 0;
    let inString = false;
    /** Backslashes in a row at the end of the previous chunk, inside a string. */
    let run = 0;
    /** Earlier chunks' bytes of the piece being captured (key, member value or element). */
    const parts = [];
    let pieceStart = -1;
    let key = '';
    let streaming = false;
    let offset = 0;
    // One read buffer for the whole file: a piece still open at the end of a chunk is copied out first.
    const buf = Buffer.allocUnsafe(chunkSize);
    for (;;) {
        const n = read(buf);
        if (n <= 0)
            break;
        let i = 0;
        while (i < n) {
            if (inString) {
                // Most of a report is string content: find its end with memchr, not byte by byte.
                const q = closingQuote(buf, i, n, run);
                if (q < 0) {
                    run = trailingBackslashes(buf, i, n, run);
                    break;
                }
                run = 0;
                inString = false;
                i = q + 1;
                if (at === At.Key) {
                    key = JSON.parse(pieceText(parts, buf, pieceStart, i));
                    pieceStart = -1;
                    at = At.Colon;
                }
                continue;
            }
            const c = buf[i];
            if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
                i++;
                continue;
            }
            let end = -1;
            switch (at) {
                case At.Start:
                    // A UTF-8 byte order mark (EF BB BF) may open the file.
                    if (offset + i < 3 && c === [0xef, 0xbb, 0xbf][offset + i])
                        break;
                    if (c !== OPEN_OBJ)
                        throw scanError(`expected '{'`, offset + i);
                    depth = 1;
                    at = At.Key;
                    first = true;
                    break;
                case At.Key:
                    if (c === QUOTE) {
                        pieceStart = i;
                        inString = true;
                    }
                    else if (c === CLOSE_OBJ && first) {
                        depth = 0;
                        at = At.End;
                    }
                    else
                        throw scanError('expected a member name', offset + i);
                    break;
                case At.Colon:
                    if (c !== COLON)
                        throw scanError(`expected ':' after "${key}"`, offset + i);
                    at = At.Value;
                    break;
                case At.Value:
                    if (c === OPEN_ARR && key === streamKey) {
                        streaming = true;
                        depth = 2;
                        at = At.Element;
                        first = true;
                        break;
                    }
                    if (c === COMMA || c === CLOSE_OBJ || c === CLOSE_ARR || c === COLON)
                        throw scanError(`expected a value for "${key}"`, offset + i);
                    pieceStart = i;
                    at = At.InValue;
                    if (c === OPEN_OBJ || c === OPEN_ARR)
                        depth++;
                    else if (c === QUOTE)
                        inString = true;
                    break;
                case At.InValue:
                case At.InElement: {
                    // A member value sits at depth 1, an element of the streamed array at depth 2; the capture is the same.
                    const base = at === At.InValue ? 1 : 2;
                    if (c === QUOTE)
                        inString = true;
                    else if (c === OPEN_OBJ || c === OPEN_ARR)
                        depth++;
                    else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
                        // At base depth: the end of a scalar and of its container at once.
                        if (depth === base)
                            end = i;
                        else if (--depth === base)
                            end = i + 1;
                    }
                    else if (c === COMMA && depth === base)
                        end = i;
                    if (end >= 0) {
                        const text = pieceText(parts, buf, pieceStart, end);
                        pieceStart = -1;
                        if (at === At.InValue) {
                            at = At.AfterValue;
                            if (handlers.member(key, text) === false)
                                return;
                        }
                        else {
                            at = At.AfterElement;
                            handlers.element(text);
                        }
                        i = end;
                        continue;
                    }
                    break;
                }
                case At.AfterValue:
                    if (c === COMMA) {
                        at = At.Key;
                        first = false;
                    }
                    else if (c === CLOSE_OBJ) {
                        depth = 0;
                        at = At.End;
                    }
                    else
                        throw scanError(`expected ',' or '}' after "${key}"`, offset + i);
                    break;
                case At.Element:
                    if (c === CLOSE_ARR && first) {
                        depth = 1;
                        at = At.AfterValue;
                        break;
                    }
                    if (c === COMMA || c === CLOSE_OBJ || c === CLOSE_ARR || c === COLON)
                        throw scanError(`expected an element of "${streamKey}"`, offset + i);
                    pieceStart = i;
                    at = At.InElement;
                    if (c === OPEN_OBJ || c === OPEN_ARR)
                        depth++;
                    else if (c === QUOTE)
                        inString = true;
                    break;
                case At.AfterElement:
                    if (c === COMMA) {
                        at = At.Element;
                        first = false;
                    }
                    else if (c === CLOSE_ARR) {
                        depth = 1;
                        at = At.AfterValue;
                    }
                    else
                        throw scanError(`expected ',' or ']' in "${streamKey}"`, offset + i);
                    break;
                case At.End:
                    throw scanError('unexpected text after the end of the document', offset + i);
            }
            i++;
        }
        if (pieceStart >= 0) {
            parts.push(Buffer.from(buf.subarray(pieceStart, n)));
            pieceStart = 0;
        }
        offset += n;
    }
    if (at !== At.End)
        throw new JsonScanError(`the document ends early, at byte ${offset}${streaming ? ` inside "${streamKey}"` : ''}`);
}
function scanError(problem, at) {
    return new JsonScanError(`${problem} at byte ${at}`);
}

;// CONCATENATED MODULE: ./actions/trivy-gate/stream.ts
// Streaming evaluation of a report file, so memory follows the findings kept (gated, ignored), not the
// size of the file: a Trivy JSON report is split into its Results by a byte scanner and each Result is
// JSON.parse'd and reduced to small Finding objects (Descriptions, References, CVSS, Packages dropped);
// a SARIF log goes through @streamparser/json one result at a time.





/** Paths the SARIF parser emits: none is an ancestor of another, so each emitted value is dropped from its parent. */
const SARIF_PATHS = ['$.version', '$.SchemaVersion', '$.runs.*.tool.driver.name', '$.runs.*.tool.driver.rules.*', '$.runs.*.results.*'];
function head(file) {
    const fd = external_node_fs_.openSync(file, 'r');
    try {
        const buf = Buffer.alloc(512);
        const n = external_node_fs_.readSync(fd, buf, 0, buf.length, 0);
        return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    }
    finally {
        external_node_fs_.closeSync(fd);
    }
}
function asString(value) {
    return typeof value === 'string' ? value : undefined;
}
function compactSarifResult(value) {
    const r = (value ?? {});
    const loc = r.locations?.[0]?.physicalLocation;
    return {
        ruleId: r.ruleId,
        ruleIndex: r.ruleIndex,
        message: { text: r.message?.text },
        locations: loc ? [{ physicalLocation: { artifactLocation: { uri: loc.artifactLocation?.uri }, region: { startLine: loc.region?.startLine } } }] : undefined,
    };
}
/**
 * Evaluates a Trivy JSON report (SchemaVersion 2) or a Trivy SARIF 2.1.0 log read from `file` as a stream.
 * Throws ReportFormatError for anything else, as parseReport does for text in memory.
 */
async function evaluateReportFile(file, policy, rules, options = {}) {
    const start = head(file);
    if (start === '')
        throw new ReportFormatError('not valid JSON (the file is empty)');
    if (start.startsWith('['))
        throw new ReportFormatError('a JSON array: reports of Trivy before 0.20 (schema 1) are not supported');
    if (!start.startsWith('{')) {
        if (/^(?:"|-?\d|true\b|false\b|null\b)/.test(start))
            throw new ReportFormatError('not a Trivy report (the top level is not a JSON object)');
        throw new ReportFormatError(`not valid JSON (it starts with ${JSON.stringify(start.slice(0, 20))})`);
    }
    const top = {};
    const evaluator = new gate/* Evaluator */.oi(policy, rules, options);
    let sarif = false;
    try {
        scanJsonFile(file, 'Results', {
            member(key, text) {
                // A SARIF log (its runs hold every result): read by the streaming parser below instead.
                if (key === 'runs' || (key === 'version' && !('SchemaVersion' in top))) {
                    sarif = true;
                    return false;
                }
                const value = JSON.parse(text);
                top[key] = value;
                if (key === 'SchemaVersion' && value !== 2)
                    throw new ReportFormatError(`Trivy report SchemaVersion ${JSON.stringify(value)} is not supported (expected 2, written by Trivy 0.20 and later)`);
                if (key === 'Results' && value !== null)
                    throw new ReportFormatError('Results is not a list');
                return true;
            },
            element(text) {
                const value = JSON.parse(text);
                if (typeof value !== 'object' || value === null || Array.isArray(value))
                    return;
                const r = value;
                evaluator.add({ target: r.Target ?? '', class: r.Class, type: r.Type, findings: (0,gate/* resultFindings */.sq)(r) });
            },
        });
    }
    catch (err) {
        if (err instanceof ReportFormatError)
            throw err;
        throw new ReportFormatError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (sarif)
        return evaluateSarifFile(file, policy, rules, options);
    if (!('SchemaVersion' in top)) {
        throw new ReportFormatError('not a Trivy JSON report (no SchemaVersion); Kubernetes, AWS, CycloneDX and SPDX outputs are not supported');
    }
    const evaluation = evaluator.finish();
    evaluation.artifactName = asString(top.ArtifactName);
    evaluation.artifactType = asString(top.ArtifactType);
    return { format: 'json', evaluation };
}
/** A SARIF log through @streamparser/json: results one at a time, reduced to the fields the gate reads. */
async function evaluateSarifFile(file, policy, rules, options) {
    let version;
    let schemaVersion = false;
    const runs = [];
    const runAt = (index) => (runs[index] ??= { rules: [], results: [] });
    const parser = new mjs/* JSONParser */.oj({ paths: SARIF_PATHS, keepStack: false });
    parser.onValue = ({ value, key, stack }) => {
        // stack[i].key is where stack[i + 1] (or, last, the value's parent) sits: [root, runs, index, …].
        const depth = stack.length;
        if (depth === 1) {
            if (key === 'version')
                version = value;
            else if (key === 'SchemaVersion')
                schemaVersion = true;
            return;
        }
        const run = runAt(Number(stack[2].key));
        if (key === 'name' && depth === 5)
            run.name = value;
        else if (stack[depth - 1].key === 'rules')
            run.rules[Number(key)] = (value ?? {});
        else if (stack[depth - 1].key === 'results')
            run.results.push(compactSarifResult(value));
    };
    try {
        for await (const chunk of external_node_fs_.createReadStream(file, { highWaterMark: 64 * 1024 }))
            parser.write(chunk);
        if (!parser.isEnded)
            parser.end();
    }
    catch (err) {
        throw new ReportFormatError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (typeof version !== 'string' || schemaVersion)
        throw new ReportFormatError('not a Trivy JSON report (no SchemaVersion) nor a SARIF log (no version); Kubernetes, AWS, CycloneDX and SPDX outputs are not supported');
    if (version !== '2.1.0')
        throw new ReportFormatError(`SARIF version ${version} is not supported (expected 2.1.0)`);
    const log = { version, runs: runs.map((r) => ({ tool: { driver: { name: asString(r.name), rules: r.rules } }, results: r.results })) };
    checkSarifTool(log);
    const evaluator = new gate/* Evaluator */.oi(policy, rules, options);
    for (const group of (0,gate/* sarifGroups */.EO)(log))
        evaluator.add(group);
    return { format: 'sarif', evaluation: evaluator.finish() };
}
/**
 * Copies a Trivy JSON report keeping only the findings `keep` accepts, one Result at a time (for
 * `trivy convert`; the other top-level members are copied after Results, their order does not matter).
 */
function writeFilteredReport(source, dest, keep) {
    const fd = external_node_fs_.openSync(dest, 'w');
    const tail = [];
    let count = 0;
    let pending = [];
    let size = 0;
    const write = (text) => {
        pending.push(text);
        size += text.length;
        if (size >= 1 << 20) {
            external_node_fs_.writeSync(fd, pending.join(''));
            pending = [];
            size = 0;
        }
    };
    try {
        write('{"Results":[');
        scanJsonFile(source, 'Results', {
            member: (key, text) => void tail.push(`${JSON.stringify(key)}:${text.trim()}`),
            element: (text) => write(`${count++ ? ',' : ''}${JSON.stringify((0,gate/* filterResult */.Qi)(JSON.parse(text), keep))}`),
        });
        write(`]${tail.filter((t) => !t.startsWith('"Results":')).map((t) => `,${t}`).join('')}}`);
        external_node_fs_.writeSync(fd, pending.join(''));
    }
    finally {
        external_node_fs_.closeSync(fd);
    }
}

;// CONCATENATED MODULE: ./actions/toolkit/text.ts
/** `text` cut to at most `max` characters, ending with '…' when it was cut. */
function truncate(text, max) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

;// CONCATENATED MODULE: ./actions/trivy-gate/summary.ts
// Job summary, rendered from evaluations (pure): per target counts, gated findings, ignored findings,
// expired ignore entries.


/** Rows the log table prints; the rest is in the findings file. */
const LOG_TABLE_LIMIT = 500;
/**
 * Byte budgets per summary section, whatever the report size: GitHub drops a step summary over 1 MiB
 * whole, so the sum stays far below it (and below its 64 KiB-per-table rendering sweet spot per section).
 */
const SUMMARY_BUDGET = { targets: 48 * 1024, gated: 128 * 1024, ignored: 48 * 1024, list: 16 * 1024 };
/** At most `limit` rows whose Markdown fits `budget` bytes; `omitted` counts the rest. */
function boundedRows(rows, limit, budget, total) {
    const out = [];
    let bytes = 0;
    for (const row of rows) {
        if (out.length >= limit)
            break;
        const size = Buffer.byteLength(row.join(' | ')) + 4;
        if (bytes + size > budget)
            break;
        bytes += size;
        out.push(row);
    }
    return { rows: out, omitted: total - out.length };
}
const ICON = { CRITICAL: '🟥', HIGH: '🟧', MEDIUM: '🟨', LOW: '🟦', UNKNOWN: '⬜' };
function summary_link(text, url) {
    const label = escapeCell(text).replace(/[[\]]/g, '\\$&');
    return url && /^https?:\/\//.test(url) ? `[${label}](${url.replace(/[()\s]/g, encodeURIComponent)})` : label;
}
/** A markdownTable whose cells are already Markdown (links): only pipes and newlines are escaped. */
function rawTable(headers, rows) {
    const line = (cells) => `| ${cells.map((c) => c.replace(/\|/g, '&#124;').replace(/\r?\n/g, ' ')).join(' | ')} |`;
    return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}
function where(f) {
    if (f.kind === 'vulnerability')
        return f.pkgName ?? f.target;
    return f.line ? `${f.target}:${f.line}` : f.target;
}
function versions(f) {
    if (f.kind !== 'vulnerability')
        return '';
    const fixed = f.fixedVersion && f.fixedVersion.trim() !== '' ? f.fixedVersion : 'no fix';
    return `${f.installedVersion ?? '?'} → ${fixed}`;
}
function expiryNote(entry) {
    return entry.expiresAt ? `until ${entry.expiresAt}` : 'no expiry';
}
function renderSummary(input) {
    // The evaluations keep the most severe findings only; the counts are complete.
    const gated = input.scans.flatMap((s) => s.evaluation.gated.map((f) => ({ scan: s, f })));
    const ignored = input.scans.flatMap((s) => s.evaluation.ignored.map((i) => ({ scan: s, i })));
    const gatedCount = input.scans.reduce((n, s) => n + s.evaluation.gatedCount, 0);
    const ignoredCount = input.scans.reduce((n, s) => n + s.evaluation.ignoredCount, 0);
    const passed = gatedCount === 0;
    const headline = passed
        ? '✅ passed'
        : input.warnOnly
            ? `⚠️ ${gatedCount} finding${gatedCount === 1 ? '' : 's'} at ${input.policy.severities.join(', ')} (warn-only: not failing)`
            : `❌ failed: ${gatedCount} finding${gatedCount === 1 ? '' : 's'} at ${input.policy.severities.join(', ')}`;
    const out = [`## Trivy gate ${headline}`, ''];
    const policy = [`severity ${input.policy.severities.join(', ')}`, `ignore-unfixed ${input.policy.ignoreUnfixed}`];
    policy.push(input.ignoreFiles.length ? `ignore file ${input.ignoreFiles.map((f) => `\`${f}\``).join(', ')}` : 'no ignore file');
    if (input.trivyVersion)
        policy.push(`Trivy ${input.trivyVersion}`);
    out.push(`Policy: ${policy.join(' · ')}`, '');
    for (const scan of input.scans) {
        const e = scan.evaluation;
        out.push(`### ${scan.kind} \`${escapeCell(scan.subject)}\``, '');
        if (e.targetCount === 0) {
            out.push('No findings (the report has no results).', '');
            continue;
        }
        // Targets with gated findings first, then by findings: what matters survives the cut.
        const ordered = e.targetCount > input.limit ? [...e.targets].sort((a, b) => (0,gate/* sumCounts */.W_)(b.gated) - (0,gate/* sumCounts */.W_)(a.gated) || (0,gate/* sumCounts */.W_)(b.total) - (0,gate/* sumCounts */.W_)(a.total)) : e.targets;
        const cells = (function* () {
            for (const t of ordered)
                yield [escapeCell(truncate(t.target || '(artifact)', 150)), escapeCell(t.class ?? ''), ...gate/* SEVERITIES */.oC.map((s) => String(t.total[s])), String((0,gate/* sumCounts */.W_)(t.gated)), String(t.ignored)];
        })();
        const { rows, omitted } = boundedRows(cells, Math.max(input.limit, 1), SUMMARY_BUDGET.targets, e.targetCount);
        if (omitted > 0)
            rows.push([`*…and ${omitted} more targets*`, '', '', '', '', '', '', '', '']);
        if (e.targetCount > 1)
            rows.push(['**total**', '', ...gate/* SEVERITIES */.oC.map((s) => `**${e.total[s]}**`), `**${(0,gate/* sumCounts */.W_)(e.gatedCounts)}**`, `**${e.ignoredCount}**`]);
        out.push(rawTable(['Target', 'Class', ...gate/* SEVERITIES */.oC.map((s) => `${ICON[s]} ${s[0]}${s.slice(1).toLowerCase()}`), 'Gated', 'Ignored'], rows), '');
    }
    if (gatedCount) {
        out.push(`### Gated findings (${gatedCount})`, '');
        const cells = (function* () {
            for (const { scan, f } of gated) {
                const note = f.expiredIgnore ? ` (ignore expired ${f.expiredIgnore.expiresAt}, ${escapeCell(f.expiredIgnore.source)})` : '';
                yield [summary_link(truncate(f.id, 80), f.url), `${ICON[f.severity]} ${f.severity}`, f.kind, escapeCell(truncate(where(f), 100)), escapeCell(truncate(versions(f), 80)), escapeCell(truncate(f.title ?? '', 100)) + note, escapeCell(truncate(`${scan.kind}: ${f.target}`, 150))];
            }
        })();
        const { rows, omitted } = boundedRows(cells, input.limit, SUMMARY_BUDGET.gated, gatedCount);
        if (rows.length)
            out.push(rawTable(['ID', 'Severity', 'Kind', 'Package / location', 'Installed → fixed', 'Title', 'Target'], rows));
        if (omitted > 0)
            out.push('', `…and ${omitted} more${moreWhere(input.findingsPath)}.`);
        out.push('');
    }
    if (ignoredCount) {
        out.push(`### Ignored findings (${ignoredCount})`, '');
        const cells = (function* () {
            for (const { scan, i } of ignored) {
                yield [
                    summary_link(truncate(i.finding.id, 80), i.finding.url),
                    `${ICON[i.finding.severity]} ${i.finding.severity}`,
                    escapeCell(truncate(where(i.finding), 100)),
                    escapeCell(truncate(`${scan.kind}: ${i.finding.target}`, 150)),
                    escapeCell(truncate(`${i.entry.source}, ${expiryNote(i.entry)}${i.entry.statement ? `: ${i.entry.statement}` : ''}`, 200)),
                ];
            }
        })();
        const { rows, omitted } = boundedRows(cells, input.limit, SUMMARY_BUDGET.ignored, ignoredCount);
        if (rows.length)
            out.push(rawTable(['ID', 'Severity', 'Package / location', 'Target', 'Why'], rows));
        if (omitted > 0)
            out.push('', `…and ${omitted} more${moreWhere(input.findingsPath)}.`);
        out.push('');
    }
    if (input.expired.length) {
        out.push(`### Expired ignore entries (${input.expired.length})`, '', 'These no longer apply; renew or remove them:', '');
        out.push(...boundedList(input.expired.map((e) => `- \`${escapeCell(truncate(e.id, 80))}\` expired ${e.expiresAt} (${escapeCell(e.source)})${e.statement ? `: ${escapeCell(truncate(e.statement, 200))}` : ''}`)), '');
    }
    if (input.ignoreWarnings.length) {
        out.push('### Ignore file warnings', '');
        out.push(...boundedList(input.ignoreWarnings.map((w) => `- ${escapeCell(truncate(w, 300))}`)), '');
    }
    return out.join('\n');
}
function moreWhere(findingsPath) {
    return findingsPath ? `: every finding is listed in \`${findingsPath}\` (the \`findings-path\` output; upload it with actions/upload-artifact)` : '';
}
function boundedList(lines) {
    const { rows, omitted } = boundedRows(lines.map((l) => [l]), Infinity, SUMMARY_BUDGET.list, lines.length);
    return [...rows.map((r) => r[0]), ...(omitted > 0 ? [`- …and ${omitted} more`] : [])];
}
/**
 * The log table of the gated findings, rendered from the evaluation itself (no `trivy convert`, so
 * mode report needs no Trivy for it): a count line per result target (the first 20), then one aligned
 * plain-text table, most severe first.
 */
function renderGatedTable(gated, total = gated.length) {
    if (gated.length === 0)
        return '';
    const byTarget = new Map();
    for (const f of gated) {
        const list = byTarget.get(f.target);
        if (list)
            list.push(f);
        else
            byTarget.set(f.target, [f]);
    }
    const out = [];
    let shownTargets = 0;
    for (const [target, findings] of byTarget) {
        if (shownTargets++ === 20) {
            out.push(`…and ${byTarget.size - 20} more targets`);
            break;
        }
        const counts = gate/* SEVERITIES */.oC.map((s) => [s, findings.filter((f) => f.severity === s).length]).filter(([, n]) => n > 0);
        out.push(`${target || '(artifact)'}: ${findings.length} gated (${counts.map(([s, n]) => `${s}: ${n}`).join(', ')})`);
    }
    if (total > gated.length)
        out.push(`(the ${gated.length} most severe of ${total} gated findings)`);
    const headers = ['ID', 'Severity', 'Kind', 'Package / location', 'Installed → fixed', 'Title', 'Target'];
    const rows = gated.map((f) => [f.id, f.severity, f.kind, truncate(where(f), 60), versions(f), truncate(oneLine(f.title ?? ''), 80) + (f.expiredIgnore ? ` (ignore expired ${f.expiredIgnore.expiresAt})` : ''), truncate(f.target || '(artifact)', 80)]);
    const widths = headers.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
    const line = (cells) => `│ ${cells.map((c, i) => c.padEnd(widths[i])).join(' │ ')} │`;
    const rule = (l, m, r) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
    out.push(rule('┌', '┬', '┐'), line(headers), rule('├', '┼', '┤'), ...rows.map(line), rule('└', '┴', '┘'));
    return out.join('\n');
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

// EXTERNAL MODULE: external "semver"
var external_semver_ = __webpack_require__(146);
// EXTERNAL MODULE: ./actions/toolkit/exec.ts
var exec = __webpack_require__(3890);
;// CONCATENATED MODULE: ./actions/trivy-gate/trivy.ts


const ALL_SEVERITIES = 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL';
/**
 * argv of one scan: JSON of every severity, unfiltered (the gate, ignore file and SARIF are ours),
 * no --exit-code (a non-zero exit is a scan error, findings never change it).
 */
function buildScanArgs(o, version) {
    const args = [o.kind, '--format', 'json', '--output', o.output, '--severity', ALL_SEVERITIES, '--ignorefile', o.emptyIgnoreFile, '--cache-dir', o.cacheDir, '--timeout', o.timeout];
    if (o.kind !== 'config') {
        // Older Trivy takes a single repository; fallback lists arrived in 0.56.
        const lists = version === 'dev' || external_semver_.gte(external_semver_.coerce(version) ?? '0.0.0', '0.56.0');
        const repos = (r) => (lists ? r.join(',') : r[0]);
        args.push('--scanners', o.scanners.join(','), '--list-all-pkgs=false', '--no-progress');
        args.push('--db-repository', repos(o.dbRepositories));
        if (o.javaDbRepositories.length)
            args.push('--java-db-repository', repos(o.javaDbRepositories));
        if (o.skipDbUpdate)
            args.push('--skip-db-update');
        if (o.skipJavaDbUpdate)
            args.push('--skip-java-db-update');
    }
    for (const dir of o.skipDirs ?? [])
        args.push('--skip-dirs', dir);
    args.push(o.target);
    return args;
}
/** Environment settings that would filter or fail Trivy's JSON behind the gate's back are removed. */
const NEUTRALISED_ENV = ['TRIVY_SEVERITY', 'TRIVY_IGNORE_UNFIXED', 'TRIVY_IGNORE_STATUS', 'TRIVY_EXIT_CODE', 'TRIVY_EXIT_ON_EOL', 'TRIVY_IGNOREFILE', 'TRIVY_FORMAT', 'TRIVY_OUTPUT', 'TRIVY_TEMPLATE', 'TRIVY_IGNORE_POLICY', 'TRIVY_QUIET'];
function parseTrivyVersion(output) {
    const m = /Version:\s*v?([0-9]+\.[0-9]+\.[0-9]+[^\s]*|dev)/.exec(output);
    return m?.[1];
}
/** The trivy CLI, over the toolkit's runCommand; failure is its exit code alone. */
class Trivy {
    bin;
    env;
    cachedVersion;
    constructor(bin, env = {}) {
        this.bin = bin;
        this.env = { ...Object.fromEntries(NEUTRALISED_ENV.map((k) => [k, undefined])), ...env };
    }
    version() {
        this.cachedVersion ??= (0,exec/* runCommand */.d1)(this.bin, ['--version'], { env: this.env }).then((r) => {
            const v = parseTrivyVersion(r.stdout);
            if (!v)
                throw new errors/* ActionError */.lZ(`could not read the version of ${this.bin} from: ${r.stdout.trim().split('\n')[0] ?? ''}`);
            return v;
        });
        return this.cachedVersion;
    }
    async scan(options, cwd) {
        const version = await this.version();
        return (0,exec/* runCommand */.d1)(this.bin, buildScanArgs(options, version), { env: this.env, cwd });
    }
    /**
     * `trivy convert` re-renders a saved JSON report (SARIF, table…) without scanning again; the empty
     * ignore file stops it from re-applying the workspace's .trivyignore on top of ours.
     */
    async convert(format, input, emptyIgnoreFile, output) {
        const args = ['convert', '--format', format, '--ignorefile', emptyIgnoreFile, ...(output ? ['--output', output] : []), input];
        return (0,exec/* runCommand */.d1)(this.bin, args, { env: this.env });
    }
}

;// CONCATENATED MODULE: ./actions/trivy-gate/gate-run.ts














/** @actions/cache (and the Azure SDK under it) is loaded only when a scan needs the DB: mode report stays light. */
function dbCache() {
    return Promise.all(/* import() */[__webpack_require__.e(691), __webpack_require__.e(18)]).then(__webpack_require__.bind(__webpack_require__, 5018));
}
function loadIgnoreRules(files, now) {
    const entries = [];
    const warnings = [];
    for (const file of files) {
        const text = external_node_fs_.readFileSync(file, 'utf8');
        const label = external_node_path_.relative((0,trivy_gate_inputs/* workspace */.Gl)(), file) || file;
        try {
            if (/\.ya?ml$/i.test(file))
                entries.push(...(0,ignore/* parseTrivyIgnoreYaml */.bt)(text, label));
            else {
                const parsed = (0,ignore/* parseTrivyIgnore */.O1)(text, label);
                entries.push(...parsed.entries);
                warnings.push(...parsed.warnings);
            }
        }
        catch (err) {
            if (err instanceof ignore/* IgnoreFileError */.de)
                throw new errors/* InputError */.dz('ignore-file', err.message);
            throw err;
        }
    }
    return (0,ignore/* buildRules */.aL)(entries, now, warnings);
}
function makeOutputDirs() {
    const base = external_node_path_.join(runnerTemp(), `trivy-gate-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`);
    const dirs = { reports: external_node_path_.join(base, 'reports'), sarif: external_node_path_.join(base, 'sarif'), work: external_node_path_.join(base, 'work') };
    for (const d of Object.values(dirs))
        external_node_fs_.mkdirSync(d, { recursive: true });
    return { base, ...dirs };
}
/** Streams the report through the gate (memory follows the findings kept, not the file size). */
async function evaluateFile(file, source, policy, rules, options) {
    try {
        return await evaluateReportFile(file, policy, rules, options);
    }
    catch (err) {
        if (err instanceof ReportFormatError) {
            if (source === 'report')
                throw new errors/* InputError */.dz('report', `${file}: ${err.message}`);
            throw new errors/* ActionError */.lZ(`trivy ${source} wrote an unusable report ${file}: ${err.message}`);
        }
        throw err;
    }
}
/** The gate, once main.ts has read the inputs: set up Trivy, scan or read the report, evaluate, outputs and summary. */
async function gate_run_gate(inputs) {
    const now = new Date();
    const rules = loadIgnoreRules(inputs.ignoreFiles, now);
    const policy = { severities: inputs.severities, ignoreUnfixed: inputs.ignoreUnfixed };
    for (const w of rules.warnings)
        lib_core/* warning */.$e(w);
    for (const e of rules.expired)
        lib_core/* warning */.$e(`Ignore entry ${e.id} (${e.source}) expired on ${e.expiresAt}: it no longer applies`);
    const dirs = makeOutputDirs();
    let trivy;
    const produced = [];
    // Every gated and ignored finding goes to this file as it is evaluated; memory keeps only what is shown.
    const findings = new FindingsFile(external_node_path_.join(dirs.base, 'findings.tsv'));
    const keep = Math.max(inputs.summaryLimit, LOG_TABLE_LIMIT);
    const evaluating = (scan) => ({ keep, keepTargets: Math.max(inputs.summaryLimit, 1), sink: findings.sink(scan) });
    try {
        if (inputs.mode === 'report') {
            const { format, evaluation } = await evaluateFile(inputs.report, 'report', policy, rules, evaluating('report'));
            const scan = { kind: 'report', subject: external_node_path_.relative((0,trivy_gate_inputs/* workspace */.Gl)(), inputs.report) || inputs.report, evaluation };
            if (format === 'json') {
                produced.push({ scan, json: inputs.report });
                // Only SARIF needs Trivy here; the table is rendered from this evaluation.
                if (inputs.sarif)
                    trivy = await setUpTrivy(inputs, false);
            }
            else {
                produced.push({ scan, sarifInput: inputs.report });
            }
        }
        else {
            trivy = await setUpTrivy(inputs, true);
            for (const kind of inputs.targets)
                produced.push(await scanTarget(trivy, kind, inputs, policy, rules, dirs, now, evaluating(kind)));
        }
        await convertReports(trivy, produced, inputs, rules, dirs, findings.path);
    }
    catch (err) {
        lib_core/* setOutput */.uH('passed', 'false');
        throw err;
    }
    finally {
        findings.close();
    }
    const scans = produced.map((p) => p.scan);
    const findingsPath = findings.path;
    writeOutputs(scans, produced, inputs, findingsPath);
    await appendSummary(renderSummary({
        scans,
        policy,
        ignoreFiles: inputs.ignoreFiles.map((f) => external_node_path_.relative((0,trivy_gate_inputs/* workspace */.Gl)(), f) || f),
        expired: rules.expired,
        ignoreWarnings: rules.warnings,
        limit: inputs.summaryLimit,
        warnOnly: inputs.warnOnly,
        trivyVersion: trivy ? await trivy.version() : undefined,
        findingsPath,
    }));
    const gated = scans.flatMap((s) => s.evaluation.gated);
    const gatedCount = scans.reduce((n, s) => n + s.evaluation.gatedCount, 0);
    if (gatedCount === 0) {
        lib_core/* info */.pq(`Trivy gate passed: no finding at ${inputs.severities.join(', ')}${inputs.ignoreUnfixed ? ' with a fix' : ''}`);
        return;
    }
    const counts = gate/* SEVERITIES */.oC.filter((s) => scans.some((x) => x.evaluation.gatedCounts[s] > 0)).map((s) => `${scans.reduce((n, x) => n + x.evaluation.gatedCounts[s], 0)} ${s}`);
    const ids = [...new Set(gated.map((f) => f.id))];
    // The evaluations keep the most severe findings only: past them, the IDs are in the findings file.
    const more = gated.length < gatedCount ? `, and more (every one in ${findingsPath})` : ids.length > 10 ? `, and ${ids.length - 10} more` : '';
    const message = `Trivy gate: ${gatedCount} finding${gatedCount === 1 ? '' : 's'} at ${inputs.severities.join(', ')} (${counts.join(', ')}): ${ids.slice(0, 10).join(', ')}${more}`;
    if (inputs.warnOnly) {
        lib_core/* warning */.$e(`${message} (warn-only: not failing)`);
        return;
    }
    throw new errors/* ActionError */.lZ(message);
}
async function setUpTrivy(inputs, forScan) {
    return lib_core/* group */.Os('Set up Trivy', async () => {
        const bin = await resolveTrivy(inputs.usePathTrivy, inputs.trivyVersion, inputs.trivyDownloadUrl);
        const env = {};
        if (forScan && inputs.registryUsername) {
            env.TRIVY_USERNAME = inputs.registryUsername;
            env.TRIVY_PASSWORD = inputs.registryPassword;
        }
        const trivy = new Trivy(bin, env);
        lib_core/* info */.pq(`Trivy ${await trivy.version()} (${bin})`);
        if (forScan && inputs.cache)
            await (await dbCache()).restoreDbCache(inputs.cacheDir, new Date());
        return trivy;
    });
}
async function scanTarget(trivy, kind, inputs, policy, rules, dirs, now, evaluating) {
    const subject = kind === 'image' ? inputs.imageRef : inputs.path;
    return lib_core/* group */.Os(`Scan ${kind} ${subject}`, async () => {
        const output = external_node_path_.join(dirs.reports, `${kind}.json`);
        const emptyIgnoreFile = emptyIgnore(dirs);
        const { decideSkip } = await dbCache();
        const db = decideSkip(inputs.skipDbUpdate, inputs.cacheDir, now, 'db');
        const javaDb = decideSkip(inputs.skipDbUpdate, inputs.cacheDir, now, 'java-db');
        if (db.warning)
            lib_core/* warning */.$e(db.warning);
        if (db.skip)
            lib_core/* info */.pq('Vulnerability DB is fresh in the cache: --skip-db-update');
        const inside = kind !== 'image' && isInside(inputs.cacheDir, subject);
        const started = Date.now();
        const result = await trivy.scan({
            kind,
            target: subject,
            output,
            emptyIgnoreFile,
            cacheDir: inputs.cacheDir,
            scanners: inputs.scanners,
            timeout: inputs.timeout,
            dbRepositories: inputs.dbRepositories,
            javaDbRepositories: inputs.javaDbRepositories,
            skipDbUpdate: db.skip,
            skipJavaDbUpdate: javaDb.skip,
            skipDirs: inside ? [inputs.cacheDir] : [],
        }, (0,trivy_gate_inputs/* workspace */.Gl)());
        if (result.stderr.trim())
            lib_core/* info */.pq(result.stderr.trim());
        if (!external_node_fs_.existsSync(output))
            throw new errors/* ActionError */.lZ(`trivy ${kind} exited 0 but wrote no report at ${output}`);
        const { format, evaluation } = await evaluateFile(output, kind, policy, rules, evaluating);
        if (format !== 'json')
            throw new errors/* ActionError */.lZ(`trivy ${kind} wrote SARIF instead of JSON at ${output}`);
        lib_core/* info */.pq(`${kind}: ${(0,gate/* sumCounts */.W_)(evaluation.total)} findings, ${evaluation.gatedCount} gated, ${evaluation.ignoredCount} ignored (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        return { scan: { kind, subject: kind === 'image' ? subject : external_node_path_.relative((0,trivy_gate_inputs/* workspace */.Gl)(), subject) || '.', evaluation }, json: output };
    });
}
/** An empty ignore file: Trivy's own ignore handling off, ours applies. */
function emptyIgnore(dirs) {
    const file = external_node_path_.join(dirs.work, 'empty.trivyignore');
    if (!external_node_fs_.existsSync(file))
        external_node_fs_.writeFileSync(file, '');
    return file;
}
function isInside(child, parent) {
    const rel = external_node_path_.relative(parent, child);
    return rel !== '' && !rel.startsWith('..') && !external_node_path_.isAbsolute(rel);
}
/**
 * SARIF (all severities, ignore file applied): `trivy convert` of the JSON, or the SARIF input itself
 * (a copy without the ignored results when the ignore file removed any). Then the log table of the gated
 * findings, rendered from the evaluation and bounded (the full list is in the findings file).
 */
async function convertReports(trivy, produced, inputs, rules, dirs, findingsPath) {
    const emptyIgnoreFile = emptyIgnore(dirs);
    for (const p of produced) {
        const name = p.scan.kind;
        const json = p.json;
        if (inputs.sarif && trivy && json) {
            await lib_core/* group */.Os(`SARIF for ${name}`, async () => {
                let input = json;
                if (p.scan.evaluation.ignoredCount) {
                    input = external_node_path_.join(dirs.work, `${name}.not-ignored.json`);
                    writeFilteredReport(json, input, (f) => !(0,gate/* ignoreEntryFor */.wB)(f, rules.active));
                }
                const sarif = external_node_path_.join(dirs.sarif, `${name}.sarif`);
                await trivy.convert('sarif', input, emptyIgnoreFile, sarif);
                tagSarifCategory(sarif, name);
                p.sarif = sarif;
                lib_core/* info */.pq(`SARIF written to ${sarif}`);
            });
        }
        if (inputs.sarif && p.sarifInput) {
            if (p.scan.evaluation.ignoredCount === 0)
                p.sarif = p.sarifInput;
            else {
                // Trivy SARIF is a fraction of the JSON's size: read whole, only when something was ignored.
                const parsed = parseReport(external_node_fs_.readFileSync(p.sarifInput, 'utf8'));
                if (parsed.format !== 'sarif')
                    throw new errors/* ActionError */.lZ(`${p.sarifInput} changed while it was read`);
                const sarif = external_node_path_.join(dirs.sarif, `${name}.sarif`);
                external_node_fs_.writeFileSync(sarif, JSON.stringify((0,gate/* filterSarif */.EH)(parsed.sarif, (f) => !(0,gate/* ignoreEntryFor */.wB)(f, rules.active)), null, 2));
                p.sarif = sarif;
                lib_core/* info */.pq(`SARIF without the ${p.scan.evaluation.ignoredCount} ignored findings written to ${sarif}`);
            }
        }
        if (inputs.table && !p.scan.evaluation.passed) {
            await lib_core/* group */.Os(`Gated findings of ${name} (table)`, async () => {
                const { gated, gatedCount } = p.scan.evaluation;
                lib_core/* info */.pq(renderGatedTable(gated.slice(0, LOG_TABLE_LIMIT), gatedCount));
                if (gatedCount > LOG_TABLE_LIMIT)
                    lib_core/* info */.pq(`…and ${gatedCount - LOG_TABLE_LIMIT} more gated findings: every one is in ${findingsPath} (the findings-path output)`);
            });
        }
    }
}
/** A distinct category per target, so code scanning keeps the runs of several targets apart. */
function tagSarifCategory(file, kind) {
    try {
        const doc = JSON.parse(external_node_fs_.readFileSync(file, 'utf8'));
        for (const run of doc.runs ?? [])
            run.automationDetails ??= { id: `trivy-gate/${kind}/` };
        external_node_fs_.writeFileSync(file, JSON.stringify(doc, null, 2));
    }
    catch (err) {
        throw new errors/* ActionError */.lZ(`trivy convert wrote an unreadable SARIF file ${file}: ${(0,errors/* errorMessage */.gJ)(err)}`);
    }
}
function total(scans, pick) {
    const out = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
    for (const s of scans)
        for (const k of gate/* SEVERITIES */.oC)
            out[k] += pick(s.evaluation)[k];
    return out;
}
function writeOutputs(scans, produced, inputs, findingsPath) {
    const totals = total(scans, (e) => e.total);
    const gated = total(scans, (e) => e.gatedCounts);
    const ignored = scans.reduce((n, s) => n + s.evaluation.ignoredCount, 0);
    lib_core/* setOutput */.uH('passed', String(scans.every((s) => s.evaluation.passed)));
    lib_core/* setOutput */.uH('gated', String((0,gate/* sumCounts */.W_)(gated)));
    lib_core/* setOutput */.uH('total', String((0,gate/* sumCounts */.W_)(totals)));
    for (const s of gate/* SEVERITIES */.oC)
        lib_core/* setOutput */.uH(s.toLowerCase(), String(totals[s]));
    lib_core/* setOutput */.uH('ignored', String(ignored));
    lib_core/* setOutput */.uH('counts', JSON.stringify({
        total: totals,
        gated,
        ignored,
        byTarget: scans.map((s) => ({ kind: s.kind, subject: s.subject, total: s.evaluation.total, gated: s.evaluation.gatedCounts, ignored: s.evaluation.ignoredCount })),
    }));
    const one = (files, dir) => {
        const present = files.filter((f) => Boolean(f));
        if (present.length === 0)
            return '';
        return present.length === 1 ? present[0] : dir;
    };
    lib_core/* setOutput */.uH('report-path', inputs.mode === 'report' ? inputs.report : one(produced.map((p) => p.json), external_node_path_.dirname(produced[0]?.json ?? '')));
    lib_core/* setOutput */.uH('sarif-path', one(produced.map((p) => p.sarif), external_node_path_.dirname(produced.find((p) => p.sarif)?.sarif ?? '')));
    lib_core/* setOutput */.uH('findings-path', findingsPath);
}


/***/ })

};
