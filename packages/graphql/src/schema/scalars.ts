import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql'

/**
 * Any JSON value: the type of results and params whose shape GraphQL cannot express (records,
 * tuples, unions of objects, `Type.Unknown()`). Core still validates them against the schema.
 */
export const GraphQLJSON = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value; the action schema describes and validates it.',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc8259',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
})

/**
 * A `format: 'date-time'` string. It stays a string on the way in: whether it is a valid
 * date-time is core's validation to decide (INVALID_PARAMS), as on every other transport.
 */
export const GraphQLDateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A date and time as an RFC 3339 string, such as 2026-11-21T10:00:00Z.',
  specifiedByURL: 'https://scalars.graphql.org/chillicream/date-time.html',
  serialize(value) {
    if (typeof value === 'string') return value
    if (value instanceof Date) return value.toISOString()
    throw new GraphQLError(`DateTime cannot represent a non-string value: ${String(value)}`)
  },
  parseValue(value) {
    if (typeof value !== 'string') {
      throw new GraphQLError(
        `DateTime cannot represent a non-string value: ${JSON.stringify(value)}`,
      )
    }
    return value
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime cannot represent a non-string value', { nodes: ast })
    }
    return ast.value
  },
})
