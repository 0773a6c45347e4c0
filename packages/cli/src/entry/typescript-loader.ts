import * as nodeModule from 'node:module'

let registered: Promise<void> | undefined

/**
 * Files that Node loads as they are. An app given as JavaScript (`--entry dist/actions.js`, a
 * `servey.config.js`) is imported without tsx: on Node 20 registering tsx starts Node's loader
 * thread and loads tsx and esbuild's JS API there, about half of `servey run`'s CPU once the
 * framework is bundled (BENCHMARKS.md). Such an app's JavaScript must then not import
 * TypeScript, unless a TypeScript config file has registered tsx already.
 */
export function isPlainJavaScript(file: string): boolean {
  return /\.(?:js|mjs|cjs)$/i.test(file)
}

/**
 * Make the app's TypeScript importable before `file` (the module about to be imported) is; with
 * no file (`servey dev`, whose reload hooks build on tsx's) always. The built CLI (dist/, as
 * installed from npm) registers tsx here, once, just before it imports the app: the framework
 * itself has loaded natively by then, so only the app's modules (and what they import later)
 * pay for tsx's hooks. Running from its own TypeScript sources (the workspace's bin, or
 * vitest), whatever compiled this file already loads TypeScript, and nothing is registered.
 */
export function ensureTypeScriptLoader(file?: string): Promise<void> {
  if (import.meta.url.endsWith('.ts')) return Promise.resolve()
  if (file !== undefined && isPlainJavaScript(file)) return Promise.resolve()
  registered ??= registerTsx()
  return registered
}

async function registerWithApi(): Promise<void> {
  const { register } = await import('tsx/esm/api')
  register()
}

/**
 * On a Node with `module.registerHooks` (22.15+, 23.5+), tsx's API runs its hooks in this
 * thread: use it. On older Nodes (20) the hooks run on Node's loader thread whatever registers
 * them, and `tsx/esm/api` would only cost this thread the load of tsx's API and of esbuild's JS
 * API (about 100 KB, used on the loader thread alone): there tsx's hooks module is registered
 * directly, with the options `register()` of the API gives it (source maps on, the default
 * namespace). Anything unexpected falls back to the API.
 */
async function registerTsx(): Promise<void> {
  if (typeof (nodeModule as { registerHooks?: unknown }).registerHooks === 'function') {
    return registerWithApi()
  }
  try {
    const hooks = import.meta.resolve('tsx/esm')
    process.setSourceMapsEnabled(true)
    nodeModule.register(hooks, { parentURL: import.meta.url, data: {} })
  } catch {
    await registerWithApi()
  }
}
