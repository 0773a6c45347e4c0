import { format } from 'node:util'

const BRAND = Symbol.for('@servey/core/DefinitionError')

/**
 * A developer mistake found while building an app (a duplicate name, an invalid path, ...).
 * Every one has a stable `SERVEY_ERR_<AREA>_<WHAT>` code listed in docs/reference/errors.md.
 */
export interface DefinitionError extends Error {
  readonly code: string
}

export interface DefinitionErrorFactory<TArgs extends unknown[]> {
  (...args: TArgs): DefinitionError
  readonly code: string
}

type BaseErrorClass = ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor

/** Same idea as `@fastify/error`: a printf template, so call sites pass only data. */
export function createDefinitionError<TArgs extends unknown[] = string[]>(
  code: string,
  template: string,
  Base: BaseErrorClass = Error,
): DefinitionErrorFactory<TArgs> {
  const factory = (...args: TArgs): DefinitionError => {
    const error = new Base(format(template, ...args)) as Error & { code: string }
    error.name = `${Base.name} [${code}]`
    error.code = code
    Object.defineProperty(error, BRAND, { value: true })
    return error
  }
  return Object.assign(factory, { code })
}

export function isDefinitionError(value: unknown): value is DefinitionError {
  return (
    typeof value === 'object' && value !== null && (value as { [BRAND]?: true })[BRAND] === true
  )
}
