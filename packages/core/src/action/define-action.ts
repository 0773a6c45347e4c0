import { Type, type TObject, type TSchema } from 'typebox'
import {
  ACTION_KEY,
  type Action,
  type ActionDefinition,
  type ActionOptions,
  type AsyncDefinition,
  type CallOptions,
  type Handler,
} from './action.ts'
import { toMilliseconds } from './duration.ts'
import { toCachePolicy } from '../cache/cache-policy.ts'
import { toSnakeCase } from './naming.ts'
import { definitionErrors } from '../errors/definition-errors.ts'
import { callDirect } from '../invoke/call-direct.ts'
import { allowAll, type AccessPolicy } from '../security/access-policy.ts'
import { isChannel, type AnyChannel } from '../channel/channel.ts'

const DEFAULT_TIMEOUT_MS = 15_000
// setTimeout fires after 1 ms for anything longer (TimeoutOverflowWarning), so a timeout of
// '30d' would fail every call at once; longer timeouts are capped, which is as good as none.
const MAX_TIMEOUT_MS = 2_147_483_647
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
  'access',
  'parent',
  'batch',
  'cache',
  'async',
  'publishes',
])

/** Spellings other frameworks use, pointed at ours. */
const OPTION_HINTS: Readonly<Record<string, string>> = {
  input: 'params',
  parameters: 'params',
  output: 'result',
  trigger: 'triggers',
  example: 'examples',
  timeoutMs: 'timeout',
  accessControl: 'access',
  auth: 'access',
  batchHandler: 'batch',
  cacheControl: 'cache',
  ttl: 'cache',
  channels: 'publishes',
  emits: 'publishes',
}

const DEFAULT_CALLBACK_HEADERS = Object.freeze({
  url: 'Servey-Callback-URL',
  method: 'Servey-Callback-Method',
  key: 'Servey-Callback-Key',
})

function resolveAsync(option: ActionOptions<TObject, TSchema>['async']): AsyncDefinition {
  if (option === undefined || typeof option === 'boolean') {
    return Object.freeze({ always: option ?? false, callbackHeaders: DEFAULT_CALLBACK_HEADERS })
  }
  return Object.freeze({
    always: option.always ?? true,
    callbackHeaders: Object.freeze({ ...DEFAULT_CALLBACK_HEADERS, ...option.callbackHeaders }),
  })
}

function resolvePublishes(option: unknown, label: string): readonly AnyChannel[] | undefined {
  if (option === undefined) return undefined
  if (!Array.isArray(option)) {
    throw definitionErrors.SERVEY_ERR_ACTION_PUBLISHES_INVALID(
      label,
      'it must be an array of channels',
    )
  }
  option.forEach((item: unknown, index) => {
    if (!isChannel(item)) {
      throw definitionErrors.SERVEY_ERR_ACTION_PUBLISHES_INVALID(
        label,
        `item ${index} is not a channel (declare it with channel())`,
      )
    }
  })
  return Object.freeze([...new Set(option as AnyChannel[])])
}

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
export function action<
  // TypeBox spells "an object with no properties" this way.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  TParams extends TObject = TObject<{}>,
  TResult extends TSchema = TSchema,
  TParent extends TObject | undefined = undefined,
>(
  options: ActionOptions<TParams, TResult, TParent>,
  handler: Handler<TParams, TResult, TParent>,
): Action<TParams, TResult> {
  if (typeof handler !== 'function') throw definitionErrors.SERVEY_ERR_ACTION_HANDLER_MISSING()
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      const suggestion = Object.hasOwn(OPTION_HINTS, key) ? OPTION_HINTS[key] : undefined
      const hint = suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`
      throw definitionErrors.SERVEY_ERR_ACTION_OPTION_UNKNOWN(key, hint)
    }
  }
  const name = options.name ?? (handler.name === '' ? undefined : toSnakeCase(handler.name))
  const label = name ?? '<unnamed>'
  const params = (options.params ?? EMPTY_PARAMS) as TObject
  if (params.type !== 'object') throw definitionErrors.SERVEY_ERR_ACTION_PARAMS_NOT_OBJECT(label)
  const parent = options.parent as TObject | undefined
  if (
    parent !== undefined &&
    (parent.type !== 'object' || typeof (parent as { $id?: unknown }).$id !== 'string')
  ) {
    throw definitionErrors.SERVEY_ERR_ACTION_PARENT_INVALID(label)
  }
  const batch = options.batch as ActionDefinition['batch']
  if (batch !== undefined && typeof batch !== 'function') {
    throw definitionErrors.SERVEY_ERR_ACTION_BATCH_INVALID(label, 'it must be a function')
  }
  if (batch !== undefined && parent === undefined) {
    throw definitionErrors.SERVEY_ERR_ACTION_BATCH_INVALID(
      label,
      'only a nested action (one with a parent) has a batch form',
    )
  }

  const definition: ActionDefinition = Object.freeze({
    name,
    description: options.description,
    params,
    result: options.result,
    triggers: Object.freeze([...(options.triggers ?? [])]),
    timeoutMs:
      options.timeout === undefined
        ? DEFAULT_TIMEOUT_MS
        : Math.min(
            toMilliseconds(options.timeout, `the timeout of action ${label}`),
            MAX_TIMEOUT_MS,
          ),
    examples: Object.freeze([...(options.examples ?? [])]),
    tags: Object.freeze([...(options.tags ?? [])]),
    deprecated: options.deprecated ?? false,
    access: (options.access ?? allowAll) as AccessPolicy,
    handler: handler as unknown as ActionDefinition['handler'],
    parent,
    batch,
    cache: options.cache === undefined ? undefined : toCachePolicy(options.cache, label),
    async: resolveAsync(options.async),
    publishes: resolvePublishes(options.publishes, label),
  })

  const callable = (input: unknown, callOptions?: CallOptions) =>
    callDirect(callable as unknown as Action, input, callOptions)
  Object.defineProperty(callable, ACTION_KEY, { value: definition, enumerable: false })
  // Always overwrite: left alone it would read 'callable', and an unnamed action passed as
  // the handler of another action would lend it that name.
  Object.defineProperty(callable, 'name', { value: name ?? '' })
  return callable as unknown as Action<TParams, TResult>
}
