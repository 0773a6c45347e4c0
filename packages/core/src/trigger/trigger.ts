/**
 * A trigger is plain data that says how an action is reached. Adapters pick the kinds they
 * understand and ignore the rest, so a package can add a kind without changing core.
 */
export interface Trigger {
  readonly kind: string
}

/** The trigger of a call made in-process: a direct call, the CLI, a generated test. */
export interface DirectTrigger extends Trigger {
  readonly kind: 'direct'
  readonly via?: string
}

export const DIRECT: DirectTrigger = Object.freeze({ kind: 'direct' })

export function isTrigger(value: unknown): value is Trigger {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string'
  )
}
