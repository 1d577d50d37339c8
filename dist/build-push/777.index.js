export const id = 777;
export const ids = [777];
export const modules = {

/***/ 3764:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T1: () => (/* binding */ defaultContext),
/* harmony export */   Tc: () => (/* binding */ localEngineSocket),
/* harmony export */   Ty: () => (/* binding */ engineInfo),
/* harmony export */   Vh: () => (/* binding */ readJson),
/* harmony export */   aM: () => (/* binding */ prefetchEngineInfo),
/* harmony export */   bA: () => (/* binding */ enginePush)
/* harmony export */ });
/* unused harmony exports EnginePushError, pushStreamError, registryAuthHeader */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
// The Docker Engine API on its local unix socket, for the two things build-push asks the daemon directly (the
// docker CLI costs ~0.05 s to start, and `docker info` gathers far more than the image store): GET /info and
// POST /images/{name}/push. Only where the CLI would talk to a local socket; elsewhere the CLI is used.




/** A docker config file: undefined when absent, 'unreadable' when not JSON. */
function readJson(file) {
    if (!node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync(file))
        return undefined;
    try {
        return JSON.parse(node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync(file, 'utf8'));
    }
    catch {
        return 'unreadable';
    }
}
/** True when the docker CLI would talk to its default context (no DOCKER_CONTEXT, no currentContext in config.json). */
function defaultContext(dockerConfig, env) {
    if (env.DOCKER_CONTEXT && env.DOCKER_CONTEXT !== 'default')
        return false;
    const config = readJson(node_path__WEBPACK_IMPORTED_MODULE_3__.join(dockerConfig, 'config.json'));
    return config !== 'unreadable' && (!config?.currentContext || config.currentContext === 'default');
}
/**
 * The daemon's unix socket when the docker CLI's endpoint is one: DOCKER_HOST=unix://…, or the default context's
 * /var/run/docker.sock. Undefined for any other endpoint (tcp, ssh, a named context): ask the CLI.
 */
function localEngineSocket(dockerConfig, env = process.env) {
    if (env.DOCKER_HOST)
        return env.DOCKER_HOST.startsWith('unix://') ? env.DOCKER_HOST.slice('unix://'.length) : undefined;
    return defaultContext(dockerConfig, env) ? '/var/run/docker.sock' : undefined;
}
let early;
/**
 * Sends GET /info as the bundle starts, for the socket the user's docker config points at, and resolves once the
 * request is written (~1 ms): the daemon then works on it (~0.05 s) while the action's modules load, which blocks
 * the event loop (a request only started would be sent after them). engineInfo on the same socket takes that
 * answer. A read, nothing else: bad input still fails before anything is done.
 */
async function prefetchEngineInfo(env = process.env, home = node_os__WEBPACK_IMPORTED_MODULE_2__.homedir()) {
    const socket = localEngineSocket(env.DOCKER_CONFIG || node_path__WEBPACK_IMPORTED_MODULE_3__.join(home, '.docker'), env);
    if (!socket)
        return;
    const { info, sent } = requestInfo(socket);
    info.catch(() => undefined);
    early = { socket, info };
    await sent;
}
/** GET /info on the Engine API over a unix socket (the prefetched answer when there is one for this socket). */
function engineInfo(socketPath, timeoutMs = 10_000) {
    if (early?.socket === socketPath) {
        const { info } = early;
        early = undefined;
        return info;
    }
    return requestInfo(socketPath, timeoutMs).info;
}
/**
 * GET /info on the Engine API over a unix socket. `info` rejects on a connection error or a non-200 answer; `sent`
 * resolves when the request is flushed to the socket, or when it failed (then `info` says why).
 */
function requestInfo(socketPath, timeoutMs = 10_000) {
    let flushed = () => undefined;
    const sent = new Promise((resolve) => (flushed = resolve));
    const info = new Promise((resolve, reject) => {
        const req = node_http__WEBPACK_IMPORTED_MODULE_1__.get({ socketPath, path: '/info', timeout: timeoutMs, headers: { Host: 'docker' } }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
                if (res.statusCode !== 200)
                    return reject(new Error(`GET /info on ${socketPath}: ${res.statusCode}`));
                try {
                    resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
                }
                catch (err) {
                    reject(err instanceof Error ? err : new Error(String(err)));
                }
            });
            res.on('error', reject);
        });
        req.on('finish', flushed);
        req.on('timeout', () => req.destroy(new Error(`GET /info on ${socketPath}: no answer in ${timeoutMs} ms`)));
        req.on('error', (err) => {
            flushed();
            reject(err);
        });
    });
    return { info, sent };
}
/** A push the daemon reported failed: its own message (the one `docker push` prints). */
class EnginePushError extends Error {
    constructor(message) {
        super(message);
        this.name = 'EnginePushError';
    }
}
/**
 * The error in a push's JSON-lines progress stream: the daemon answers 200 and reports a failure in the stream
 * (`{"errorDetail":{"message":…},"error":…}`), so the stream is read to its end. Undefined when it has none.
 */
function pushStreamError(stream) {
    for (const line of stream.split('\n')) {
        if (!line.trim())
            continue;
        try {
            const msg = JSON.parse(line);
            if (msg.errorDetail?.message || msg.error)
                return msg.errorDetail?.message ?? msg.error;
        }
        catch {
            // a partial line: nothing to report
        }
    }
    return undefined;
}
/**
 * X-Registry-Auth: the credentials' JSON in Go's base64.URLEncoding, as the docker CLI sends it (`e30=` for none):
 * the URL alphabet WITH padding. Node's base64url has no padding, and the daemon then ignores the credentials
 * ("authorization failed: no basic auth credentials", seen on Docker 26).
 */
function registryAuthHeader(auth) {
    return Buffer.from(JSON.stringify(auth ?? {})).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
/** POST /images/{name}/push?tag={tag}; resolves when the daemon's stream ends without an error. */
function enginePush(socketPath, name, tag, auth) {
    const ref = `${name}:${tag}`;
    const header = registryAuthHeader(auth);
    return new Promise((resolve, reject) => {
        const req = node_http__WEBPACK_IMPORTED_MODULE_1__.request({ socketPath, method: 'POST', path: `/images/${name}/push?tag=${encodeURIComponent(tag)}`, headers: { Host: 'docker', 'X-Registry-Auth': header } }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
                const body = Buffer.concat(chunks).toString('utf8');
                if (res.statusCode !== 200) {
                    const message = (() => {
                        try {
                            return JSON.parse(body).message;
                        }
                        catch {
                            return undefined;
                        }
                    })();
                    return reject(new EnginePushError(`push ${ref}: ${res.statusCode} ${message ?? body.trim().slice(0, 300)}`));
                }
                const error = pushStreamError(body);
                if (error)
                    reject(new EnginePushError(`push ${ref}: ${error}`));
                else
                    resolve();
            });
            res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
    });
}


/***/ }),

/***/ 4655:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  r_: () => (/* binding */ isValidTag),
  "if": () => (/* binding */ parseImageName),
  sx: () => (/* binding */ platformError),
  iP: () => (/* binding */ sanitizeTag)
});

;// CONCATENATED MODULE: ./actions/toolkit/image-ref.ts
// Image references as registries and go-containerregistry parse them (the distribution reference grammar):
// `[registry[:port]/]path[:tag][@sha256:<64 hex>]`. The first component is a registry when it has a '.' or ':'
// or is localhost; path components are lowercase.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
/** A valid image tag: letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-'. */
function isValidImageTag(tag) {
    return TAG.test(tag);
}
/**
 * Splits and validates an image reference. Returns the parts, or what is wrong as a phrase that follows the
 * quoted reference in an error ("has a malformed digest …"), so each action names its own input.
 */
function parseImageReference(raw) {
    const ref = raw.trim();
    if (ref === '')
        return 'is empty';
    if (/\s/.test(ref))
        return 'contains whitespace';
    const at = ref.indexOf('@');
    const name = at >= 0 ? ref.slice(0, at) : ref;
    const digest = at >= 0 ? ref.slice(at + 1) : undefined;
    if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest))
        return `has a malformed digest '${digest}' (sha256: and 64 lowercase hex digits)`;
    const slash = name.lastIndexOf('/');
    const colon = name.lastIndexOf(':');
    const tag = colon > slash ? name.slice(colon + 1) : undefined;
    const repository = tag !== undefined ? name.slice(0, colon) : name;
    if (tag !== undefined && !isValidImageTag(tag))
        return `has an invalid tag '${tag}' (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')`;
    const parts = repository.split('/');
    const registry = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost') ? parts[0] : undefined;
    if (registry !== undefined && !DOMAIN.test(registry))
        return `has an invalid registry '${registry}'`;
    const components = registry !== undefined ? parts.slice(1) : parts;
    if (components.some((c) => c === ''))
        return 'has an empty path component';
    const path = components.join('/');
    if (path !== path.toLowerCase())
        return `has uppercase letters in the repository '${path}' (repositories are lowercase)`;
    const invalid = components.find((c) => !PATH_COMPONENT.test(c));
    if (invalid !== undefined)
        return `has an invalid repository component '${invalid}' (lowercase letters and digits, separated by '.', '_', '__' or '-')`;
    if (repository.length > 255)
        return `has a repository name of ${repository.length} characters (at most 255)`;
    return { ...(registry !== undefined ? { registry } : {}), path, name: repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

;// CONCATENATED MODULE: ./actions/build-push/images.ts
// Image names for `images`: references without tag or digest (tags are computed), lowercased.

/** Parses one `images` entry; returns an error string instead of throwing, so the caller names the input. */
function parseImageName(raw) {
    const name = raw.trim().toLowerCase();
    if (name.includes('@'))
        return `'${raw}' must not contain a digest`;
    const lastSlash = name.lastIndexOf('/');
    if (name.slice(lastSlash + 1).includes(':'))
        return `'${raw}' must not contain a tag (tags are computed; add extra ones with the tags input)`;
    const parsed = parseImageReference(name);
    if (typeof parsed === 'string')
        return `'${raw}' is not a valid image name: it ${parsed}`;
    const domain = parsed.registry;
    const registry = !domain || domain === 'index.docker.io' || domain === 'registry-1.docker.io' ? 'docker.io' : domain;
    const repository = registry === 'docker.io' && !parsed.path.includes('/') ? `library/${parsed.path}` : parsed.path;
    return { name, registry, repository };
}
function isValidTag(tag) {
    return isValidImageTag(tag);
}
/** Turns a branch or git tag into a valid image tag: invalid characters → '-', no leading '.'/'-', ≤128. */
function sanitizeTag(raw) {
    let tag = raw.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '');
    tag = tag.slice(0, 128).replace(/[.-]+$/, '');
    return tag === '' ? 'unnamed' : tag;
}
const OS = ['linux', 'windows', 'darwin', 'freebsd'];
const ARCH_VARIANTS = {
    amd64: ['v1', 'v2', 'v3', 'v4'],
    arm64: ['v8'],
    arm: ['v5', 'v6', 'v7'],
    '386': [],
    ppc64le: [],
    s390x: [],
    riscv64: [],
    mips64le: [],
    loong64: [],
};
/** Validates `os/arch[/variant]`; returns an error string or undefined. */
function platformError(platform) {
    const parts = platform.split('/');
    if (parts.length < 2 || parts.length > 3)
        return `'${platform}' is not os/arch[/variant]`;
    const [os, arch, variant] = parts;
    if (!OS.includes(os))
        return `'${platform}': unknown OS '${os}' (expected one of ${OS.join(', ')})`;
    if (!(arch in ARCH_VARIANTS))
        return `'${platform}': unknown architecture '${arch}' (expected one of ${Object.keys(ARCH_VARIANTS).join(', ')})`;
    if (variant !== undefined && !ARCH_VARIANTS[arch].includes(variant))
        return `'${platform}': unknown variant '${variant}' for ${arch}`;
    return undefined;
}


/***/ }),

/***/ 7171:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(6058);
// EXTERNAL MODULE: ./actions/toolkit/errors.ts
var errors = __webpack_require__(8232);
// EXTERNAL MODULE: ./actions/toolkit/state.ts
var state = __webpack_require__(8682);
;// CONCATENATED MODULE: ./actions/toolkit/action.ts



/** One outer catch per action: decides main vs post, turns every error into core.setFailed. */
async function runAction(steps) {
    if ((0,state/* isPost */.tl)()) {
        if (!steps.post)
            return;
        try {
            await steps.post();
        }
        catch (err) {
            // A failed clean-up is worth a warning, not a red job after a green main.
            core/* warning */.$e(`post step: ${(0,errors/* errorMessage */.gJ)(err)}`);
        }
        return;
    }
    // Marked on the next turn of the event loop, and awaited before main ends: the state file's write (and the
    // crypto module @actions/core loads for its delimiter, ~13 ms) then overlaps the first processes main starts
    // instead of delaying them.
    const started = new Promise((resolve, reject) => setImmediate(() => {
        try {
            (0,state/* markMainStarted */.UM)();
            resolve();
        }
        catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
        }
    }));
    try {
        await steps.main();
    }
    catch (err) {
        if (!(err instanceof errors/* InputError */.dz || err instanceof errors/* ActionError */.lZ || err instanceof errors/* CommandError */.Qd) && err instanceof Error && err.stack) {
            core/* debug */.Yz(err.stack);
        }
        core/* setFailed */.C1((0,errors/* errorMessage */.gJ)(err));
    }
    finally {
        await started.catch((err) => core/* setFailed */.C1(`could not record the main step's state: ${(0,errors/* errorMessage */.gJ)(err)}`));
    }
}

// EXTERNAL MODULE: ./actions/toolkit/summary.ts
var summary = __webpack_require__(7811);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./actions/build-push/context.ts

/** The GitHub context from the runner's environment and event payload. */
function readRunContext(env = process.env) {
    let event = {};
    if (env.GITHUB_EVENT_PATH && external_node_fs_.existsSync(env.GITHUB_EVENT_PATH)) {
        event = JSON.parse(external_node_fs_.readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
    }
    return {
        eventName: env.GITHUB_EVENT_NAME ?? '',
        ref: env.GITHUB_REF ?? '',
        sha: env.GITHUB_SHA ?? '',
        prHeadSha: event.pull_request?.head?.sha,
        prNumber: event.pull_request?.number,
        defaultBranch: event.repository?.default_branch,
        repository: env.GITHUB_REPOSITORY ?? '',
        actor: env.GITHUB_ACTOR ?? '',
        serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
        workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
        runId: env.GITHUB_RUN_ID ?? String(process.pid),
        onGitHub: Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL)),
        headCommit: event.head_commit ?? undefined,
        apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    };
}

// EXTERNAL MODULE: ./actions/build-push/engine.ts
var engine = __webpack_require__(3764);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./actions/toolkit/exec.ts
var exec = __webpack_require__(3890);
;// CONCATENATED MODULE: ./actions/toolkit/inputs.ts


/** Splits a list input on newlines and commas; trims; drops empties and `#` comment lines. */
function parseList(raw, { comma = true } = {}) {
    return raw
        .split(/\r?\n/)
        .flatMap((line) => (comma ? line.split(',') : [line]))
        .map((item) => item.trim())
        .filter((item) => item !== '' && !item.startsWith('#'));
}
function parseBoolean(name, raw) {
    const value = raw.trim().toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(value))
        return true;
    if (['false', 'no', '0', 'off'].includes(value))
        return false;
    throw new errors/* InputError */.dz(name, `expected true or false, got '${raw}'`);
}
/** Go-style durations as Helm and kubectl take them: 300, 90s, 5m, 1h30m, 1.5s, 250ms. Returns ms. */
function parseDuration(name, raw) {
    const value = raw.trim();
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
    let total = 0;
    let consumed = 0;
    let match;
    while ((match = re.exec(value)) !== null) {
        const n = Number(match[1]);
        total += n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2]];
        consumed = re.lastIndex;
    }
    if (value === '' || consumed !== value.length) {
        throw new errors/* InputError */.dz(name, `'${raw}' is not a duration (use e.g. 30s, 5m, 1h30m)`);
    }
    return Math.round(total);
}
/** Formats ms as a Go duration string (what --timeout flags take). */
function formatDuration(ms) {
    const s = Math.max(1, Math.ceil(ms / 1000));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const rest = s % 60;
    return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${rest || (!h && !m) ? `${rest}s` : ''}`;
}
function parseInteger(name, raw, { min, max } = {}) {
    const value = raw.trim();
    if (!/^-?\d+$/.test(value))
        throw new errors/* InputError */.dz(name, `expected a whole number, got '${raw}'`);
    const n = Number(value);
    if (min !== undefined && n < min)
        throw new errors/* InputError */.dz(name, `must be at least ${min}, got ${n}`);
    if (max !== undefined && n > max)
        throw new errors/* InputError */.dz(name, `must be at most ${max}, got ${n}`);
    return n;
}
function parseChoice(name, raw, choices) {
    const value = raw.trim().toLowerCase();
    if (!choices.includes(value)) {
        throw new errors/* InputError */.dz(name, `expected one of ${choices.join(', ')}, got '${raw}'`);
    }
    return value;
}
/** Reads action inputs by name; every reader names the input in its error. */
const input = {
    string(name, { required = false } = {}) {
        const value = core/* getInput */.V4(name).trim();
        if (required && value === '')
            throw new errors/* InputError */.dz(name, 'is required');
        return value;
    },
    /** A secret: registered with the runner's masking before anything else sees it. */
    secret(name) {
        const value = core/* getInput */.V4(name);
        if (value)
            core/* setSecret */.Pq(value);
        return value;
    },
    list(name, options = {}) {
        return parseList(core/* getInput */.V4(name), options);
    },
    boolean(name, fallback) {
        const raw = core/* getInput */.V4(name);
        return raw.trim() === '' ? fallback : parseBoolean(name, raw);
    },
    integer(name, fallback, range = {}) {
        const raw = core/* getInput */.V4(name);
        return raw.trim() === '' ? fallback : parseInteger(name, raw, range);
    },
    duration(name, fallback) {
        const raw = core/* getInput */.V4(name);
        return parseDuration(name, raw.trim() === '' ? fallback : raw);
    },
    choice(name, choices, fallback) {
        const raw = core/* getInput */.V4(name);
        return raw.trim() === '' ? fallback : parseChoice(name, raw, choices);
    },
};

// EXTERNAL MODULE: ./actions/toolkit/text.ts
var toolkit_text = __webpack_require__(292);
// EXTERNAL MODULE: ./actions/build-push/images.ts + 1 modules
var build_push_images = __webpack_require__(4655);
;// CONCATENATED MODULE: ./actions/build-push/inputs.ts







/** Longest value an error message quotes; longer values are cut and end with '…'. */
const QUOTE_MAX = 60;
/** `'value'` for an error message: cut (with '…') only when it is longer than QUOTE_MAX. */
function quoteValue(value, max = QUOTE_MAX) {
    return `'${(0,toolkit_text/* truncate */.x)(value, max)}'`;
}
/**
 * key=value lines. With `secret`, a bad line is named by its number only: a line without '=' may be the
 * secret value itself, so no part of it is printed.
 */
function keyValueLines(name, raw, { separator = '=', secret = false } = {}) {
    const out = {};
    raw.forEach((line, i) => {
        const at = line.indexOf(separator);
        if (at <= 0) {
            const what = at === 0 ? `has an empty key (expected key${separator}value)` : `is not key${separator}value (no '${separator}')`;
            throw new errors/* InputError */.dz(name, secret ? `line ${i + 1} ${what}; the line is not shown, it may hold a secret value` : `${quoteValue(line)} ${what}`);
        }
        out[line.slice(0, at).trim()] = line.slice(at + 1);
    });
    return out;
}
/** Dockerfile stage names (`FROM … AS name`) as BuildKit accepts them: a letter, then letters, digits, '-', '_', '.'. */
const STAGE_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
/** Reads and validates every input before anything runs; each error names its input. */
function readInputs(workspace, actor) {
    const images = [];
    for (const raw of input.list('images')) {
        const parsed = (0,build_push_images/* parseImageName */["if"])(raw);
        if (typeof parsed === 'string')
            throw new errors/* InputError */.dz('images', parsed);
        if (!images.some((i) => i.name === parsed.name))
            images.push(parsed);
    }
    if (images.length === 0)
        throw new errors/* InputError */.dz('images', 'is required (at least one image name)');
    const platforms = input.list('platforms');
    if (platforms.length === 0)
        throw new errors/* InputError */.dz('platforms', 'needs at least one platform');
    for (const p of platforms) {
        const err = (0,build_push_images/* platformError */.sx)(p);
        if (err)
            throw new errors/* InputError */.dz('platforms', err);
    }
    const context = external_node_path_.resolve(workspace, input.string('context') || '.');
    if (!external_node_fs_.existsSync(context) || !external_node_fs_.statSync(context).isDirectory())
        throw new errors/* InputError */.dz('context', `directory '${context}' does not exist`);
    const fileRaw = input.string('file');
    const file = fileRaw ? external_node_path_.resolve(workspace, fileRaw) : external_node_path_.join(context, 'Dockerfile');
    if (!external_node_fs_.existsSync(file))
        throw new errors/* InputError */.dz('file', `Dockerfile '${file}' does not exist`);
    const target = input.string('target');
    if (target && !STAGE_NAME.test(target)) {
        throw new errors/* InputError */.dz('target', `${quoteValue(target)} is not a Dockerfile stage name (a letter, then letters, digits, '-', '_' or '.'; no spaces)`);
    }
    const extraTags = input.list('tags');
    for (const t of extraTags)
        if (!(0,build_push_images/* isValidTag */.r_)(t))
            throw new errors/* InputError */.dz('tags', `'${t}' is not a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`);
    // Secrets: masked before anything can print them; multiline values split on lines, so one per line.
    const secretLines = parseList(input.secret('secrets'), { comma: false });
    const secrets = keyValueLines('secrets', secretLines, { secret: true });
    for (const [id, value] of Object.entries(secrets)) {
        if (!/^[A-Za-z0-9_.-]+$/.test(id))
            throw new errors/* InputError */.dz('secrets', `secret id '${id}' may only contain letters, digits, '_', '.', '-'`);
        (0,exec/* maskSecret */.$l)(value);
    }
    const provenanceRaw = input.choice('provenance', ['false', 'true', 'max'], 'false');
    const logins = readLogins(images, actor);
    return {
        images,
        platforms,
        context,
        file,
        target,
        push: input.choice('push', ['auto', 'true', 'false'], 'auto'),
        extraTags,
        devBranches: input.list('dev-branches'),
        latest: input.choice('latest', ['auto', 'true', 'false'], 'auto'),
        labels: keyValueLines('labels', input.list('labels', { comma: false })),
        buildArgs: input.list('build-args', { comma: false }).map((a) => {
            if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(a))
                throw new errors/* InputError */.dz('build-args', `${quoteValue(a.split('=')[0])} is not NAME=value`);
            return a;
        }),
        secrets,
        cache: input.choice('cache', ['auto', 'gha', 'registry', 'inline', 'none'], 'auto'),
        provenance: provenanceRaw === 'false' ? 'false' : provenanceRaw === 'max' ? 'mode=max' : 'mode=min',
        sbom: input.boolean('sbom', false),
        allowOverwrite: input.boolean('allow-overwrite', false),
        rebuild: input.boolean('rebuild', false),
        claimWindowMs: input.duration('claim-window', '2s'),
        retries: input.integer('retries', 3, { min: 1, max: 10 }),
        logins,
        githubToken: input.secret('github-token'),
    };
}
function readLogins(images, actor) {
    const registries = new Set(images.map((i) => i.registry));
    const githubToken = input.secret('github-token');
    const hubUser = input.string('dockerhub-username');
    const hubToken = input.secret('dockerhub-token');
    const registry = input.string('registry').toLowerCase();
    const username = input.string('username');
    const password = input.secret('password');
    if (hubToken && !hubUser)
        throw new errors/* InputError */.dz('dockerhub-token', 'is set but dockerhub-username is empty');
    if (hubUser && !hubToken)
        throw new errors/* InputError */.dz('dockerhub-username', 'is set but dockerhub-token is empty');
    if (password && !username)
        throw new errors/* InputError */.dz('password', 'is set but username is empty');
    if (username && !password)
        throw new errors/* InputError */.dz('username', 'is set but password is empty');
    if (username && !registry)
        throw new errors/* InputError */.dz('registry', 'is required when username/password are set');
    if (registry && !/^[a-z0-9.-]+(:\d+)?$/.test(registry))
        throw new errors/* InputError */.dz('registry', `${quoteValue(registry)} is not a registry host[:port]`);
    // Every login has a username and a password; a registry with neither means no login (existing docker logins are used).
    // The registry input's credentials win over github-token and dockerhub-* for the same host.
    const logins = [];
    const overridden = (host) => Boolean(username) && registry === host;
    if (githubToken && registries.has('ghcr.io') && !overridden('ghcr.io')) {
        // Outside a runner GITHUB_ACTOR may be unset: never `docker login --username ""`.
        if (!actor)
            throw new errors/* InputError */.dz('github-token', 'is set for ghcr.io images but the workflow actor (GITHUB_ACTOR) is empty: set GITHUB_ACTOR, or clear github-token to use existing docker logins');
        logins.push({ registry: 'ghcr.io', username: actor, password: githubToken });
    }
    if (hubUser && registries.has('docker.io') && !overridden('docker.io'))
        logins.push({ registry: 'docker.io', username: hubUser, password: hubToken });
    if (registry && username)
        logins.push({ registry, username, password });
    return logins;
}

// EXTERNAL MODULE: ./actions/build-push/summary.ts
var build_push_summary = __webpack_require__(6276);
;// CONCATENATED MODULE: ./actions/build-push/main.ts
// Toolkit modules imported one by one: the toolkit's index would bundle (and load at start-up) all of it.







/**
 * The main step; the post step is post.ts (index.ts routes). Reads and checks the inputs, then asks the daemon for
 * its /info (a read on the local socket, answered while the rest loads) and loads the build and push (publish.ts,
 * its own bundle chunk): a run that fails on its inputs loads neither the code nor the HTTP client.
 */
function run() {
    return runAction({
        main: async () => {
            const seen = { tags: [], pushed: [] };
            try {
                const started = Date.now();
                const ctx = readRunContext();
                const inputs = readInputs(ctx.workspace, ctx.actor);
                await (0,engine/* prefetchEngineInfo */.aM)();
                await (await __webpack_require__.e(/* import() */ 10).then(__webpack_require__.bind(__webpack_require__, 1010))).publish(seen, ctx, inputs, started);
            }
            catch (err) {
                // Every failure path writes the summary too, with only what this run saw happen.
                await (0,summary/* appendSummary */.fe)((0,build_push_summary/* failureMarkdown */.A)(seen, (0,errors/* errorMessage */.gJ)(err)));
                throw err;
            }
        },
    });
}


/***/ }),

/***/ 6276:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ failureMarkdown),
/* harmony export */   e: () => (/* binding */ summaryMarkdown)
/* harmony export */ });
/* harmony import */ var _toolkit_summary_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7811);

function immutableCell(check) {
    if (check === undefined)
        return '—';
    if (check === 'skipped')
        return 'skipped (allow-overwrite)';
    return check.length ? check.join(', ') : 'none (no sha- or release tag)';
}
function summaryMarkdown(r) {
    const rows = [
        ['Images', r.images.join('<br>')],
        ['Tags', r.tags.join(', ')],
        ['Built', r.built],
        ['Digest', `\`${r.digest}\``],
        ['Platforms', r.platforms.join(', ')],
        ['Pushed', !r.pushed ? 'no (build only)' : r.alreadyHeld?.length ? `yes (${r.alreadyHeld.join(', ')} already held the digest: nothing uploaded)` : 'yes'],
        ...(r.corrected?.length ? [['Re-pointed to the adopted digest', r.corrected.join('<br>')]] : []),
        ['Cache', r.cache],
        ['Builder', r.builder],
        ['Immutable tags checked', immutableCell(r.immutableCheck)],
        ['Duration', `${(r.durationMs / 1000).toFixed(1)} s`],
    ];
    return section(rows);
}
/** The step's summary section: a two-column table whose cells may break lines with <br> (markdownTable escapes it). */
function section(rows) {
    return `### build-push\n\n${(0,_toolkit_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['', ''], rows).replace(/&lt;br&gt;/g, '<br>')}\n`;
}
/** The job summary of a failed run: the error, and only what this run observed before it. */
function failureMarkdown(seen, error) {
    const rows = [
        ['Result', 'failed'],
        ['Error', error],
        ['Tags', seen.tags.length ? seen.tags.join(', ') : '— (not computed)'],
        ['Built', seen.digest ? `\`${seen.digest}\`` : 'no image built'],
        ['Pushed or tagged', seen.pushed.length ? seen.pushed.join('<br>') : 'nothing'],
    ];
    return section(rows);
}


/***/ }),

/***/ 8232:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qd: () => (/* binding */ CommandError),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   lZ: () => (/* binding */ ActionError)
/* harmony export */ });
/** The user can fix it: a bad input, named, with what is wrong. Printed without a stack. */
class InputError extends Error {
    input;
    constructor(input, problem) {
        super(`Input '${input}': ${problem}`);
        this.name = 'InputError';
        this.input = input;
    }
}
/** An external command exited non-zero. Carries the exit code and the tail of stderr. */
class CommandError extends Error {
    command;
    exitCode;
    stdout;
    stderr;
    constructor(command, exitCode, stdout, stderr) {
        super(`${command} failed with exit code ${exitCode}${tailOf(stderr || stdout)}`);
        this.name = 'CommandError';
        this.command = command;
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }
}
/** A failure the action diagnosed itself (a guard, a policy, a check): the message says it all. */
class ActionError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ActionError';
    }
}
function errorMessage(err) {
    return err instanceof Error ? err.message : String(err);
}
function tailOf(text, lines = 15) {
    const trimmed = text.trim();
    if (!trimmed)
        return '';
    return `:\n${trimmed.split('\n').slice(-lines).join('\n')}`;
}


/***/ }),

/***/ 3890:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $l: () => (/* binding */ maskSecret),
/* harmony export */   d1: () => (/* binding */ runCommand)
/* harmony export */ });
/* unused harmony exports redact, formatCommand */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6058);
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1260);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8232);



const registeredSecrets = new Set();
/** Registers a secret with the runner and with the command-line masking of this module. */
function maskSecret(value) {
    if (!value)
        return;
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(value);
    registeredSecrets.add(value);
}
function redact(text, extra = []) {
    let out = text;
    for (const secret of [...registeredSecrets, ...extra]) {
        if (secret)
            out = out.split(secret).join('***');
    }
    return out;
}
function formatCommand(command, args) {
    return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
/**
 * Runs one program with an argv array (never a shell string). Failure is the exit code alone:
 * a non-zero exit throws CommandError unless allowFailure is set; stderr output never decides.
 */
async function runCommand(command, args, options = {}) {
    const line = redact(formatCommand(command, args), options.secrets);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`exec: ${line}`);
    const env = options.env ? mergeEnv(options.env) : undefined;
    const result = await _actions_exec__WEBPACK_IMPORTED_MODULE_1__/* .getExecOutput */ .H(command, [...args], {
        cwd: options.cwd,
        env,
        input: options.input === undefined ? undefined : Buffer.from(options.input),
        silent: !options.stream,
        ignoreReturnCode: true,
        windowsVerbatimArguments: false,
    });
    const out = {
        exitCode: result.exitCode,
        stdout: redact(result.stdout, options.secrets),
        stderr: redact(result.stderr, options.secrets),
    };
    if (out.exitCode !== 0 && !options.allowFailure) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CommandError */ .Qd(line, out.exitCode, out.stdout, out.stderr);
    }
    return out;
}
function mergeEnv(extra) {
    const env = {};
    for (const [k, v] of Object.entries({ ...process.env, ...extra })) {
        if (v !== undefined)
            env[k] = v;
    }
    return env;
}


/***/ }),

/***/ 8682:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C7: () => (/* binding */ loadState),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   UM: () => (/* binding */ markMainStarted),
/* harmony export */   tl: () => (/* binding */ isPost)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6058);
/* harmony import */ var _state_keys_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6719);


/** True in the post step: main saves a flag into GITHUB_STATE, which the runner hands back to post. */
function isPost() {
    return _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_state_keys_js__WEBPACK_IMPORTED_MODULE_1__/* .POST_FLAG_STATE */ .O) === 'true';
}
/** Typed main → post hand-over through GITHUB_STATE (JSON per key). */
function saveState(key, value) {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(key, JSON.stringify(value));
}
function loadState(key) {
    const raw = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(key);
    if (!raw)
        return undefined;
    try {
        return JSON.parse(raw);
    }
    catch {
        return undefined;
    }
}
function markMainStarted() {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_state_keys_js__WEBPACK_IMPORTED_MODULE_1__/* .POST_FLAG_STATE */ .O, 'true');
}


/***/ }),

/***/ 7811:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qj: () => (/* binding */ markdownTable),
/* harmony export */   fe: () => (/* binding */ appendSummary)
/* harmony export */ });
/* unused harmony exports escapeCell, formatSeconds */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6058);

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
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(markdown);
        return;
    }
    await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addRaw(markdown, true).write();
}
function formatSeconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}


/***/ }),

/***/ 292:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ truncate)
/* harmony export */ });
/** `text` cut to at most `max` characters, ending with '…' when it was cut. */
function truncate(text, max) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}


/***/ }),

/***/ 7567:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

// What the bundles get for `undici` (tsconfig.json "paths"; ncc resolves node_modules' imports through them too).
// @actions/http-client imports undici's ProxyAgent and @actions/github its fetch at the top, so every action would
// compile and evaluate undici (~0.9 MB as ncc leaves it, with its llhttp WebAssembly) as it starts, 35–60 ms,
// whether or not it ever talks to the GitHub API. Here undici is its own chunk, loaded on first use:
// - fetch (async anyway) loads it itself;
// - ProxyAgent (constructed synchronously, and only when a proxy is configured) needs loadUndici() first:
//   actions/toolkit/github.ts does it before it creates a GitHub client.
// test/unit/lazy-undici.test.ts checks that every name the bundled packages and our code import from undici is here.

let loading;
let undici;
const load = () => (loading ??= __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 6752, 19)).then((m) => (undici = m.default ?? m)));

module.exports = {
  loadUndici: async () => void (await load()),
  get ProxyAgent() {
    if (!undici) throw new Error("undici's ProxyAgent was asked for before loadUndici() (actions/toolkit/lazy-undici.cjs): create GitHub clients through actions/toolkit/github.ts");
    return undici.ProxyAgent;
  },
  fetch: async (...args) => (undici ?? (await load())).fetch(...args),
};


/***/ })

};
