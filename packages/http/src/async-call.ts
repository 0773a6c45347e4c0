import {
  ActionError,
  checkCallbackUrl,
  type CallbackUrlPolicy,
  type InvokeRequest,
  type Invoker,
  type JobCallback,
  type JobRunner,
  type RegisteredAction,
} from '@servey/core/adapter'
import { headerOf, type HttpHeaders } from './http-message.ts'

/** Background calls over HTTP: `Prefer: respond-async`, callbacks and `/jobs/<id>`. */
export interface HttpJobsOptions {
  /** Runs the jobs: `startScheduler(...).jobs` from `@servey/scheduler`, or your own. */
  readonly runner: JobRunner
  /** The SSRF rules for callback URLs (hosts or CIDRs allowed although not public). */
  readonly callbackPolicy?: CallbackUrlPolicy
  /** A scope that may read and cancel anyone's jobs. Default `admin`. */
  readonly adminScope?: string
}

const CALLBACK_METHODS = new Set(['POST', 'PUT', 'PATCH'])

/** RFC 7240: `Prefer: respond-async, wait=10` (several preferences, any order and case). */
export function prefersAsync(prefer: string | undefined): boolean {
  if (prefer === undefined) return false
  return prefer
    .split(',')
    .some((item) => item.split(';')[0]?.trim().toLowerCase() === 'respond-async')
}

/** How one action is called in the background over HTTP; computed once per route. */
export class AsyncCallPolicy {
  readonly always: boolean
  /** The callback header names as the action declares them, for messages and documents. */
  readonly names: { readonly url: string; readonly method: string; readonly key: string }
  readonly #url: string
  readonly #method: string
  readonly #key: string

  constructor(action: RegisteredAction) {
    const { always, callbackHeaders } = action.definition.async
    this.always = always
    this.names = callbackHeaders
    this.#url = callbackHeaders.url.toLowerCase()
    this.#method = callbackHeaders.method.toLowerCase()
    this.#key = callbackHeaders.key.toLowerCase()
  }

  /** Whether this request runs as a job: the action says always, or the client asks. */
  wanted(headers: HttpHeaders): boolean {
    return this.always || this.asked(headers)
  }

  /** Whether the client asked for a job: `Prefer: respond-async` or a callback URL. */
  asked(headers: HttpHeaders): boolean {
    return prefersAsync(headerOf(headers, 'prefer')) || headerOf(headers, this.#url) !== undefined
  }

  /** The answer to a client that asked for a job from a server that cannot run one. */
  unsupported(): ActionError {
    return new ActionError(
      'ASYNC_NOT_SUPPORTED',
      `This server runs no background jobs, so it cannot honour Prefer: respond-async or ${this.names.url}; call again without them to run the action in the request`,
    )
  }

  async callback(
    headers: HttpHeaders,
    policy: CallbackUrlPolicy,
  ): Promise<JobCallback | undefined> {
    const url = headerOf(headers, this.#url)
    if (url === undefined) return undefined
    const method = (headerOf(headers, this.#method) ?? 'POST').toUpperCase()
    if (!CALLBACK_METHODS.has(method)) {
      throw new ActionError(
        'BAD_REQUEST',
        `${this.names.method} must be POST, PUT or PATCH, not ${method}`,
      )
    }
    const checked = await checkCallbackUrl(url, policy)
    const key = headerOf(headers, this.#key)
    return { url: checked.href, method, ...(key === undefined || key === '' ? {} : { key }) }
  }
}

// Visible ASCII but the quote and the backslash: a bare token, or the text of an sf-string.
const IDEMPOTENCY_KEY = /^[!#-[\]-~]{1,255}$/

/**
 * The `Idempotency-Key` of a background call (IETF draft-ietf-httpapi-idempotency-key-header):
 * an sf-string, `"<key>"`, or the key bare as many clients send it. Undefined without one.
 */
export function idempotencyKeyOf(headers: HttpHeaders): string | undefined {
  const value = headerOf(headers, 'idempotency-key')?.trim()
  if (value === undefined) return undefined
  const key =
    value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value
  if (IDEMPOTENCY_KEY.test(key)) return key
  throw new ActionError(
    'BAD_REQUEST',
    'Idempotency-Key must be 1 to 255 visible ASCII characters without quotes or backslashes, ' +
      'optionally in double quotes; a random UUID makes a good key',
  )
}

/** A call accepted as a job: what the 202 says. */
export interface AcceptedJob {
  readonly id: string
  readonly location: string
  /** Whether the client asked with `Prefer: respond-async` (then `Preference-Applied` says so). */
  readonly preferenceApplied: boolean
}

/**
 * Admit the call (token, access and params are checked now, so a job never runs as someone
 * it should not), check the callback URL, then queue it. Throws the ActionError to answer.
 */
export async function startAsyncCall(
  invoker: Invoker,
  jobs: HttpJobsOptions,
  action: RegisteredAction,
  policy: AsyncCallPolicy,
  invokeRequest: InvokeRequest,
  headers: HttpHeaders,
): Promise<AcceptedJob> {
  const idempotencyKey = idempotencyKeyOf(headers)
  const admitted = await invoker.admit(invokeRequest)
  if (!admitted.ok) throw admitted.error
  const callback = await policy.callback(headers, jobs.callbackPolicy ?? {})
  const id = await jobs.runner.enqueue({
    action: action.name,
    params: admitted.params,
    authorization: admitted.authorization,
    ...(invokeRequest.requestId === undefined ? {} : { requestId: invokeRequest.requestId }),
    ...(callback === undefined ? {} : { callback }),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  })
  return {
    id,
    location: `/jobs/${id}`,
    preferenceApplied: prefersAsync(headerOf(headers, 'prefer')),
  }
}
