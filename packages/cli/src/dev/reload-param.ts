/**
 * The query parameter that gives each reload of the dev server its own copy of the app's
 * modules: Node caches modules by URL, so a new value means a fresh evaluation.
 */
export const RELOAD_PARAM = 'servey-reload'
