import { request as httpRequest, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { isIP } from 'node:net'
import {
  resolveCallbackHost,
  type CallbackUrlPolicy,
  type JobCallback,
  type Logger,
  type Problem,
} from '@servey/core'
import { SIGNATURE_HEADER, signCallback } from './signature.ts'

export interface CallbackSettings {
  readonly secret: string
  readonly policy: CallbackUrlPolicy
  /** Per attempt. Default 10 s. */
  readonly timeoutMs?: number
  /** Default 5 (the first try and 4 retries). */
  readonly attempts?: number
  /** First retry delay, doubled each time. Default 1 s. */
  readonly backoffMs?: number
}

/** The body a callback receiver gets. */
export interface CallbackBody {
  readonly jobId: string
  readonly action: string
  readonly status: 'succeeded' | 'failed' | 'cancelled'
  readonly result?: unknown
  readonly error?: Problem
}

export function callbackBody(
  callback: JobCallback,
  jobId: string,
  action: string,
  outcome: { ok: true; result: unknown } | { ok: false; error: Problem },
): CallbackBody | Record<string, unknown> {
  if (outcome.ok && callback.key !== undefined) return { [callback.key]: outcome.result ?? null }
  if (outcome.ok) return { jobId, action, status: 'succeeded', result: outcome.result ?? null }
  return {
    jobId,
    action,
    status: outcome.error.code === 'CANCELLED' ? 'cancelled' : 'failed',
    error: outcome.error,
  }
}

/**
 * Connect only to addresses checked now: the lookup the socket uses is the one that applies
 * the SSRF rules, so a DNS answer that changed since the 202 (rebinding) is refused.
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
  settings: CallbackSettings,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const options: RequestOptions = {
      method,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      timeout: settings.timeoutMs ?? 10_000,
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

export interface DeliveryExtras {
  /** Sent too; the content type, signature and user agent cannot be overridden. */
  readonly headers?: Readonly<Record<string, string>>
  /** Names the delivery in logs and the user agent (`servey-<what>`). Default `callback`. */
  readonly what?: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref())

/**
 * POST (or the requested method) the outcome to the callback URL, signed, retrying with
 * exponential backoff on network errors and non-2xx answers. True when the receiver took it.
 */
export async function deliverCallback(
  callback: JobCallback,
  payload: unknown,
  settings: CallbackSettings,
  log: Logger,
  extra: DeliveryExtras = {},
): Promise<boolean> {
  const what = extra.what ?? 'callback'
  const url = new URL(callback.url)
  // A literal address skips DNS, so check it here as the lookup would.
  if (isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) {
    await resolveCallbackHost(url.hostname, settings.policy)
  }
  const body = JSON.stringify(payload)
  const attempts = settings.attempts ?? 5
  let delay = settings.backoffMs ?? 1000
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const status = await send(
        url,
        callback.method,
        body,
        {
          ...extra.headers,
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signCallback(settings.secret, body),
          'user-agent': `servey-${what}`,
        },
        settings,
      )
      if (status >= 200 && status < 300) return true
      log.warn({ url: callback.url, status, attempt }, `${what} refused by the receiver`)
    } catch (error) {
      log.warn({ url: callback.url, err: error, attempt }, `${what} delivery failed`)
      if ((error as { code?: unknown }).code === 'BAD_REQUEST') return false
    }
    if (attempt < attempts) {
      await sleep(delay)
      delay *= 2
    }
  }
  log.error({ url: callback.url, attempts }, `${what} abandoned after every retry`)
  return false
}
