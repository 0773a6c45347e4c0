import type { InvokeHooks } from '@servey/core'
import { cliErrors } from '../errors.ts'
import { suggestName } from '../run/suggest-name.ts'
import type { ServeyConfig } from './define-config.ts'

/**
 * What a value must be, or undefined when it is right. A check that looks inside its value
 * (plugins) throws its own coded error, with the path (`where`) of the part that is wrong.
 */
type Check = (value: unknown, where: string, file: string) => string | undefined

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** What a value is, for messages: `a string ("x")`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `a string (${JSON.stringify(value.slice(0, 40))})`
  if (typeof value === 'number') return `a number (${value})`
  if (typeof value === 'boolean') return `${value}`
  if (typeof value === 'function') return 'a function'
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`
}

const booleanOrObject: Check = (value) =>
  typeof value === 'boolean' || isPlainObject(value)
    ? undefined
    : 'true, false or an options object'
const positiveInteger: Check = (value) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? undefined
    : 'a whole number above 0'
const nonEmptyString: Check = (value) =>
  typeof value === 'string' && value.trim() !== '' ? undefined : 'a non-empty string'
const trustProxy: Check = (value) =>
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) ||
  (typeof value === 'string' && value !== '') ||
  (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    ? undefined
    : 'true, false, a hop count, or an address/CIDR string or array of them'
const isPlugin = (value: unknown): boolean =>
  typeof value === 'function' ||
  (isPlainObject(value) &&
    typeof value['plugin'] === 'function' &&
    (value['options'] === undefined || isPlainObject(value['options'])) &&
    Object.keys(value).every((key) => key === 'plugin' || key === 'options'))
const plugins: Check = (value) =>
  Array.isArray(value) && value.every(isPlugin)
    ? undefined
    : 'an array of Fastify plugins (functions) or { plugin, options } objects'

// Typed by core's InvokeHooks: a hook added there is a compile error here until it is listed.
const INVOKE_HOOKS: { readonly [Hook in keyof Required<InvokeHooks>]: Hook } = {
  onRequest: 'onRequest',
  onInvoke: 'onInvoke',
  onResult: 'onResult',
  onError: 'onError',
}
const HOOK_NAMES: readonly string[] = Object.values(INVOKE_HOOKS)
// As core: a key shaped like a hook that is not one is a typo (`onResponse`), other keys are
// the plugin's own state or options.
const HOOK_LIKE = /^on[A-Z]/

const aFunction: Check = (value) => (typeof value === 'function' ? undefined : 'a function')

/** Every `on<Name>` key of a plugin, own or inherited (hooks may be methods of a class). */
function hookKeysOf(plugin: object): Set<string> {
  const keys = new Set<string>()
  for (
    let target: object | null = plugin;
    target !== null && target !== Object.prototype;
    target = Object.getPrototypeOf(target) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(target)) if (HOOK_LIKE.test(key)) keys.add(key)
  }
  return keys
}

function checkPlugin(plugin: unknown, where: string, file: string): void {
  if (typeof plugin !== 'object' || plugin === null || Array.isArray(plugin)) {
    throw cliErrors.SERVEY_ERR_CONFIG_INVALID(
      where,
      file,
      'an invoke plugin object ({ name, onRequest?, onInvoke?, onResult?, onError? })',
      describeValue(plugin),
    )
  }
  const name: unknown = (plugin as { name?: unknown }).name
  if (typeof name !== 'string' || name.trim() === '') {
    throw cliErrors.SERVEY_ERR_CONFIG_INVALID(
      `${where}.name`,
      file,
      'a non-empty string',
      describeValue(name),
    )
  }
  for (const key of hookKeysOf(plugin)) {
    if (!HOOK_NAMES.includes(key)) {
      const near = suggestName(key, HOOK_NAMES)
      const hint =
        near === undefined
          ? `known hooks: ${HOOK_NAMES.join(', ')}`
          : `did you mean ${where}.${near}?`
      throw cliErrors.SERVEY_ERR_CONFIG_UNKNOWN_KEY(`${where}.${key}`, file, hint)
    }
    const hook: unknown = (plugin as Record<string, unknown>)[key]
    if (hook !== undefined && typeof hook !== 'function') {
      throw cliErrors.SERVEY_ERR_CONFIG_INVALID(
        `${where}.${key}`,
        file,
        'a function',
        describeValue(hook),
      )
    }
  }
}

const invokePlugins: Check = (value, where, file) => {
  if (!Array.isArray(value)) return 'an array of invoke plugins'
  value.forEach((plugin, index) => checkPlugin(plugin, `${where}[${index}]`, file))
  return undefined
}

interface Shape {
  readonly [key: string]: Check | Shape
}

const GRAPHQL_LIMITS: Shape = {
  depth: positiveInteger,
  tokens: positiveInteger,
  aliases: positiveInteger,
  cost: positiveInteger,
  directives: positiveInteger,
  batch: positiveInteger,
}

const CHANNEL_LIMITS: Shape = {
  maxFrameBytes: positiveInteger,
  maxBufferedBytes: positiveInteger,
  maxConnections: positiveInteger,
  maxSubscriptions: positiveInteger,
  heartbeatMs: positiveInteger,
  authTimeoutMs: positiveInteger,
}

/** Every key of `servey.config.ts`; docs/reference/config.md lists the same. */
export const CONFIG_SHAPE: Shape = {
  entry: nonEmptyString,
  server: {
    cors: booleanOrObject,
    helmet: booleanOrObject,
    compress: booleanOrObject,
    bodyLimit: positiveInteger,
    queryLimit: positiveInteger,
    trustProxy,
    plugins,
  },
  graphql: { limits: GRAPHQL_LIMITS },
  channels: { limits: CHANNEL_LIMITS },
  cache: { prefix: nonEmptyString },
  invoke: {
    plugins: invokePlugins,
    hooks: Object.fromEntries(HOOK_NAMES.map((hook) => [hook, aFunction])),
  },
}

function checkShape(value: unknown, shape: Shape, path: string, file: string): void {
  if (!isPlainObject(value)) {
    throw cliErrors.SERVEY_ERR_CONFIG_INVALID(
      path || 'the default export',
      file,
      'an object',
      describeValue(value),
    )
  }
  const known = Object.keys(shape)
  for (const [key, item] of Object.entries(value)) {
    const where = path === '' ? key : `${path}.${key}`
    const rule = shape[key]
    if (rule === undefined) {
      const near = suggestName(key, known)
      const hint =
        near === undefined
          ? `known keys: ${known.join(', ')}`
          : `did you mean ${path === '' ? near : `${path}.${near}`}?`
      throw cliErrors.SERVEY_ERR_CONFIG_UNKNOWN_KEY(where, file, hint)
    }
    if (item === undefined) continue
    if (typeof rule === 'function') {
      const expected = rule(item, where, file)
      if (expected !== undefined) {
        throw cliErrors.SERVEY_ERR_CONFIG_INVALID(where, file, expected, describeValue(item))
      }
    } else {
      checkShape(item, rule, where, file)
    }
  }
}

/** The config as written, checked key by key: an unknown key or a wrong type is a coded error. */
export function validateConfig(value: unknown, file: string): ServeyConfig {
  checkShape(value, CONFIG_SHAPE, '', file)
  return value as ServeyConfig
}
