import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql'
import { serveyExtensionOf } from '../schema/field-extensions.ts'

type JsonRecord = Record<string, unknown>

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Every plain field of a result, nested objects included, but not nested actions: a call
 * returns what the action returns, as the other transports do. A type met again on the same
 * path (a tree) stops there.
 */
export function selectionOf(
  type: GraphQLOutputType,
  path: ReadonlySet<string> = new Set(),
): string {
  const named = getNamedType(type)
  if (!isObjectType(named)) return ''
  const inner = new Set(path).add(named.name)
  const parts: string[] = []
  for (const field of Object.values(named.getFields())) {
    if (serveyExtensionOf(field)?.action !== undefined) continue
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined))
      continue
    const target = getNamedType(field.type)
    if (!isObjectType(target)) parts.push(field.name)
    else if (!inner.has(target.name)) parts.push(`${field.name} ${selectionOf(field.type, inner)}`)
  }
  return parts.length === 0 ? '{ __typename }' : `{ ${parts.join(' ')} }`
}

/** A value in the action's names as GraphQL input (`child_nodes` → `childNodes`). */
export function toGraphQLInput(type: GraphQLInputType, value: unknown): unknown {
  if (value === null || value === undefined) return value
  const nullable = getNullableType(type)
  if (isListType(nullable)) {
    return Array.isArray(value) ? value.map((item) => toGraphQLInput(nullable.ofType, item)) : value
  }
  if (isInputObjectType(nullable) && isRecord(value)) {
    const fields = Object.values(nullable.getFields())
    const out: JsonRecord = {}
    for (const [key, entry] of Object.entries(value)) {
      const field = fields.find(
        (candidate) => (serveyExtensionOf(candidate)?.name ?? candidate.name) === key,
      )
      if (field === undefined) out[key] = entry
      else if (entry !== undefined) out[field.name] = toGraphQLInput(field.type, entry)
    }
    return out
  }
  return value
}

/** A GraphQL result back in the action's names; null stands for "absent" where the schema says so. */
export function fromGraphQLOutput(type: GraphQLOutputType, value: unknown): unknown {
  if (value === null || value === undefined) return value
  const nullable = getNullableType(type)
  if (isListType(nullable)) {
    return Array.isArray(value)
      ? value.map((item) => fromGraphQLOutput(nullable.ofType, item))
      : value
  }
  if (isObjectType(nullable) && isRecord(value)) {
    const fields = nullable.getFields()
    const out: JsonRecord = {}
    for (const [key, entry] of Object.entries(value)) {
      const field = fields[key]
      if (field === undefined) continue
      const servey = serveyExtensionOf(field)
      if (entry === null && servey?.omitNull === true) continue
      out[servey?.name ?? key] = fromGraphQLOutput(field.type, entry)
    }
    return out
  }
  return value
}

/** A JSON value as a GraphQL literal, for arguments the schema does not declare. */
export function printLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(printLiteral).join(', ')}]`
  if (isRecord(value)) {
    return `{${Object.entries(value)
      .map(([key, entry]) => `${key}: ${printLiteral(entry)}`)
      .join(', ')}}`
  }
  return value === undefined ? 'null' : JSON.stringify(value)
}

export interface Operation {
  readonly document: string
  readonly variables: JsonRecord
}

/**
 * One call of a root field as a GraphQL operation. Params go in variables; the arguments it
 * declares are only those given, plus the required ones (so a missing one is reported by
 * name). Params GraphQL cannot express are dropped when the params schema ignores them
 * anyway, and sent as they are when it refuses them, so the server reports them.
 */
export function buildOperation(
  operation: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  params: unknown,
): Operation {
  const input = isRecord(params) ? params : {}
  const variables: JsonRecord = {}
  const definitions: string[] = []
  const args: string[] = []
  const used = new Set<string>()
  for (const arg of field.args) {
    const name = serveyExtensionOf(arg)?.name ?? arg.name
    used.add(name)
    const value = input[name]
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined
    if (value === undefined && !required) continue
    if (value !== undefined) variables[arg.name] = toGraphQLInput(arg.type, value)
    definitions.push(`$${arg.name}: ${String(arg.type)}`)
    args.push(`${arg.name}: $${arg.name}`)
  }
  if (serveyExtensionOf(field)?.closedParams === true) {
    for (const [key, value] of Object.entries(input)) {
      if (!used.has(key) && value !== undefined) args.push(`${key}: ${printLiteral(value)}`)
    }
  }
  const header = definitions.length === 0 ? '' : `(${definitions.join(', ')})`
  const call = args.length === 0 ? field.name : `${field.name}(${args.join(', ')})`
  const selection = selectionOf(field.type)
  return {
    document: `${operation} ServeyCall${header} { result: ${call}${selection === '' ? '' : ` ${selection}`} }`,
    variables,
  }
}
