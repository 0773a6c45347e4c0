import { register } from 'node:module'
import { sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ReloadHooksData } from './reload-hooks.ts'

let registered = false

/**
 * Install the reload hooks for the app under `root`, once per process. Registered after tsx's
 * hooks (call `ensureTypeScriptLoader` first), they run first and see tsx's resolution of
 * TypeScript specifiers.
 */
export function registerReloadHooks(root: string): void {
  if (registered) return
  registered = true
  const data: ReloadHooksData = { root: pathToFileURL(root.endsWith(sep) ? root : root + sep).href }
  // The hooks module is a sibling with this file's extension: .ts from source, .js when built.
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf('.'))
  register(`./reload-hooks${extension}`, { parentURL: import.meta.url, data })
}
