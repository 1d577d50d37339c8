export const id = 676;
export const ids = [676];
export const modules = {

/***/ 7676:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _state_keys_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7482);
/* harmony import */ var _state_keys_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6719);
// The post step (`post-if: failure() || cancelled()`): main cleans up after itself; this removes what a killed main
// left: the builder made for the build and the private DOCKER_CONFIG (and any other private dir main recorded). It
// imports no @actions/core: loading that (and the HTTP stack it pulls in) is most of the bundle's start-up. State
// keys are the ones main saves through the toolkit.



/** A value main saved with the toolkit's saveState (JSON), handed back by the runner as STATE_<key>. */
function state(key) {
    const raw = process.env[`STATE_${key}`];
    if (!raw)
        return undefined;
    try {
        return JSON.parse(raw);
    }
    catch {
        return undefined;
    }
}
const run = (command, args, env) => new Promise((resolve) => {
    (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile)(command, args, { env }, (err) => resolve(err ? (typeof err.code === 'number' ? err.code : 1) : 0));
});
async function post() {
    try {
        const builder = state(_state_keys_js__WEBPACK_IMPORTED_MODULE_2__/* .CREATED_BUILDER_STATE */ .pg);
        const dockerConfig = state(_state_keys_js__WEBPACK_IMPORTED_MODULE_2__/* .DOCKER_CONFIG_STATE */ .Ai);
        if (builder && dockerConfig) {
            const code = await run('docker', ['buildx', 'rm', builder], { ...process.env, DOCKER_CONFIG: dockerConfig });
            process.stdout.write(code === 0 ? `Removed builder ${builder}\n` : `::warning::post step: docker buildx rm ${builder} exited ${code}\n`);
        }
        // The toolkit's makePrivateDir records these under SENSITIVE_PATHS_STATE (the private DOCKER_CONFIG among them).
        const paths = state(_state_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .SENSITIVE_PATHS_STATE */ .u) ?? [];
        let removed = 0;
        for (const p of new Set(paths)) {
            try {
                node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync(p, { recursive: true, force: true });
                removed++;
            }
            catch (err) {
                process.stdout.write(`::warning::could not remove ${p}: ${String(err)}\n`);
            }
        }
        if (removed)
            process.stdout.write(`Removed ${removed} temporary credential director${removed === 1 ? 'y' : 'ies'}\n`);
    }
    catch (err) {
        // A failed clean-up is worth a warning, not a red job after a green main.
        process.stdout.write(`::warning::post step: ${err instanceof Error ? err.message : String(err)}\n`);
    }
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
