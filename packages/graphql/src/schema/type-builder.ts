import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLScalarType,
} from 'graphql'
import { graphqlDefinitionErrors } from '../errors.ts'
import {
  classify,
  propertiesOf,
  requiredOf,
  type Classified,
  type JsonSchema,
  type NamedSchemas,
  type ScalarName,
} from './classify.ts'
import { maxItemsOf, type ServeyFieldExtension } from './field-extensions.ts'
import { createInputConverter, type InputConverter, type InputField } from './input-converter.ts'
import { assertGraphQLName, toFieldName, toTypeNamePart } from './names.ts'
import { GraphQLDateTime, GraphQLJSON } from './scalars.ts'
import { createTypeNames, typeNameOf } from './type-names.ts'

const SCALARS: Readonly<Record<ScalarName, GraphQLScalarType>> = {
  String: GraphQLString,
  Int: GraphQLInt,
  Float: GraphQLFloat,
  Boolean: GraphQLBoolean,
  DateTime: GraphQLDateTime,
  JSON: GraphQLJSON,
}

/** A GraphQL input type and how to turn a value of it back into the schema's own shape. */
export interface InputMapping {
  /** Nullable; the caller adds `!` where the value is required. */
  readonly type: GraphQLInputType
  readonly convert: InputConverter | undefined
  /** A default GraphQL can show and apply, when the schema has one it can express. */
  readonly defaultable: boolean
}

export interface TypeBuilderOptions {
  readonly named: NamedSchemas
  /** Whether nested actions hang off the named type `id`. */
  isParent(id: string): boolean
  /** The fields nested actions add to the object type of named schema `id`. */
  nestedFields(id: string, typeName: string): GraphQLFieldConfigMap<unknown, unknown>
}

export interface TypeBuilder {
  /** The output type of a schema, nullable, plus whether null is a valid value. */
  output(
    schema: JsonSchema,
    derived: string,
    source: string,
  ): { type: GraphQLOutputType; nullable: boolean }
  input(schema: JsonSchema, derived: string, source: string): InputMapping & { nullable: boolean }
  /** The object type of a named parent schema, created if no result reaches it. */
  parentType(schema: JsonSchema, source: string): GraphQLObjectType
  /** GraphQL arguments (and their converter) for a params object schema. */
  args(
    params: JsonSchema,
    derived: string,
    source: string,
  ): { fields: InputField[]; config: Record<string, GraphQLInputFieldConfigLike> }
}

export interface GraphQLInputFieldConfigLike {
  type: GraphQLInputType
  description?: string
  defaultValue?: unknown
  deprecationReason?: string
  extensions: { servey: ServeyFieldExtension }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function deprecation(schema: JsonSchema): string | undefined {
  return schema['deprecated'] === true ? 'Deprecated' : undefined
}

function addField(
  fields: Record<string, { source: string }>,
  typeName: string,
  fieldName: string,
  source: string,
): void {
  const existing = fields[fieldName]
  if (existing !== undefined) {
    throw graphqlDefinitionErrors.SERVEY_ERR_GRAPHQL_FIELD_NAME_CLASH(
      typeName,
      fieldName,
      existing.source,
      source,
    )
  }
  fields[fieldName] = { source }
}

export function createTypeBuilder(options: TypeBuilderOptions): TypeBuilder {
  const { named, isParent } = options
  const names = createTypeNames()
  const enums = new Map<unknown, GraphQLEnumType>()
  const objects = new Map<unknown, GraphQLObjectType>()
  const inputs = new Map<unknown, { type: GraphQLInputObjectType; convert: InputConverter }>()
  const inputOwners = new WeakMap<object, object>()

  const classifyIn = (schema: JsonSchema): Classified => classify(schema, named, isParent)

  function enumType(
    shape: Extract<Classified['shape'], { kind: 'enum' }>,
    derived: string,
    source: string,
  ) {
    const { name, owner } = typeNameOf(shape.schema, derived)
    const existing = enums.get(owner)
    if (existing !== undefined) return existing
    const type = new GraphQLEnumType({
      name: names.claim(name, owner, source),
      ...(text(shape.schema['description']) === undefined
        ? {}
        : { description: text(shape.schema['description']) }),
      values: Object.fromEntries(shape.values.map((value) => [value, { value }])),
    })
    enums.set(owner, type)
    return type
  }

  function objectType(schema: JsonSchema, derived: string, source: string): GraphQLObjectType {
    const { name, owner } = typeNameOf(schema, derived)
    const existing = objects.get(owner)
    if (existing !== undefined) return existing
    const typeName = names.claim(name, owner, source)
    const type = new GraphQLObjectType({
      name: typeName,
      ...(text(schema['description']) === undefined
        ? {}
        : { description: text(schema['description']) }),
      fields: () => {
        const taken: Record<string, { source: string }> = {}
        const fields: GraphQLFieldConfigMap<unknown, unknown> = {}
        const required = requiredOf(schema)
        for (const [property, propertySchema] of propertiesOf(schema)) {
          const fieldName = assertGraphQLName(
            toFieldName(property),
            `property '${property}' of ${source}`,
          )
          addField(taken, `GraphQL type ${typeName}`, fieldName, `property '${property}'`)
          const mapped = output(
            propertySchema,
            typeName + toTypeNamePart(property),
            `property '${property}' of ${source}`,
          )
          const field: GraphQLFieldConfig<unknown, unknown> = {
            type:
              required.has(property) && !mapped.nullable
                ? new GraphQLNonNull(mapped.type)
                : mapped.type,
            extensions: {
              servey: {
                name: property,
                omitNull: !mapped.nullable,
                ...maxItemsOf(propertySchema),
              } satisfies ServeyFieldExtension,
            },
          }
          const description = text(propertySchema['description'])
          if (description !== undefined) field.description = description
          const reason = deprecation(propertySchema)
          if (reason !== undefined) field.deprecationReason = reason
          // The default resolver reads `source[fieldName]`; only renamed fields need their own.
          if (fieldName !== property)
            field.resolve = (parent) => (parent as Record<string, unknown>)[property]
          fields[fieldName] = field
        }
        const id = schema['$id']
        if (typeof id === 'string' && isParent(id)) {
          for (const [fieldName, field] of Object.entries(options.nestedFields(id, typeName))) {
            addField(
              taken,
              `GraphQL type ${typeName}`,
              fieldName,
              `nested action ${String((field.extensions as { servey?: ServeyFieldExtension } | undefined)?.servey?.action)}`,
            )
            fields[fieldName] = field
          }
        }
        return fields
      },
    })
    objects.set(owner, type)
    return type
  }

  function output(
    schema: JsonSchema,
    derived: string,
    source: string,
  ): { type: GraphQLOutputType; nullable: boolean } {
    const { shape, nullable } = classifyIn(schema)
    switch (shape.kind) {
      case 'scalar':
        return { type: SCALARS[shape.scalar], nullable }
      case 'enum':
        return { type: enumType(shape, derived, source), nullable }
      case 'list': {
        const item = output(shape.items, derived, `the items of ${source}`)
        return {
          type: new GraphQLList(item.nullable ? item.type : new GraphQLNonNull(item.type)),
          nullable,
        }
      }
      case 'object':
        return { type: objectType(shape.schema, derived, source), nullable }
    }
  }

  function inputOwner(owner: unknown): unknown {
    if (typeof owner !== 'object' || owner === null) return `input:${String(owner)}`
    let wrapped = inputOwners.get(owner)
    if (wrapped === undefined) {
      wrapped = {}
      inputOwners.set(owner, wrapped)
    }
    return wrapped
  }

  function inputFields(
    schema: JsonSchema,
    derived: string,
    source: string,
    typeName: string,
  ): { fields: InputField[]; config: Record<string, GraphQLInputFieldConfigLike> } {
    const taken: Record<string, { source: string }> = {}
    const fields: InputField[] = []
    const config: Record<string, GraphQLInputFieldConfigLike> = {}
    const required = requiredOf(schema)
    for (const [property, propertySchema] of propertiesOf(schema)) {
      const fieldName = assertGraphQLName(
        toFieldName(property),
        `property '${property}' of ${source}`,
      )
      addField(taken, typeName, fieldName, `property '${property}'`)
      const mapped = input(
        propertySchema,
        derived + toTypeNamePart(property),
        `property '${property}' of ${source}`,
      )
      const isRequired = required.has(property) && !mapped.nullable
      const entry: GraphQLInputFieldConfigLike = {
        type: isRequired ? new GraphQLNonNull(mapped.type) : mapped.type,
        extensions: { servey: { name: property, omitNull: !mapped.nullable } },
      }
      const description = text(propertySchema['description'])
      if (description !== undefined) entry.description = description
      if (mapped.defaultable && 'default' in propertySchema)
        entry.defaultValue = propertySchema['default']
      // GraphQL refuses deprecating a required input; the description still says so.
      const reason = deprecation(propertySchema)
      if (reason !== undefined && !isRequired) entry.deprecationReason = reason
      config[fieldName] = entry
      fields.push({
        from: fieldName,
        to: property,
        // GraphQL hands null only to nullable fields; it means "absent" unless null is valid.
        dropNull: !isRequired && !mapped.nullable,
        convert: mapped.convert,
      })
    }
    return { fields, config }
  }

  function inputObject(schema: JsonSchema, derived: string, source: string) {
    const { name, owner } = typeNameOf(schema, derived)
    const key = inputOwner(owner)
    const existing = inputs.get(key)
    if (existing !== undefined) return existing
    const typeName = names.claim(`${name}Input`, key, source)
    let built: ReturnType<typeof inputFields> | undefined
    const build = () => (built ??= inputFields(schema, name, source, `GraphQL type ${typeName}`))
    const type = new GraphQLInputObjectType({
      name: typeName,
      ...(text(schema['description']) === undefined
        ? {}
        : { description: text(schema['description']) }),
      fields: () => build().config as GraphQLInputFieldConfigMap,
    })
    const entry = { type, convert: createInputConverter(() => build().fields) }
    inputs.set(key, entry)
    return entry
  }

  function input(
    schema: JsonSchema,
    derived: string,
    source: string,
  ): InputMapping & { nullable: boolean } {
    const { shape, nullable } = classifyIn(schema)
    switch (shape.kind) {
      case 'scalar':
        return {
          type: SCALARS[shape.scalar],
          convert: undefined,
          defaultable: shape.scalar !== 'JSON',
          nullable,
        }
      case 'enum':
        return {
          type: enumType(shape, derived, source),
          convert: undefined,
          defaultable: true,
          nullable,
        }
      case 'list': {
        const item = input(shape.items, derived, `the items of ${source}`)
        const convertItem = item.convert
        return {
          type: new GraphQLList(item.nullable ? item.type : new GraphQLNonNull(item.type)),
          convert:
            convertItem === undefined
              ? undefined
              : (value) =>
                  Array.isArray(value)
                    ? value.map((entry) => (entry == null ? entry : convertItem(entry)))
                    : value,
          defaultable: item.defaultable && convertItem === undefined,
          nullable,
        }
      }
      case 'object': {
        const { type, convert } = inputObject(shape.schema, derived, source)
        return { type, convert, defaultable: false, nullable }
      }
    }
  }

  return {
    output,
    input,
    parentType: (schema, source) => objectType(schema, String(schema['$id']), source),
    args(params, derived, source) {
      return inputFields(params, derived, source, `the arguments of ${source}`)
    },
  }
}
