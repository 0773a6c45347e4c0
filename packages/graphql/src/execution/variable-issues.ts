import type { ValidationIssue } from '@servey/core/adapter'
import {
  coerceInputValue,
  getNullableType,
  getOperationAST,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLError,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql'
import { serveyExtensionOf } from '../schema/field-extensions.ts'
import { invalidParamsError, pointerSegment } from './invalid-params.ts'
import type { GraphQLErrorOptions } from './to-graphql-error.ts'

type Segment = string | number

interface VariableIssue {
  readonly path: readonly Segment[]
  readonly message: string
  readonly keyword?: string
}

interface Usage {
  readonly variable: string
  /** The pointer segments of where the variable sits in the action's params. */
  readonly prefix: readonly string[]
  readonly field: FieldNode
}

/** The schema's own names along a GraphQL path inside a value of `type`. */
function schemaPath(type: GraphQLInputType, segments: readonly Segment[]): string[] {
  const out: string[] = []
  let current: GraphQLInputType | undefined = type
  for (const segment of segments) {
    const nullable: GraphQLInputType | undefined =
      current === undefined ? undefined : getNullableType(current)
    if (nullable !== undefined && isInputObjectType(nullable) && typeof segment === 'string') {
      const field: GraphQLInputField | undefined = nullable.getFields()[segment]
      out.push(serveyExtensionOf(field)?.name ?? segment)
      current = field?.type
    } else {
      out.push(String(segment))
      current = nullable !== undefined && isListType(nullable) ? nullable.ofType : undefined
    }
  }
  return out
}

function issuesOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
) {
  const operation = getOperationAST(document, operationName)
  if (operation == null) return undefined
  const found = new Map<string, { type: GraphQLInputType; issues: VariableIssue[] }>()
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type)
    if (type === undefined || !isInputType(type)) continue
    const name = definition.variable.name.value
    const value = variables?.[name]
    const issues: VariableIssue[] = []
    if (value === undefined) {
      if (definition.defaultValue === undefined && isNonNullType(type)) {
        issues.push({ path: [], message: 'is required', keyword: 'required' })
      }
    } else if (value === null && isNonNullType(type)) {
      issues.push({ path: [], message: 'must not be null', keyword: 'type' })
    } else {
      coerceInputValue(value, type, (path, _invalid, error) => {
        issues.push({ path: [...path], message: error.message })
      })
    }
    if (issues.length > 0) found.set(name, { type, issues })
  }
  return found.size === 0 ? undefined : { operation, found }
}

function collectUsages(schema: GraphQLSchema, roots: readonly ASTNode[]): Usage[] {
  const usages: Usage[] = []
  const walk = (
    value: ValueNode,
    prefix: string[],
    type: GraphQLInputType | undefined,
    field: FieldNode,
  ): void => {
    if (value.kind === Kind.VARIABLE) {
      usages.push({ variable: value.name.value, prefix, field })
      return
    }
    const nullable = type === undefined ? undefined : getNullableType(type)
    if (value.kind === Kind.LIST) {
      const item =
        nullable !== undefined && isListType(nullable)
          ? (nullable.ofType as GraphQLInputType)
          : undefined
      value.values.forEach((entry, index) => walk(entry, [...prefix, String(index)], item, field))
    } else if (value.kind === Kind.OBJECT) {
      const fields =
        nullable !== undefined && isInputObjectType(nullable) ? nullable.getFields() : {}
      for (const entry of value.fields) {
        const definition = fields[entry.name.value]
        const name = serveyExtensionOf(definition)?.name ?? entry.name.value
        walk(entry.value, [...prefix, name], definition?.type, field)
      }
    }
  }
  for (const root of roots) {
    const typeInfo = new TypeInfo(schema)
    visit(
      root,
      visitWithTypeInfo(typeInfo, {
        Argument(node, _key, _parent, _path, ancestors) {
          const argument = typeInfo.getArgument()
          if (argument == null || serveyExtensionOf(typeInfo.getFieldDef())?.action === undefined)
            return
          const name = serveyExtensionOf(argument)?.name ?? argument.name
          walk(node.value, [name], argument.type, ancestors[ancestors.length - 1] as FieldNode)
        },
      }),
    )
  }
  return usages
}

/**
 * When GraphQL refused the operation's variables, the same failures as INVALID_PARAMS errors,
 * one per action field they feed, with JSON Pointers in the action's own names (`/count`,
 * `/item/qty`). Undefined when a failing variable feeds no action: GraphQL's errors stand.
 */
export function variableIssueErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  options: GraphQLErrorOptions = {},
): GraphQLError[] | undefined {
  const failing = issuesOf(schema, document, operationName, variables)
  if (failing === undefined) return undefined
  const fragments = document.definitions.filter(
    (definition) => definition.kind === Kind.FRAGMENT_DEFINITION,
  )
  const usages = collectUsages(schema, [failing.operation, ...fragments])
  const byField = new Map<FieldNode, ValidationIssue[]>()
  for (const [variable, { type, issues }] of failing.found) {
    const feeds = usages.filter((usage) => usage.variable === variable)
    if (feeds.length === 0) return undefined
    for (const usage of feeds) {
      const list = byField.get(usage.field) ?? []
      for (const issue of issues) {
        const segments = [...usage.prefix, ...schemaPath(type, issue.path)]
        list.push({
          path: `/${segments.map(pointerSegment).join('/')}`,
          message:
            issue.keyword === 'required'
              ? `must have required property '${segments[segments.length - 1] ?? ''}'`
              : issue.message,
          ...(issue.keyword === undefined ? {} : { keyword: issue.keyword }),
        })
      }
      byField.set(usage.field, list)
    }
  }
  return [...byField].map(([field, issues]) => invalidParamsError(issues, [field], options))
}
