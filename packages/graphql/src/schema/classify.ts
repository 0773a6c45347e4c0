/**
 * Reads a JSON Schema (TypeBox 1.x emits plain JSON Schema) as the few shapes GraphQL can
 * express. Anything else is `JSON`: still typed and validated by core, just opaque to GraphQL.
 */
export type JsonSchema = Readonly<Record<string, unknown>>

export type ScalarName = 'String' | 'Int' | 'Float' | 'Boolean' | 'DateTime' | 'JSON'

export type Shape =
  | { readonly kind: 'scalar'; readonly scalar: ScalarName }
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly schema: JsonSchema }
  | { readonly kind: 'list'; readonly items: JsonSchema }
  | { readonly kind: 'object'; readonly schema: JsonSchema }

export interface Classified {
  readonly shape: Shape
  /** Null is a valid value (a union with `Type.Null()`, `type: ['x', 'null']`). */
  readonly nullable: boolean
}

/** Named schemas by `$id`, for `Type.Ref('Name')`. */
export type NamedSchemas = ReadonlyMap<string, JsonSchema>

const INT_MIN = -2_147_483_648
const INT_MAX = 2_147_483_647
const RESERVED_ENUM_VALUES = new Set(['true', 'false', 'null'])
const ENUM_VALUE = /^[_A-Za-z][_0-9A-Za-z]*$/

const scalar = (name: ScalarName, nullable = false): Classified => ({
  shape: { kind: 'scalar', scalar: name },
  nullable,
})

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Follows `$ref`s to named schemas; an unknown reference reads as JSON (core refuses it first). */
export function deref(schema: JsonSchema, named: NamedSchemas): JsonSchema {
  let current = schema
  for (let hops = 0; typeof current['$ref'] === 'string' && hops < 16; hops++) {
    const ref = current['$ref']
    const target = named.get(ref) ?? named.get(ref.replace(/^#\/(?:\$defs|definitions)\//, ''))
    if (target === undefined) return {}
    current = target
  }
  return current
}

function isNullSchema(schema: JsonSchema): boolean {
  return schema['type'] === 'null' || ('const' in schema && schema['const'] === null)
}

/** The scalar for a set of literal values, or an enum of strings when GraphQL allows it. */
function fromLiterals(
  values: readonly unknown[],
  schema: JsonSchema,
  nullable: boolean,
): Classified {
  if (values.length > 0 && values.every((value) => typeof value === 'string')) {
    const strings = values as string[]
    const valid = strings.every(
      (value) => ENUM_VALUE.test(value) && !RESERVED_ENUM_VALUES.has(value),
    )
    // Values GraphQL cannot spell as enum values stay strings; core still checks them.
    if (!valid || strings.length === 1) return scalar('String', nullable)
    return { shape: { kind: 'enum', values: [...new Set(strings)], schema }, nullable }
  }
  if (values.length > 0 && values.every((value) => typeof value === 'number')) {
    return scalar(
      values.every((value) => Number.isInteger(value) && fitsInt(value, value)) ? 'Int' : 'Float',
      nullable,
    )
  }
  if (values.length > 0 && values.every((value) => typeof value === 'boolean'))
    return scalar('Boolean', nullable)
  return scalar('JSON', true)
}

function fitsInt(minimum: unknown, maximum: unknown): boolean {
  const low = typeof minimum === 'number' ? minimum : INT_MIN
  const high = typeof maximum === 'number' ? maximum : INT_MAX
  return low >= INT_MIN && high <= INT_MAX
}

function literalOf(schema: JsonSchema): { value: unknown } | undefined {
  if ('const' in schema) return { value: schema['const'] }
  if (Array.isArray(schema['enum']) && schema['enum'].length === 1)
    return { value: schema['enum'][0] }
  return undefined
}

function classifyUnion(
  members: readonly unknown[],
  schema: JsonSchema,
  named: NamedSchemas,
): Classified {
  const resolved = members.filter(isObject).map((member) => deref(member, named))
  const nonNull = resolved.filter((member) => !isNullSchema(member))
  const nullable = nonNull.length < resolved.length
  if (nonNull.length === 0) return scalar('JSON', true)
  if (nonNull.length === 1) {
    const inner = classify(nonNull[0] as JsonSchema, named)
    return { shape: inner.shape, nullable: nullable || inner.nullable }
  }
  const literals = nonNull.map(literalOf)
  if (literals.every((literal) => literal !== undefined)) {
    return fromLiterals(
      literals.map((literal) => literal?.value),
      schema,
      nullable,
    )
  }
  return scalar('JSON', true)
}

/**
 * The GraphQL shape of a schema. `isParent(id)` says whether an object type must exist for a
 * named schema even without properties, because nested actions hang off it.
 */
export function classify(
  input: JsonSchema,
  named: NamedSchemas,
  isParent: (id: string) => boolean = () => false,
): Classified {
  const schema = deref(input, named)
  const type = schema['type']
  if (Array.isArray(type)) {
    const others = type.filter((name) => name !== 'null')
    const nullable = others.length < type.length
    if (others.length !== 1) return scalar('JSON', true)
    const inner = classify({ ...schema, type: others[0] }, named, isParent)
    return { shape: inner.shape, nullable: nullable || inner.nullable }
  }
  const union = schema['anyOf'] ?? schema['oneOf']
  if (Array.isArray(union)) return classifyUnion(union, schema, named)
  if (Array.isArray(schema['enum'])) {
    const values = schema['enum'] as unknown[]
    const others = values.filter((value) => value !== null)
    return fromLiterals(others, schema, others.length < values.length)
  }
  if ('const' in schema) {
    return schema['const'] === null
      ? scalar('JSON', true)
      : fromLiterals([schema['const']], schema, false)
  }
  switch (type) {
    case 'string':
      return scalar(schema['format'] === 'date-time' ? 'DateTime' : 'String')
    case 'integer':
      return scalar(fitsInt(schema['minimum'], schema['maximum']) ? 'Int' : 'Float')
    case 'number':
      return scalar('Float')
    case 'boolean':
      return scalar('Boolean')
    case 'array':
      return isObject(schema['items'])
        ? { shape: { kind: 'list', items: schema['items'] }, nullable: false }
        : scalar('JSON')
    case 'object': {
      const properties = schema['properties']
      const hasProperties = isObject(properties) && Object.keys(properties).length > 0
      const id = schema['$id']
      if (hasProperties || (typeof id === 'string' && isParent(id))) {
        return { shape: { kind: 'object', schema }, nullable: false }
      }
      return scalar('JSON')
    }
    case 'null':
    case 'void':
    case 'undefined':
      return scalar('JSON', true)
    default:
      return scalar('JSON', true)
  }
}

/** Every `$id` schema reachable from `schemas`, plus `$defs` entries under their key. */
export function collectNamedSchemas(schemas: Iterable<unknown>): Map<string, JsonSchema> {
  const named = new Map<string, JsonSchema>()
  const seen = new Set<unknown>()
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return
    seen.add(node)
    if (Array.isArray(node)) {
      node.forEach(visit)
      return
    }
    const record = node as JsonSchema
    if (typeof record['$id'] === 'string' && !named.has(record['$id']))
      named.set(record['$id'], record)
    const defs = record['$defs'] ?? record['definitions']
    if (isObject(defs)) {
      for (const [key, value] of Object.entries(defs)) {
        if (isObject(value) && !named.has(key)) named.set(key, value)
      }
    }
    for (const value of Object.values(record)) visit(value)
  }
  for (const schema of schemas) visit(schema)
  return named
}

export function propertiesOf(schema: JsonSchema): Array<[string, JsonSchema]> {
  const properties = schema['properties']
  if (!isObject(properties)) return []
  return Object.entries(properties).filter((entry): entry is [string, JsonSchema] =>
    isObject(entry[1]),
  )
}

export function requiredOf(schema: JsonSchema): ReadonlySet<string> {
  const required = schema['required']
  return new Set(Array.isArray(required) ? required.filter((name) => typeof name === 'string') : [])
}
