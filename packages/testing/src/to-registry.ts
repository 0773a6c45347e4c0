import { createRegistry, type Registry } from '@servey/core'

function isRegistry(value: unknown): value is Registry {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<Registry>
  return (
    Array.isArray(candidate.actions) &&
    typeof candidate.get === 'function' &&
    typeof candidate.find === 'function' &&
    typeof candidate.triggersOf === 'function'
  )
}

/**
 * Accept what a test file has at hand: a built registry (reused, so its actions are the ones an
 * app serves) or anything `createRegistry` reads, such as `import * as actions`.
 */
export function toRegistry(source: unknown): Registry {
  return isRegistry(source) ? source : createRegistry(source)
}
