import type { InvokeEvent, InvokePlugin, ShortCircuit } from '../invoke/hooks.ts'
import type { Registry } from '../registry/registry.ts'
import { isRedirect } from '../page/redirect.ts'
import { actionPrefix, cacheKey, paramsPrefix } from './cache-key.ts'
import type { CacheStore } from './cache-store.ts'
import { shareResult } from './shared-result.ts'
import { isThenable } from '../invoke/is-thenable.ts'

export interface ResultCacheOptions {
  readonly store: CacheStore
  /** Put before every key, so several apps can share one Redis. Default `servey:cache:`. */
  readonly prefix?: string
  /**
   * With the registry, `invalidate(name, params)` fills the params' defaults first, so the
   * params you pass find the entry the call stored under its validated params.
   */
  readonly registry?: Registry
}

/** The server-side result cache: an invoke plugin, plus invalidation. */
export interface ResultCache extends InvokePlugin {
  /** Forget every stored result of an action, or only those for these params (every caller). */
  invalidate(action: string, params?: unknown): Promise<void>
}

type CachePolicyOf = NonNullable<InvokeEvent['action']['definition']['cache']>

interface Flight {
  readonly promise: Promise<string | undefined>
  readonly resolve: (serialized: string | undefined) => void
}

interface Pending {
  readonly key: string
  readonly ttlMs: number
  /** Set when this call runs the handler for everyone waiting on the same key. */
  readonly flight: Flight | undefined
}

function newFlight(): Flight {
  let resolve!: Flight['resolve']
  const promise = new Promise<string | undefined>((done) => (resolve = done))
  return { promise, resolve }
}

/** The leader's result, or undefined after `ms`: a waiter never hangs on a lost leader. */
function waitFor(flight: Flight, ms: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms)
    void flight.promise.then((serialized) => {
      clearTimeout(timer)
      resolve(serialized)
    })
  })
}

// Decoded results of the hottest keys. A hit then costs a string comparison (a pointer
// comparison for the memory store, which hands back the very string it was given) instead of
// a JSON.parse: that parse was most of the cost of a hit. The same frozen answer object is
// handed out on every hit, so a transport can keep what it derives from it (see shareResult).
const DECODED_LIMIT = 256

interface Decoded {
  readonly serialized: string
  readonly answer: ShortCircuit
}

/**
 * Opt-in per action (`cache: ttl(30, { server: true })`). Keys: action, canonical params
 * (sorted keys, defaults filled), the parent of a nested action, and for anything but a
 * public action the caller's subject. Concurrent identical misses run the handler once
 * (single flight, per process); the others wait for its result. A store that fails is logged
 * and skipped: the cache never turns a working call into a failing one.
 */
export function createResultCache(options: ResultCacheOptions): ResultCache {
  const { store, registry } = options
  const prefix = options.prefix ?? 'servey:cache:'
  const pending = new WeakMap<InvokeEvent, Pending>()
  const flights = new Map<string, Flight>()
  const decoded = new Map<string, Decoded>()

  /** One shared, frozen copy per stored value: callers can read it, never change it. */
  const decode = (key: string, serialized: string): ShortCircuit => {
    const known = decoded.get(key)
    if (known !== undefined && known.serialized === serialized) return known.answer
    const value = shareResult((JSON.parse(serialized) as { v: unknown }).v)
    const answer = Object.freeze({ result: value })
    if (decoded.size >= DECODED_LIMIT) decoded.delete(decoded.keys().next().value as string)
    decoded.set(key, { serialized, answer })
    return answer
  }

  const finish = (event: InvokeEvent, serialized: string | undefined): void => {
    const entry = pending.get(event)
    if (entry?.flight === undefined) return
    pending.delete(event)
    flights.delete(entry.key)
    entry.flight.resolve(serialized)
  }

  const keyOf = (event: InvokeEvent, policy: CachePolicyOf): string => {
    const { context } = event
    const shared =
      event.action.definition.access.kind === 'allow_all' && policy.visibility !== 'private'
    return cacheKey(
      prefix,
      event.action.name,
      event.params,
      (context as { parent?: unknown }).parent,
      context.authorization?.subject,
      shared,
    )
  }

  const readFailed = (event: InvokeEvent, error: unknown): undefined => {
    event.context.log.warn({ err: error, action: event.action.name }, 'result cache read failed')
    return undefined
  }

  /**
   * The read of an action with a server cache: the stored result, else this call leads. A
   * store that answers synchronously (the memory store) gets a synchronous answer: a hit then
   * costs no promise and no turn of the microtask queue.
   */
  const lookup = (
    event: InvokeEvent,
    policy: CachePolicyOf,
    serverTtl: number,
  ): ShortCircuit | undefined | Promise<ShortCircuit | undefined> => {
    const key = keyOf(event, policy)
    let stored: ReturnType<CacheStore['get']> | null
    try {
      stored = store.get(key)
    } catch (error) {
      stored = readFailed(event, error)
    }
    if (isThenable(stored)) {
      return Promise.resolve(stored).then(
        (value) => afterRead(event, key, value ?? undefined, serverTtl),
        (error: unknown) => afterRead(event, key, readFailed(event, error), serverTtl),
      )
    }
    return afterRead(event, key, stored ?? undefined, serverTtl)
  }

  const afterRead = (
    event: InvokeEvent,
    key: string,
    stored: string | undefined,
    serverTtl: number,
  ): ShortCircuit | undefined | Promise<ShortCircuit | undefined> => {
    if (stored !== undefined) return decode(key, stored)
    const ttlMs = serverTtl * 1000
    // A nested call may be one of a batch that runs its handler only once every sibling
    // has arrived: waiting here for an identical sibling would stall the whole batch.
    if ((event.context as { parent?: unknown }).parent !== undefined) {
      pending.set(event, { key, ttlMs, flight: undefined })
      return undefined
    }
    const inFlight = flights.get(key)
    if (inFlight !== undefined) {
      return waitFor(inFlight, event.action.definition.timeoutMs).then((shared) => {
        if (shared !== undefined) return decode(key, shared)
        // The leader failed (or was cancelled): this caller runs the handler itself.
        pending.set(event, { key, ttlMs, flight: undefined })
        return undefined
      })
    }
    const flight = newFlight()
    flights.set(key, flight)
    pending.set(event, { key, ttlMs, flight })
    return undefined
  }

  /** The write after a call that led a cache miss. */
  const remember = async (event: InvokeEvent, entry: Pending, result: unknown): Promise<void> => {
    // A redirect is an answer for this request only; waiters run the handler themselves.
    if (isRedirect(result)) {
      finish(event, undefined)
      pending.delete(event)
      return
    }
    const serialized = JSON.stringify({ v: result })
    try {
      await store.set(entry.key, serialized, entry.ttlMs)
    } catch (error) {
      event.context.log.warn({ err: error, action: event.action.name }, 'result cache write failed')
    } finally {
      finish(event, serialized)
      pending.delete(event)
    }
  }

  return {
    name: 'servey-result-cache',

    // Only actions with a server cache: the others' calls then run none of the hooks below.
    appliesTo: (action) => action.definition.cache?.serverTtl !== undefined,

    // Synchronous for the actions without a server cache (most of them), and for hits and
    // misses of a synchronous store, so the pipeline does not await it.
    onInvoke(event): ShortCircuit | undefined | Promise<ShortCircuit | undefined> {
      const policy = event.action.definition.cache
      if (policy?.serverTtl === undefined) return undefined
      return lookup(event, policy, policy.serverTtl)
    },

    // Likewise synchronous when this call did not miss a server cache.
    onResult(event, result) {
      const entry = pending.get(event)
      if (entry === undefined) return undefined
      return remember(event, entry, result)
    },
    onError(event) {
      finish(event, undefined)
      pending.delete(event)
    },

    async invalidate(action, params) {
      if (params === undefined) return store.deleteByPrefix(actionPrefix(prefix, action))
      let normalised = params
      const registered = registry?.get(action)
      if (registered !== undefined) {
        normalised = structuredClone(params)
        registered.checkParams(normalised, 'json')
      }
      return store.deleteByPrefix(paramsPrefix(prefix, action, normalised))
    },
  }
}
