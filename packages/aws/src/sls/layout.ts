/** Where `servey sls` puts things, relative to the service folder (serverless.yml's). */
export const MAIN_FILE = 'serverless.yml'
export const INCLUDE_FILE = 'serverless.servey.yml'
/** Bundles, one folder per function; `.servey` is build output (git-ignored). */
export const BUNDLE_DIR = '.servey/aws'
export const BUNDLE_FILE = 'handler.mjs'
/** The app's nunjucks templates, copied next to the bundle of a function that serves pages. */
export const PAGE_TEMPLATES_DIR = 'templates'

export function bundleFolderOf(functionKey: string): string {
  return `${BUNDLE_DIR}/${functionKey}`
}

/** The `handler` of serverless.yml: the bundle's path without extension, then the export. */
export function handlerPathOf(functionKey: string): string {
  return `${bundleFolderOf(functionKey)}/${BUNDLE_FILE.replace(/\.mjs$/, '')}.handler`
}
