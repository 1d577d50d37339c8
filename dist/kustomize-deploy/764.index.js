export const id = 764;
export const ids = [764];
export const modules = {

/***/ 1764:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   githubClient: () => (/* binding */ githubClient)
/* harmony export */ });
/* harmony import */ var _lazy_undici_cjs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7567);
/* harmony import */ var _lazy_undici_cjs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_lazy_undici_cjs__WEBPACK_IMPORTED_MODULE_0__);

async function githubClient(token, options = {}) {
    // In this order: @actions/github builds its proxy dispatcher for GITHUB_API_URL as it loads.
    await (0,_lazy_undici_cjs__WEBPACK_IMPORTED_MODULE_0__.loadUndici)();
    const [github, { defaults }] = await Promise.all([Promise.all(/* import() */[__webpack_require__.e(665), __webpack_require__.e(351)]).then(__webpack_require__.bind(__webpack_require__, 1351)), __webpack_require__.e(/* import() */ 665).then(__webpack_require__.bind(__webpack_require__, 8665))]);
    // Octokit lays constructor options over its defaults shallowly: a `request` of ours (a timeout signal) would
    // replace @actions/github's, and with it the fetch that goes through the runner's proxy.
    return github.getOctokit(token, { ...options, request: { ...defaults.request, ...options.request } });
}


/***/ })

};
