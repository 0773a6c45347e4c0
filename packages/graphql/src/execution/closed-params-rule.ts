import {
  KnownArgumentNamesRule,
  type ArgumentNode,
  type ASTVisitor,
  type FieldNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql'
import { serveyExtensionOf } from '../schema/field-extensions.ts'
import { invalidParamsError, pointerSegment } from './invalid-params.ts'

/**
 * GraphQL's KnownArgumentNames, except on fields of actions whose params schema is closed
 * (`additionalProperties: false`): there an argument the schema does not declare is what
 * REST reports for an undeclared property, INVALID_PARAMS naming it. Elsewhere, GraphQL's
 * own error stands.
 */
export const ServeyKnownArgumentNamesRule: ValidationRule = (
  context: ValidationContext,
): ASTVisitor => {
  const standard = KnownArgumentNamesRule(context) as ASTVisitor & {
    Argument?: (node: ArgumentNode) => void
  }
  const unknownByField = new Map<FieldNode, ArgumentNode[]>()
  return {
    ...standard,
    Argument(node, _key, _parent, _path, ancestors) {
      if (
        context.getArgument() == null &&
        serveyExtensionOf(context.getFieldDef())?.closedParams === true
      ) {
        const field = ancestors[ancestors.length - 1] as FieldNode
        unknownByField.set(field, [...(unknownByField.get(field) ?? []), node])
        return
      }
      standard.Argument?.(node)
    },
    Field: {
      leave(node) {
        const unknown = unknownByField.get(node)
        if (unknown === undefined) return
        unknownByField.delete(node)
        const issues = unknown.map((argument) => ({
          path: `/${pointerSegment(argument.name.value)}`,
          message: 'must NOT have additional properties',
          keyword: 'additionalProperties',
        }))
        context.reportError(invalidParamsError(issues, unknown))
      },
    },
  }
}
