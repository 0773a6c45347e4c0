import * as nodeModule from 'node:module'

let registered: Promise<void> | undefined

/**
 * Make the app's TypeScript importable. The built CLI (dist/, as installed from npm) registers
 * tsx here, once, just before it imports the app: the framework itself has loaded natively by
 * then, so only the app's modules (and what they import later) pay for tsx's hooks. Running
 * from its own TypeScript sources (the workspace's bin, or vitest), whatever compiled this file
 * already loads TypeScript, and nothing is registered.
 */
export function ensureTypeScriptLoader(): Promise<void> {
  if (import.meta.url.endsWith('.ts')) return Promise.resolve()
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
