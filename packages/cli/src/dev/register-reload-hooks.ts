import { register } from 'node:module'
import { sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ReloadHooksData } from './reload-hooks.ts'

let registered = false

/**
 * Install the reload hooks for the app under `root`, once per process. Registered after tsx's
 * hooks, they run first and see tsx's resolution of TypeScript specifiers.
 */
export function registerReloadHooks(root: string): void {
  if (registered) return
  registered = true
  const data: ReloadHooksData = { root: pathToFileURL(root.endsWith(sep) ? root : root + sep).href }
  register('./reload-hooks.ts', { parentURL: import.meta.url, data })
}
