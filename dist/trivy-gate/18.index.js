export const id = 18;
export const ids = [18];
export const modules = {

/***/ 5018:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cacheKeys: () => (/* binding */ cacheKeys),
/* harmony export */   decideSkip: () => (/* binding */ decideSkip),
/* harmony export */   isDbFresh: () => (/* binding */ isDbFresh),
/* harmony export */   readDbMetadata: () => (/* binding */ readDbMetadata),
/* harmony export */   restoreDbCache: () => (/* binding */ restoreDbCache),
/* harmony export */   saveDbCache: () => (/* binding */ saveDbCache)
/* harmony export */ });
/* harmony import */ var _actions_cache__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1691);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3838);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _toolkit_index_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2657);
/* harmony import */ var _toolkit_index_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8232);





const STATE_KEY = 'trivyDbCache';
/** One key a day per runner OS/arch, restored by prefix: at most one fresh DB download a day. */
function cacheKeys(now, os = process.env.RUNNER_OS ?? process.platform, arch = process.env.RUNNER_ARCH ?? process.arch) {
    const prefix = `trivy-cache-${os}-${arch}-`;
    return { key: `${prefix}${now.toISOString().slice(0, 10)}`, restoreKeys: [prefix] };
}
/** The Actions cache service is only there on GitHub (ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL). */
function available() {
    try {
        return _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .isFeatureAvailable */ .w3();
    }
    catch {
        return false;
    }
}
async function restoreDbCache(dir, now) {
    node_fs__WEBPACK_IMPORTED_MODULE_2__.mkdirSync(dir, { recursive: true });
    if (!available()) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .debug */ .Yz('Actions cache service not available (not running on GitHub): the Trivy DB cache is not restored');
        return;
    }
    const { key, restoreKeys } = cacheKeys(now);
    try {
        const restoredKey = await _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .restoreCache */ .P3([dir], key, restoreKeys);
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(restoredKey ? `Trivy cache restored from ${restoredKey}` : 'No Trivy cache yet: the DB will be downloaded');
        (0,_toolkit_index_js__WEBPACK_IMPORTED_MODULE_4__/* .saveState */ .LZ)(STATE_KEY, { dir, key, restoredKey });
    }
    catch (err) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(`Trivy cache restore failed (the DB will be downloaded): ${(0,_toolkit_index_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err)}`);
        (0,_toolkit_index_js__WEBPACK_IMPORTED_MODULE_4__/* .saveState */ .LZ)(STATE_KEY, { dir, key });
    }
}
/** Post step: saves the cache even when the gate failed; never fails the job. */
async function saveDbCache() {
    const state = (0,_toolkit_index_js__WEBPACK_IMPORTED_MODULE_4__/* .loadState */ .C7)(STATE_KEY);
    if (!state) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .debug */ .Yz('No Trivy cache to save (cache disabled, not on GitHub, or no scan ran)');
        return;
    }
    if (!available()) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .debug */ .Yz('Actions cache service not available: the Trivy DB cache is not saved');
        return;
    }
    if (state.restoredKey === state.key) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`Trivy cache ${state.key} was restored as is; not saving it again`);
        return;
    }
    if (!node_fs__WEBPACK_IMPORTED_MODULE_2__.existsSync(node_path__WEBPACK_IMPORTED_MODULE_3__.join(state.dir, 'db', 'metadata.json'))) {
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq('No Trivy DB in the cache directory; nothing to save');
        return;
    }
    try {
        await _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .saveCache */ .Io([state.dir], state.key);
        _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`Trivy cache saved as ${state.key}`);
    }
    catch (err) {
        if (err instanceof _actions_cache__WEBPACK_IMPORTED_MODULE_0__/* .ReserveCacheError */ .Zh)
            _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`Trivy cache ${state.key} already saved by another job`);
        else
            _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(`Trivy cache save failed: ${(0,_toolkit_index_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(err)}`);
    }
}
/** Fresh = Trivy itself would not download: NextUpdate is still ahead. */
function isDbFresh(metadata, now) {
    if (!metadata?.NextUpdate)
        return false;
    const next = Date.parse(metadata.NextUpdate);
    return !Number.isNaN(next) && next > now.getTime();
}
function readDbMetadata(dir) {
    try {
        return JSON.parse(node_fs__WEBPACK_IMPORTED_MODULE_2__.readFileSync(dir, 'utf8'));
    }
    catch {
        return undefined;
    }
}
/** Decides --skip-db-update / --skip-java-db-update from the input and what the cache holds. */
function decideSkip(mode, cacheDir, now, sub) {
    if (mode === 'false')
        return { skip: false };
    const metadata = readDbMetadata(node_path__WEBPACK_IMPORTED_MODULE_3__.join(cacheDir, sub, 'metadata.json'));
    if (mode === 'true') {
        if (!metadata) {
            // Trivy fails on an empty cache with --skip-db-update; downloading is what the user needs.
            return { skip: false, warning: sub === 'db' ? `skip-db-update is true but ${node_path__WEBPACK_IMPORTED_MODULE_3__.join(cacheDir, sub)} holds no DB (cache miss?): downloading it` : undefined };
        }
        return { skip: true };
    }
    return { skip: isDbFresh(metadata, now) };
}


/***/ })

};
