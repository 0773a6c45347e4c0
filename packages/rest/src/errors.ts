import { createDefinitionError } from '@servey/core/adapter'

/** Developer mistakes the REST adapter finds at start-up; see docs/reference/errors.md. */
export const restDefinitionErrors = {
  SERVEY_ERR_REST_ROUTE_CONFLICT: createDefinitionError<[string, string, string, string]>(
    'SERVEY_ERR_REST_ROUTE_CONFLICT',
    'Actions %s and %s both claim %s %s',
  ),
  SERVEY_ERR_REST_SCHEMA_ID_CONFLICT: createDefinitionError<[string]>(
    'SERVEY_ERR_REST_SCHEMA_ID_CONFLICT',
    "Two different schemas use the $id '%s'; give each named type its own $id",
  ),
} as const
