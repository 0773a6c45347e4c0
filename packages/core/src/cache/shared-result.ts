// Results a server cache hands to many callers. Each is deep-frozen and, while it stays hot,
// the very same object on every hit, so whatever a transport derives from it (an encoded body,
// its ETag) can be computed once and kept beside it, keyed by the object.
const shared = new WeakSet<object>()

function deepFreeze(value: unknown): void {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
  }
}

/** Freeze a decoded cached result at every depth and mark it shared. */
export function shareResult<T>(value: T): T {
  deepFreeze(value)
  if (typeof value === 'object' && value !== null) shared.add(value)
  return value
}

/**
 * True for a result a server cache handed out: frozen at every depth, so it cannot change
 * while a transport keeps something derived from it. Primitives are never marked.
 */
export function isSharedResult(value: unknown): value is object {
  return typeof value === 'object' && value !== null && shared.has(value)
}
