import { createDefinitionError } from '@servey/core/adapter'

/** Developer mistakes the REST adapter finds at start-up; see docs/reference/errors.md. */
export const restDefinitionErrors = {
  SERVEY_ERR_REST_ROUTE_CONFLICT: createDefinitionError<[string, string, string, string]>(
    'SERVEY_ERR_REST_ROUTE_CONFLICT',
    'Actions %s and %s both claim %s %s',
  ),
} as const
