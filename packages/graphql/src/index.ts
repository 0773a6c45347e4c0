/**
 * @module @servey/graphql: the registry's actions as a GraphQL schema, served by graphql-yoga
 * on the same Fastify server, every field through core's invoke pipeline.
 *
 * Adapter rule: this package imports only `@servey/core/adapter`, graphql libraries and
 * Fastify types.
 */
export { serveyGraphql, type ServeyGraphqlOptions } from './server/plugin.ts'
export {
  createServeyYoga,
  type ServeyYoga,
  type ServeyYogaOptions,
  type FastifyServerContext,
} from './server/create-yoga.ts'
export { DEFAULT_LIMITS, type GraphQLLimits } from './server/limits.ts'
export { createGraphQLSchema, printGraphQLSchema } from './schema/create-schema.ts'
export { GraphQLJSON, GraphQLDateTime } from './schema/scalars.ts'
export type { ServeyFieldExtension } from './schema/field-extensions.ts'
export {
  createRequestScope,
  type RequestScope,
  type RequestScopeOptions,
  type ServeyGraphQLContext,
} from './execution/request-scope.ts'
export { toGraphQLError, type GraphQLErrorOptions } from './execution/to-graphql-error.ts'
export { createGraphQLClient, type GraphQLClientOptions } from './client/graphql-client.ts'
export {
  graphql,
  GRAPHQL_QUERY,
  GRAPHQL_MUTATION,
  isGraphQLTrigger,
  type GraphQLTrigger,
  type GraphQLTriggerOptions,
  type GraphQLOperation,
} from './trigger/graphql-trigger.ts'
export { graphqlDefinitionErrors } from './errors.ts'
