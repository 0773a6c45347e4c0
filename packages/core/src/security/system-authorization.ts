import type { Authorization } from '../action/context.ts'

/**
 * The caller of a scheduled run: no subject (no user started it) and the scopes its schedule
 * declares, so an action's access rule decides whether a schedule may run it. Every scheduler
 * (in-process, BullMQ, EventBridge on Lambda) runs with this same caller.
 */
export function systemAuthorization(scopes: readonly string[]): Authorization {
  return Object.freeze({
    subject: null,
    scopes: Object.freeze([...scopes]),
    claims: Object.freeze({ servey: 'system' }),
  })
}
