import { createDefinitionError } from '@servey/core'

/** Developer mistakes @servey/cache finds at start-up; see docs/reference/errors.md. */
export const cacheDefinitionErrors = {
  SERVEY_ERR_CACHE_STORE_OPTION_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_CACHE_STORE_OPTION_INVALID',
    'Cache store option %s is invalid: %s',
    RangeError,
  ),
} as const
