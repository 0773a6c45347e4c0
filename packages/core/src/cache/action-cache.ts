import type { ActionCache, AnyActionRef } from '../action/context.ts'
import { ACTION_KEY, isAction } from '../action/action.ts'
import type { Registry } from '../registry/registry.ts'
import type { InvokePlugin } from '../invoke/hooks.ts'

/** What `context.cache` forwards to: a server-side result cache (`createResultCache`). */
export interface CacheInvalidator {
  invalidate(action: string, params?: unknown): Promise<void>
}

/** A plugin that is also a result cache: what `createResultCache` returns. */
export function isCacheInvalidator(
  plugin: InvokePlugin,
): plugin is InvokePlugin & CacheInvalidator {
  return typeof (plugin as Partial<CacheInvalidator>).invalidate === 'function'
}

function nameOf(action: AnyActionRef, registry: Registry): string {
  if (typeof action === 'string') return action
  if (isAction(action)) {
    const registered = registry.find(action)
    if (registered !== undefined) return registered.name
    const declared = action[ACTION_KEY].name
    if (declared !== undefined) return declared
  }
  // A handler's mistake, not the caller's: it surfaces as INTERNAL with this message logged.
  throw new TypeError('context.cache.invalidate: pass an action of this app, or its name')
}

/**
 * `context.cache` of every call of one invoker: forgets stored results of an action, for every
 * caller, so a write can make the next read fresh (`add_todo` invalidating `list_todos`).
 * Without a server cache there is nothing stored, and invalidating does nothing.
 */
export function createActionCache(
  registry: Registry,
  invalidator: CacheInvalidator | undefined,
): ActionCache {
  return {
    async invalidate(action, params) {
      const name = nameOf(action, registry)
      if (invalidator === undefined) return
      await invalidator.invalidate(name, params)
    },
  }
}
