export const id = 10;
export const ids = [10];
export const modules = {

/***/ 1010:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  namingRace: () => (/* binding */ namingRace),
  publish: () => (/* binding */ publish)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(6058);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./actions/toolkit/state-keys.ts
var state_keys = __webpack_require__(6719);
// EXTERNAL MODULE: ./actions/toolkit/state.ts
var state = __webpack_require__(8682);
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
    const paths = [...new Set([...((0,state/* loadState */.C7)(state_keys/* SENSITIVE_PATHS_STATE */.u) ?? []), ...tracked])];
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
    (0,state/* saveState */.LZ)(state_keys/* SENSITIVE_PATHS_STATE */.u, []);
    return removed;
}
// GITHUB_STATE is only read back in the post step, so main keeps its own list and rewrites the key.
const tracked = [];
function track(p) {
    tracked.push(p);
    (0,state/* saveState */.LZ)(state_keys/* SENSITIVE_PATHS_STATE */.u, tracked);
}

// EXTERNAL MODULE: ./actions/toolkit/errors.ts
var errors = __webpack_require__(8232);
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
            log(`${label}: ${count} failed with a transient error, retrying in ${(delay / 1000).toFixed(1)}s (${why}${lastLine((0,errors/* errorMessage */.gJ)(err))}${budget})`, attempt);
            await wait(delay);
        }
    }
}
/** The most telling line of a multi-line error: the last non-empty one (Go tools print the cause last). */
function lastLine(text) {
    const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
    return lines.slice(-1)[0] ?? text;
}

// EXTERNAL MODULE: ./actions/toolkit/summary.ts
var summary = __webpack_require__(7811);
// EXTERNAL MODULE: ./actions/toolkit/text.ts
var toolkit_text = __webpack_require__(292);
// EXTERNAL MODULE: ./actions/toolkit/exec.ts
var exec = __webpack_require__(3890);
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
    const git = await (0,exec/* runCommand */.d1)('git', ['-C', src.dir, 'show', '-s', '--format=%cI', src.revision], { allowFailure: true }).catch((err) => ({ exitCode: -1, stdout: '', stderr: (0,errors/* errorMessage */.gJ)(err) }));
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
        notes.push(`GitHub API ${src.apiUrl} GET /repos/${src.repository}/commits/${src.revision.slice(0, 12)}: ${(0,errors/* errorMessage */.gJ)(err).split('\n')[0]}`);
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
        return (0,exec/* runCommand */.d1)('docker', args, { ...options, env: { ...this.env, ...options.env } });
    }
    /** A buildx command: `buildx <args>` in standalone mode, `docker buildx <args>` otherwise. */
    buildx(args, options = {}) {
        if (!this.buildxPath)
            return this.run(['buildx', ...args], options);
        return (0,exec/* runCommand */.d1)(this.buildxPath, args, { ...options, env: { ...this.env, ...options.env } });
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
        const res = await (0,exec/* runCommand */.d1)(`docker-credential-${helper}`, ['get'], { input: key, allowFailure: true }).catch(() => undefined);
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
// EXTERNAL MODULE: ./actions/build-push/summary.ts
var build_push_summary = __webpack_require__(6276);
// EXTERNAL MODULE: external "semver"
var external_semver_ = __webpack_require__(146);
// EXTERNAL MODULE: ./actions/build-push/images.ts + 1 modules
var build_push_images = __webpack_require__(4655);
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
        version = Number.isFinite(n) ? `pr-${n}` : (0,build_push_images/* sanitizeTag */.iP)(ctx.ref);
        tags.push(version);
    }
    else if (ctx.ref.startsWith('refs/tags/')) {
        const gitTag = ctx.ref.slice('refs/tags/'.length);
        const prefix = /^[vV]/.test(gitTag) ? gitTag[0] : '';
        const parsed = external_semver_.parse(gitTag.slice(prefix.length));
        if (parsed && parsed.raw === gitTag.slice(prefix.length)) {
            const prerelease = parsed.prerelease.length > 0;
            release = { version: parsed.version, prerelease };
            // Build metadata (+…) is not allowed in a tag; it never makes a different release.
            const exact = `${prefix}${parsed.version}`;
            version = exact;
            tags.push((0,build_push_images/* sanitizeTag */.iP)(exact));
            immutable.push((0,build_push_images/* sanitizeTag */.iP)(exact));
            if (!prerelease) {
                stableRelease = true;
                tags.push(`${prefix}${parsed.major}.${parsed.minor}`);
                // 0.x minors may break each other: a moving v0 would hide that.
                if (parsed.major > 0)
                    tags.push(`${prefix}${parsed.major}`);
            }
        }
        else {
            version = (0,build_push_images/* sanitizeTag */.iP)(gitTag);
            tags.push(version);
        }
    }
    else if (ctx.ref.startsWith('refs/heads/')) {
        const branch = ctx.ref.slice('refs/heads/'.length);
        version = (0,build_push_images/* sanitizeTag */.iP)(branch);
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
    const parsed = external_semver_.parse(bare);
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

;// CONCATENATED MODULE: ./actions/build-push/publish.ts



// Toolkit modules imported one by one: the toolkit's index would bundle (and load at start-up) all of it.


















/** What a failed call said: its message and, for a command, its whole stderr (the classifiers read both). */
const failureText = (err) => (0,errors/* errorMessage */.gJ)(err) + (err instanceof errors/* CommandError */.Qd ? `\n${err.stderr}` : '');
const publish_transient = (err) => isTransientRegistryError(failureText(err));
// Two builds of one commit on one daemon (the branch run and the tag run on one self-hosted runner) name the same
// tag in the containerd image store at the same moment: the second is refused with exactly this (captured in this
// project's CI, docker 26.1 + buildx 0.13). Building again (all cached) names it once the first is done.
const DAEMON_NAMING_RACE = /ERROR: failed to solve: image "[^"\s]+": already exists/;
const namingRace = (err) => DAEMON_NAMING_RACE.test(failureText(err));
/** The build and push, once main.ts has read the inputs (`started`: when main began, for the reported duration). */
async function publish(seen, ctx, inputs, started) {
    const push = inputs.push === 'auto' ? !['pull_request', 'pull_request_target'].includes(ctx.eventName) : inputs.push === 'true';
    const computed = computeTags(ctx, { devBranches: inputs.devBranches, latest: inputs.latest, extraTags: inputs.extraTags });
    if (computed.tags.length === 0)
        throw new errors/* ActionError */.lZ(noTagsMessage(ctx));
    const refs = inputs.images.flatMap((img) => computed.tags.map((t) => `${img.name}:${t}`));
    core/* info */.pq(`Tags: ${computed.tags.join(', ')}${push ? '' : ' (not pushed)'}`);
    seen.tags = computed.tags;
    const dockerConfig = privateDockerConfig();
    (0,state/* saveState */.LZ)(build_push_state_keys/* DOCKER_CONFIG_STATE */.Ai, dockerConfig);
    const docker = new Docker(dockerConfig);
    const registries = new Registries(inputs, dockerConfig);
    const cleanup = {};
    try {
        if (push) {
            await core/* group */.Os('Registry login', async () => {
                for (const login of inputs.logins) {
                    await retry(() => docker.login(login.registry, login.username, login.password), { attempts: inputs.retries, baseDelayMs: 1000, isTransient: publish_transient, label: `login to ${login.registry}` });
                    core/* info */.pq(`Logged in to ${login.registry} as ${login.username}`);
                }
                if (inputs.logins.length === 0)
                    core/* info */.pq('No credentials given: using existing docker logins, if any');
            });
        }
        const retrying = (label, fn) => retry(fn, { attempts: inputs.retries, baseDelayMs: 1000, isTransient: publish_transient, label });
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
            (0,state/* saveState */.LZ)(build_push_state_keys/* CREATED_BUILDER_STATE */.pg, '');
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
            throw new errors/* ActionError */.lZ(conflictMessage(conflicts, digest));
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
        throw new errors/* ActionError */.lZ(conflictMessage([{ ref, digest: first.digest }], manifest.digest));
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
    throw new errors/* ActionError */.lZ(`${outcome.kind === 'free' ? `${ref} vanished after this run put it` : outcome.reason}: nothing more was tagged`);
}
async function manifestIn(run, img, digest) {
    const manifest = await run.retrying(`read ${img.name}@${digest}`, () => run.registries.of(img).manifest(img.repository, digest));
    if (!manifest)
        throw new errors/* ActionError */.lZ(`${img.name}@${digest} is not in the registry: nothing more was tagged`);
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
            throw new errors/* ActionError */.lZ(`${inputs.images[0].name}:${shaTag(computed.revision)} is ${digest}, built from this commit, but ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not hold that digest: nothing was tagged. Push the image there first, or set rebuild: true (with allow-overwrite: true, the sha- tag moves).`);
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
            throw new errors/* ActionError */.lZ(`${why}: the tags of this run may not all serve one digest`);
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
    await (0,summary/* appendSummary */.fe)((0,build_push_summary/* summaryMarkdown */.e)({ ...summaryBase(run, report), builder: '—', cache: '—', built: what, corrected }));
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
        await core/* group */.Os(`Build ${inputs.platforms.join(', ')}`, () => retry(() => docker.build(args, buildEnv), strategy === 'push-by-digest' ? { attempts: inputs.retries, baseDelayMs: 2000, isTransient: publish_transient, label: 'build' } : { attempts: 3, baseDelayMs: 1000, isTransient: namingRace, label: 'build' }));
    }
    catch (err) {
        if (!builder.platforms && run.platforms)
            warnMissingPlatforms(builder.name, inputs.platforms, await run.platforms().catch(() => []));
        throw err;
    }
    const metadata = JSON.parse(external_node_fs_.readFileSync(metadataFile, 'utf8'));
    const digest = String(metadata['containerimage.digest'] ?? '');
    if (!/^sha256:[a-f0-9]{64}$/.test(digest))
        throw new errors/* ActionError */.lZ(`buildx did not report an image digest (metadata: ${(0,toolkit_text/* truncate */.x)(JSON.stringify(metadata), 300)})`);
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
                throw new errors/* ActionError */.lZ(`${outcome.kind === 'free' ? `${inputs.images[0].name}:${shaRef} vanished after this run pushed it` : outcome.reason}: the tags of this run may not all serve one digest`);
        }
    }
    const report = { digest, platforms: inputs.platforms, labels, pushed: push, promoted: false, adopted: false, built: digest, corrected: [], alreadyHeld, cache, builder: builder.name };
    writeOutputs(run, report);
    await (0,summary/* appendSummary */.fe)((0,build_push_summary/* summaryMarkdown */.e)({ ...summaryBase(run, report), alreadyHeld, cache, builder: `${builder.name} (${builder.driver}${builder.created ? ', created for this build' : ''})`, built: 'yes' }));
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
        (0,state/* saveState */.LZ)(build_push_state_keys/* CREATED_BUILDER_STATE */.pg, name);
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


/***/ })

};
