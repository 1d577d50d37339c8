export const id = 559;
export const ids = [559];
export const modules = {

/***/ 6559:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   promoteByPullRequest: () => (/* binding */ promoteByPullRequest)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9584);
/* harmony import */ var _toolkit_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4376);
/* harmony import */ var _promote_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1402);
/* harmony import */ var _targets_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3920);
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
            live = text === undefined ? undefined : (0,_targets_js__WEBPACK_IMPORTED_MODULE_2__/* .liveCommitOf */ .zI)(text, o.service.file, o.service.target);
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
    return new _toolkit_index_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`GitHub API: ${what} failed${status ? ` (HTTP ${status})` : ''}: ${(0,_toolkit_index_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(err).split('\n')[0]}`);
}
async function promoteByPullRequest(t, services, options, texts) {
    const planned = await (0,_promote_js__WEBPACK_IMPORTED_MODULE_3__/* .planOnTip */ .U9)(t, t.tip, services, options);
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
        throw new _toolkit_index_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`The push to '${t.head}' was rejected: ${pushed.reason}\n${pushed.output}`);
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


/***/ })

};
