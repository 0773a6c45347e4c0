import { ACTION_KEY, type ActionDefinition, type AnyAction } from '../action/action.ts'
import { isValidActionName, toCamelCase, toKebabCase } from '../action/naming.ts'
import { definitionErrors } from '../errors/definition-errors.ts'
import {
  createSchemaCompiler,
  summarizeIssues,
  type SchemaCompiler,
  type InputSource,
  type Validator,
} from '../schema/validator.ts'
import { isTrigger, type Trigger } from '../trigger/trigger.ts'
import {
  QUERY_METHODS,
  WEB_METHODS,
  isValidWebPath,
  isWebTrigger,
  pathParamsOf,
} from '../trigger/web-trigger.ts'

/**
 * An action as a registry holds it: its final name in every spelling, where it was found, and
 * its validators, compiled once at start-up so no request pays for it.
 */
export interface RegisteredAction {
  readonly name: string
  /** `say-hello`: URLs and page paths. */
  readonly kebabName: string
  /** `sayHello`: GraphQL fields and JavaScript clients. */
  readonly camelName: string
  readonly definition: ActionDefinition
  readonly action: AnyAction
  /** Where the action was found (`export say_hello`), for error messages. */
  readonly source: string
  /** Validates params in place (coercion, defaults); null when valid. */
  checkParams(input: unknown, source: InputSource): ReturnType<Validator>
  /** Validates a result against the result schema; null when valid or when there is none. */
  checkResult(value: unknown): ReturnType<Validator>
}

function compileOrThrow(
  compiler: SchemaCompiler,
  definition: ActionDefinition,
  which: 'params' | 'result',
  name: string,
  source: InputSource,
): Validator {
  try {
    return which === 'params'
      ? compiler.input(definition.params, source)
      : compiler.result(definition.result ?? {})
  } catch (error) {
    throw definitionErrors.SERVEY_ERR_ACTION_SCHEMA_INVALID(which, name, (error as Error).message)
  }
}

function checkTrigger(trigger: unknown, name: string, definition: ActionDefinition): void {
  if (!isTrigger(trigger)) throw definitionErrors.SERVEY_ERR_TRIGGER_INVALID(name)
  if (!isWebTrigger(trigger as Trigger)) return
  const web = trigger as Trigger & { method: string; path?: string }
  if (!(WEB_METHODS as readonly string[]).includes(web.method)) {
    throw definitionErrors.SERVEY_ERR_TRIGGER_METHOD_INVALID(String(web.method), name)
  }
  if (web.path === undefined) return
  if (typeof web.path !== 'string' || !isValidWebPath(web.path)) {
    throw definitionErrors.SERVEY_ERR_TRIGGER_PATH_INVALID(String(web.path), name)
  }
  for (const param of pathParamsOf(web.path)) {
    if (!Object.hasOwn(definition.params.properties, param)) {
      throw definitionErrors.SERVEY_ERR_TRIGGER_PATH_PARAM_UNKNOWN(param, name)
    }
  }
}

/** Whether a trigger hands this action its input as strings: a query, path parameters, a page. */
function readsStrings(definition: ActionDefinition): boolean {
  return definition.triggers.some((trigger) => {
    if (trigger.kind === 'page') return true
    if (!isWebTrigger(trigger)) return false
    return (
      QUERY_METHODS.has(trigger.method) ||
      (trigger.path !== undefined && pathParamsOf(trigger.path).length > 0)
    )
  })
}

/** Check a definition and compile its validators under its final name. */
export function registerAction(
  action: AnyAction,
  name: string,
  source: string,
  compiler: SchemaCompiler = createSchemaCompiler(),
  compile: 'eager' | 'lazy' = 'eager',
): RegisteredAction {
  if (!isValidActionName(name)) throw definitionErrors.SERVEY_ERR_ACTION_NAME_INVALID(name, source)
  const definition = action[ACTION_KEY]
  for (const trigger of definition.triggers) checkTrigger(trigger, name, definition)

  // Lazy compilation is for one-shot commands (`servey run`) that call one action of many:
  // compiling every validator would be most of their start-up time.
  const onFirstUse = (which: 'params' | 'result', source: InputSource): Validator => {
    let validator: Validator | undefined
    return (value) =>
      (validator ??= compileOrThrow(compiler, definition, which, name, source))(value)
  }
  const checkJson =
    compile === 'eager'
      ? compileOrThrow(compiler, definition, 'params', name, 'json')
      : onFirstUse('params', 'json')
  const checkResult =
    definition.result === undefined
      ? () => null
      : compile === 'eager'
        ? compileOrThrow(compiler, definition, 'result', name, 'json')
        : onFirstUse('result', 'json')
  // String input (query strings, path parameters, pages) has its own coercing validator. An
  // action that is served that way gets it compiled now, with the others: compiled on its first
  // request it cost that request milliseconds (a second Ajv instance and its meta-schema) and
  // showed up as a slow first second under load. The rest compile it on first use, if ever.
  let checkStrings: Validator | undefined =
    compile === 'eager' && readsStrings(definition)
      ? compileOrThrow(compiler, definition, 'params', name, 'strings')
      : undefined

  for (const example of compile === 'eager' ? definition.examples : []) {
    const issues = checkJson(structuredClone(example.params))
    if (issues !== null) {
      throw definitionErrors.SERVEY_ERR_ACTION_EXAMPLE_INVALID(
        example.name,
        name,
        summarizeIssues(issues),
      )
    }
  }

  return Object.freeze({
    name,
    kebabName: toKebabCase(name),
    camelName: toCamelCase(name),
    definition,
    action,
    source,
    checkParams(input: unknown, inputSource: InputSource) {
      if (inputSource === 'json') return checkJson(input)
      checkStrings ??= compileOrThrow(compiler, definition, 'params', name, 'strings')
      return checkStrings(input)
    },
    checkResult,
  })
}
