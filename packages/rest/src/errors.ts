import { createDefinitionError } from '@servey/core/adapter'

/** Developer mistakes the REST adapter finds at start-up; see docs/reference/errors.md. */
export const restDefinitionErrors = {
  SERVEY_ERR_REST_ROUTE_CONFLICT: createDefinitionError<[string, string, string, string]>(
    'SERVEY_ERR_REST_ROUTE_CONFLICT',
    'Actions %s and %s both claim %s %s',
  ),
  SERVEY_ERR_REST_PAGE_TEMPLATE_MISSING: createDefinitionError<[string, string]>(
    'SERVEY_ERR_REST_PAGE_TEMPLATE_MISSING',
    'The page of action %s has no template: looked for %s',
  ),
  SERVEY_ERR_REST_PAGE_TEMPLATE_INVALID: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_REST_PAGE_TEMPLATE_INVALID',
    'The template %s of action %s does not compile: %s',
  ),
} as const
