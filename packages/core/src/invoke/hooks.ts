import type { ActionContext } from '../action/context.ts'
import type { ActionError } from '../errors/action-error.ts'
import { definitionErrors } from '../errors/definition-errors.ts'
import type { RegisteredAction } from '../registry/registered-action.ts'

/** What every hook sees about the call in progress. */
export interface InvokeEvent {
  /** The action being called. */
  readonly action: RegisteredAction
  /** The raw input as the transport delivered it (before validation). */
  readonly input: unknown
  /** The validated params; undefined in `onRequest` and when validation failed. */
  readonly params: unknown
  /** The context the handler receives. */
  readonly context: ActionContext
}

/** Returned by `onInvoke` to answer without running the handler (a cache hit, for one). */
export interface ShortCircuit {
  readonly result: unknown
}

type MaybePromise<T> = T | Promise<T>

/**
 * Pipeline hooks, in the order they run:
 * 1. `onRequest`: before validation (authentication and access checks belong here);
 * 2. `onInvoke`: after validation, before the handler; may return `{ result }` to skip it;
 * 3. `onResult`: after a successful call (store in a cache, record metrics);
 * 4. `onError`: after any failure, with the normalised error (log, alert).
 * A hook that throws fails the call like the handler would.
 */
export interface InvokeHooks {
  onRequest?(event: InvokeEvent): MaybePromise<void>
  onInvoke?(event: InvokeEvent): MaybePromise<ShortCircuit | void>
  onResult?(event: InvokeEvent, result: unknown): MaybePromise<void>
  onError?(event: InvokeEvent, error: ActionError): MaybePromise<void>
}

export interface InvokePlugin extends InvokeHooks {
  readonly name: string
  /**
   * Whether this plugin's hooks run for an action; default: for every action. Asked once per
   * action, never per call, so a plugin that serves a few actions (the result cache serves
   * those with a server cache) costs the others nothing, not even a call that returns at once.
   */
  appliesTo?(action: RegisteredAction): boolean
}

export const HOOK_NAMES = ['onRequest', 'onInvoke', 'onResult', 'onError'] as const
type HookName = (typeof HOOK_NAMES)[number]

/** Hooks grouped per name so the pipeline loops over plain arrays (often empty) per call. */
export type HookLists = { readonly [K in HookName]: ReadonlyArray<NonNullable<InvokeHooks[K]>> }

// Keys shaped like a hook name; any such key that is not a known hook is a typo to report.
const HOOK_LIKE = /^on[A-Z]/

function hookKeysOf(plugin: object): Set<string> {
  const keys = new Set<string>()
  // Walk the prototype chain so class-based plugins, whose hooks are methods, are seen too.
  for (
    let target: object | null = plugin;
    target !== null && target !== Object.prototype;
    target = Object.getPrototypeOf(target) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(target)) if (HOOK_LIKE.test(key)) keys.add(key)
  }
  return keys
}

/**
 * The hook lists of each action: those of the plugins that apply to it (`appliesTo`), grouped
 * once per action and then reused. When no plugin narrows itself, every action shares one set.
 * Validates the plugins at once, as `collectHooks` does.
 */
export function createHookResolver(
  plugins: readonly InvokePlugin[],
): (action: RegisteredAction) => HookLists {
  const all = collectHooks(plugins)
  if (plugins.every((plugin) => plugin.appliesTo === undefined)) return () => all
  // Weak: an in-process caller may pass an action object that is not in the registry.
  const byAction = new WeakMap<RegisteredAction, HookLists>()
  return (action) => {
    let lists = byAction.get(action)
    if (lists === undefined) {
      lists = collectHooks(plugins.filter((plugin) => plugin.appliesTo?.(action) ?? true))
      byAction.set(action, lists)
    }
    return lists
  }
}

/**
 * Validate plugins once, at start-up, and group their hooks by name. A plugin may carry other
 * properties (its own state, options); only `on<Name>` keys must be known hooks.
 */
export function collectHooks(plugins: readonly InvokePlugin[]): HookLists {
  const lists = { onRequest: [], onInvoke: [], onResult: [], onError: [] } as {
    [K in HookName]: Array<NonNullable<InvokeHooks[K]>>
  }
  for (const plugin of plugins) {
    for (const key of hookKeysOf(plugin)) {
      if (!(HOOK_NAMES as readonly string[]).includes(key)) {
        throw definitionErrors.SERVEY_ERR_HOOK_UNKNOWN(plugin.name, key)
      }
    }
    for (const key of HOOK_NAMES) {
      const hook: unknown = plugin[key]
      if (hook === undefined) continue
      if (typeof hook !== 'function') {
        throw definitionErrors.SERVEY_ERR_HOOK_NOT_FUNCTION(key, plugin.name)
      }
      ;(lists[key] as unknown[]).push((hook as (...args: never[]) => unknown).bind(plugin))
    }
  }
  return lists
}
