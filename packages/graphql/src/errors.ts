import { createDefinitionError } from '@servey/core/adapter'

/** Developer mistakes the GraphQL adapter finds at start-up; see docs/reference/errors.md. */
export const graphqlDefinitionErrors = {
  SERVEY_ERR_GRAPHQL_TRIGGER_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_GRAPHQL_TRIGGER_INVALID',
    'The graphql trigger of action %s is invalid: %s',
    TypeError,
  ),
  SERVEY_ERR_GRAPHQL_NAME_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_GRAPHQL_NAME_INVALID',
    "'%s' (from %s) is not a valid GraphQL name: use letters, digits and '_', start with a letter or '_', and never with '__'",
  ),
  SERVEY_ERR_GRAPHQL_TYPE_NAME_CLASH: createDefinitionError<[string, string, string]>(
    'SERVEY_ERR_GRAPHQL_TYPE_NAME_CLASH',
    "Two different GraphQL types would be named '%s': %s and %s",
  ),
  SERVEY_ERR_GRAPHQL_FIELD_NAME_CLASH: createDefinitionError<[string, string, string, string]>(
    'SERVEY_ERR_GRAPHQL_FIELD_NAME_CLASH',
    "%s would have two fields named '%s': %s and %s",
  ),
  SERVEY_ERR_GRAPHQL_LIMIT_INVALID: createDefinitionError<[string, string]>(
    'SERVEY_ERR_GRAPHQL_LIMIT_INVALID',
    'GraphQL limit %s must be a positive integer, got %s',
    RangeError,
  ),
} as const
