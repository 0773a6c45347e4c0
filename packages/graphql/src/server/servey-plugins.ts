import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import type { ServeyGraphQLContext } from '../execution/request-scope.ts'
import { ServeyKnownArgumentNamesRule } from '../execution/closed-params-rule.ts'
import { variableIssueErrors } from '../execution/variable-issues.ts'
import { KnownArgumentNamesRule, specifiedRules, type ValidationRule } from 'graphql'

type ServeyPlugin = Plugin<Partial<ServeyGraphQLContext>>
type ValidateFunction = Parameters<NonNullable<ServeyPlugin['onValidate']>>[0]['validateFn']
type AfterExecute = Exclude<
  ReturnType<NonNullable<ServeyPlugin['onExecute']>>,
  void | Promise<unknown>
>

function withServeyRules(rules: readonly ValidationRule[] | undefined): ValidationRule[] {
  return (rules ?? specifiedRules).map((rule) =>
    rule === KnownArgumentNamesRule ? ServeyKnownArgumentNamesRule : rule,
  )
}

/**
 * Reports bad argument values the way every Servey transport does (INVALID_PARAMS with JSON
 * Pointers): undeclared arguments of closed params at validation, and variables GraphQL
 * refused once execution gives up on them. Nothing runs on a request that has neither.
 */
export function invalidParamsPlugin(dev: boolean): ServeyPlugin {
  // Hooks run on every request: everything they hand back is made once, not per request.
  const wrapped = new WeakMap<ValidateFunction, ValidateFunction>()
  const withRules = (validateFn: ValidateFunction): ValidateFunction => {
    let validate = wrapped.get(validateFn)
    if (validate === undefined) {
      validate = (schema, document, rules, typeInfo, options) =>
        validateFn(schema, document, withServeyRules(rules), typeInfo, options)
      wrapped.set(validateFn, validate)
    }
    return validate
  }
  const afterExecute: AfterExecute = {
    onExecuteDone({ args, result, setResult }) {
      if (isAsyncIterable(result)) return
      if (result.data != null || result.errors === undefined || result.errors.length === 0) return
      const errors = variableIssueErrors(
        args.schema,
        args.document,
        args.operationName,
        args.variableValues as Record<string, unknown> | null | undefined,
        { requestId: (args.contextValue as Partial<ServeyGraphQLContext>).servey?.requestId, dev },
      )
      if (errors !== undefined) setResult({ errors })
    },
  }
  return {
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn(withRules(validateFn))
    },
    onExecute: () => afterExecute,
  }
}
