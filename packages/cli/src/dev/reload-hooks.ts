/**
 * Module hooks (run on Node's loader thread) that give each dev-server reload a fresh copy of
 * the app's own modules. The entry is imported as `actions.ts?servey-reload=N`; every file it
 * imports from inside the app root inherits `?servey-reload=N`, so Node, which caches modules
 * by URL, evaluates them again. Files outside the root and in node_modules keep their plain
 * URLs: @servey/core and every dependency stay loaded once, shared by all reloads.
 */
import type { InitializeHook, ResolveHook } from 'node:module'
import { RELOAD_PARAM } from './reload-param.ts'

export interface ReloadHooksData {
  /** File URL of the app root, ending in `/`. */
  readonly root: string
}

let root: string | undefined

export const initialize: InitializeHook<ReloadHooksData> = (data) => {
  root = data.root
}

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  const result = await nextResolve(specifier, context)
  const parent = context.parentURL
  if (root === undefined || parent === undefined || !parent.includes(RELOAD_PARAM)) return result
  if (!result.url.startsWith(root) || result.url.includes('/node_modules/')) return result
  const version = new URL(parent).searchParams.get(RELOAD_PARAM)
  if (version === null) return result
  const url = new URL(result.url)
  url.searchParams.set(RELOAD_PARAM, version)
  return { ...result, url: url.href }
}
