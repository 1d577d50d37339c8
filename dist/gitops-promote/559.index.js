export const id = 559;
export const ids = [559,402];
export const modules = {

/***/ 1402:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   commitAndPush: () => (/* binding */ commitAndPush),
/* harmony export */   planOnTip: () => (/* binding */ planOnTip),
/* harmony export */   promoteByPush: () => (/* binding */ promoteByPush),
/* harmony export */   revertByPush: () => (/* binding */ revertByPush),
/* harmony export */   warmUpEditing: () => (/* reexport safe */ _targets_js__WEBPACK_IMPORTED_MODULE_1__.Bl)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9584);
/* harmony import */ var _toolkit_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8232);
/* harmony import */ var _targets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3920);
/* harmony import */ var _yaml_edit_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1756);
// The push path, through git's plumbing, on the tip fetch-tip.ts fetched (one round trip, its small files with
// it): only the files edited are read, and blobs, trees and the commit are written by one `git fast-import`.
// When someone else pushed meanwhile, the new tip is fetched and every edit is planned afresh on it — the
// newest-wins decision too — never a blind rebase, a bounded number of times: an identical promotion that landed
// first ends in "no change", a newer one in "superseded", never in a duplicate commit or a lost update.





/** A YamlEditError is the user's: it names the input that led there and the file it looked in. */
function editError(err, s, repo) {
    if (!(err instanceof _yaml_edit_js__WEBPACK_IMPORTED_MODULE_2__/* .YamlEditError */ .a6))
        throw err;
    const input = s.target.kind === 'helm-values' ? 'keys' : 'kustomize-image';
    const where = `${s.file} on branch '${repo.branch}' of ${repo.display}`;
    const msg = err.message.startsWith(`${s.file}`) ? err.message.slice(s.file.length).replace(/^[: ]+/, '') : err.message;
    if (/is not valid YAML/.test(err.message))
        throw new _toolkit_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz('file', `${where}: ${msg}`);
    throw new _toolkit_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz(input, `${msg.replace(/ \(set create-missing to add it\)$/, '')} in ${where}${/create-missing/.test(msg) ? ' (set create-missing to add it)' : ''}`);
}
/** Plans every service on one tip: the files are read once, each service's edit applied in `images` order. */
async function planOnTip(repo, tip, services, options) {
    const paths = [...new Set(services.map((s) => s.file))];
    const { commit: parent, files: read } = await repo.git.readFiles(tip, paths);
    const outcomes = [];
    const files = [];
    const before = new Map();
    let reformatted = false;
    for (const file of paths) {
        const found = read.get(file);
        const users = services.filter((s) => s.file === file);
        if (!found)
            throw new _toolkit_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz('file', `${file} does not exist on branch '${repo.branch}' of ${repo.display} (looked for ${users.map((s) => s.name).join(', ')})`);
        let text = found.text;
        for (const s of users) {
            let plan;
            try {
                plan = (0,_targets_js__WEBPACK_IMPORTED_MODULE_1__/* .planPromotion */ .z)(text, file, s.target, s.image, options.create);
            }
            catch (err) {
                editError(err, s, repo);
            }
            const decision = await options.decide(plan.liveCommit, s.name);
            if (decision.kind === 'superseded') {
                outcomes.push({ service: s, plan, changed: false, superseded: true, note: decision.message });
                continue;
            }
            const record = options.sourceCommit && plan.liveCommit !== options.sourceCommit;
            const changed = plan.changed || Boolean(record);
            if (changed) {
                try {
                    const applied = (0,_targets_js__WEBPACK_IMPORTED_MODULE_1__/* .applyPlan */ .gj)(text, file, plan, options.create, options.sourceCommit ? { target: s.target, sourceCommit: options.sourceCommit } : undefined);
                    text = applied.text;
                    reformatted ||= !applied.inPlace;
                }
                catch (err) {
                    editError(err, s, repo);
                }
            }
            outcomes.push({ service: s, plan, changed, superseded: false, note: decision.note });
        }
        if (text !== found.text) {
            files.push({ path: file, mode: found.mode, text });
            before.set(file, found.text);
        }
    }
    return { parent, outcomes, files, before, reformatted };
}
/**
 * Runs plan → commit → push until the push lands, nothing is left to change on the current tip, or attempts
 * run out. `plan` is called afresh on each tip; it returns the files to write and a commit message.
 */
async function commitAndPush(t, plan) {
    const { git, branch } = t;
    let lastReason = '';
    let tip = t.tip;
    for (let attempt = 1; attempt <= t.attempts; attempt++) {
        if (attempt > 1) {
            tip = await git.fetchTip(branch);
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Planning again on the new tip of '${branch}' (attempt ${attempt}/${t.attempts})`);
        }
        const planned = await plan(tip);
        if (!planned.files.length)
            return { commit: '', base: planned.parent, info: planned.info, attempts: attempt, changed: false };
        const commit = await git.commitFiles(planned.parent, planned.files, planned.message);
        await t.beforePush?.(attempt);
        const pushed = await git.push(branch, { source: commit });
        if (pushed.ok) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Pushed ${commit.slice(0, 12)} to '${branch}'${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
            return { commit, base: planned.parent, info: planned.info, attempts: attempt, changed: true };
        }
        if (pushed.kind === 'rejected') {
            throw new _toolkit_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`The push to '${branch}' was rejected: ${pushed.reason}. Nothing was changed on the branch.\n${pushed.output}`);
        }
        lastReason = pushed.reason;
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`'${branch}' moved while promoting (${pushed.reason})`);
    }
    throw new _toolkit_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`Could not push to '${branch}' after ${t.attempts} attempts: the branch kept moving (${lastReason}). Nothing of this promotion landed; raise push-attempts or run again.`);
}
async function promoteByPush(t, services, options, message) {
    let reformatted = false;
    const r = await commitAndPush(t, async (tip) => {
        const planned = await planOnTip(t, tip, services, options);
        reformatted = planned.reformatted;
        return { parent: planned.parent, files: planned.files, message: planned.files.length ? message(planned.outcomes) : '', info: planned.outcomes };
    });
    return { changed: r.changed, commit: r.commit, base: r.base, outcomes: r.info, attempts: r.attempts, reformatted: r.changed && reformatted };
}
/**
 * Puts the previous images (and source-commit markers) back on the fresh tip, only where the file still holds
 * what was promoted (a newer promotion in between is never overwritten).
 */
async function revertByPush(t, promoted, message) {
    const skipped = [];
    const tip = await t.git.fetchTip(t.branch);
    const r = await commitAndPush({ ...t, tip, beforePush: undefined }, async (at) => {
        skipped.length = 0;
        const paths = [...new Set(promoted.map((o) => o.service.file))];
        const { commit: parent, files: read } = await t.git.readFiles(at, paths);
        const files = [];
        for (const file of paths) {
            const found = read.get(file);
            if (!found) {
                skipped.push(`${file} no longer exists`);
                continue;
            }
            let text = found.text;
            for (const o of promoted.filter((p) => p.service.file === file)) {
                const plan = (0,_targets_js__WEBPACK_IMPORTED_MODULE_1__/* .planRevert */ ._0)(text, file, o.service.target, o.plan);
                if (!plan.ok) {
                    skipped.push(`${o.service.name}: ${plan.reason}`);
                    continue;
                }
                if (plan.edits.length)
                    text = (0,_targets_js__WEBPACK_IMPORTED_MODULE_1__/* .applyRevert */ .FW)(text, file, plan.edits).text;
                text = (0,_targets_js__WEBPACK_IMPORTED_MODULE_1__/* .recordSourceCommit */ .Ks)(text, file, o.service.target, o.plan.liveCommit);
            }
            if (text !== found.text)
                files.push({ path: file, mode: found.mode, text });
        }
        return { parent, files, message, info: undefined };
    });
    return r.changed ? { reverted: true, commit: r.commit } : { reverted: false, reason: skipped.join('; ') || 'nothing to revert' };
}


/***/ }),

/***/ 6559:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   promoteByPullRequest: () => (/* binding */ promoteByPullRequest)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9584);
/* harmony import */ var _toolkit_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8232);
/* harmony import */ var _promote_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1402);
/* harmony import */ var _targets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3920);
// The protected-environment path: the edits of every service are committed on the base tip (one commit) and
// force-pushed to the action's own branch, and one pull request per branch is opened or updated.




/** Services whose source commit on the existing head branch is newer than this run's (decided as on the base). */
async function newerPending(t, outcomes, options) {
    const fetched = await t.git.run(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--depth', '1', 'origin', `+refs/heads/${t.head}:refs/heads/${t.head}`], { allowFailure: true });
    if (fetched.exitCode !== 0)
        return []; // no pull request branch yet
    const { files } = await t.git.readFiles(`refs/heads/${t.head}`, [...new Set(outcomes.map((o) => o.service.file))]);
    const newer = [];
    for (const o of outcomes.filter((x) => x.changed)) {
        const text = files.get(o.service.file)?.text;
        let live;
        try {
            live = text === undefined ? undefined : (0,_targets_js__WEBPACK_IMPORTED_MODULE_1__/* .liveCommitOf */ .zI)(text, o.service.file, o.service.target);
        }
        catch {
            live = undefined; // an unreadable file on the action's own branch is rebuilt from the base anyway
        }
        if (!live || live === o.plan.liveCommit)
            continue;
        const decision = await options.decide(live, o.service.name);
        if (decision.kind === 'superseded')
            newer.push({ service: o.service.name, message: decision.message });
    }
    return newer;
}
function apiError(what, err) {
    const status = err.status;
    return new _toolkit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ(`GitHub API: ${what} failed${status ? ` (HTTP ${status})` : ''}: ${(0,_toolkit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(err).split('\n')[0]}`);
}
async function promoteByPullRequest(t, services, options, texts) {
    const planned = await (0,_promote_js__WEBPACK_IMPORTED_MODULE_3__.planOnTip)(t, t.tip, services, options);
    if (!planned.files.length)
        return { changed: false, commit: '', outcomes: planned.outcomes, url: '', created: false, reformatted: false };
    // The open pull request may already propose a newer source commit: rebuilding the branch would replace it.
    const pendingNewer = await newerPending(t, planned.outcomes, options);
    if (pendingNewer.length) {
        const outcomes = planned.outcomes.map((o) => {
            const why = pendingNewer.find((p) => p.service === o.service.name);
            return { ...o, changed: false, superseded: true, note: why ? `${why.message} (in the open pull request's branch '${t.head}')` : `left as proposed: the pull request's branch '${t.head}' holds a newer source commit for ${pendingNewer.map((p) => p.service).join(', ')}` };
        });
        return { changed: false, commit: '', outcomes, url: '', created: false, reformatted: false };
    }
    const commit = await t.git.commitFiles(planned.parent, planned.files, texts.message(planned.outcomes));
    const diff = await t.git.diff(planned.parent, commit, planned.files.map((f) => f.path));
    // The head branch belongs to the action: it is rebuilt from the base tip on every promotion.
    const pushed = await t.git.push(t.head, { force: true, source: commit });
    if (!pushed.ok)
        throw new _toolkit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ(`The push to '${t.head}' was rejected: ${pushed.reason}\n${pushed.output}`);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Pushed ${commit.slice(0, 12)} to '${t.head}'`);
    const plan = { outcomes: planned.outcomes, reformatted: planned.reformatted };
    const title = texts.title(plan.outcomes);
    // Loaded only on this path: a push-only run never loads Octokit.
    const { githubClient } = await __webpack_require__.e(/* import() */ 764).then(__webpack_require__.bind(__webpack_require__, 1764));
    const octokit = await githubClient(t.token, { baseUrl: t.apiUrl.replace(/\/+$/, '') });
    const body = texts.body(plan.outcomes, diff);
    let existing;
    try {
        const { data } = await octokit.rest.pulls.list({ owner: t.owner, repo: t.repo, state: 'open', head: `${t.owner}:${t.head}`, base: t.branch, per_page: 10 });
        existing = data[0];
    }
    catch (err) {
        throw apiError(`listing pull requests of ${t.owner}/${t.repo}`, err);
    }
    if (existing) {
        try {
            await octokit.rest.pulls.update({ owner: t.owner, repo: t.repo, pull_number: existing.number, title, body });
        }
        catch (err) {
            throw apiError(`updating pull request #${existing.number}`, err);
        }
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Updated pull request #${existing.number}: ${existing.html_url}`);
        return { changed: true, commit, outcomes: plan.outcomes, url: existing.html_url, number: existing.number, created: false, reformatted: plan.reformatted };
    }
    try {
        const { data } = await octokit.rest.pulls.create({ owner: t.owner, repo: t.repo, head: t.head, base: t.branch, title, body });
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Opened pull request #${data.number}: ${data.html_url}`);
        return { changed: true, commit, outcomes: plan.outcomes, url: data.html_url, number: data.number, created: true, reformatted: plan.reformatted };
    }
    catch (err) {
        throw apiError(`opening a pull request from '${t.head}' into '${t.branch}'`, err);
    }
}


/***/ }),

/***/ 3920:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bl: () => (/* binding */ warmUpEditing),
/* harmony export */   FW: () => (/* binding */ applyRevert),
/* harmony export */   Ks: () => (/* binding */ recordSourceCommit),
/* harmony export */   _0: () => (/* binding */ planRevert),
/* harmony export */   gj: () => (/* binding */ applyPlan),
/* harmony export */   z: () => (/* binding */ planPromotion),
/* harmony export */   zI: () => (/* binding */ liveCommitOf)
/* harmony export */ });
/* unused harmony exports partOf, markerKey, markerPathIn, formatImage */
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6649);
/* harmony import */ var _yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1756);
/* harmony import */ var _yaml_edit_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1293);
// What a promotion changes in the config file: Helm values key paths or a kustomization `images:` entry.
// Pure: plans from the file text and the image, no I/O.



/** Parts whose value pins the digest: the source-commit marker goes next to the first such key. */
const DIGEST_PARTS = ['digest', 'tag@digest', 'reference'];
const KUSTOMIZE_ORDER = { newName: ['name'], newTag: ['newName', 'name'], digest: ['newTag', 'newName', 'name'] };
function partOf(image, part) {
    if (part === 'tag@digest')
        return image.tag ? `${image.tag}@${image.digest}` : undefined;
    return part === 'reference' ? image.reference : image[part];
}
/** The key whose line carries the source-commit marker: the first that pins the digest, else the first. */
function markerKey(keys) {
    return keys.find((k) => DIGEST_PARTS.includes(k.part)) ?? keys[0];
}
/** The path of the marker for `target` in `doc`, when the value is there. */
function markerPathIn(doc, file, target) {
    if (target.kind === 'helm-values')
        return markerKey(target.keys).path;
    const index = findEntry(doc, file, target.name);
    return index < 0 ? undefined : ['images', index, 'digest'];
}
/** The source commit recorded next to the target's value in `source`, if any. */
function liveCommitOf(source, file, target) {
    const doc = (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDocument */ .Tp)(source, file);
    const at = markerPathIn(doc, file, target);
    return at ? (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .readSourceMarker */ .mN)(source, doc, at) : undefined;
}
function formatImage(repository, tag, digest) {
    return `${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}
/** Plans the promotion of `image` in `source`; throws YamlEditError for a path that is missing (without create). */
function planPromotion(source, file, target, image, create) {
    const doc = (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDocument */ .Tp)(source, file);
    const plan = target.kind === 'helm-values' ? planValues(doc, target.keys, image, create) : planKustomization(doc, file, target.name, image, create);
    const markerPath = markerPathIn(doc, file, target);
    const liveCommit = markerPath ? (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .readSourceMarker */ .mN)(source, doc, markerPath) : undefined;
    return { ...plan, ...(markerPath ? { markerPath } : {}), ...(liveCommit ? { liveCommit } : {}) };
}
function planValues(doc, keys, image, create) {
    const fields = keys.map((k) => {
        const current = (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .readScalar */ .$t)(doc, k.path);
        if (!current.exists && !create)
            throw new _yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .YamlEditError */ .a6(`${(0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPath */ .jV)(k.path)} does not exist (set create-missing to add it)`);
        return { label: (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPath */ .jV)(k.path), path: k.path, existed: current.exists, before: current.value, after: partOf(image, k.part) };
    });
    const old = (part) => {
        const i = keys.findIndex((k) => k.part === part);
        const v = i >= 0 ? fields[i].before : undefined;
        return v === '' ? undefined : v;
    };
    let previousImage = old('reference') ?? '';
    const pinnedTag = old('tag@digest');
    if (!previousImage && pinnedTag)
        previousImage = `${old('repository') ?? image.repository}:${pinnedTag}`;
    if (!previousImage && (old('tag') || old('digest')))
        previousImage = formatImage(old('repository') ?? image.repository, old('tag'), old('digest'));
    return { kind: 'helm-values', fields, changed: fields.some((f) => f.after !== f.before || !f.existed), previousImage };
}
/** The images entry named `name`: its index, or -1. */
function findEntry(doc, file, name) {
    const images = doc.get('images', true);
    if (images === undefined || images === null)
        return -1;
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__.isSeq)(images))
        throw new _yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .YamlEditError */ .a6(`${file}: images is not a list`);
    return images.items.findIndex((item) => (0,yaml__WEBPACK_IMPORTED_MODULE_0__.isMap)(item) && (0,yaml__WEBPACK_IMPORTED_MODULE_0__.isScalar)(item.get('name', true)) && item.get('name') === name);
}
function entryNames(doc) {
    const images = doc.get('images', true);
    return (0,yaml__WEBPACK_IMPORTED_MODULE_0__.isSeq)(images) ? images.items.flatMap((i) => ((0,yaml__WEBPACK_IMPORTED_MODULE_0__.isMap)(i) && typeof i.get('name') === 'string' ? [String(i.get('name'))] : [])) : [];
}
function planKustomization(doc, file, name, image, create) {
    const index = findEntry(doc, file, name);
    // As `kustomize edit set image name=repo[:tag]@digest` writes it: newName only when the name differs.
    const wanted = [
        ['newName', image.repository !== name ? image.repository : undefined],
        ['newTag', image.tag],
        ['digest', image.digest],
    ];
    if (index < 0) {
        if (!create) {
            const names = entryNames(doc);
            throw new _yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .YamlEditError */ .a6(`${file} has no images entry named '${name}' (${names.length ? `entries: ${names.join(', ')}` : 'no images entries'}; set create-missing to add it)`);
        }
        const item = [['name', name], ...wanted.filter((w) => w[1] !== undefined)];
        return { kind: 'kustomization', fields: [], append: { path: ['images'], item }, changed: true, previousImage: '' };
    }
    const fields = [];
    for (const [key, after] of wanted) {
        const path = ['images', index, key];
        const current = (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .readScalar */ .$t)(doc, path);
        // An existing newName equal to the name is kept rather than removed: the entry means the same.
        const value = key === 'newName' && after === undefined && current.exists && current.value === name ? current.value : after;
        if (!current.exists && value === undefined)
            continue;
        fields.push({ label: `images[name=${name}].${key}`, path, existed: current.exists, before: current.value, after: value, insertAfter: KUSTOMIZE_ORDER[key] });
    }
    const before = (k) => {
        const v = fields.find((f) => f.path[2] === k)?.before;
        return v === '' ? undefined : v;
    };
    const previousImage = formatImage(before('newName') ?? name, before('newTag'), before('digest'));
    return { kind: 'kustomization', fields, changed: fields.some((f) => f.after !== f.before || (!f.existed && f.after !== undefined)), previousImage };
}
/** Applies a plan to the text it was made from. */
function applyPlan(source, file, plan, create, record) {
    const edits = plan.fields.filter((f) => f.after !== f.before || !f.existed).map((f) => ({ path: f.path, value: f.after, ...(f.insertAfter ? { after: f.insertAfter } : {}) }));
    // Inside an existing kustomization entry, fields come and go as `kustomize edit set image` does.
    const edited = edits.length || plan.append ? (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .editYaml */ .aL)(source, edits, plan.append ? [plan.append] : [], { create: create || plan.kind === 'kustomization', file }) : { text: source, inPlace: true };
    if (!record)
        return { text: edited.text, inPlace: edited.inPlace };
    return { text: recordSourceCommit(edited.text, file, record.target, record.sourceCommit, edited.doc), inPlace: edited.inPlace };
}
/** Sets (or, with `sha` undefined, removes) the source-commit marker next to the target's value. `parsed`: `text` already parsed. */
function recordSourceCommit(text, file, target, sha, parsed) {
    const doc = parsed ?? (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDocument */ .Tp)(text, file);
    const at = markerPathIn(doc, file, target);
    return at ? (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .writeSourceMarker */ .RX)(text, file, at, sha, doc) : text;
}
/**
 * Undoes a promotion on the current file text, only when every field still holds what the promotion wrote
 * (a newer promotion in between is never overwritten).
 */
function planRevert(source, file, target, promoted) {
    const doc = (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDocument */ .Tp)(source, file);
    if (promoted.append) {
        if (target.kind !== 'kustomization')
            return { ok: false, reason: 'nothing to revert' };
        const index = findEntry(doc, file, target.name);
        if (index < 0)
            return { ok: false, reason: `${file} no longer has the images entry '${target.name}'` };
        const entry = Object.fromEntries(promoted.append.item);
        for (const [k, v] of Object.entries(entry)) {
            if ((0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .readScalar */ .$t)(doc, ['images', index, k]).value !== v)
                return { ok: false, reason: `images[name=${target.name}].${k} changed since the promotion` };
        }
        return { ok: false, reason: `the images entry '${target.name}' was created by the promotion; remove it by hand if needed` };
    }
    const edits = [];
    for (const f of promoted.fields) {
        const now = (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .readScalar */ .$t)(doc, f.path);
        const promotedValue = f.after;
        if ((promotedValue === undefined && now.exists) || (promotedValue !== undefined && now.value !== promotedValue)) {
            return { ok: false, reason: `${f.label} changed since the promotion (now '${now.value ?? '(absent)'}')` };
        }
        if (f.after === f.before && f.existed)
            continue;
        edits.push({ path: f.path, value: f.existed ? f.before : undefined, ...(f.insertAfter ? { after: f.insertAfter } : {}) });
    }
    return { ok: true, edits };
}
/** Applies a revert plan; create is on since a removed key (kustomization newTag) may come back. */
function applyRevert(source, file, edits) {
    return (0,_yaml_edit_js__WEBPACK_IMPORTED_MODULE_1__/* .editYaml */ .aL)(source, edits, [], { create: true, file });
}
/**
 * Plans and applies a promotion (source-commit record included) on a small built-in sample. V8 compiles each
 * function on its first call, and the yaml package's first parse is many times slower than the next ones: run
 * while the config repository is being fetched, this moves that work off the critical path.
 */
function warmUpEditing() {
    const file = 'warm-up.yaml';
    const sample = '# sample\nimage:\n  repository: ghcr.io/o/app\n  tag: "1.0"  # pinned\n  digest: \'\'\nresources: {limits: {cpu: 1}}\nenv:\n  - name: A\n    value: b\n';
    const key = (part) => ({ raw: `image.${part}`, path: ['image', part], part });
    const target = { kind: 'helm-values', keys: [key('repository'), key('tag'), key('digest')] };
    const digest = `sha256:${'0'.repeat(64)}`;
    const image = { repository: 'ghcr.io/o/app', tag: '1.1', digest, reference: `ghcr.io/o/app:1.1@${digest}` };
    applyPlan(sample, file, planPromotion(sample, file, target, image, false), false, { target, sourceCommit: '0'.repeat(40) });
}


/***/ }),

/***/ 1756:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $t: () => (/* binding */ readScalar),
/* harmony export */   RX: () => (/* binding */ writeSourceMarker),
/* harmony export */   Tp: () => (/* binding */ parseDocument),
/* harmony export */   a6: () => (/* binding */ YamlEditError),
/* harmony export */   aL: () => (/* binding */ editYaml),
/* harmony export */   mN: () => (/* binding */ readSourceMarker)
/* harmony export */ });
/* unused harmony export renderScalar */
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6649);
/* harmony import */ var _key_path_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1293);
// Edits a YAML file in place: the Document API locates each node, and only the bytes of the changed scalar
// (or the inserted/removed line) are touched, so comments, key order, quoting, blank lines and flow style
// elsewhere stay byte-for-byte. Every result is re-parsed and compared with the intended data.




class YamlEditError extends Error {
    constructor(message) {
        super(message);
        this.name = 'YamlEditError';
    }
}
function parseDocument(source, file) {
    const doc = yaml__WEBPACK_IMPORTED_MODULE_1__["default"].parseDocument(source, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length)
        throw new YamlEditError(`${file} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    return doc;
}
/** The scalar at `path` as a string: undefined when the path is missing, '' for null. */
function readScalar(doc, path) {
    if (!doc.hasIn(path) && !hasNullIn(doc, path))
        return { exists: false, value: undefined };
    const node = doc.getIn(path, true);
    if (node === undefined)
        return { exists: false, value: undefined };
    if (node === null)
        return { exists: true, value: '' };
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_1__.isScalar)(node))
        throw new YamlEditError(`${(0,_key_path_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPath */ .jV)(path)} is a ${(0,yaml__WEBPACK_IMPORTED_MODULE_1__.isMap)(node) ? 'map' : (0,yaml__WEBPACK_IMPORTED_MODULE_1__.isSeq)(node) ? 'list' : 'node'}, not a single value`);
    return { exists: true, value: node.value === null ? '' : String(node.value) };
}
function hasNullIn(doc, path) {
    // hasIn is false for `key:` with no value; the pair is there though.
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
    return (0,yaml__WEBPACK_IMPORTED_MODULE_1__.isMap)(parent) && parent.items.some((p) => keyOf(p) === path[path.length - 1]);
}
function keyOf(pair) {
    return (0,yaml__WEBPACK_IMPORTED_MODULE_1__.isScalar)(pair.key) ? pair.key.value : pair.key;
}
/** Renders `value` as a scalar in the style of the one it replaces (plain stays plain when it round-trips). */
function renderScalar(value, type) {
    if (type === yaml__WEBPACK_IMPORTED_MODULE_1__.Scalar.QUOTE_SINGLE)
        return `'${value.replace(/'/g, "''")}'`;
    if (type === yaml__WEBPACK_IMPORTED_MODULE_1__.Scalar.QUOTE_DOUBLE)
        return JSON.stringify(value);
    return plainRoundTrips(value) ? value : JSON.stringify(value);
}
function plainRoundTrips(value) {
    if (value === '' || /^\s|\s$|[\n\r\t]/.test(value))
        return false;
    try {
        const doc = yaml__WEBPACK_IMPORTED_MODULE_1__["default"].parseDocument(`k: ${value}\n`);
        return doc.errors.length === 0 && doc.get('k') === value;
    }
    catch {
        return false;
    }
}
function lineStart(src, pos) {
    return src.lastIndexOf('\n', pos - 1) + 1;
}
function lineEnd(src, pos) {
    if (pos > 0 && src[pos - 1] === '\n')
        return pos;
    const nl = src.indexOf('\n', pos);
    return nl < 0 ? src.length : nl + 1;
}
function blockMap(node) {
    return (0,yaml__WEBPACK_IMPORTED_MODULE_1__.isMap)(node) && !node.flow;
}
/** Applies one edit to the source text; returns undefined when it cannot be done in place. */
function spliceEdit(src, doc, edit, create) {
    const { path, value } = edit;
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
    const pair = (0,yaml__WEBPACK_IMPORTED_MODULE_1__.isMap)(parent) ? parent.items.find((p) => keyOf(p) === key) : undefined;
    const seqItem = (0,yaml__WEBPACK_IMPORTED_MODULE_1__.isSeq)(parent) && typeof key === 'number' ? parent.items[key] : undefined;
    if (value === undefined) {
        if (!pair)
            return src; // nothing to remove
        if (!blockMap(parent) || !(0,yaml__WEBPACK_IMPORTED_MODULE_1__.isScalar)(pair.key) || !pair.key.range)
            return undefined;
        const start = lineStart(src, pair.key.range[0]);
        if (src.slice(start, pair.key.range[0]).trim() !== '')
            return undefined; // `- key:` first in a list item
        const valueNode = pair.value;
        const valueEnd = valueNode?.range ? valueNode.range[1] : pair.key.range[1];
        if (src.slice(pair.key.range[0], valueEnd).includes('\n'))
            return undefined; // only single-line pairs
        return src.slice(0, start) + src.slice(lineEnd(src, valueEnd));
    }
    const existing = pair ? pair.value : seqItem;
    if (pair || seqItem !== undefined) {
        if (existing === null || existing === undefined) {
            // `key:` with nothing after the colon: put the value right after it.
            if (!pair || !(0,yaml__WEBPACK_IMPORTED_MODULE_1__.isScalar)(pair.key) || !pair.key.range)
                return undefined;
            const colon = src.indexOf(':', pair.key.range[1]);
            if (colon < 0)
                return undefined;
            const rest = src.slice(colon + 1);
            const ws = /^[ \t]*/.exec(rest)?.[0] ?? '';
            const next = rest[ws.length];
            const text = renderScalar(value, undefined);
            const insertAt = colon + 1 + ws.length;
            return src.slice(0, colon + 1) + ' ' + text + (next === '#' ? ' ' : '') + src.slice(insertAt);
        }
        if (!(0,yaml__WEBPACK_IMPORTED_MODULE_1__.isScalar)(existing))
            throw new YamlEditError(`${(0,_key_path_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPath */ .jV)(path)} is a ${(0,yaml__WEBPACK_IMPORTED_MODULE_1__.isMap)(existing) ? 'map' : (0,yaml__WEBPACK_IMPORTED_MODULE_1__.isSeq)(existing) ? 'list' : 'node'}, not a single value`);
        if (!existing.range)
            return undefined;
        if (existing.type === yaml__WEBPACK_IMPORTED_MODULE_1__.Scalar.BLOCK_LITERAL || existing.type === yaml__WEBPACK_IMPORTED_MODULE_1__.Scalar.BLOCK_FOLDED || existing.tag)
            return undefined;
        const [start, end] = existing.range;
        if (start === end) {
            // An empty null scalar located just before a comment or a newline.
            const before = src[start - 1] === ':' ? ' ' : '';
            const after = src[start] === '#' ? ' ' : '';
            return src.slice(0, start) + before + renderScalar(value, undefined) + after + src.slice(end);
        }
        return src.slice(0, start) + renderScalar(value, existing.type) + src.slice(end);
    }
    // Missing: find the deepest existing ancestor.
    if (!create) {
        throw new YamlEditError(`${(0,_key_path_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPath */ .jV)(path)} does not exist (set create-missing to add it)`);
    }
    let depth = path.length - 1;
    while (depth > 0 && !doc.hasIn(path.slice(0, depth)))
        depth--;
    const ancestor = depth ? doc.getIn(path.slice(0, depth), true) : doc.contents;
    const missing = path.slice(depth);
    if (missing.some((s) => typeof s === 'number'))
        throw new YamlEditError(`${(0,_key_path_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPath */ .jV)(path)} cannot be created: list items are never added by key path`);
    if (ancestor !== null && ancestor !== undefined && !(0,yaml__WEBPACK_IMPORTED_MODULE_1__.isMap)(ancestor)) {
        if ((0,yaml__WEBPACK_IMPORTED_MODULE_1__.isScalar)(ancestor) && (ancestor.value === null))
            return undefined;
        throw new YamlEditError(`${(0,_key_path_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPath */ .jV)(path)} cannot be created: ${(0,_key_path_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPath */ .jV)(path.slice(0, depth)) || 'the document'} is not a map`);
    }
    if (ancestor !== null && ancestor !== undefined && !blockMap(ancestor))
        return undefined;
    let indent = '';
    let insertAt = src.length;
    if (ancestor && ancestor.items.length) {
        const first = ancestor.items[0];
        const last = ancestor.items[ancestor.items.length - 1];
        if (!(0,yaml__WEBPACK_IMPORTED_MODULE_1__.isScalar)(first.key) || !first.key.range || !ancestor.range)
            return undefined;
        indent = ' '.repeat(first.key.range[0] - lineStart(src, first.key.range[0]));
        const anchor = depth === path.length - 1 ? edit.after?.map((k) => ancestor.items.find((p) => keyOf(p) === k)).find((p) => p !== undefined) : undefined;
        const after = anchor ?? last;
        const afterKey = after.key;
        const lastValue = after.value;
        const lastEnd = lastValue?.range?.[2] ?? ((0,yaml__WEBPACK_IMPORTED_MODULE_1__.isScalar)(afterKey) ? afterKey.range?.[2] : undefined);
        if (lastEnd === undefined)
            return undefined;
        insertAt = lineEnd(src, lastEnd);
    }
    else if (depth > 0) {
        return undefined;
    }
    const lines = missing.map((seg, i) => `${indent}${'  '.repeat(i)}${renderKey(String(seg))}:${i === missing.length - 1 ? ` ${renderScalar(value, undefined)}` : ''}`);
    const prefix = insertAt > 0 && src[insertAt - 1] !== '\n' ? '\n' : '';
    return src.slice(0, insertAt) + prefix + lines.join('\n') + '\n' + src.slice(insertAt);
}
function renderKey(key) {
    return plainRoundTrips(key) && !key.includes(':') ? key : JSON.stringify(key);
}
/** Appends a block-style item to the sequence at `path` (created when missing, in the root map). */
function spliceAppend(src, doc, append) {
    const seq = doc.getIn(append.path, true);
    const render = (ind) => append.item.map(([k, v], i) => `${ind}${i === 0 ? '- ' : '  '}${renderKey(k)}: ${renderScalar(v, undefined)}`).join('\n') + '\n';
    if (seq === undefined) {
        if (append.path.length !== 1 || (doc.contents !== null && !blockMap(doc.contents)))
            return undefined;
        const prefix = src.length && !src.endsWith('\n') ? '\n' : '';
        return src + prefix + `${renderKey(String(append.path[0]))}:\n` + render('  ');
    }
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_1__.isSeq)(seq) || seq.flow || !seq.range)
        return undefined;
    const items = seq.items;
    if (!items.length)
        return undefined;
    const indent = ' '.repeat(seq.range[0] - lineStart(src, seq.range[0]));
    const lastEnd = items[items.length - 1]?.range?.[2];
    if (lastEnd === undefined)
        return undefined;
    const insertAt = lineEnd(src, lastEnd);
    const prefix = insertAt > 0 && src[insertAt - 1] !== '\n' ? '\n' : '';
    return src.slice(0, insertAt) + prefix + render(indent) + src.slice(insertAt);
}
/**
 * Applies the edits (then the appends) to `source`. Throws YamlEditError for a missing path without
 * `create`, or a path that points at a map or list.
 */
function editYaml(source, edits, appends, { create, file }) {
    // One parse of the source serves the first edit and (cloned) the intended data; each later step parses the text it edits.
    let parsed = parseDocument(source, file);
    const expected = parsed.clone();
    const current = (text) => {
        const doc = parsed ?? parseDocument(text, file);
        parsed = undefined;
        return doc;
    };
    let text = source;
    let inPlace = true;
    for (const edit of edits) {
        const doc = current(text);
        const next = spliceEdit(text, doc, edit, create);
        if (next !== undefined) {
            text = next;
        }
        else {
            inPlace = false;
            if (edit.value === undefined)
                doc.deleteIn(edit.path);
            else
                doc.setIn(edit.path, edit.value);
            text = doc.toString();
        }
        if (edit.value === undefined)
            expected.deleteIn(edit.path);
        else
            setExpected(expected, edit.path, edit.value);
    }
    for (const append of appends) {
        const doc = current(text);
        const next = spliceAppend(text, doc, append);
        const item = Object.fromEntries(append.item);
        if (next !== undefined) {
            text = next;
        }
        else {
            inPlace = false;
            addToSeq(doc, append.path, item);
            text = doc.toString();
        }
        addToSeq(expected, append.path, item);
    }
    const doc = parseDocument(text, file);
    if (!(0,node_util__WEBPACK_IMPORTED_MODULE_0__.isDeepStrictEqual)(doc.toJS(), expected.toJS())) {
        throw new YamlEditError(`editing ${file} in place gave a different result than intended; the file was left unchanged`);
    }
    return { text, inPlace, doc };
}
function setExpected(doc, path, value) {
    doc.setIn(path, value);
}
function addToSeq(doc, path, item) {
    const seq = doc.getIn(path, true);
    if ((0,yaml__WEBPACK_IMPORTED_MODULE_1__.isSeq)(seq))
        seq.add(doc.createNode(item));
    else
        doc.setIn(path, doc.createNode([item]));
}
/** The end-of-line comment that records which application commit a promoted value came from. */
const MARKER = /(\s*)#\s*source-commit:\s*([0-9a-f]{7,64})\b/;
/** The rest of the line after the single-line scalar at `path` (start offset and text); undefined when there is none. */
function lineAfterScalar(text, doc, path) {
    const node = doc.getIn(path, true);
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_1__.isScalar)(node) || !node.range)
        return undefined;
    if (node.type === yaml__WEBPACK_IMPORTED_MODULE_1__.Scalar.BLOCK_LITERAL || node.type === yaml__WEBPACK_IMPORTED_MODULE_1__.Scalar.BLOCK_FOLDED)
        return undefined;
    const end = node.range[1];
    if (text.slice(node.range[0], end).includes('\n'))
        return undefined;
    const nl = text.indexOf('\n', end);
    const stop = nl < 0 ? text.length : nl;
    return { at: end, rest: text.slice(end, stop) };
}
/** The source commit recorded next to the value at `path` (`# source-commit: <sha>`), if any. */
function readSourceMarker(text, doc, path) {
    const line = lineAfterScalar(text, doc, path);
    const m = line ? MARKER.exec(line.rest) : null;
    return m ? m[2] : undefined;
}
/**
 * Writes `# source-commit: <sha>` at the end of the line of the value at `path` (replacing the one there),
 * or removes it (`sha` undefined). Other comments on the line are kept. Returns the text unchanged when the
 * value is not a single-line scalar (nothing is recorded then). `parsed`: `text` already parsed (not modified).
 */
function writeSourceMarker(text, file, path, sha, parsed) {
    const doc = parsed ?? parseDocument(text, file);
    const line = lineAfterScalar(text, doc, path);
    if (!line)
        return text;
    const { at, rest } = line;
    let next;
    if (MARKER.test(rest)) {
        next = sha ? rest.replace(MARKER, (_m, ws) => `${ws}# source-commit: ${sha}`) : rest.replace(MARKER, '');
    }
    else if (!sha) {
        return text;
    }
    else {
        const trimmed = rest.replace(/\s+$/, '');
        next = `${trimmed}${trimmed.includes('#') ? ' ' : '  '}# source-commit: ${sha}`;
    }
    const out = text.slice(0, at) + next + text.slice(at + rest.length);
    if (!(0,node_util__WEBPACK_IMPORTED_MODULE_0__.isDeepStrictEqual)(parseDocument(out, file).toJS(), doc.toJS())) {
        throw new YamlEditError(`recording the source commit in ${file} would change its data; the file was left unchanged`);
    }
    return out;
}


/***/ })

};
