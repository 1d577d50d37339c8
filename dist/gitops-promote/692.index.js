export const id = 692;
export const ids = [692];
export const modules = {

/***/ 4692:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ArgoCdApi: () => (/* binding */ ArgoCdApi),
/* harmony export */   ArgoCdKubectl: () => (/* binding */ ArgoCdKubectl),
/* harmony export */   waitForApplication: () => (/* binding */ waitForApplication)
/* harmony export */ });
/* unused harmony exports TransientReadError, apiErrorMessage */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9584);
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4942);
/* harmony import */ var _toolkit_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8232);
/* harmony import */ var _toolkit_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1119);
/* harmony import */ var _toolkit_index_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2069);
/* harmony import */ var _argocd_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8590);
// Reads an Argo CD Application (through the Argo CD API with a bearer token, or the applications.argoproj.io
// object through kubectl) and polls it until Argo CD's verdict on the promoted revision, or the deadline.




/** A read that failed in a way worth trying again on the next poll (5xx, 429, connection errors). */
class TransientReadError extends Error {
    constructor(message) {
        super(message);
        this.name = 'TransientReadError';
    }
}
const TRANSIENT_NET = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|socket hang up|timeout/i;
class ArgoCdApi {
    server;
    token;
    app;
    appNamespace;
    http;
    describe;
    constructor(server, token, app, appNamespace) {
        this.server = server;
        this.token = token;
        this.app = app;
        this.appNamespace = appNamespace;
        this.http = new _actions_http_client__WEBPACK_IMPORTED_MODULE_1__/* .HttpClient */ .Qq('platform-actions-gitops-promote', [], { socketTimeout: 30_000, allowRetries: false, maxRetries: 0 });
        this.describe = `Argo CD API ${new URL(server).origin}`;
    }
    url(first) {
        const q = new URLSearchParams();
        if (this.appNamespace)
            q.set('appNamespace', this.appNamespace);
        // The first read asks for a refresh so Argo CD looks at the new commit without waiting for its poll.
        if (first)
            q.set('refresh', 'normal');
        const query = q.toString();
        return `${this.server.replace(/\/+$/, '')}/api/v1/applications/${encodeURIComponent(this.app)}${query ? `?${query}` : ''}`;
    }
    async read(first) {
        let status;
        let body;
        try {
            const res = await this.http.get(this.url(first), { Authorization: `Bearer ${this.token}`, Accept: 'application/json' });
            status = res.message.statusCode ?? 0;
            body = await res.readBody();
        }
        catch (err) {
            const msg = (0,_toolkit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err);
            if (TRANSIENT_NET.test(msg))
                throw new TransientReadError(`${this.describe}: ${msg}`);
            throw new _toolkit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ(`${this.describe}: ${msg}`);
        }
        if (status === 200) {
            try {
                return JSON.parse(body);
            }
            catch {
                throw new TransientReadError(`${this.describe}: HTTP 200 with a body that is not JSON`);
            }
        }
        const message = apiErrorMessage(body);
        const text = `${this.describe}: GET application '${this.app}' returned HTTP ${status}${message ? `: ${message}` : ''}`;
        if (status === 429 || status >= 500)
            throw new TransientReadError(text);
        throw new _toolkit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ(text);
    }
}
/** The `message` of Argo CD's runtimeError body, when there is one. */
function apiErrorMessage(body) {
    try {
        const parsed = JSON.parse(body);
        return typeof parsed.message === 'string' ? parsed.message : typeof parsed.error === 'string' ? parsed.error : '';
    }
    catch {
        return body.trim().split('\n')[0]?.slice(0, 200) ?? '';
    }
}
class ArgoCdKubectl {
    kubectl;
    app;
    namespace;
    describe;
    constructor(kubectl, app, namespace) {
        this.kubectl = kubectl;
        this.app = app;
        this.namespace = namespace;
        this.describe = `applications.argoproj.io/${app} in namespace ${namespace}`;
    }
    async read() {
        const r = await this.kubectl.run(['get', 'applications.argoproj.io', this.app, '--namespace', this.namespace, '--output', 'json'], { retry: false, allowFailure: true });
        if (r.exitCode !== 0) {
            const text = `kubectl get ${this.describe} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? ''}`;
            if ((0,_toolkit_index_js__WEBPACK_IMPORTED_MODULE_3__/* .classifyClusterError */ .d)(r.stderr || r.stdout).kind === 'transient')
                throw new TransientReadError(text);
            throw new _toolkit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ(text);
        }
        try {
            return JSON.parse(r.stdout);
        }
        catch {
            throw new TransientReadError(`kubectl get ${this.describe} printed something that is not JSON`);
        }
    }
}
/** Polls until done/failed or the deadline; transient read errors are logged and polled again. */
async function waitForApplication(source, o) {
    const now = o.now ?? Date.now;
    const pause = o.sleep ?? _toolkit_index_js__WEBPACK_IMPORTED_MODULE_4__/* .sleep */ .yy;
    const deadline = now() + o.timeoutMs;
    let last;
    let lastNote = '';
    let lastError = '';
    for (let polls = 1;; polls++) {
        try {
            const verdict = (0,_argocd_js__WEBPACK_IMPORTED_MODULE_5__/* .judge */ .S4)(await source.read(polls === 1), o.revision);
            last = verdict;
            lastError = '';
            if (verdict.kind === 'done')
                return { kind: 'done', state: verdict.state, polls };
            if (verdict.kind === 'failed')
                return { kind: 'failed', state: verdict.state, why: verdict.why, polls };
            if (verdict.why !== lastNote)
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${o.label ? `${o.label}: ` : ''}Waiting: ${verdict.why}`);
            lastNote = verdict.why;
        }
        catch (err) {
            if (!(err instanceof TransientReadError))
                throw err;
            if (err.message !== lastError)
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`${o.label ? `${o.label}: ` : ''}${err.message} (will poll again)`);
            lastError = err.message;
        }
        const left = deadline - now();
        if (left <= 0) {
            const why = lastError || (last?.kind === 'wait' ? last.why : 'no answer');
            return { kind: 'timeout', state: last?.state, why: `no verdict within the wait-timeout: ${why}`, polls };
        }
        await pause(Math.min(o.pollMs, left));
    }
}


/***/ }),

/***/ 1119:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ classifyClusterError)
/* harmony export */ });
/* unused harmony export isTransientClusterError */
// Decides whether a failed kubectl/Helm call against the API server is worth another attempt. The texts are
// client-go's, printed alike by kubectl and Helm (see test/fixtures/kubectl/transient): only errors known to
// be transient are retried; anything else, and anything unknown, fails fast.
// Order matters: the first rule that matches wins, so refusals (RBAC, bad certificates, invalid objects)
// come before the network errors a longer message may also quote.
const RULES = [
    { pattern: /unable to build kubernetes objects|ValidationError\(|is invalid:|field is immutable|no matches for kind|ensure CRDs are installed/i, kind: 'permanent', reason: 'manifest rejected by validation' },
    { pattern: /\bforbidden\b|Unauthorized|provide credentials|certificate signed by unknown authority|x509:/i, kind: 'permanent', reason: 'access denied or untrusted cluster' },
    // The API server answered but could not reach the node's kubelet (logs, exec, port-forward go through it): waiting
    // for the API server cannot help, and a node that is gone stays gone for the length of a step.
    { pattern: /^Error from server: Get "https:\/\/[^"]+:10250\/|error dialing backend/im, kind: 'permanent', reason: 'the API server could not reach the node\'s kubelet' },
    { pattern: /connection refused|connection to the server [^ ]+ was refused|connection reset by peer|broken pipe|i\/o timeout|TLS handshake timeout|http2: client connection lost|unexpected EOF|": EOF\s*$|no route to host/im, kind: 'transient', reason: 'API server unreachable' },
    { pattern: /the server is currently unable to handle the request|ServiceUnavailable/i, kind: 'transient', reason: 'API server unavailable (503)' },
    { pattern: /etcdserver: (request timed out|leader changed|too many requests)|etcd cluster is unavailable/i, kind: 'transient', reason: 'etcd request failed' },
    { pattern: /\b429\b|Too Many Requests|the server has received too many requests|rate limit/i, kind: 'transient', reason: 'throttled by the API server (429)' },
    { pattern: /\b(500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout)\b|Internal error occurred|the server was unable to return a response in the time allotted/i, kind: 'transient', reason: 'API server error (5xx)' },
];
// kubectl apply validates against the server's OpenAPI document first, so the network failing reads like a
// validation error (`error validating "x": error validating data: failed to download openapi: Get …: connect:
// connection refused; if you choose to ignore these errors, turn validation off with --validate=false`): the
// wrapper is taken off and its cause decides.
const VALIDATION_WRAPPER = /error validating "[^"\n]*": |error validating data: |failed to download openapi: |; if you choose to ignore these errors, turn validation off with --validate=false/g;
const OPENAPI_DOWNLOAD = /failed to download openapi: /;
function firstRule(text) {
    const rule = RULES.find((r) => r.pattern.test(text));
    return rule && { kind: rule.kind, reason: rule.reason };
}
/** Classifies the stderr (or full output) of a failed cluster call. Unknown errors are permanent. */
function classifyClusterError(text) {
    const causes = text.replace(VALIDATION_WRAPPER, '');
    if (causes === text)
        return firstRule(text) ?? { kind: 'permanent', reason: 'not a known transient error' };
    const c = firstRule(causes);
    if (c)
        return c.kind === 'transient' ? { kind: 'transient', reason: `${c.reason} (during kubectl's validation)` } : c;
    return OPENAPI_DOWNLOAD.test(text) ? { kind: 'permanent', reason: 'the OpenAPI document for validation could not be downloaded' } : { kind: 'permanent', reason: 'manifest rejected by validation' };
}
function isTransientClusterError(text) {
    return classifyClusterError(text).kind === 'transient';
}


/***/ })

};
