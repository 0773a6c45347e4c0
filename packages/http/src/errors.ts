import { createDefinitionError } from '@servey/core/adapter'

/** Developer mistakes `@servey/http` finds at start-up; see docs/reference/errors.md. */
export const httpDefinitionErrors = {
  SERVEY_ERR_HTTP_ROUTE_CONFLICT: createDefinitionError<[string, string, string, string]>(
    'SERVEY_ERR_HTTP_ROUTE_CONFLICT',
    'Actions %s and %s both claim %s %s',
  ),
  SERVEY_ERR_HTTP_ROUTE_RESERVED: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_HTTP_ROUTE_RESERVED',
    'Action %s claims %s %s, which the server answers itself (health and readiness probes): give the trigger another path',
  ),
  SERVEY_ERR_HTTP_PAGE_TEMPLATE_MISSING: createDefinitionError<[string, string]>(
    'SERVEY_ERR_HTTP_PAGE_TEMPLATE_MISSING',
    'The page of action %s has no template: looked for %s',
  ),
  SERVEY_ERR_HTTP_PAGE_TEMPLATE_INVALID: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_HTTP_PAGE_TEMPLATE_INVALID',
    'The template %s of action %s does not compile: %s',
  ),
} as const
