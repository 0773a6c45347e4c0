import type { RegisteredAction, Registry, Trigger } from '@servey/core/adapter'
import {
  GraphQLBoolean,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  getNullableType,
  printSchema,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLOutputType,
} from 'graphql'
import type { ServeyGraphQLContext } from '../execution/request-scope.ts'
import { isExcluded, rootOperationsOf, type GraphQLOperation } from '../trigger/graphql-trigger.ts'
import { collectNamedSchemas, type JsonSchema } from './classify.ts'
import { maxItemsOf, type ServeyFieldExtension } from './field-extensions.ts'
import { createArgsConverter } from './input-converter.ts'
import { toTypeNamePart } from './names.ts'
import { GraphQLJSON } from './scalars.ts'
import { createTypeBuilder, type TypeBuilder } from './type-builder.ts'

/** The trigger a handler sees as `context.trigger` when GraphQL calls it. */
const TRIGGERS: Readonly<Record<GraphQLOperation, Trigger>> = {
  query: Object.freeze({ kind: 'graphql', operation: 'query' }),
  mutation: Object.freeze({ kind: 'graphql', operation: 'mutation' }),
}

const MISSING_SCOPE =
  "The GraphQL context has no 'servey' request scope: serve this schema with serveyGraphql, " +
  'createServeyYoga, or put createRequestScope(invoker) in your context as `servey`'

function scopeOf(context: unknown): ServeyGraphQLContext['servey'] {
  const scope = (context as Partial<ServeyGraphQLContext> | null | undefined)?.servey
  if (scope === undefined) throw new Error(MISSING_SCOPE)
  return scope
}

interface ActionField {
  readonly type: GraphQLOutputType
  readonly args: GraphQLFieldConfigArgumentMap
  readonly convert: (args: Record<string, unknown>) => unknown
  readonly description: string | undefined
  readonly deprecationReason: string | undefined
  readonly extensions: { servey: ServeyFieldExtension }
}

function actionField(builder: TypeBuilder, action: RegisteredAction, where: string): ActionField {
  const definition = action.definition
  const part = toTypeNamePart(action.name)
  const params = definition.params as unknown as JsonSchema
  const { fields, config } = builder.args(params, part, `${where} (action ${action.name})`)
  let type: GraphQLOutputType = GraphQLJSON
  if (definition.result !== undefined) {
    const mapped = builder.output(
      definition.result as unknown as JsonSchema,
      `${part}Result`,
      `the result of action ${action.name}`,
    )
    type = mapped.nullable ? mapped.type : new GraphQLNonNull(mapped.type)
  }
  return {
    type,
    args: config,
    convert: createArgsConverter(fields) as ActionField['convert'],
    description: definition.description,
    deprecationReason: definition.deprecated ? 'Deprecated' : undefined,
    extensions: {
      servey: {
        action: action.name,
        closedParams: params['additionalProperties'] === false,
        ...maxItemsOf((definition.result ?? {}) as unknown as JsonSchema),
      },
    },
  }
}

function withoutUndefined<T extends object>(config: T): T {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as T
}

/**
 * The GraphQL schema of a registry: Query and Mutation fields for the actions GraphQL serves
 * (see `rootOperationsOf`), object, input and enum types from their TypeBox schemas, and
 * nested actions as fields of their parent types. Pure: it needs no invoker, so it can be
 * printed (`printGraphQLSchema`) and served by any GraphQL server whose context carries a
 * `servey` request scope.
 */
export function createGraphQLSchema(registry: Registry): GraphQLSchema {
  const nestedByParent = new Map<string, RegisteredAction[]>()
  const parents = new Map<string, JsonSchema>()
  for (const action of registry.actions) {
    const parent = action.definition.parent as unknown as JsonSchema | undefined
    if (parent === undefined || isExcluded(action)) continue
    const id = String(parent['$id'])
    nestedByParent.set(id, [...(nestedByParent.get(id) ?? []), action])
    if (!parents.has(id)) parents.set(id, parent)
  }
  const named = collectNamedSchemas(
    registry.actions.flatMap((action) => [
      action.definition.params,
      action.definition.result,
      action.definition.parent,
    ]),
  )

  const builder: TypeBuilder = createTypeBuilder({
    named,
    isParent: (id) => nestedByParent.has(id),
    nestedFields(id, typeName) {
      const fields: GraphQLFieldConfigMap<unknown, unknown> = {}
      for (const action of nestedByParent.get(id) ?? []) {
        const field = actionField(builder, action, `field ${typeName}.${action.camelName}`)
        fields[action.camelName] = withoutUndefined<GraphQLFieldConfig<unknown, unknown>>({
          // Always nullable: the call can fail on its own (access, a timeout), and a non-null
          // field would then null its parent, and every list and object above it.
          type: getNullableType(field.type),
          args: field.args,
          description: field.description,
          deprecationReason: field.deprecationReason,
          extensions: field.extensions,
          resolve: (source, args, context, info) =>
            scopeOf(context).invokeNested(
              action,
              source,
              field.convert(args),
              info.operation.operation === 'mutation' ? TRIGGERS.mutation : TRIGGERS.query,
            ),
        })
      }
      return fields
    },
  })

  const roots: Record<GraphQLOperation, GraphQLFieldConfigMap<unknown, unknown>> = {
    query: {},
    mutation: {},
  }
  for (const action of registry.actions) {
    for (const operation of rootOperationsOf(action)) {
      const rootName = operation === 'query' ? 'Query' : 'Mutation'
      const field = actionField(builder, action, `field ${rootName}.${action.camelName}`)
      const trigger = TRIGGERS[operation]
      const { convert } = field
      roots[operation][action.camelName] = withoutUndefined<GraphQLFieldConfig<unknown, unknown>>({
        type: field.type,
        args: field.args,
        description: field.description,
        deprecationReason: field.deprecationReason,
        extensions: field.extensions,
        resolve: (_source, args, context) =>
          scopeOf(context).invoke(action, convert(args), trigger),
      })
    }
  }

  if (Object.keys(roots.query).length === 0) {
    // GraphQL requires a Query type with a field, even when every action is a mutation.
    roots.query['_empty'] = {
      type: GraphQLBoolean,
      description:
        'No action is a query: GraphQL requires a Query type, so this placeholder answers null.',
    }
  }
  const query = new GraphQLObjectType({ name: 'Query', fields: roots.query })
  const mutation =
    Object.keys(roots.mutation).length === 0
      ? undefined
      : new GraphQLObjectType({ name: 'Mutation', fields: roots.mutation })
  const types = [...parents.entries()].map(([id, schema]) =>
    builder.parentType(schema, `the parent type '${id}'`),
  )
  // The constructor walks every type and field, so a name clash fails here, at start-up.
  return new GraphQLSchema({ query, ...(mutation === undefined ? {} : { mutation }), types })
}

/**
 * The schema in SDL. The registry sorts actions by name and properties keep their declared
 * order, so the same app prints the same file on every run.
 */
export function printGraphQLSchema(registry: Registry): string {
  return `${printSchema(createGraphQLSchema(registry))}\n`
}
