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
  registered ??= import('tsx/esm/api').then(({ register }) => {
    register()
  })
  return registered
}
