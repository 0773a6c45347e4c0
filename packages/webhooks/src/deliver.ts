import { request as httpRequest, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { isIP } from 'node:net'
import { ActionError, resolveCallbackHost, type CallbackUrlPolicy, type Logger } from '@servey/core'
import { SIGNATURE_HEADER, signCallback } from './signature.ts'

/** The defaults of every delivery: 10 s per attempt, 5 attempts, 1 s first backoff. */
export const DELIVERY_DEFAULTS = { timeoutMs: 10_000, attempts: 5, backoffMs: 1000 } as const

export interface DeliverySettings {
  /** The HMAC key of `Servey-Signature` (`SERVEY_CALLBACK_SECRET`: one per app). */
  readonly secret: string
  /** The SSRF rules (`SERVEY_CALLBACK_ALLOWED_HOSTS`), applied when connecting. */
  readonly policy: CallbackUrlPolicy
  /** Per attempt. Default 10 s. */
  readonly timeoutMs?: number
  /** Default 5 (the first try and 4 retries). */
  readonly attempts?: number
  /** First retry delay, doubled each time. Default 1 s. */
  readonly backoffMs?: number
}

/** Where a delivery goes: an absolute http(s) URL and the method (a job callback's shape). */
export interface DeliveryTarget {
  readonly url: string
  readonly method: string
}

export interface DeliveryExtras {
  /** Sent too; the content type, signature and user agent cannot be overridden. */
  readonly headers?: Readonly<Record<string, string>>
  /** Names the delivery in logs and the user agent (`servey-<what>`). Default `callback`. */
  readonly what?: string
}

/** One attempt's outcome. A refused address or URL is final; anything else may be retried. */
export type AttemptOutcome =
  | { readonly ok: true; readonly status: number }
  | {
      readonly ok: false
      readonly retryable: boolean
      /** The receiver's status, when it answered. */
      readonly status?: number
      readonly error: ActionError
    }

/** The wait before retry number `attempt + 1`: `backoffMs`, doubled after each try. */
export function retryDelayMs(backoffMs: number, attempt: number): number {
  return backoffMs * 2 ** (attempt - 1)
}

/**
 * Connect only to addresses checked now: the lookup the socket uses is the one that applies
 * the SSRF rules, so a DNS answer that changed since the URL was accepted (rebinding) is
 * refused.
 */
function pinnedLookup(policy: CallbackUrlPolicy): LookupFunction {
  return ((
    hostname: string,
    options: { all?: boolean },
    callback: (...args: unknown[]) => void,
  ) => {
    resolveCallbackHost(hostname, policy).then(
      (addresses) => {
        const entries = addresses.map((address) => ({ address, family: isIP(address) }))
        if (options.all === true) callback(null, entries)
        else callback(null, entries[0]?.address, entries[0]?.family)
      },
      (error: unknown) => callback(error),
    )
  }) as LookupFunction
}

function send(
  url: URL,
  method: string,
  body: string,
  headers: Record<string, string>,
  settings: DeliverySettings,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const options: RequestOptions = {
      method,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      timeout: settings.timeoutMs ?? DELIVERY_DEFAULTS.timeoutMs,
      lookup: pinnedLookup(settings.policy),
    }
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      options,
      (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
        response.on('error', reject)
      },
    )
    request.on('timeout', () => request.destroy(new Error(`timed out after ${options.timeout} ms`)))
    request.on('error', reject)
    request.end(body)
  })
}

/**
 * One signed request: `body` (JSON text) to the target, with a fresh `Servey-Signature`, to an
 * address the SSRF rules allow. It never throws: a refused URL or address is a final
 * BAD_REQUEST, a network error or a non-2xx answer a retryable UNAVAILABLE. Retrying is the
 * caller's: `deliverWithRetries` in a process, SQS's redelivery on Lambda.
 */
export async function attemptDelivery(
  target: DeliveryTarget,
  body: string,
  settings: DeliverySettings,
  extra: DeliveryExtras = {},
): Promise<AttemptOutcome> {
  const what = extra.what ?? 'callback'
  try {
    const url = new URL(target.url)
    // A literal address skips DNS, so check it here as the lookup would.
    if (isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) {
      await resolveCallbackHost(url.hostname, settings.policy)
    }
    const status = await send(
      url,
      target.method,
      body,
      {
        ...extra.headers,
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signCallback(settings.secret, body),
        'user-agent': `servey-${what}`,
      },
      settings,
    )
    if (status >= 200 && status < 300) return { ok: true, status }
    return {
      ok: false,
      retryable: true,
      status,
      error: new ActionError('UNAVAILABLE', `The ${what} receiver answered ${status}`),
    }
  } catch (thrown) {
    const error =
      thrown instanceof ActionError
        ? thrown
        : (thrown as { code?: unknown }).code === 'ERR_INVALID_URL'
          ? new ActionError('BAD_REQUEST', `The ${what} URL is not valid`, { cause: thrown })
          : new ActionError('UNAVAILABLE', `The ${what} could not be delivered`, {
              cause: thrown,
            })
    return { ok: false, retryable: error.code !== 'BAD_REQUEST', error }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref())

/**
 * Send `payload` as signed JSON, retrying with exponential backoff on network errors and
 * non-2xx answers, in this process. True when the receiver took it.
 */
export async function deliverWithRetries(
  target: DeliveryTarget,
  payload: unknown,
  settings: DeliverySettings,
  log: Logger,
  extra: DeliveryExtras = {},
): Promise<boolean> {
  const what = extra.what ?? 'callback'
  const body = JSON.stringify(payload)
  const attempts = settings.attempts ?? DELIVERY_DEFAULTS.attempts
  const backoffMs = settings.backoffMs ?? DELIVERY_DEFAULTS.backoffMs
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const outcome = await attemptDelivery(target, body, settings, extra)
    if (outcome.ok) return true
    if (outcome.status === undefined) {
      log.warn(
        { url: target.url, err: outcome.error.cause ?? outcome.error, attempt },
        `${what} delivery failed`,
      )
    } else {
      log.warn(
        { url: target.url, status: outcome.status, attempt },
        `${what} refused by the receiver`,
      )
    }
    if (!outcome.retryable) return false
    if (attempt < attempts) await sleep(retryDelayMs(backoffMs, attempt))
  }
  log.error({ url: target.url, attempts }, `${what} abandoned after every retry`)
  return false
}
