import { Type, type TObject, type TSchema } from 'typebox'
import {
  ACTION_KEY,
  type Action,
  type ActionDefinition,
  type ActionOptions,
  type CallOptions,
  type Handler,
} from './action.ts'
import { toMilliseconds } from './duration.ts'
import { toSnakeCase } from './naming.ts'
import { definitionErrors } from '../errors/definition-errors.ts'
import { callDirect } from '../invoke/call-direct.ts'

const DEFAULT_TIMEOUT_MS = 15_000
const EMPTY_PARAMS = Type.Object({})

const KNOWN_OPTIONS = new Set([
  'name',
  'description',
  'params',
  'result',
  'triggers',
  'timeout',
  'examples',
  'tags',
  'deprecated',
])

/**
 * Wrap a plain function once; it is then served on every trigger it lists.
 *
 * @example
 * export const say_hello = action({
 *   triggers: [WEB_GET],
 *   params: Type.Object({ name: Type.String() }),
 *   result: Type.String(),
 * }, ({ name }) => `Hello ${name}!`)
 */
export function action<TParams extends TObject = TObject<{}>, TResult extends TSchema = TSchema>(
  options: ActionOptions<TParams, TResult>,
  handler: Handler<TParams, TResult>,
): Action<TParams, TResult> {
  if (typeof handler !== 'function') throw definitionErrors.SERVEY_ERR_ACTION_HANDLER_MISSING()
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      const hint = key === 'input' ? " (did you mean 'params'?)" : key === 'output' ? " (did you mean 'result'?)" : ''
      throw definitionErrors.SERVEY_ERR_ACTION_OPTION_UNKNOWN(key, hint)
    }
  }
  const name = options.name ?? (handler.name === '' ? undefined : toSnakeCase(handler.name))
  const label = name ?? '<unnamed>'
  const params = (options.params ?? EMPTY_PARAMS) as TObject
  if (params.type !== 'object') throw definitionErrors.SERVEY_ERR_ACTION_PARAMS_NOT_OBJECT(label)

  const definition: ActionDefinition = Object.freeze({
    name,
    description: options.description,
    params,
    result: options.result,
    triggers: Object.freeze([...(options.triggers ?? [])]),
    timeoutMs:
      options.timeout === undefined
        ? DEFAULT_TIMEOUT_MS
        : toMilliseconds(options.timeout, `the timeout of action ${label}`),
    examples: Object.freeze([...(options.examples ?? [])]),
    tags: Object.freeze([...(options.tags ?? [])]),
    deprecated: options.deprecated ?? false,
    handler: handler as ActionDefinition['handler'],
  })

  const callable = (input: unknown, callOptions?: CallOptions) =>
    callDirect(callable as unknown as Action, input, callOptions)
  Object.defineProperty(callable, ACTION_KEY, { value: definition, enumerable: false })
  if (name !== undefined) Object.defineProperty(callable, 'name', { value: name })
  return callable as unknown as Action<TParams, TResult>
}
