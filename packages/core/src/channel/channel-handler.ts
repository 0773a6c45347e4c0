import type { Authorization } from '../action/context.ts'
import type { AnyAction } from '../action/action.ts'
import { isAction } from '../action/action.ts'
import { toMilliseconds, type Duration } from '../action/duration.ts'
import { definitionErrors } from '../errors/definition-errors.ts'

/**
 * Decides whether a handler takes an event: it sees the event and the publisher's verified
 * authorization (null for an anonymous publisher, or a publish with no caller such as
 * `channel.publish` outside a handler). A filter that throws counts as not matching (logged).
 */
export type HandlerFilter<TEvent = unknown> = (
  event: TEvent,
  publisher: Authorization | null,
) => boolean

/** What a handler's `params` mapping and the logs know about the event. */
export interface HandlerEventMeta {
  readonly channel: string
  /** The event id (`<ms>-<seq>`): stable across retries, so handlers can deduplicate. */
  readonly id: string
  readonly publisher: Authorization | null
}

interface HandlerCommon<TEvent> {
  /** Groups run in ascending order, negative first (default 0). An integer. */
  readonly group?: number
  /** Default: takes every event. Within a group, the first handler whose filter matches runs. */
  readonly filter?: HandlerFilter<TEvent>
  /**
   * When this handler runs, later groups do not (AsyncAPY's stop propagation): `true`, or a
   * predicate on the event and the publisher.
   */
  readonly stop?: boolean | HandlerFilter<TEvent>
}

/** A background action: each matching event is enqueued as a job of `action`. */
export interface ActionHandlerOptions<TEvent = unknown> extends HandlerCommon<TEvent> {
  /** An action exported by the app (so every process, and every worker, knows it by name). */
  readonly action: AnyAction
  /** The job's params. Default: the event itself. */
  readonly params?: (event: TEvent, meta: HandlerEventMeta) => unknown
  /** Wait this long before the job runs. */
  readonly delay?: Duration
  /** Tries for a retryable failure (default: the job runner's, 3). */
  readonly attempts?: number
  /** First retry delay, doubled each time (default: the job runner's, 1 s). */
  readonly backoff?: Duration
  /**
   * The job runs as the system caller with these scopes (as a schedule does): the publisher's
   * authorization decided the filter, and a delayed job must not depend on a token's expiry.
   */
  readonly scopes?: readonly string[]
}

/** A webhook: each matching event is POSTed as JSON to `webhook`, signed. */
export interface WebhookHandlerOptions<TEvent = unknown> extends HandlerCommon<TEvent> {
  /** An absolute http(s) URL; checked against the SSRF rules of callbacks at delivery. */
  readonly webhook: string
  /** Extra request headers (e.g. a receiver's API key). */
  readonly headers?: Readonly<Record<string, string>>
  /** Per attempt (default 10 s). */
  readonly timeout?: Duration
  /** Tries, the first included (default 5): network errors and non-2xx answers retry. */
  readonly attempts?: number
  /** First retry delay, doubled each time (default 1 s). */
  readonly backoff?: Duration
}

export type ChannelHandlerOptions<TEvent = unknown> =
  ActionHandlerOptions<TEvent> | WebhookHandlerOptions<TEvent>

interface HandlerBase {
  /** Position in the channel's `handlers`: the order within a group. */
  readonly index: number
  readonly group: number
  readonly filter: HandlerFilter | undefined
  readonly stop: boolean | HandlerFilter
}

export interface ActionHandler extends HandlerBase {
  readonly kind: 'action'
  readonly action: AnyAction
  readonly params: ((event: unknown, meta: HandlerEventMeta) => unknown) | undefined
  readonly delayMs: number | undefined
  readonly attempts: number | undefined
  readonly backoffMs: number | undefined
  readonly scopes: readonly string[]
}

export interface WebhookHandler extends HandlerBase {
  readonly kind: 'webhook'
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly timeoutMs: number | undefined
  readonly attempts: number | undefined
  readonly backoffMs: number | undefined
}

/** A handler as `channel()` keeps it: checked, with durations in milliseconds. */
export type ChannelHandler = ActionHandler | WebhookHandler

const COMMON = ['group', 'filter', 'stop']
const ACTION_OPTIONS = new Set([
  ...COMMON,
  'action',
  'params',
  'delay',
  'attempts',
  'backoff',
  'scopes',
])
const WEBHOOK_OPTIONS = new Set([...COMMON, 'webhook', 'headers', 'timeout', 'attempts', 'backoff'])

function optionalMs(value: Duration | undefined, what: string): number | undefined {
  return value === undefined ? undefined : toMilliseconds(value, what)
}

function checkAttempts(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_INVALID(
      where,
      `attempts must be a positive integer, not ${JSON.stringify(value)}`,
    )
  }
  return value
}

function checkUrl(raw: unknown, where: string): string {
  let url: URL | undefined
  try {
    url = typeof raw === 'string' ? new URL(raw) : undefined
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_WEBHOOK_URL_INVALID(String(raw).slice(0, 200), where)
  }
  if (url.username !== '' || url.password !== '') {
    throw definitionErrors.SERVEY_ERR_CHANNEL_WEBHOOK_URL_INVALID(
      `${url.protocol}//***@${url.host}`,
      where,
    )
  }
  return url.href
}

function isFunction(value: unknown): value is (...args: never[]) => unknown {
  return typeof value === 'function'
}

function normalizeOne(raw: unknown, index: number, channel: string): ChannelHandler {
  const where = `handler ${index} of channel ${channel}`
  if (typeof raw !== 'object' || raw === null) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_INVALID(
      where,
      'a handler is an object with an `action` or a `webhook`',
    )
  }
  const options = raw as Record<string, unknown>
  const hasAction = 'action' in options
  const hasWebhook = 'webhook' in options
  if (hasAction === hasWebhook) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_INVALID(
      where,
      'give exactly one of `action` (a background action) or `webhook` (a URL)',
    )
  }
  const known = hasAction ? ACTION_OPTIONS : WEBHOOK_OPTIONS
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_INVALID(
        where,
        `unknown option '${key}' (known: ${[...known].join(', ')})`,
      )
    }
  }
  const group = options['group'] ?? 0
  if (typeof group !== 'number' || !Number.isSafeInteger(group)) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_GROUP_INVALID(JSON.stringify(group), where)
  }
  const filter = options['filter']
  if (filter !== undefined && !isFunction(filter)) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_INVALID(where, 'filter must be a function')
  }
  const stop = options['stop'] ?? false
  if (typeof stop !== 'boolean' && !isFunction(stop)) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_INVALID(
      where,
      'stop must be a boolean or a function',
    )
  }
  const base = {
    index,
    group,
    filter: filter as HandlerFilter | undefined,
    stop: stop as boolean | HandlerFilter,
  }
  const attempts = checkAttempts(options['attempts'], where)
  const backoffMs = optionalMs(
    options['backoff'] as Duration | undefined,
    `the backoff of ${where}`,
  )
  if (hasAction) {
    if (!isAction(options['action'])) {
      throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_INVALID(
        where,
        '`action` must be an action declared with action()',
      )
    }
    const params = options['params']
    if (params !== undefined && !isFunction(params)) {
      throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_INVALID(where, 'params must be a function')
    }
    const scopes = options['scopes'] ?? []
    if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) {
      throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_INVALID(
        where,
        'scopes must be an array of strings',
      )
    }
    return Object.freeze({
      ...base,
      kind: 'action' as const,
      action: options['action'],
      params: params as ActionHandler['params'],
      delayMs: optionalMs(options['delay'] as Duration | undefined, `the delay of ${where}`),
      attempts,
      backoffMs,
      scopes: Object.freeze([...(scopes as string[])]),
    })
  }
  const headers = options['headers'] ?? {}
  if (
    typeof headers !== 'object' ||
    headers === null ||
    !Object.values(headers).every((value) => typeof value === 'string')
  ) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_INVALID(
      where,
      'headers must be an object of strings',
    )
  }
  return Object.freeze({
    ...base,
    kind: 'webhook' as const,
    url: checkUrl(options['webhook'], where),
    headers: Object.freeze({ ...(headers as Record<string, string>) }),
    timeoutMs: optionalMs(options['timeout'] as Duration | undefined, `the timeout of ${where}`),
    attempts,
    backoffMs,
  })
}

/** Check a channel's `handlers` option when the channel is declared. */
export function normalizeHandlers(raw: unknown, channel: string): readonly ChannelHandler[] {
  if (raw === undefined) return Object.freeze([])
  if (!Array.isArray(raw)) {
    throw definitionErrors.SERVEY_ERR_CHANNEL_HANDLER_INVALID(
      `the handlers of channel ${channel}`,
      'handlers must be an array',
    )
  }
  return Object.freeze(raw.map((handler, index) => normalizeOne(handler, index, channel)))
}

/** How logs and errors name a handler: its action, or its webhook's origin. */
export function describeHandler(handler: ChannelHandler, actionName?: string): string {
  if (handler.kind === 'webhook') return `webhook ${new URL(handler.url).origin}`
  return `action ${actionName ?? handler.index}`
}
