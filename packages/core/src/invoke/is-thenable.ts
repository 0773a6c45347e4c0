/**
 * A promise, or any object with a `then` method, as `await` treats it. Core's steps run
 * synchronously unless a hook, a handler or a store answers with one of these.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
