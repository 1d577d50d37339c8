export const id = 828;
export const ids = [828];
export const modules = {

/***/ 9828:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(6058);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./actions/toolkit/errors.ts
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

// EXTERNAL MODULE: ./actions/toolkit/state-keys.ts
var state_keys = __webpack_require__(6719);
;// CONCATENATED MODULE: ./actions/toolkit/state.ts


/** True in the post step: main saves a flag into GITHUB_STATE, which the runner hands back to post. */
function isPost() {
    return core/* getState */.Gu(state_keys/* POST_FLAG_STATE */.O) === 'true';
}
/** Typed main → post hand-over through GITHUB_STATE (JSON per key). */
function saveState(key, value) {
    core/* saveState */.LZ(key, JSON.stringify(value));
}
function loadState(key) {
    const raw = core/* getState */.Gu(key);
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
    core/* saveState */.LZ(state_keys/* POST_FLAG_STATE */.O, 'true');
}

;// CONCATENATED MODULE: ./actions/toolkit/action.ts



/** One outer catch per action: decides main vs post, turns every error into core.setFailed. */
async function runAction(steps) {
    if (isPost()) {
        if (!steps.post)
            return;
        try {
            await steps.post();
        }
        catch (err) {
            // A failed clean-up is worth a warning, not a red job after a green main.
            core/* warning */.$e(`post step: ${errorMessage(err)}`);
        }
        return;
    }
    markMainStarted();
    try {
        await steps.main();
    }
    catch (err) {
        if (!(err instanceof InputError || err instanceof ActionError || err instanceof CommandError) && err instanceof Error && err.stack) {
            core/* debug */.Yz(err.stack);
        }
        core/* setFailed */.C1(errorMessage(err));
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./actions/toolkit/credentials.ts







function runnerTemp() {
    return process.env.RUNNER_TEMP || external_node_os_.tmpdir();
}
/** A private (0700) directory under RUNNER_TEMP, recorded for removal in the post step. */
function makePrivateDir(prefix) {
    const dir = external_node_path_.join(runnerTemp(), `${prefix}-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}`);
    external_node_fs_.mkdirSync(dir, { recursive: true, mode: 0o700 });
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
    const paths = [...new Set([...(loadState(state_keys/* SENSITIVE_PATHS_STATE */.u) ?? []), ...tracked])];
    const removed = [];
    for (const p of paths) {
        try {
            external_node_fs_.rmSync(p, { recursive: true, force: true });
            removed.push(p);
        }
        catch (err) {
            core/* warning */.$e(`could not remove ${p}: ${String(err)}`);
        }
    }
    tracked.length = 0;
    saveState(state_keys/* SENSITIVE_PATHS_STATE */.u, []);
    return removed;
}
// GITHUB_STATE is only read back in the post step, so main keeps its own list and rewrites the key.
const tracked = [];
function track(p) {
    tracked.push(p);
    saveState(state_keys/* SENSITIVE_PATHS_STATE */.u, tracked);
}

;// CONCATENATED MODULE: ./actions/toolkit/registry-errors.ts
// Registry/push error classification from the messages docker, buildx and distribution print.
const TRANSIENT = [
    /\b5\d\d\b[^\n]*(Service Unavailable|Bad Gateway|Gateway Time-?out|Internal Server Error)/i,
    /status(?: code)?:? 5\d\d/i,
    /\b(502|503|504)\b/,
    /connection reset by peer/i,
    /connection refused/i,
    /i\/o timeout/i,
    /TLS handshake timeout/i,
    /context deadline exceeded/i,
    /Client\.Timeout exceeded/i,
    /unexpected EOF/i,
    /broken pipe/i,
    /too many requests|\b429\b|toomanyrequests/i,
    // Node's socket errors (the registry HTTP client).
    /\b(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN)\b|socket hang up/,
];
const PERMANENT = [
    /\b(401|403|400)\b/,
    /unauthorized|authentication required|denied|forbidden|incorrect username or password/i,
    /manifest invalid|blob unknown|name invalid|tag invalid/i,
];
// Two pushes of images that share blobs into one repository through one daemon (two jobs on one self-hosted
// runner; the branch run and the tag run of one commit): containerd hands the second push a blob the first is
// still uploading as present, and the registry refuses the manifest that references it with a bare 400. Pushing
// again once the first upload has landed succeeds. Seen on this project's stack (docker 26.1, distribution 2.8):
// `failed commit on ref "manifest-sha256:…": unexpected status from PUT request to …/manifests/main: 400 Bad Request`.
const CONCURRENT_PUSH = /failed commit on ref "(?:manifest|index)-sha256:[0-9a-f]{64}": unexpected status from PUT request to \S+\/manifests\/\S+: 400 Bad Request/;
/** Transient only when a transient marker is present and no permanent one is: 401/403/400 fail at once (but see CONCURRENT_PUSH). */
function isTransientRegistryError(message) {
    if (CONCURRENT_PUSH.test(message))
        return !PERMANENT.slice(1).some((re) => re.test(message));
    if (PERMANENT.some((re) => re.test(message)))
        return false;
    return TRANSIENT.some((re) => re.test(message));
}

;// CONCATENATED MODULE: ./actions/toolkit/retry.ts


function backoffDelay(attempt, baseDelayMs, maxDelayMs, random) {
    // "Equal jitter": half fixed, half random, so delays grow but never collapse to zero.
    const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + random() * (exp / 2));
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const defaultLog = (message, retry) => (retry === 1 ? core/* warning */.$e(message) : core/* info */.pq(message));
/** Retries fn on transient errors only, with exponential backoff and jitter, within attempts and/or a time budget. */
async function retry(fn, options) {
    const { baseDelayMs, isTransient, label } = options;
    const attempts = options.attempts ?? Number.POSITIVE_INFINITY;
    const maxDelayMs = options.maxDelayMs ?? 30_000;
    const wait = options.sleep ?? sleep;
    const random = options.random ?? Math.random;
    const now = options.now ?? Date.now;
    const log = options.log ?? defaultLog;
    const started = now();
    const until = Math.min(options.budgetMs === undefined ? Number.POSITIVE_INFINITY : started + options.budgetMs, options.deadline ?? Number.POSITIVE_INFINITY);
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (err) {
            if (attempt >= attempts || !isTransient(err))
                throw err;
            const left = until - now();
            const delay = Math.min(backoffDelay(attempt, baseDelayMs, maxDelayMs, random), Math.max(0, left));
            if (left <= 0)
                throw err;
            const why = options.reason ? `${options.reason(err)}: ` : '';
            const budget = Number.isFinite(until)
                ? `; ${Math.round((now() - started) / 1000)}s of ${Math.round((until - started) / 1000)}s waited`
                : '';
            const count = Number.isFinite(attempts) ? `attempt ${attempt}/${attempts}` : `attempt ${attempt}`;
            log(`${label}: ${count} failed with a transient error, retrying in ${(delay / 1000).toFixed(1)}s (${why}${lastLine(errorMessage(err))}${budget})`, attempt);
            await wait(delay);
        }
    }
}
/** The most telling line of a multi-line error: the last non-empty one (Go tools print the cause last). */
function lastLine(text) {
    const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
    return lines.slice(-1)[0] ?? text;
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
        core/* info */.pq(markdown);
        return;
    }
    await core/* summary */.z.addRaw(markdown, true).write();
}
function formatSeconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}

;// CONCATENATED MODULE: ./actions/toolkit/text.ts
/** `text` cut to at most `max` characters, ending with '…' when it was cut. */
function truncate(text, max) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(1260);
;// CONCATENATED MODULE: ./actions/toolkit/exec.ts



const registeredSecrets = new Set();
/** Registers a secret with the runner and with the command-line masking of this module. */
function maskSecret(value) {
    if (!value)
        return;
    core/* setSecret */.Pq(value);
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
    core/* debug */.Yz(`exec: ${line}`);
    const env = options.env ? mergeEnv(options.env) : undefined;
    const result = await exec/* getExecOutput */.H(command, [...args], {
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
        throw new CommandError(line, out.exitCode, out.stdout, out.stderr);
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

// EXTERNAL MODULE: ./actions/toolkit/lazy-undici.cjs
var lazy_undici = __webpack_require__(7567);
;// CONCATENATED MODULE: ./actions/toolkit/github.ts

async function githubClient(token, options = {}) {
    // In this order: @actions/github builds its proxy dispatcher for GITHUB_API_URL as it loads.
    await (0,lazy_undici.loadUndici)();
    const [github, { defaults }] = await Promise.all([Promise.all(/* import() */[__webpack_require__.e(665), __webpack_require__.e(351)]).then(__webpack_require__.bind(__webpack_require__, 1351)), __webpack_require__.e(/* import() */ 665).then(__webpack_require__.bind(__webpack_require__, 8665))]);
    // Octokit lays constructor options over its defaults shallowly: a `request` of ours (a timeout signal) would
    // replace @actions/github's, and with it the fetch that goes through the runner's proxy.
    return github.getOctokit(token, { ...options, request: { ...defaults.request, ...options.request } });
}

;// CONCATENATED MODULE: ./actions/build-push/commit-time.ts
// The image timestamp (`created` label, SOURCE_DATE_EPOCH) comes from the commit, never from the clock, so
// building one commit twice gives the same timestamp: the event, else git, else the GitHub API.


// Loads @actions/github only on this path: most runs get the time from the event or git.

/** When no source knows the commit: the Unix epoch, still the same on every re-run (never "now"). */
const NO_COMMIT_TIME = '1970-01-01T00:00:00Z';
const valid = (t) => Boolean(t) && !Number.isNaN(Date.parse(t));
/** UTC, whole seconds: the event (+01:00), git (%cI) and the API (Z) spell one instant differently; the label must not differ. */
function utcSeconds(t) {
    return new Date(Math.floor(Date.parse(t) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
async function commitTime(src) {
    const found = await findCommitTime(src);
    return { ...found, time: utcSeconds(found.time) };
}
async function findCommitTime(src) {
    const notes = [];
    if (src.headCommit && src.headCommit.id === src.revision && valid(src.headCommit.timestamp))
        return { time: src.headCommit.timestamp, source: 'event', notes };
    if (!src.revision)
        return { time: NO_COMMIT_TIME, source: 'none', notes: ['no commit (GITHUB_SHA is empty)'] };
    const git = await runCommand('git', ['-C', src.dir, 'show', '-s', '--format=%cI', src.revision], { allowFailure: true }).catch((err) => ({ exitCode: -1, stdout: '', stderr: errorMessage(err) }));
    const fromGit = git.stdout.trim();
    if (git.exitCode === 0 && valid(fromGit))
        return { time: fromGit, source: 'git', notes };
    notes.push(`git has no commit ${src.revision.slice(0, 12)} in ${src.dir} (${git.stderr.trim().split('\n').pop() || `exit ${git.exitCode}`})`);
    if (!src.token || !src.repository.includes('/')) {
        notes.push(src.token ? 'GITHUB_REPOSITORY is not owner/name' : 'no github-token for the GitHub API');
        return { time: NO_COMMIT_TIME, source: 'none', notes };
    }
    try {
        const [owner, repo] = src.repository.split('/');
        const octokit = await githubClient(src.token, { baseUrl: src.apiUrl, request: { signal: AbortSignal.timeout(15_000) } });
        const { data } = await octokit.rest.repos.getCommit({ owner, repo, ref: src.revision });
        const fromApi = data.commit.committer?.date ?? data.commit.author?.date;
        if (valid(fromApi))
            return { time: fromApi, source: 'api', notes };
        notes.push(`the GitHub API gave no commit date for ${src.revision.slice(0, 12)}`);
    }
    catch (err) {
        notes.push(`GitHub API ${src.apiUrl} GET /repos/${src.repository}/commits/${src.revision.slice(0, 12)}: ${errorMessage(err).split('\n')[0]}`);
    }
    return { time: NO_COMMIT_TIME, source: 'none', notes };
}

// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
;// CONCATENATED MODULE: ./actions/toolkit/registry.ts
// A registry's HTTP API (distribution v2 / OCI), read side: a tag's digest, a manifest's exact bytes, an image's
// config, with the registry's token auth (Basic, or a Bearer token from the challenge's realm). An index is
// followed to a platform image's config by readImage. Shared by build-push (which adds the tag writes) and
// verify-image.


const MANIFEST_TYPES = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
];
const INDEX_TYPES = new Set(MANIFEST_TYPES.slice(0, 2));
/** A registry answered with an error status; the message carries the status and the registry's own error text. */
class RegistryError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'RegistryError';
    }
}
/** Docker's rule: loopback registries speak plain HTTP, every other one HTTPS. */
function registryBaseUrl(registry) {
    const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
    const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const loopback = hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '::1';
    return `${loopback ? 'http' : 'https'}://${host}`;
}
/** `Bearer realm="…",service="…"` → { scheme: 'bearer', realm, service }. */
function parseChallenge(header) {
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const params = {};
    for (const m of header.slice(space + 1).matchAll(/([A-Za-z_]+)="([^"]*)"/g))
        params[m[1].toLowerCase()] = m[2];
    return { scheme, params };
}
function sha256Digest(bytes) {
    return `sha256:${external_node_crypto_.createHash('sha256').update(bytes).digest('hex')}`;
}
function isIndex(mediaType) {
    return INDEX_TYPES.has(mediaType);
}
/** One registry host; tokens are cached per repository for the life of the object. */
class RegistryClient {
    registry;
    findCredentials;
    options;
    http;
    base;
    tokens = new Map();
    credentials;
    constructor(registry, findCredentials, options = { userAgent: 'platform-actions', access: 'pull' }) {
        this.registry = registry;
        this.findCredentials = findCredentials;
        this.options = options;
        this.base = registryBaseUrl(registry);
        this.http = new lib/* HttpClient */.Qq(options.userAgent, [], { keepAlive: true, socketTimeout: 60_000 });
    }
    dispose() {
        this.http.dispose();
    }
    /** The digest a tag (or digest) resolves to, or undefined when the registry has no such manifest. */
    async digestOf(repository, reference) {
        const res = await this.request('HEAD', repository, `/manifests/${reference}`, { Accept: MANIFEST_TYPES.join(', ') });
        const status = res.message.statusCode ?? 0;
        const body = await res.readBody();
        if (status === 404)
            return undefined;
        if (status !== 200)
            throw await this.error(res, `HEAD ${repository}:${reference}`, status, body);
        const digest = responseHeader(res, 'docker-content-digest');
        if (digest)
            return digest;
        return (await this.manifest(repository, reference))?.digest;
    }
    /** A manifest's exact bytes, or undefined when absent. */
    async manifest(repository, reference) {
        const res = await this.request('GET', repository, `/manifests/${reference}`, { Accept: MANIFEST_TYPES.join(', ') });
        const status = res.message.statusCode ?? 0;
        if (status === 404) {
            await res.readBody();
            return undefined;
        }
        if (status !== 200)
            throw await this.error(res, `GET ${repository}:${reference}`, status);
        const bytes = await readBuffer(res);
        const mediaType = responseHeader(res, 'content-type')?.split(';')[0].trim() || String(JSON.parse(bytes.toString('utf8')).mediaType ?? '');
        return { digest: sha256Digest(bytes), mediaType, bytes };
    }
    async blobJson(repository, digest) {
        const res = await this.request('GET', repository, `/blobs/${digest}`, {});
        const status = res.message.statusCode ?? 0;
        if (status !== 200)
            throw await this.error(res, `GET blob ${repository}@${digest}`, status);
        return JSON.parse((await readBuffer(res)).toString('utf8'));
    }
    async request(method, repository, pathTail, headers, body = null) {
        const url = `${this.base}/v2/${repository}${pathTail}`;
        const send = (auth) => this.http.request(method, url, body, { ...headers, ...(auth ? { Authorization: auth } : {}) });
        const cached = this.tokens.get(repository);
        let res = await send(cached);
        if (res.message.statusCode !== 401)
            return res;
        const challenge = responseHeader(res, 'www-authenticate');
        await res.readBody();
        if (!challenge)
            return send(cached);
        const auth = await this.authorize(repository, challenge);
        if (!auth)
            return send(cached);
        this.tokens.set(repository, auth);
        res = await send(auth);
        return res;
    }
    /** Answers a 401 challenge: Basic with the stored credentials, or a Bearer token from the realm (the access asked). */
    async authorize(repository, challenge) {
        this.credentials ??= this.findCredentials();
        const creds = await this.credentials;
        const { scheme, params } = parseChallenge(challenge);
        const basic = creds ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` : undefined;
        if (scheme === 'basic')
            return basic;
        if (scheme !== 'bearer' || !params.realm)
            return undefined;
        const url = new URL(params.realm);
        if (params.service)
            url.searchParams.set('service', params.service);
        url.searchParams.set('scope', `repository:${repository}:${this.options.access}`);
        const res = await this.http.get(url.toString(), basic ? { Authorization: basic } : {});
        const status = res.message.statusCode ?? 0;
        const text = await res.readBody();
        if (status !== 200)
            throw new RegistryError(`token request to ${url.origin}${url.pathname} for ${repository} failed: ${status} ${registryMessage(text)}`.trim(), status);
        const json = JSON.parse(text);
        const token = json.token ?? json.access_token;
        return token ? `Bearer ${token}` : undefined;
    }
    /** `body`: the text when the caller already read it (a second readBody never resolves: 'end' has fired). */
    async error(res, what, status, body) {
        const text = body ?? (await res.readBody().catch(() => ''));
        return new RegistryError(`${what} on ${this.registry}: ${status} ${res.message.statusMessage ?? ''} ${registryMessage(text)}`.replace(/\s+/g, ' ').trim(), status);
    }
}
function responseHeader(res, name) {
    const value = res.message.headers[name];
    return Array.isArray(value) ? value[0] : value;
}
async function readBuffer(res) {
    if (res.readBodyBuffer)
        return res.readBodyBuffer();
    return Buffer.from(await res.readBody(), 'utf8');
}
/** The registry's error codes and messages ({"errors":[{"code","message"}]}), or the start of the body. */
function registryMessage(body) {
    try {
        const json = JSON.parse(body);
        if (json.errors?.length)
            return json.errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
    }
    catch {
        // not JSON: the body's start says enough
    }
    return body.trim().slice(0, 200);
}
const platformOf = (p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/');
/** The labels of one platform image of an index: its manifest, then its config. */
async function platformImageLabels(registry, repository, index, image) {
    const m = await registry.manifest(repository, image.digest);
    if (!m)
        throw new RegistryError(`${repository}@${index.digest} lists ${image.digest}, which the registry ${registry.registry} does not have`, 404);
    const configDigest = JSON.parse(m.bytes.toString('utf8')).config?.digest;
    const config = configDigest ? await registry.blobJson(repository, configDigest) : {};
    return { platform: platformOf(image.platform ?? {}), digest: image.digest, labels: config.config?.Labels ?? {} };
}
/**
 * Reads a tag's or digest's manifest and, through its first platform image's config, its labels; undefined when
 * absent. With `allPlatforms`, every platform image of an index is read (concurrently) into `platformLabels`:
 * what a node pulls is its own platform's image, so provenance must hold for each.
 */
async function readImage(registry, repository, reference, { allPlatforms = false } = {}) {
    const manifest = await registry.manifest(repository, reference);
    if (!manifest)
        return undefined;
    const json = JSON.parse(manifest.bytes.toString('utf8'));
    if (isIndex(manifest.mediaType)) {
        const images = (json.manifests ?? []).filter((m) => m.platform && m.platform.architecture !== 'unknown');
        if (images.length === 0)
            return { manifest, platforms: [], labels: {}, ...(allPlatforms ? { platformLabels: [] } : {}) };
        const read = await Promise.all((allPlatforms ? images : images.slice(0, 1)).map((image) => platformImageLabels(registry, repository, manifest, image)));
        return { manifest, platforms: images.map((m) => platformOf(m.platform)), labels: read[0].labels, labelsFrom: images[0].digest, ...(allPlatforms ? { platformLabels: read } : {}) };
    }
    const config = json.config?.digest ? await registry.blobJson(repository, json.config.digest) : {};
    const labels = config.config?.Labels ?? {};
    const platform = platformOf(config);
    return { manifest, platforms: [platform].filter(Boolean), labels, labelsFrom: manifest.digest, ...(allPlatforms ? { platformLabels: [{ platform, digest: manifest.digest, labels }] } : {}) };
}

;// CONCATENATED MODULE: ./actions/build-push/existing.ts
// An image already in the registry, as promotion needs to know it: its exact manifest, platforms and labels.

/** Reads a tag's manifest and, through its first image config, its labels; undefined when the tag is absent. */
function readExistingImage(registry, repository, reference) {
    return readImage(registry, repository, reference);
}
const REVISION_LABEL = 'org.opencontainers.image.revision';
/**
 * Promote (tag the existing digest, build nothing) only when the commit's sha- tag exists, carries this
 * commit's full revision label (a 7-character prefix may collide) and has every platform asked for.
 */
function promotionDecision(existing, ref, revision, platforms) {
    if (!existing)
        return { promote: false, reason: `${ref} does not exist yet: building` };
    const label = existing.labels[REVISION_LABEL];
    if (label !== revision) {
        return { promote: false, reason: `${ref} (${existing.manifest.digest}) was built from ${label ? `revision ${label}` : 'an image without a revision label'}, not ${revision}: building` };
    }
    const missing = platforms.filter((p) => !existing.platforms.some((have) => have === p || have.startsWith(`${p}/`)));
    if (missing.length) {
        return { promote: false, reason: `${ref} (${existing.manifest.digest}) has ${existing.platforms.join(', ') || 'no platform'}, not ${missing.join(', ')}: building` };
    }
    return { promote: true, reason: `${ref} is ${existing.manifest.digest}, built from this commit (${revision.slice(0, 12)}) for ${existing.platforms.join(', ')}: promoting it, nothing is built` };
}

;// CONCATENATED MODULE: ./actions/build-push/converge.ts
// One commit, one digest: the runs of one commit that race (`git push --follow-tags` starts the branch run and the
// tag run together) agree on the digest its sha- tag holds, and every run puts its tags on that one. Pure: no I/O.
//
// The registry API has no conditional PUT (a manifest PUT always replaces the tag; If-Match on tags is only proposed:
// opencontainers/distribution-spec PR #251, sigstore/cosign issue #9), so the sha- tag is claimed by "read, PUT only
// when absent, read again once the claim window has passed": a run that finds the tag taken never writes it, so the
// first claim to land stands unless another run read the tag absent within the same window (the gap between its read
// and its PUT, milliseconds: the image is uploaded before); then the registry's last write stands, and every run,
// reading again CLAIM_SETTLE_MS after its own read or write, sees that same final value.

/** How long a run waits after reading or writing the sha- tag before it trusts what the tag holds. */
const CLAIM_SETTLE_MS = 2000;
/** What the commit's sha- tag (`ref`) holding `existing` means for a run that built `ours`. */
function claimOutcome(existing, ours, ref, revision, platforms) {
    if (!existing)
        return { kind: 'free' };
    const digest = existing.manifest.digest;
    if (digest === ours)
        return { kind: 'ours' };
    const decision = promotionDecision(existing, ref, revision, platforms);
    if (decision.promote)
        return { kind: 'adopt', digest, reason: adoptionMessage(ref, digest, ours) };
    const label = existing.labels[REVISION_LABEL];
    return { kind: 'foreign', digest, reason: `${ref} holds ${digest}, ${label === revision ? `built from this commit but not for every platform asked (${existing.platforms.join(', ') || 'none'})` : label ? `built from revision ${label}` : 'an image without a revision label'}` };
}
function adoptionMessage(ref, winner, ours) {
    return `adopted ${winner} pushed by a concurrent run of this commit (${ref}): this run's build ${ours} is not published, its tags go on ${winner}`;
}
/** Milliseconds still to wait before a read taken now counts as settled, `since` being this run's last read or write of the tag. */
function settleRemaining(since, now, settleMs = CLAIM_SETTLE_MS) {
    return Math.max(0, since + settleMs - now);
}
/**
 * The tag `docker push` uploads the image under, before the sha- tag is claimed: the first tag that is not immutable
 * (a moving branch or `latest` tag is simply re-pointed when the run loses the claim), else the first that is not the
 * sha- tag, else the sha- tag itself (then the push is the claim).
 */
function uploadTag(tags, immutable, shaRef) {
    return tags.find((t) => !immutable.includes(t)) ?? tags.find((t) => t !== shaRef) ?? tags[0];
}
/** The refs this run pushed that a correction moved from its own digest to the adopted one. */
function correctedRefs(pushedByThisRun, adoptedRefs) {
    const adopted = new Set(adoptedRefs);
    return [...new Set(pushedByThisRun)].filter((r) => adopted.has(r));
}

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
;// CONCATENATED MODULE: ./actions/build-push/docker.ts




/**
 * The docker CLI and its buildx plugin over the toolkit's exec helper, bound to one DOCKER_CONFIG. buildx runs
 * as the plugin binary itself (buildx's standalone mode) when it is found where the docker CLI looks for it:
 * `docker buildx` first runs the plugin's metadata command, then the plugin, ~0.16 s per call (bench/).
 */
class Docker {
    buildxPath;
    env;
    /** The daemon's local unix socket, when the CLI's endpoint is one (read once: config.json and DOCKER_HOST). */
    socket;
    constructor(dockerConfig, 
    /** The buildx plugin binary; undefined: through `docker buildx`. */
    buildxPath = findBuildxPlugin(dockerConfig)) {
        this.buildxPath = buildxPath;
        this.env = { DOCKER_CONFIG: dockerConfig };
        this.socket = (0,engine/* localEngineSocket */.Tc)(dockerConfig);
    }
    run(args, options = {}) {
        return runCommand('docker', args, { ...options, env: { ...this.env, ...options.env } });
    }
    /** A buildx command: `buildx <args>` in standalone mode, `docker buildx <args>` otherwise. */
    buildx(args, options = {}) {
        if (!this.buildxPath)
            return this.run(['buildx', ...args], options);
        return runCommand(this.buildxPath, args, { ...options, env: { ...this.env, ...options.env } });
    }
    async login(registry, username, password) {
        await this.run(['login', registry, '--username', username, '--password-stdin'], { input: password });
    }
    async builder(name) {
        const { stdout } = await this.buildx(['inspect', ...(name ? [name] : [])]);
        const field = (key) => new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(stdout)?.[1].trim() ?? '';
        return {
            name: field('Name'),
            driver: field('Driver'),
            platforms: field('Platforms').split(',').map((p) => p.trim().replace(/\*$/, '')).filter(Boolean),
        };
    }
    /**
     * Whether the daemon uses the containerd image store: read from the Engine API's /info on the local socket
     * (~0.05 s) when the endpoint is one, else from `docker info` (~0.2 s).
     */
    async containerdStore() {
        const info = this.socket ? await (0,engine/* engineInfo */.Ty)(this.socket).catch(() => undefined) : undefined;
        if (info)
            return JSON.stringify(info.DriverStatus ?? []).includes('io.containerd.snapshotter');
        const { stdout } = await this.run(['info', '--format', '{{json .DriverStatus}}']);
        return stdout.includes('io.containerd.snapshotter');
    }
    async createBuilder(name) {
        await this.buildx(['create', '--name', name, '--driver', 'docker-container', '--bootstrap'], { stream: true });
    }
    async removeBuilder(name) {
        return (await this.buildx(['rm', name], { allowFailure: true })).exitCode;
    }
    /** `args`: buildx build's own arguments (after `build`). */
    async build(args, env) {
        await this.buildx(['build', ...args], { stream: true, env });
    }
    /**
     * Pushes one local image, `<name>:<tag>`: through the Engine API on the local socket (`auth`: the registry's
     * credentials, or none for an open registry), else `docker push` (which reads DOCKER_CONFIG itself).
     */
    async push(name, tag, auth) {
        if (this.socket)
            return (0,engine/* enginePush */.bA)(this.socket, name, tag, await auth());
        await this.run(['push', `${name}:${tag}`]);
    }
}
/** Where the docker CLI looks for plugins on Linux after the config's own folder (docker/cli's plugin manager). */
const SYSTEM_PLUGIN_DIRS = ['/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'];
/**
 * The buildx plugin the docker CLI would run for `docker buildx`, searched in its order: config.json's
 * cliPluginsExtraDirs, `<DOCKER_CONFIG>/cli-plugins` (the private config links the user's), then the system
 * folders. Linux only; undefined elsewhere or when none is found (then `docker buildx` decides).
 */
function findBuildxPlugin(dockerConfig, systemDirs = SYSTEM_PLUGIN_DIRS, platform = process.platform) {
    if (platform !== 'linux')
        return undefined;
    const config = (0,engine/* readJson */.Vh)(external_node_path_.join(dockerConfig, 'config.json'));
    const extra = config !== 'unreadable' && Array.isArray(config?.cliPluginsExtraDirs) ? config.cliPluginsExtraDirs.filter((d) => typeof d === 'string') : [];
    for (const dir of [...extra, external_node_path_.join(dockerConfig, 'cli-plugins'), ...systemDirs]) {
        const candidate = external_node_path_.join(dir, 'docker-buildx');
        try {
            const stat = external_node_fs_.statSync(candidate);
            if (stat.isFile()) {
                external_node_fs_.accessSync(candidate, external_node_fs_.constants.X_OK);
                return candidate;
            }
        }
        catch {
            // not there (or not executable): the docker CLI moves on too
        }
    }
    return undefined;
}
/**
 * The builder buildx would use, read from its own store in DOCKER_CONFIG, when it is the docker context's default
 * builder (docker driver, named 'default'); undefined whenever buildx must be asked (a named builder, another
 * context, BUILDX_BUILDER). Saves a `docker buildx inspect` before the build.
 */
function defaultDockerBuilder(dockerConfig, env = process.env) {
    if (env.BUILDX_BUILDER || !(0,engine/* defaultContext */.T1)(dockerConfig, env))
        return undefined;
    const current = (0,engine/* readJson */.Vh)(external_node_path_.join(dockerConfig, 'buildx', 'current'));
    if (current === 'unreadable' || (current !== undefined && current.Name !== ''))
        return undefined;
    return 'default';
}

;// CONCATENATED MODULE: ./actions/build-push/docker-config.ts




/**
 * A private DOCKER_CONFIG under RUNNER_TEMP (0700, config.json 0600), removed in post. It starts from a
 * copy of the user's config.json (earlier logins keep working), so logins made here never reach the user's
 * config.json. It links the user's CLI plugins, buildx builders and contexts: a builder this action creates is
 * recorded in the user's buildx folder and removed again in post.
 */
function privateDockerConfig() {
    const userDir = process.env.DOCKER_CONFIG || external_node_path_.join(external_node_os_.homedir(), '.docker');
    const dir = makePrivateDir('docker-config');
    const userConfig = external_node_path_.join(userDir, 'config.json');
    const config = external_node_path_.join(dir, 'config.json');
    if (external_node_fs_.existsSync(userConfig))
        external_node_fs_.copyFileSync(userConfig, config);
    else
        external_node_fs_.writeFileSync(config, '{}');
    external_node_fs_.chmodSync(config, 0o600);
    for (const sub of ['cli-plugins', 'buildx', 'contexts']) {
        const target = external_node_path_.join(userDir, sub);
        if (external_node_fs_.existsSync(target))
            external_node_fs_.symlinkSync(target, external_node_path_.join(dir, sub));
    }
    return dir;
}

;// CONCATENATED MODULE: ./actions/build-push/guard.ts
/** Immutable tags that already point at another digest. Same digest (a re-run) is fine; absent is fine. */
function immutableConflicts(existing, digest) {
    return existing.filter((e) => e.digest !== undefined && e.digest !== digest);
}
function conflictMessage(conflicts, digest) {
    const lines = conflicts.map((c) => `  ${c.ref} → ${c.digest}`);
    return [
        `Immutable tag${conflicts.length > 1 ? 's' : ''} already pushed with a different digest (this build: ${digest}):`,
        ...lines,
        'sha-* and release version tags never move: nothing was tagged or pushed. Re-run from a clean cache only if the build is reproducible, or set allow-overwrite: true to replace them.',
    ].join('\n');
}

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
    throw new InputError(name, `expected true or false, got '${raw}'`);
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
        throw new InputError(name, `'${raw}' is not a duration (use e.g. 30s, 5m, 1h30m)`);
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
        throw new InputError(name, `expected a whole number, got '${raw}'`);
    const n = Number(value);
    if (min !== undefined && n < min)
        throw new InputError(name, `must be at least ${min}, got ${n}`);
    if (max !== undefined && n > max)
        throw new InputError(name, `must be at most ${max}, got ${n}`);
    return n;
}
function parseChoice(name, raw, choices) {
    const value = raw.trim().toLowerCase();
    if (!choices.includes(value)) {
        throw new InputError(name, `expected one of ${choices.join(', ')}, got '${raw}'`);
    }
    return value;
}
/** Reads action inputs by name; every reader names the input in its error. */
const input = {
    string(name, { required = false } = {}) {
        const value = core/* getInput */.V4(name).trim();
        if (required && value === '')
            throw new InputError(name, 'is required');
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

;// CONCATENATED MODULE: ./actions/build-push/inputs.ts







/** Longest value an error message quotes; longer values are cut and end with '…'. */
const QUOTE_MAX = 60;
/** `'value'` for an error message: cut (with '…') only when it is longer than QUOTE_MAX. */
function quoteValue(value, max = QUOTE_MAX) {
    return `'${truncate(value, max)}'`;
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
            throw new InputError(name, secret ? `line ${i + 1} ${what}; the line is not shown, it may hold a secret value` : `${quoteValue(line)} ${what}`);
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
        const parsed = parseImageName(raw);
        if (typeof parsed === 'string')
            throw new InputError('images', parsed);
        if (!images.some((i) => i.name === parsed.name))
            images.push(parsed);
    }
    if (images.length === 0)
        throw new InputError('images', 'is required (at least one image name)');
    const platforms = input.list('platforms');
    if (platforms.length === 0)
        throw new InputError('platforms', 'needs at least one platform');
    for (const p of platforms) {
        const err = platformError(p);
        if (err)
            throw new InputError('platforms', err);
    }
    const context = external_node_path_.resolve(workspace, input.string('context') || '.');
    if (!external_node_fs_.existsSync(context) || !external_node_fs_.statSync(context).isDirectory())
        throw new InputError('context', `directory '${context}' does not exist`);
    const fileRaw = input.string('file');
    const file = fileRaw ? external_node_path_.resolve(workspace, fileRaw) : external_node_path_.join(context, 'Dockerfile');
    if (!external_node_fs_.existsSync(file))
        throw new InputError('file', `Dockerfile '${file}' does not exist`);
    const target = input.string('target');
    if (target && !STAGE_NAME.test(target)) {
        throw new InputError('target', `${quoteValue(target)} is not a Dockerfile stage name (a letter, then letters, digits, '-', '_' or '.'; no spaces)`);
    }
    const extraTags = input.list('tags');
    for (const t of extraTags)
        if (!isValidTag(t))
            throw new InputError('tags', `'${t}' is not a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`);
    // Secrets: masked before anything can print them; multiline values split on lines, so one per line.
    const secretLines = parseList(input.secret('secrets'), { comma: false });
    const secrets = keyValueLines('secrets', secretLines, { secret: true });
    for (const [id, value] of Object.entries(secrets)) {
        if (!/^[A-Za-z0-9_.-]+$/.test(id))
            throw new InputError('secrets', `secret id '${id}' may only contain letters, digits, '_', '.', '-'`);
        maskSecret(value);
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
                throw new InputError('build-args', `${quoteValue(a.split('=')[0])} is not NAME=value`);
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
        throw new InputError('dockerhub-token', 'is set but dockerhub-username is empty');
    if (hubUser && !hubToken)
        throw new InputError('dockerhub-username', 'is set but dockerhub-token is empty');
    if (password && !username)
        throw new InputError('password', 'is set but username is empty');
    if (username && !password)
        throw new InputError('username', 'is set but password is empty');
    if (username && !registry)
        throw new InputError('registry', 'is required when username/password are set');
    if (registry && !/^[a-z0-9.-]+(:\d+)?$/.test(registry))
        throw new InputError('registry', `${quoteValue(registry)} is not a registry host[:port]`);
    // Every login has a username and a password; a registry with neither means no login (existing docker logins are used).
    // The registry input's credentials win over github-token and dockerhub-* for the same host.
    const logins = [];
    const overridden = (host) => Boolean(username) && registry === host;
    if (githubToken && registries.has('ghcr.io') && !overridden('ghcr.io')) {
        // Outside a runner GITHUB_ACTOR may be unset: never `docker login --username ""`.
        if (!actor)
            throw new InputError('github-token', 'is set for ghcr.io images but the workflow actor (GITHUB_ACTOR) is empty: set GITHUB_ACTOR, or clear github-token to use existing docker logins');
        logins.push({ registry: 'ghcr.io', username: actor, password: githubToken });
    }
    if (hubUser && registries.has('docker.io') && !overridden('docker.io'))
        logins.push({ registry: 'docker.io', username: hubUser, password: hubToken });
    if (registry && username)
        logins.push({ registry, username, password });
    return logins;
}

;// CONCATENATED MODULE: ./actions/build-push/plan.ts
/**
 * The docker driver handles multi-platform output and cache export only with the containerd image store;
 * any other driver (docker-container, remote, kubernetes) handles both. Without that store it cannot guard a push
 * either: the build reports the image ID (the config's digest), and the manifest digest exists only once
 * `docker push` has made it (test/fixtures/docker: buildx-classic-single-*).
 */
function chooseBuilder(current, containerdStore, platforms, cache, push) {
    if (current.driver !== 'docker')
        return { use: 'current', reason: `builder '${current.name}' (${current.driver} driver) supports the request` };
    if (containerdStore)
        return { use: 'current', reason: `builder '${current.name}' (docker driver with the containerd image store) supports the request` };
    const needs = [];
    if (platforms.length > 1)
        needs.push('a multi-platform image');
    if (cache === 'gha' || cache === 'registry')
        needs.push(`${cache} cache export`);
    if (push)
        needs.push('a push whose digest is known before any tag moves');
    if (needs.length === 0)
        return { use: 'current', reason: `builder '${current.name}' (docker driver) supports the request` };
    return { use: 'create', reason: `the docker driver without the containerd image store cannot do ${needs.join(' or ')}: creating a docker-container builder` };
}
function resolveCacheMode(mode, onGitHub) {
    if (mode !== 'auto')
        return mode;
    return onGitHub ? 'gha' : 'none';
}
/** --cache-from/--cache-to pairs. Export errors are ignored so a cache outage never fails a build. */
function cacheArgs(mode, images, firstTag) {
    const first = images[0];
    switch (mode) {
        case 'gha': {
            const scope = first.repository.replace(/[^A-Za-z0-9_.-]/g, '-');
            return ['--cache-from', `type=gha,scope=${scope}`, '--cache-to', `type=gha,mode=max,scope=${scope},ignore-error=true`];
        }
        case 'registry':
            return ['--cache-from', `type=registry,ref=${first.name}:buildcache`, '--cache-to', `type=registry,ref=${first.name}:buildcache,mode=max,ignore-error=true`];
        case 'inline':
            return ['--cache-from', `type=registry,ref=${first.name}:${firstTag}`, '--cache-to', 'type=inline'];
        case 'none':
            return [];
    }
}
function ociLabels(ctx, extra) {
    const url = `${ctx.serverUrl.replace(/\/$/, '')}/${ctx.repository}`;
    return {
        'org.opencontainers.image.source': url,
        'org.opencontainers.image.url': url,
        'org.opencontainers.image.revision': ctx.revision,
        'org.opencontainers.image.version': ctx.version,
        'org.opencontainers.image.created': ctx.created,
        'org.opencontainers.image.title': ctx.repository.split('/').pop() ?? ctx.repository,
        ...extra,
    };
}
/**
 * Nothing reaches a tag before the immutable-tag guard has seen the digest: the docker driver builds into
 * the local image store then `docker push`es it; other drivers push by digest (no tag) then tag with
 * `imagetools create`.
 */
function publishStrategy(driver, push) {
    if (!push)
        return 'none';
    return driver === 'docker' ? 'docker-push' : 'push-by-digest';
}
/** CSV field quoting as buildx parses --output. */
function csvField(field) {
    return field.includes(',') || field.includes('"') ? `"${field.replace(/"/g, '""')}"` : field;
}
function outputArg(strategy, driver, refs, images) {
    switch (strategy) {
        case 'docker-push':
            return ['type=image', csvField(`name=${refs.join(',')}`), 'push=false', 'oci-mediatypes=true'].join(',');
        case 'push-by-digest':
            // rewrite-timestamp clamps file times in the layers to SOURCE_DATE_EPOCH (BuildKit 0.13+), so a rebuild of the
            // commit gives the same layers; the docker driver refuses it ("conflicts with unpack").
            return ['type=image', csvField(`name=${images.map((i) => i.name).join(',')}`), 'push-by-digest=true', 'name-canonical=true', 'push=true', 'oci-mediatypes=true', 'rewrite-timestamp=true'].join(',');
        case 'none':
            return driver === 'docker' ? ['type=image', csvField(`name=${refs.join(',')}`), 'push=false', 'oci-mediatypes=true'].join(',') : 'type=cacheonly';
    }
}
/** `buildx build`'s arguments. Secret values never appear here: each secret is passed as `id=…,env=…` from the child's environment. */
function buildxArgs(plan) {
    const args = [];
    if (plan.builder)
        args.push('--builder', plan.builder);
    args.push('--platform', plan.platforms.join(','));
    args.push('--file', plan.file);
    if (plan.target)
        args.push('--target', plan.target);
    for (const [k, v] of Object.entries(plan.labels))
        args.push('--label', `${k}=${v}`);
    for (const a of plan.buildArgs)
        args.push('--build-arg', a);
    for (const id of plan.secretIds)
        args.push('--secret', `id=${id},env=${secretEnvName(id)}`);
    args.push(...plan.cache);
    args.push('--provenance', plan.provenance, '--sbom', String(plan.sbom));
    args.push('--output', plan.output);
    args.push('--metadata-file', plan.metadataFile);
    args.push(plan.context);
    return args;
}
function secretEnvName(id) {
    return `BUILD_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

;// CONCATENATED MODULE: ./actions/build-push/registry.ts
// build-push's registry writes over the toolkit's registry client: put a tag on an existing manifest by PUTting its
// exact bytes (the digest never changes, unlike `imagetools create`, which wraps a single-platform manifest in a new
// index), and the credentials `docker login` stored.




/** Where `docker login` keeps a registry's entry in config.json. */
function configKey(registry) {
    return registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}
/** The credentials `docker login` stored for a registry in DOCKER_CONFIG (config.json or its credential helper). */
async function dockerConfigCredentials(dockerConfig, registry) {
    const file = external_node_path_.join(dockerConfig, 'config.json');
    if (!external_node_fs_.existsSync(file))
        return undefined;
    const config = JSON.parse(external_node_fs_.readFileSync(file, 'utf8'));
    const key = configKey(registry);
    const helper = config.credHelpers?.[key] ?? config.credsStore;
    if (helper) {
        const res = await runCommand(`docker-credential-${helper}`, ['get'], { input: key, allowFailure: true }).catch(() => undefined);
        if (res?.exitCode === 0) {
            const found = JSON.parse(res.stdout);
            if (found.Username && found.Secret)
                return { username: found.Username, password: found.Secret };
        }
    }
    const entry = config.auths?.[key];
    if (entry?.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0)
            return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry?.username && entry.password)
        return { username: entry.username, password: entry.password };
    return undefined;
}
/** One registry host, read and written (token scope pull,push). */
class Registry extends RegistryClient {
    constructor(registry, findCredentials) {
        super(registry, findCredentials, { userAgent: 'platform-actions-build-push', access: 'pull,push' });
    }
    /** Puts `tag` on `manifest` registry-side (same bytes, same digest); checks the digest the registry reports. */
    async putTag(repository, tag, manifest) {
        const res = await this.request('PUT', repository, `/manifests/${tag}`, { 'Content-Type': manifest.mediaType, 'Content-Length': String(manifest.bytes.length) }, manifest.bytes.toString('utf8'));
        const status = res.message.statusCode ?? 0;
        const body = await res.readBody();
        if (status !== 201 && status !== 200)
            throw await this.error(res, `PUT ${repository}:${tag}`, status, body);
        const reported = responseHeader(res, 'docker-content-digest');
        if (reported && reported !== manifest.digest)
            throw new RegistryError(`PUT ${repository}:${tag}: the registry stored ${reported}, expected ${manifest.digest}`, status);
    }
}

// EXTERNAL MODULE: ./actions/build-push/state-keys.ts
var build_push_state_keys = __webpack_require__(7482);
;// CONCATENATED MODULE: ./actions/build-push/summary.ts

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
    return `### build-push\n\n${markdownTable(['', ''], rows).replace(/&lt;br&gt;/g, '<br>')}\n`;
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

// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
;// CONCATENATED MODULE: ./actions/build-push/tags.ts


const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);
/** The tag logic metadata-action users rely on, with our defaults. Pure: no env, no I/O. */
function computeTags(ctx, options) {
    const tags = [];
    const immutable = [];
    const isPr = PR_EVENTS.has(ctx.eventName);
    const revision = isPr && ctx.prHeadSha ? ctx.prHeadSha : ctx.sha;
    let version = '';
    let release;
    let stableRelease = false;
    if (isPr) {
        const n = ctx.prNumber ?? Number(/^refs\/pull\/(\d+)\//.exec(ctx.ref)?.[1] ?? NaN);
        version = Number.isFinite(n) ? `pr-${n}` : sanitizeTag(ctx.ref);
        tags.push(version);
    }
    else if (ctx.ref.startsWith('refs/tags/')) {
        const gitTag = ctx.ref.slice('refs/tags/'.length);
        const prefix = /^[vV]/.test(gitTag) ? gitTag[0] : '';
        const parsed = semver.parse(gitTag.slice(prefix.length));
        if (parsed && parsed.raw === gitTag.slice(prefix.length)) {
            const prerelease = parsed.prerelease.length > 0;
            release = { version: parsed.version, prerelease };
            // Build metadata (+…) is not allowed in a tag; it never makes a different release.
            const exact = `${prefix}${parsed.version}`;
            version = exact;
            tags.push(sanitizeTag(exact));
            immutable.push(sanitizeTag(exact));
            if (!prerelease) {
                stableRelease = true;
                tags.push(`${prefix}${parsed.major}.${parsed.minor}`);
                // 0.x minors may break each other: a moving v0 would hide that.
                if (parsed.major > 0)
                    tags.push(`${prefix}${parsed.major}`);
            }
        }
        else {
            version = sanitizeTag(gitTag);
            tags.push(version);
        }
    }
    else if (ctx.ref.startsWith('refs/heads/')) {
        const branch = ctx.ref.slice('refs/heads/'.length);
        version = sanitizeTag(branch);
        tags.push(version);
        const devBranches = options.devBranches.length ? options.devBranches : ['main', 'develop', ...(ctx.defaultBranch ? [ctx.defaultBranch] : [])];
        if (ctx.eventName === 'push' && devBranches.includes(branch))
            tags.push('dev');
    }
    if (revision) {
        tags.push(shaTag(revision));
        immutable.push(shaTag(revision));
    }
    if (options.latest === 'true' || (options.latest === 'auto' && stableRelease))
        tags.push('latest');
    tags.push(...options.extraTags);
    // A raw tag that looks immutable is guarded like a computed one: `sha-deadbee` or `v9.9.9` never moves silently.
    immutable.push(...options.extraTags.filter(looksImmutable));
    const unique = [...new Set(tags)];
    return { tags: unique, immutable: [...new Set(immutable)], version: version || (revision ? `sha-${revision.slice(0, 7)}` : (unique[0] ?? '')), revision, release };
}
/** sha-<7 to 40 hex> or an exact semver version (optional v/V prefix, pre-release allowed). */
function looksImmutable(tag) {
    if (/^sha-[0-9a-f]{7,40}$/.test(tag))
        return true;
    const bare = /^[vV]/.test(tag) ? tag.slice(1) : tag;
    const parsed = semver.parse(bare);
    return parsed !== null && parsed.raw === bare;
}
/** The commit's `sha-<7>` tag, the key build-push finds an earlier build of the commit by. */
function shaTag(revision) {
    return `sha-${revision.slice(0, 7)}`;
}
/** The error when computeTags gave no tag at all: the ref gave none, no commit for sha-*, no extra tags. */
function noTagsMessage(ctx) {
    const ref = ctx.ref ? `GITHUB_REF '${ctx.ref}' gives no tag` : 'GITHUB_REF is not set';
    return `no tags to push: ${ref} and input 'tags' is empty (and no GITHUB_SHA for a sha- tag). Outside a GitHub runner set GITHUB_REF and GITHUB_SHA, or the tags input.`;
}
/**
 * The tag a `<image>:<tag>@sha256:…` reference carries for charts that read only a tag: the first tag that never
 * moves (the exact release version, else the commit's sha- tag), else the first tag.
 */
function pinningTag(computed) {
    return computed.tags.find((t) => computed.immutable.includes(t)) ?? computed.tags[0];
}

;// CONCATENATED MODULE: ./actions/build-push/main.ts



// Toolkit modules imported one by one: the toolkit's index would bundle (and load at start-up) all of it.





















/** The main step; the post step is post.ts (index.ts routes). */
function run() {
    return runAction({
        main: async () => {
            const seen = { tags: [], pushed: [] };
            try {
                await main(seen);
            }
            catch (err) {
                // Every failure path writes the summary too, with only what this run saw happen.
                await appendSummary(failureMarkdown(seen, errorMessage(err)));
                throw err;
            }
        },
    });
}
const main_transient = (err) => isTransientRegistryError(errorMessage(err) + (err instanceof CommandError ? `\n${err.stderr}` : ''));
async function main(seen) {
    const started = Date.now();
    const ctx = readRunContext();
    const inputs = readInputs(ctx.workspace, ctx.actor);
    const push = inputs.push === 'auto' ? !['pull_request', 'pull_request_target'].includes(ctx.eventName) : inputs.push === 'true';
    const computed = computeTags(ctx, { devBranches: inputs.devBranches, latest: inputs.latest, extraTags: inputs.extraTags });
    if (computed.tags.length === 0)
        throw new ActionError(noTagsMessage(ctx));
    const refs = inputs.images.flatMap((img) => computed.tags.map((t) => `${img.name}:${t}`));
    core/* info */.pq(`Tags: ${computed.tags.join(', ')}${push ? '' : ' (not pushed)'}`);
    seen.tags = computed.tags;
    const dockerConfig = privateDockerConfig();
    saveState(build_push_state_keys/* DOCKER_CONFIG_STATE */.Ai, dockerConfig);
    const docker = new Docker(dockerConfig);
    const registries = new Registries(inputs, dockerConfig);
    const cleanup = {};
    try {
        if (push) {
            await core/* group */.Os('Registry login', async () => {
                for (const login of inputs.logins) {
                    await retry(() => docker.login(login.registry, login.username, login.password), { attempts: inputs.retries, baseDelayMs: 1000, isTransient: main_transient, label: `login to ${login.registry}` });
                    core/* info */.pq(`Logged in to ${login.registry} as ${login.username}`);
                }
                if (inputs.logins.length === 0)
                    core/* info */.pq('No credentials given: using existing docker logins, if any');
            });
        }
        const retrying = (label, fn) => retry(fn, { attempts: inputs.retries, baseDelayMs: 1000, isTransient: main_transient, label });
        // Build once: a commit whose sha- tag already holds its image is promoted (tagged registry-side), never rebuilt.
        const first = inputs.images[0];
        const shaRef = computed.revision ? shaTag(computed.revision) : '';
        const canPromote = push && !inputs.rebuild && Boolean(shaRef);
        // The image store matters only to the docker driver: for multi-platform output, cache export, or a guarded push.
        const cacheMode = resolveCacheMode(inputs.cache, ctx.onGitHub);
        const needsStore = push || inputs.platforms.length > 1 || cacheMode === 'gha' || cacheMode === 'registry';
        // What a build needs is read while the commit's image is looked up (read-only; unused when promoting).
        const defaultBuilder = defaultDockerBuilder(dockerConfig);
        const builderInfo = defaultBuilder ? Promise.resolve({ name: defaultBuilder, driver: 'docker', platforms: [] }) : docker.builder();
        // The default builder's platform list only explains a failed build (QEMU missing): asked then, not before.
        const defaultPlatforms = defaultBuilder ? () => docker.builder().then((b) => b.platforms) : undefined;
        const containerdStore = needsStore ? docker.containerdStore() : Promise.resolve(false);
        const created = commitTime({ revision: computed.revision, headCommit: ctx.headCommit, dir: inputs.context, repository: ctx.repository, apiUrl: ctx.apiUrl, token: inputs.githubToken });
        for (const p of [builderInfo, containerdStore, created])
            p.catch(() => undefined);
        if (canPromote) {
            const existing = await retrying(`read ${first.name}:${shaRef}`, () => readExistingImage(registries.of(first), first.repository, shaRef));
            const decision = promotionDecision(existing, `${first.name}:${shaRef}`, computed.revision, inputs.platforms);
            core/* info */.pq(decision.reason);
            if (decision.promote && existing) {
                await publishOn(existing, { inputs, computed, refs, registries, retrying, started, seen }, { kind: 'promoted', observedAt: Date.now() });
                return;
            }
        }
        else {
            core/* info */.pq(!push ? 'Not pushing: building' : inputs.rebuild ? 'rebuild: true: building without looking for an image of this commit' : 'No commit (GITHUB_SHA) to find an earlier build by: building');
        }
        const info = await builderInfo;
        const store = info.driver === 'docker' && (await containerdStore);
        const time = logImageTime(await created);
        await build({ inputs, computed, refs, push, docker, registries, retrying, started, seen, ctx, cache: cacheMode, builderInfo: info, platforms: defaultPlatforms, containerdStore: store, created: time, cleanup });
    }
    finally {
        registries.dispose();
        await cleanUp(docker, cleanup);
    }
}
/**
 * Main removes what it made, success or failure: the builder it created, then the private DOCKER_CONFIG and
 * the build's metadata folder. The post step (`post-if: failure() || cancelled()`) does it again only when main
 * may not have got here (killed by a cancel or a timeout); the runner empties RUNNER_TEMP after every job too.
 */
async function cleanUp(docker, made) {
    if (made.builder) {
        const code = await docker.removeBuilder(made.builder);
        if (code === 0) {
            core/* info */.pq(`Removed builder ${made.builder}`);
            saveState(build_push_state_keys/* CREATED_BUILDER_STATE */.pg, '');
        }
        else {
            core/* warning */.$e(`docker buildx rm ${made.builder} exited ${code}: the post step tries again only if the job fails`);
        }
    }
    const removed = removeSensitivePaths();
    core/* debug */.Yz(`Removed ${removed.length} private director${removed.length === 1 ? 'y' : 'ies'}: ${removed.join(', ')}`);
}
/** The registry client of each image's registry host, with the login given for it or the docker config's. */
class Registries {
    inputs;
    dockerConfig;
    byHost = new Map();
    constructor(inputs, dockerConfig) {
        this.inputs = inputs;
        this.dockerConfig = dockerConfig;
    }
    of(image) {
        let registry = this.byHost.get(image.registry);
        if (!registry) {
            registry = new Registry(image.registry, () => this.credentials(image.registry));
            this.byHost.set(image.registry, registry);
        }
        return registry;
    }
    /** The credentials the daemon pushes with (X-Registry-Auth), as `docker push` would send them. */
    async engineAuth(image) {
        const creds = await this.credentials(image.registry);
        return creds && { ...creds, serveraddress: image.registry };
    }
    async credentials(registry) {
        const login = this.inputs.logins.find((l) => l.registry === registry);
        return login ? { username: login.username, password: login.password } : dockerConfigCredentials(this.dockerConfig, registry);
    }
    dispose() {
        for (const r of this.byHost.values())
            r.dispose();
    }
}
/** Logs where the image timestamp came from (a warning when no source knew the commit) and returns it. */
function logImageTime(found) {
    if (found.source === 'none') {
        core/* warning */.$e(`No commit time found (${found.notes.join('; ')}): the image timestamp is ${found.time}, the same on every re-run. Check out the repository or give github-token contents: read.`);
    }
    else {
        core/* info */.pq(`Image timestamp ${found.time} (commit time from ${found.source === 'event' ? 'the event' : found.source === 'git' ? 'git' : 'the GitHub API'})`);
    }
    return found.time;
}
/**
 * Fails (naming both digests) when an immutable tag of any image already points at another digest. Returns what
 * it read: each immutable ref and its digest (undefined: absent); nothing when allow-overwrite skips it.
 */
async function guard(run, digest, exempt = []) {
    if (run.inputs.allowOverwrite)
        return [];
    return core/* group */.Os('Immutable tag guard', async () => {
        const existing = await Promise.all(run.inputs.images.flatMap((img) => run.computed.immutable.map(async (tag) => {
            const ref = `${img.name}:${tag}`;
            const current = await run.retrying(`inspect ${ref}`, () => run.registries.of(img).digestOf(img.repository, tag));
            core/* info */.pq(`${ref}: ${current ?? 'not present yet'}`);
            return { image: img, tag, ref, digest: current };
        })));
        // A tag this run pushed itself (then lost the sha- claim to a concurrent run of the commit) is put right, not
        // guarded; so is the sha- tag while this run claims it (claimShaTag adopts or refuses what it holds).
        const conflicts = immutableConflicts(existing, digest).filter((c) => !exempt.includes(c.ref));
        if (conflicts.length)
            throw new ActionError(conflictMessage(conflicts, digest));
        return existing;
    });
}
/** Puts tags on one exact manifest registry-side (the same bytes: the tag resolves to the same digest). */
async function putTags(run, img, tags, manifest) {
    if (tags.length === 0)
        return;
    await Promise.all(tags.map(async (t) => {
        await run.retrying(`tag ${img.name}:${t}`, () => run.registries.of(img).putTag(img.repository, t, manifest));
        run.seen.pushed.push(`${img.name}:${t}`);
    }));
    core/* info */.pq(`Tagged ${img.name}@${manifest.digest}: ${tags.join(', ')}`);
}
/**
 * Claims the commit's sha- tag of `img` for `manifest`: PUT only when absent, then read again after the claim window.
 * Returns when the claim stands, or the concurrent run's image of the commit that holds the tag instead.
 */
async function claimShaTag(run, img, manifest) {
    const shaRef = shaTag(run.computed.revision);
    const ref = `${img.name}:${shaRef}`;
    const before = await readClaim(run);
    const first = outcomeOf(run, before.existing, manifest.digest);
    if (first.kind === 'adopt' && before.existing)
        return { lost: { existing: before.existing, at: before.at } };
    if (first.kind === 'foreign')
        throw new ActionError(conflictMessage([{ ref, digest: first.digest }], manifest.digest));
    if (first.kind === 'free')
        await putTags(run, img, [shaRef], manifest);
    const settled = await settledClaim(run, Date.now());
    const outcome = outcomeOf(run, settled.existing, manifest.digest);
    if (outcome.kind === 'ours') {
        core/* info */.pq(`${ref} holds ${manifest.digest}: this run's claim stands`);
        return { at: settled.at };
    }
    if (outcome.kind === 'adopt' && settled.existing)
        return { lost: { existing: settled.existing, at: settled.at } };
    throw new ActionError(`${outcome.kind === 'free' ? `${ref} vanished after this run put it` : outcome.reason}: nothing more was tagged`);
}
async function manifestIn(run, img, digest) {
    const manifest = await run.retrying(`read ${img.name}@${digest}`, () => run.registries.of(img).manifest(img.repository, digest));
    if (!manifest)
        throw new ActionError(`${img.name}@${digest} is not in the registry: nothing more was tagged`);
    return manifest;
}
/** How long a run that adopted waits for the winner to reach the other images (it pushes them one after the other). */
const ADOPT_WAIT_MS = 120_000;
/** The commit's sha- tag of the first image as it is now, and when it was read. */
async function readClaim(run) {
    const first = run.inputs.images[0];
    const shaRef = shaTag(run.computed.revision);
    const existing = await run.retrying(`read ${first.name}:${shaRef}`, () => readExistingImage(run.registries.of(first), first.repository, shaRef));
    return { existing, at: Date.now() };
}
function outcomeOf(run, existing, ours) {
    return claimOutcome(existing, ours, `${run.inputs.images[0].name}:${shaTag(run.computed.revision)}`, run.computed.revision, run.inputs.platforms);
}
/** The sha- tag read again once the claim window since `since` has passed (see converge.ts). */
async function settledClaim(run, since) {
    const wait = settleRemaining(since, Date.now(), run.inputs.claimWindowMs);
    if (wait > 0)
        core/* info */.pq(`Reading ${shaTag(run.computed.revision)} again in ${wait} ms, once a concurrent run of this commit would have landed its claim`);
    await sleep(wait);
    return readClaim(run);
}
/** Images (after the first) that do not hold `digest` yet; an adopting run waits for the winner's pushes to reach them. */
async function imagesMissing(run, digest, wait) {
    const deadline = Date.now() + (wait ? ADOPT_WAIT_MS : 0);
    for (;;) {
        const missing = (await Promise.all(run.inputs.images.slice(1).map(async (img) => ((await run.retrying(`inspect ${img.name}@${digest}`, () => run.registries.of(img).digestOf(img.repository, digest))) ? undefined : img.name)))).filter((n) => Boolean(n));
        if (missing.length === 0 || Date.now() >= deadline)
            return missing;
        core/* info */.pq(`Waiting for ${digest} to reach ${missing.join(', ')} (the concurrent run pushes one image after the other)`);
        await sleep(3000);
    }
}
/**
 * Puts every tag of this run on an image already in the registry: an earlier build of the commit (promoted) or a
 * concurrent run's (adopted). Tags this run had pushed with its own digest are re-pointed. Then the sha- tag is read
 * again after the claim window: if a concurrent claim replaced it meanwhile, the tags follow it.
 */
async function publishOn(existing, run, how) {
    const { inputs, computed } = run;
    const pushedBefore = [...run.seen.pushed];
    let current = existing;
    let observedAt = how.observedAt;
    for (let round = 1;; round++) {
        const digest = current.manifest.digest;
        // Every image must already hold the digest: promotion tags, it never copies an image between registries.
        const missing = await imagesMissing(run, digest, how.kind === 'adopted' || round > 1);
        if (missing.length) {
            throw new ActionError(`${inputs.images[0].name}:${shaTag(computed.revision)} is ${digest}, built from this commit, but ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not hold that digest: nothing was tagged. Push the image there first, or set rebuild: true (with allow-overwrite: true, the sha- tag moves).`);
        }
        await guard(run, digest, [...run.seen.pushed]);
        await core/* group */.Os(how.kind === 'promoted' && round === 1 ? 'Promote (no build)' : `Adopt ${digest}`, async () => {
            await Promise.all(inputs.images.map((img) => putTags(run, img, computed.tags, current.manifest)));
        });
        const settled = await settledClaim(run, observedAt);
        const outcome = outcomeOf(run, settled.existing, digest);
        if (outcome.kind === 'ours')
            break;
        if (outcome.kind !== 'adopt' || !settled.existing || round >= 3) {
            const why = outcome.kind === 'free' ? `${inputs.images[0].name}:${shaTag(computed.revision)} vanished after this run tagged ${digest}` : outcome.kind === 'adopt' ? `${outcome.reason}, still moving after ${round} rounds` : outcome.reason;
            throw new ActionError(`${why}: the tags of this run may not all serve one digest`);
        }
        core/* warning */.$e(outcome.reason);
        current = settled.existing;
        observedAt = settled.at;
    }
    const digest = current.manifest.digest;
    const adopted = how.kind === 'adopted' || current !== existing;
    const built = how.kind === 'adopted' ? how.built : '';
    const corrected = correctedRefs(pushedBefore, run.refs);
    if (adopted)
        core/* notice */.lm(`adopted ${digest} pushed by a concurrent run of this commit${built ? ` (this run built ${built}: not published)` : ''}${corrected.length ? `; re-pointed ${corrected.join(', ')}` : ''}`);
    const report = { digest, platforms: current.platforms, labels: current.labels, pushed: true, promoted: how.kind === 'promoted', adopted, built, corrected, alreadyHeld: inputs.images.map((i) => i.name), cache: '', builder: '' };
    writeOutputs(run, report);
    const what = adopted ? `no: adopted ${digest} pushed by a concurrent run of this commit${built ? ` (this run built ${built}: not published)` : ''}` : `no: promoted ${shaTag(computed.revision)}, built earlier from this commit`;
    await appendSummary(summaryMarkdown({ ...summaryBase(run, report), builder: '—', cache: '—', built: what, corrected }));
}
function writeOutputs(run, r) {
    const { inputs, computed, refs } = run;
    const imageRefs = inputs.images.map((img) => `${img.name}@${r.digest}`);
    core/* setOutput */.uH('digest', r.digest);
    core/* setOutput */.uH('image-ref', imageRefs[0]);
    core/* setOutput */.uH('image-refs', imageRefs.join('\n'));
    core/* setOutput */.uH('tagged-ref', r.digest ? `${inputs.images[0].name}:${pinningTag(computed)}@${r.digest}` : '');
    core/* setOutput */.uH('tags', refs.join('\n'));
    core/* setOutput */.uH('version', computed.version);
    core/* setOutput */.uH('metadata', JSON.stringify({ images: inputs.images.map((i) => i.name), tags: computed.tags, refs, digest: r.digest, platforms: r.platforms, labels: r.labels, pushed: r.pushed, promoted: r.promoted, adopted: r.adopted, builtDigest: r.built, corrected: r.corrected, alreadyHeld: r.alreadyHeld, cache: r.cache, builder: r.builder, durationMs: Date.now() - run.started }));
}
function summaryBase(run, r) {
    return {
        images: run.inputs.images.map((i) => i.name),
        tags: run.computed.tags,
        refs: run.refs,
        digest: r.digest,
        platforms: r.platforms,
        pushed: r.pushed,
        durationMs: Date.now() - run.started,
        immutableCheck: !r.pushed ? undefined : run.inputs.allowOverwrite ? 'skipped' : run.computed.immutable,
    };
}
async function build(run) {
    const { inputs, computed, refs, push, docker, ctx, cache } = run;
    const builder = await core/* group */.Os('Builder', () => prepareBuilder(run));
    const strategy = publishStrategy(builder.driver, push);
    const labels = ociLabels({ serverUrl: ctx.serverUrl, repository: ctx.repository, revision: computed.revision, version: computed.version, created: run.created }, inputs.labels);
    const metadataFile = external_node_path_.join(makePrivateDir('build-metadata'), 'metadata.json');
    const args = buildxArgs({
        context: inputs.context,
        file: inputs.file,
        target: inputs.target,
        platforms: inputs.platforms,
        labels,
        buildArgs: inputs.buildArgs,
        secretIds: Object.keys(inputs.secrets),
        cache: cacheArgs(cache, inputs.images, computed.tags[0]),
        output: outputArg(strategy, builder.driver, refs, inputs.images),
        provenance: inputs.provenance,
        sbom: inputs.sbom,
        metadataFile,
        builder: builder.created ? builder.name : undefined,
    });
    const buildEnv = { SOURCE_DATE_EPOCH: String(Math.floor(Date.parse(run.created) / 1000)) };
    for (const [id, value] of Object.entries(inputs.secrets))
        buildEnv[secretEnvName(id)] = value;
    if (builder.platforms)
        warnMissingPlatforms(builder.name, inputs.platforms, builder.platforms);
    try {
        await core/* group */.Os(`Build ${inputs.platforms.join(', ')}`, () => retry(() => docker.build(args, buildEnv), { attempts: strategy === 'push-by-digest' ? inputs.retries : 1, baseDelayMs: 2000, isTransient: main_transient, label: 'build' }));
    }
    catch (err) {
        if (!builder.platforms && run.platforms)
            warnMissingPlatforms(builder.name, inputs.platforms, await run.platforms().catch(() => []));
        throw err;
    }
    const metadata = JSON.parse(external_node_fs_.readFileSync(metadataFile, 'utf8'));
    const digest = String(metadata['containerimage.digest'] ?? '');
    if (!/^sha256:[a-f0-9]{64}$/.test(digest))
        throw new ActionError(`buildx did not report an image digest (metadata: ${truncate(JSON.stringify(metadata), 300)})`);
    core/* info */.pq(`Digest: ${digest}`);
    run.seen.digest = digest;
    const alreadyHeld = [];
    if (push) {
        // One commit, one digest: unless told to rebuild or overwrite, a run that finds the commit's sha- tag holding a
        // concurrent run's image of the commit puts its tags on that image instead of publishing its own (converge.ts).
        const claiming = !inputs.rebuild && !inputs.allowOverwrite && Boolean(computed.revision);
        const shaRef = shaTag(computed.revision);
        if (claiming) {
            const before = await core/* group */.Os(`Claim ${shaRef}`, () => readClaim(run));
            const outcome = outcomeOf(run, before.existing, digest);
            core/* info */.pq(outcome.kind === 'free' ? `${inputs.images[0].name}:${shaRef} does not exist yet: this run claims it` : outcome.kind === 'ours' ? `${inputs.images[0].name}:${shaRef} already holds ${digest}` : outcome.reason);
            if (outcome.kind === 'adopt' && before.existing)
                return publishOn(before.existing, run, { kind: 'adopted', built: digest, observedAt: before.at });
        }
        // The first image's sha- tag is the claim: what it holds by then is decided by claimShaTag, after the upload.
        const guarded = await guard(run, digest, claiming ? [`${inputs.images[0].name}:${shaRef}`] : []);
        let lost;
        let claimedAt = 0;
        /** Claims the sha- tag on the first image once it holds the image; false when a concurrent run's claim stands. */
        const claim = async (img, manifest) => {
            const result = await claimShaTag(run, img, manifest);
            if ('lost' in result) {
                lost = result.lost;
                return false;
            }
            claimedAt = result.at;
            return true;
        };
        await core/* group */.Os('Publish', async () => {
            if (strategy === 'docker-push') {
                // `docker push` uploads the blobs, child manifests and index under one tag, one image at a time:
                // concurrent pushes of one index share the daemon's upload tracking, one can skip a child manifest the
                // other is still uploading, and the registry then refuses the index ("references to blobs and/or
                // manifests are missing", 400). The other tags are then put registry-side on that exact manifest. The
                // upload tag is a moving one when there is one: it is re-pointed if the run loses the sha- claim.
                const pushTag = uploadTag(computed.tags, computed.immutable, shaRef);
                for (const [i, img] of inputs.images.entries()) {
                    // The guard saw this digest under an immutable tag of the image (a rebuild of a pushed commit gave the
                    // same bytes): the registry holds the image whole, so the tags are put on it and nothing is uploaded.
                    const holding = guarded.filter((g) => g.image === img && g.digest === digest).map((g) => g.tag);
                    let rest = computed.tags;
                    if (holding.length) {
                        core/* info */.pq(`${img.name} already holds ${digest} (${holding.join(', ')}): nothing to push`);
                        alreadyHeld.push(img.name);
                        rest = rest.filter((t) => !holding.includes(t));
                    }
                    else {
                        const ref = `${img.name}:${pushTag}`;
                        await run.retrying(`push ${ref}`, () => docker.push(img.name, pushTag, () => run.registries.engineAuth(img)));
                        run.seen.pushed.push(ref);
                        core/* info */.pq(`Pushed ${ref}`);
                        rest = rest.filter((t) => t !== pushTag);
                    }
                    if (rest.length === 0 && !(i === 0 && claiming))
                        continue;
                    const manifest = await manifestIn(run, img, digest);
                    if (i === 0 && claiming) {
                        if (!(await claim(img, manifest)))
                            return;
                        rest = rest.filter((t) => t !== shaRef);
                    }
                    await putTags(run, img, rest, manifest);
                }
            }
            else {
                const manifest = await manifestIn(run, inputs.images[0], digest);
                if (claiming && !(await claim(inputs.images[0], manifest)))
                    return;
                await Promise.all(inputs.images.map((img, i) => putTags(run, img, i === 0 && claiming ? computed.tags.filter((t) => t !== shaRef) : computed.tags, manifest)));
            }
        });
        if (lost) {
            const { existing, at } = lost;
            return publishOn(existing, run, { kind: 'adopted', built: digest, observedAt: at });
        }
        if (claiming) {
            // A claim that landed later than the window allows (a PUT retried after a 5xx) still wins the registry's last
            // write: the tags follow it.
            const after = await settledClaim(run, claimedAt);
            const outcome = outcomeOf(run, after.existing, digest);
            if (outcome.kind === 'adopt' && after.existing) {
                core/* warning */.$e(outcome.reason);
                return publishOn(after.existing, run, { kind: 'adopted', built: digest, observedAt: after.at });
            }
            if (outcome.kind !== 'ours')
                throw new ActionError(`${outcome.kind === 'free' ? `${inputs.images[0].name}:${shaRef} vanished after this run pushed it` : outcome.reason}: the tags of this run may not all serve one digest`);
        }
    }
    const report = { digest, platforms: inputs.platforms, labels, pushed: push, promoted: false, adopted: false, built: digest, corrected: [], alreadyHeld, cache, builder: builder.name };
    writeOutputs(run, report);
    await appendSummary(summaryMarkdown({ ...summaryBase(run, report), alreadyHeld, cache, builder: `${builder.name} (${builder.driver}${builder.created ? ', created for this build' : ''})`, built: 'yes' }));
}
function warnMissingPlatforms(name, wanted, platforms) {
    const missing = wanted.filter((p) => !platforms.some((bp) => bp === p || bp.startsWith(`${p}/`)));
    if (missing.length && platforms.length) {
        core/* warning */.$e(`Builder '${name}' does not list ${missing.join(', ')} (it has ${platforms.join(', ')}): RUN steps for those platforms need QEMU (docker/setup-qemu-action); COPY-only stages build anyway.`);
    }
}
async function prepareBuilder(run) {
    const { docker, inputs, ctx, cleanup, builderInfo: current } = run;
    const choice = chooseBuilder(current, current.driver === 'docker' && run.containerdStore, inputs.platforms, run.cache, run.push);
    core/* info */.pq(choice.reason);
    core/* info */.pq(docker.buildxPath ? `buildx: ${docker.buildxPath} (the docker CLI's plugin, run directly)` : 'buildx: docker buildx');
    if (choice.use === 'create') {
        const name = `platform-actions-${ctx.runId}-${process.pid}`;
        saveState(build_push_state_keys/* CREATED_BUILDER_STATE */.pg, name);
        cleanup.builder = name;
        await docker.createBuilder(name);
        const made = await docker.builder(name);
        return { name, driver: made.driver, created: true, platforms: made.platforms };
    }
    return { name: current.name, driver: current.driver, created: false, platforms: current.platforms.length ? current.platforms : undefined };
}


/***/ }),

/***/ 7482:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ai: () => (/* binding */ DOCKER_CONFIG_STATE),
/* harmony export */   pg: () => (/* binding */ CREATED_BUILDER_STATE)
/* harmony export */ });
// GITHUB_STATE keys main saves for the post step. Nothing here loads @actions/core: post.ts reads them without it.

/** Name of the buildx builder main created (post removes it). */
const CREATED_BUILDER_STATE = 'createdBuilder';
/** The private DOCKER_CONFIG main used (post runs `buildx rm` with it). */
const DOCKER_CONFIG_STATE = 'dockerConfig';


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
