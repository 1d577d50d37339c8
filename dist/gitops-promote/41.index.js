export const id = 41;
export const ids = [41];
export const modules = {

/***/ 1041:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Kubectl: () => (/* reexport */ Kubectl),
  writeKubeconfig: () => (/* reexport */ writeKubeconfig)
});

// UNUSED EXPORTS: ActionError, ClusterRetry, CommandError, CrashJudge, DEFAULT_CLUSTER_RETRY_BUDGET_MS, DNS1123_SUBDOMAIN, FAILING_REASONS, FailureStreak, Git, HIDDEN, InputError, JsonDocuments, MANIFEST_TYPES, PortForward, RegistryClient, RegistryError, WORKLOAD_KINDS, appendSummary, authConfig, backoffDelay, classifyClusterError, classifyPushRejection, collectPodDiagnostics, describeFailures, describeYamlValue, ensureToolCacheDirs, errorMessage, escapeCell, eventDiagnostics, eventTime, existingPodUids, failingContainersMarkdown, failingPods, findPodFailures, formatCommand, formatDuration, formatEvents, formatSeconds, forwardingLine, freeLocalPort, groupRunning, guardLostWait, input, installTool, isIndex, isPost, isTransientClusterError, isTransientRegistryError, isValidImageTag, kubeconfigSecrets, loadState, lookupChecksum, makePrivateDir, markMainStarted, markdownTable, maskSecret, parseBoolean, parseChallenge, parseChoice, parseDuration, parseImageReference, parseInteger, parseList, parseManifest, parsePodList, parsePushPorcelain, parseWorkloads, parseYamlInput, podSelectors, portForward, portForwardArgs, readImage, readKubeconfigInputs, redact, redactDescribeEnv, registryBaseUrl, removeSensitivePaths, resolveInsideWorkspace, responseHeader, retry, rolledOut, runAction, runCommand, runnerTemp, saveState, sha256Digest, sha256File, sleep, sortEvents, startCommand, timed, timedGroup, timingsMarkdown, truncate, validateKubeconfig, validateNamespace, verifyRollouts, watchCommand, watchCommandStream, watchJson, workloadsRolledOut, writeSecretFile

// EXTERNAL MODULE: ./actions/toolkit/exec.ts
var exec = __webpack_require__(3890);
// EXTERNAL MODULE: ./actions/toolkit/credentials.ts
var credentials = __webpack_require__(2825);
;// CONCATENATED MODULE: ./actions/toolkit/kubeconfig.ts


const SENSITIVE_KEY = /^\s*-?\s*(token|id-token|refresh-token|client-key-data|client-certificate-data|password|access-token|secret)\s*:\s*(.+?)\s*$/i;
/**
 * The values in a kubeconfig worth masking one by one: the runner masks a multi-line secret as a
 * whole, so a token printed on its own would otherwise slip through.
 */
function kubeconfigSecrets(content) {
    const values = [];
    for (const line of content.split(/\r?\n/)) {
        const m = SENSITIVE_KEY.exec(line);
        const value = m?.[2].replace(/^["']|["']$/g, '');
        if (value && value.length >= 6)
            values.push(value);
    }
    return values;
}
/** Masks a kubeconfig (whole and its credentials), writes it 0600 under RUNNER_TEMP; removed in post. */
function writeKubeconfig(content) {
    (0,exec/* maskSecret */.$l)(content);
    for (const value of kubeconfigSecrets(content))
        (0,exec/* maskSecret */.$l)(value);
    return (0,credentials/* writeSecretFile */.AK)('kubeconfig', 'config', content);
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 9 modules
var core = __webpack_require__(9584);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./actions/toolkit/errors.ts
var errors = __webpack_require__(8232);
;// CONCATENATED MODULE: ./actions/toolkit/background.ts





/**
 * True while a process of group pgid runs (zombies do not count). Linux: from /proc, where each process's
 * stat names its group; elsewhere kill(-pgid, 0), which also counts zombies.
 */
function groupRunning(pgid) {
    if (!pgid)
        return false;
    let entries;
    try {
        entries = external_node_fs_.readdirSync('/proc');
    }
    catch {
        try {
            process.kill(-pgid, 0);
            return true;
        }
        catch {
            return false;
        }
    }
    for (const entry of entries) {
        if (!/^\d+$/.test(entry))
            continue;
        let stat;
        try {
            stat = external_node_fs_.readFileSync(`/proc/${entry}/stat`, 'utf8');
        }
        catch {
            continue;
        }
        // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so split after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === pgid && fields[0] !== 'Z')
            return true;
    }
    return false;
}
async function waitUntil(done, ms) {
    for (const until = Date.now() + ms; !done() && Date.now() < until;)
        await new Promise((r) => setTimeout(r, 20));
}
/**
 * Like runCommand, but returns at once with a handle that can stop the process: for long waits that a
 * watcher may end early. Argv array only; failure is the exit code alone (a kill() is not a failure:
 * the result says which signal ended it); output is redacted like runCommand's.
 */
function startCommand(command, args, options = {}) {
    const line = (0,exec/* redact */.E$)((0,exec/* formatCommand */.fE)(command, args), options.secrets);
    core/* debug */.Yz(`exec (background): ${line}`);
    const env = options.env ? Object.fromEntries(Object.entries({ ...process.env, ...options.env }).filter((e) => e[1] !== undefined)) : process.env;
    // Its own process group, so kill() also stops wrappers' children that would hold the output pipes open.
    const child = (0,external_node_child_process_.spawn)(command, [...args], { cwd: options.cwd, env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], detached: true });
    let killedByUs = false;
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
        stdout += d.toString();
        options.onOutput?.(d.toString(), 'stdout');
        if (options.stream)
            process.stdout.write((0,exec/* redact */.E$)(d.toString(), options.secrets));
    });
    child.stderr?.on('data', (d) => {
        stderr += d.toString();
        options.onOutput?.(d.toString(), 'stderr');
        if (options.stream)
            process.stdout.write((0,exec/* redact */.E$)(d.toString(), options.secrets));
    });
    if (child.stdin) {
        // A child that exits before reading its input must not crash us with EPIPE.
        child.stdin.on('error', () => undefined);
        child.stdin.end(options.input);
    }
    const result = new Promise((resolve, reject) => {
        child.on('error', (err) => reject(new errors/* CommandError */.Qd(line, 127, '', err.message)));
        child.on('close', (code, signal) => {
            const out = { exitCode: code ?? 128, stdout: (0,exec/* redact */.E$)(stdout, options.secrets), stderr: (0,exec/* redact */.E$)(stderr, options.secrets), signal };
            if (out.exitCode !== 0 && !options.allowFailure && !killedByUs)
                reject(new errors/* CommandError */.Qd(line, out.exitCode, out.stdout, out.stderr));
            else
                resolve(out);
        });
    });
    return {
        result,
        kill(signal = 'SIGKILL') {
            if (child.exitCode !== null || child.signalCode !== null)
                return;
            killedByUs = true;
            try {
                if (child.pid)
                    process.kill(-child.pid, signal);
                else
                    child.kill(signal);
            }
            catch {
                child.kill(signal);
            }
        },
        async stop(graceMs = 3000) {
            const pgid = child.pid;
            const running = () => (child.exitCode === null && child.signalCode === null) || groupRunning(pgid);
            const signal = (sig) => {
                if (!pgid)
                    return;
                killedByUs = true;
                try {
                    process.kill(-pgid, sig);
                }
                catch {
                    // ESRCH: the whole group has exited.
                }
            };
            if (running()) {
                signal('SIGTERM');
                await waitUntil(() => !running(), graceMs);
                if (running()) {
                    signal('SIGKILL');
                    await waitUntil(() => !running(), graceMs);
                }
            }
            child.stdout?.destroy();
            child.stderr?.destroy();
        },
        get killed() {
            return killedByUs;
        },
        get pid() {
            return child.pid;
        },
    };
}

// EXTERNAL MODULE: ./actions/toolkit/inputs.ts
var inputs = __webpack_require__(8842);
;// CONCATENATED MODULE: ./actions/toolkit/kube/describe.ts
// `kubectl describe pod` prints each container's literal env values, which often come straight from deploy
// values (database URLs, tokens). Diagnostics keep the variable names and where a value comes from, never the value.
//
// The format (kubectl's describeContainerEnvVars): an `Environment:` header, then one `NAME:  value` line per
// variable one level deeper; a multi-line literal continues on deeper-indented lines; secretKeyRef and
// configMapKeyRef print `<set to the key 'k' in secret 's'>` / `<set to the key 'k' of config map 'c'>`;
// fieldRef and resourceFieldRef print the resolved value followed by its source in parentheses.
/** What replaces a literal env value (an action may name itself in it). */
const HIDDEN = '<value hidden>';
const REFERENCE = /^<set to the key '[^']*' (in secret|of config map) '[^']*'>/;
const FIELD_SOURCE = /\s(\([A-Za-z0-9./:_-]+\))\s*$/;
const indentOf = (line) => line.length - line.trimStart().length;
/** The describe text with every literal env value replaced; everything else as kubectl printed it. */
function redactDescribeEnv(text, hidden = HIDDEN) {
    const out = [];
    let headerIndent = -1;
    let entryIndent = -1;
    for (const line of text.split('\n')) {
        if (headerIndent >= 0) {
            const indent = indentOf(line);
            if (line.trim() === '' || indent <= headerIndent) {
                headerIndent = -1;
            }
            else {
                if (entryIndent < 0)
                    entryIndent = indent;
                if (indent > entryIndent)
                    continue; // continuation of a multi-line value
                const m = /^(\s*)([^\s:]+):(\s+)(.*)$/.exec(line);
                if (!m) {
                    out.push(`${' '.repeat(indent)}${hidden}`);
                    continue;
                }
                const [, lead, name, gap, value] = m;
                if (REFERENCE.test(value))
                    out.push(line);
                else {
                    const source = FIELD_SOURCE.exec(value)?.[1];
                    out.push(`${lead}${name}:${gap}${hidden}${source ? ` ${source}` : ''}`);
                }
                continue;
            }
        }
        if (/^\s*Environment:\s*$/.test(line)) {
            headerIndent = indentOf(line);
            entryIndent = -1;
        }
        out.push(line);
    }
    return out.join('\n');
}

;// CONCATENATED MODULE: ./actions/toolkit/kube/events.ts
// `kubectl get events -o json` → a time-ordered, readable list for diagnostics.
function eventTime(e) {
    return e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata?.creationTimestamp || '';
}
/** Events sorted oldest first (ties keep their order), so the last lines are what happened last. */
function sortEvents(json) {
    const items = JSON.parse(json || '{}').items ?? [];
    return items
        .map((e, i) => ({ e, i, t: Date.parse(eventTime(e)) || 0 }))
        .sort((a, b) => a.t - b.t || a.i - b.i)
        .map(({ e }) => ({
        time: eventTime(e),
        type: e.type ?? '',
        reason: e.reason ?? '',
        object: `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`,
        message: (e.message ?? '').replace(/\s+/g, ' ').trim(),
    }));
}
function formatEvents(lines) {
    return lines.map((l) => `${l.time}\t${l.type}\t${l.reason}\t${l.object}\t${l.message}`).join('\n');
}

;// CONCATENATED MODULE: ./actions/toolkit/kube/pods.ts
// Early failure detection over `kubectl get pods -o json`: containers that will not become ready
// however long a rollout is waited for.
const FAILING_REASONS = (/* unused pure expression or super */ null && (['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'InvalidImageName']));
function parsePodList(json) {
    const parsed = JSON.parse(json || '{}');
    return parsed.items ?? [];
}
/** Containers of pods not in `ignoreUids` (pods that existed before the deploy) waiting for a failing reason. */
function findPodFailures(pods, ignoreUids = new Set()) {
    const failures = [];
    for (const pod of pods) {
        if (pod.metadata.uid && ignoreUids.has(pod.metadata.uid))
            continue;
        for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
            const reason = c.state?.waiting?.reason;
            if (reason && FAILING_REASONS.includes(reason)) {
                failures.push({ pod: pod.metadata.name, container: c.name, reason, message: c.state?.waiting?.message ?? '', restarts: c.restartCount ?? 0 });
            }
        }
    }
    return failures;
}
/** Counts consecutive checks that saw a failing container; any clean check resets the count. */
class FailureStreak {
    count = 0;
    needed;
    last = [];
    constructor(needed) {
        this.needed = needed;
    }
    /** Records one check; true once `needed` consecutive checks have seen failures. */
    observe(failures) {
        this.count = failures.length ? this.count + 1 : 0;
        this.last = failures;
        return this.count >= this.needed;
    }
    get streak() {
        return this.count;
    }
}
function describeFailures(failures) {
    return failures.map((f) => `${f.pod}/${f.container}: ${f.reason}${f.restarts ? ` (${f.restarts} restarts)` : ''}`).join(', ');
}

// EXTERNAL MODULE: ./actions/toolkit/retry.ts
var retry = __webpack_require__(2069);
// EXTERNAL MODULE: ./actions/toolkit/kube/classify.ts
var classify = __webpack_require__(1119);
;// CONCATENATED MODULE: ./actions/toolkit/kube/policy.ts
// One retry policy for every call against the API server (reads and writes, kubectl and Helm alike): a
// transient error is retried with backoff until a time budget that outlasts an API-server restart is used up.




const DEFAULT_CLUSTER_RETRY_BUDGET_MS = 60_000;
/** A failed call's result carried through retry(); never escapes ClusterRetry. */
class TransientResult extends Error {
    result;
    classification;
    constructor(result, classification) {
        super(result.stderr.trim() || result.stdout.trim() || `exit code ${result.exitCode}`);
        this.result = result;
        this.classification = classification;
    }
}
class ClusterRetry {
    options;
    constructor(options = {}) {
        this.options = { ...options, circuit: options.circuit ?? { down: false } };
    }
    get budgetMs() {
        return this.options.budgetMs ?? DEFAULT_CLUSTER_RETRY_BUDGET_MS;
    }
    /** No retries at all (for tests, or a call that must not wait). */
    static none() {
        return new ClusterRetry({ budgetMs: 0 });
    }
    classify(text) {
        return (this.options.classify ?? classify/* classifyClusterError */.d)(text);
    }
    /**
     * Runs a call that returns its result with any exit code (allowFailure) and retries it while it fails with
     * a transient error; returns the last result (success, permanent failure, or the transient one once the
     * budget is spent): the caller decides what a failure means.
     */
    async result(label, call) {
        const o = this.options;
        const circuit = o.circuit ?? { down: false };
        const wasDown = circuit.down;
        try {
            return await (0,retry/* retry */.L5)(async () => {
                const r = await call();
                if (r.exitCode === 0) {
                    circuit.down = false;
                    return r;
                }
                const c = this.classify(`${r.stderr}\n${r.stdout}`);
                if (c.kind === 'transient')
                    throw new TransientResult(r, c);
                return r;
            }, {
                budgetMs: circuit.down ? 0 : this.budgetMs,
                deadline: o.deadline,
                baseDelayMs: o.baseDelayMs ?? 1000,
                maxDelayMs: o.maxDelayMs ?? 8000,
                isTransient: (err) => err instanceof TransientResult,
                reason: (err) => (err instanceof TransientResult ? err.classification.reason : ''),
                label: `${label}: waiting for the cluster`,
                log: o.log,
                sleep: o.sleep,
                now: o.now,
                random: o.random,
            });
        }
        catch (err) {
            if (err instanceof TransientResult) {
                if (wasDown)
                    core/* info */.pq(`${label}: not retried: the cluster stayed unreachable for the whole retry budget of an earlier call`);
                else if (this.budgetMs > 0)
                    circuit.down = true;
                return err.result;
            }
            throw err;
        }
    }
    /** Like result(), but a failure (after the retries) throws CommandError. */
    async run(label, call) {
        const r = await this.result(label, call);
        if (r.exitCode !== 0)
            throw new errors/* CommandError */.Qd(label, r.exitCode, r.stdout, r.stderr);
        return r;
    }
    /** The same policy with another deadline (e.g. the end of the action's timeout). */
    withDeadline(deadline) {
        return new ClusterRetry({ ...this.options, deadline });
    }
}

;// CONCATENATED MODULE: ./actions/toolkit/kube/kubectl.ts








/**
 * One instance per action run; long-running children (watches, port-forwards) through start(). run() is silent
 * (output returned to the caller, never logged), so the only Secret read through it is one an action writes for
 * itself (kustomize-deploy's record of the last good set, through run()), whose data no caller prints.
 */
class Kubectl {
    bin;
    retry;
    options;
    constructor(options = {}) {
        this.options = options;
        this.bin = options.bin ?? 'kubectl';
        this.retry = options.retry ?? new ClusterRetry();
    }
    /** Flags every call carries (before the subcommand's own). */
    globalArgs() {
        return this.options.context ? ['--context', this.options.context] : [];
    }
    /** Environment and options of every child. */
    execOptions(extra = {}) {
        const env = { ...this.options.env, ...(this.options.kubeconfig ? { KUBECONFIG: this.options.kubeconfig } : {}), ...extra.env };
        return { ...extra, env, secrets: [...(this.options.secrets ?? []), ...(extra.secrets ?? [])] };
    }
    /** One kubectl call (no cluster retry): for commands that need no API server, like `kubectl kustomize`. */
    exec(args, options = {}) {
        return (0,exec/* runCommand */.d1)(this.bin, [...this.globalArgs(), ...args], this.execOptions(options));
    }
    /** A cluster call, retried on transient errors by the policy; the log names it by its first arguments. */
    async run(args, options = {}) {
        const call = () => this.exec(args, { allowFailure: true });
        const words = args.findIndex((a) => a.startsWith('-'));
        const label = `kubectl ${args.slice(0, Math.min(3, words < 0 ? args.length : words)).join(' ')}`;
        const r = options.retry === false ? await call() : await this.retry.result(label, call);
        if (r.exitCode !== 0 && !options.allowFailure)
            throw new errors/* CommandError */.Qd((0,exec/* redact */.E$)((0,exec/* formatCommand */.fE)(this.bin, [...this.globalArgs(), ...args])), r.exitCode, r.stdout, r.stderr);
        return r;
    }
    /** Starts a long-running kubectl (a watch, a port-forward) with the same flags and environment. */
    start(args, options = {}) {
        return startCommand(this.bin, [...this.globalArgs(), ...args], this.execOptions(options));
    }
    async pods(namespace, selector, options = {}) {
        return parsePodList((await this.run(['get', 'pods', '--namespace', namespace, '--selector', selector, '--output', 'json'], options)).stdout);
    }
    async eventsJson(namespace) {
        return (await this.run(['get', 'events', '--namespace', namespace, '--output', 'json'])).stdout;
    }
    /** Namespace events, oldest first. */
    async events(namespace) {
        return sortEvents(await this.eventsJson(namespace));
    }
    /**
     * `kubectl rollout status` until `deadline` (epoch ms, at least minMs from now on each attempt); a watch
     * cut by an outage is taken up again by the retry policy. The result carries the verdict (allowFailure).
     */
    rolloutStatus(kind, name, namespace, deadline, minMs = 5000) {
        const call = () => this.exec(['rollout', 'status', `${kind.toLowerCase()}/${name}`, '--namespace', namespace, '--timeout', (0,inputs/* formatDuration */.a3)(Math.max(minMs, deadline - Date.now()))], { allowFailure: true });
        return this.retry.result(`kubectl rollout status ${kind.toLowerCase()}/${name}`, call);
    }
    /** `kubectl describe pod` with every literal env value replaced (names and secret/config map sources kept). */
    async describePod(namespace, pod) {
        const r = await this.run(['describe', 'pod', pod, '--namespace', namespace], { allowFailure: true });
        return { ...r, stdout: redactDescribeEnv(r.stdout, this.options.hiddenValue ?? HIDDEN) };
    }
    logs(namespace, pod, previous) {
        return this.run(['logs', pod, '--namespace', namespace, '--all-containers', '--tail', '200', ...(previous ? ['--previous'] : [])], { allowFailure: true });
    }
}

;// CONCATENATED MODULE: ./actions/toolkit/kube/index.ts














;// CONCATENATED MODULE: ./actions/toolkit/index.ts





















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
