import { ActionError, type Logger } from '@servey/core/adapter'
import type { HttpResponse } from './http-message.ts'
import { problemResponse } from './problem-response.ts'
import { newRequestId } from './request-id.ts'

/** Liveness: the process answers HTTP. */
export const HEALTH_PATH = '/health'
/** Readiness: the process can do its work (its dependencies answer, it is not stopping). */
export const READY_PATH = '/ready'
/** Paths the server answers itself; an action or page that claims one fails at start-up. */
export const RESERVED_PATHS: ReadonlySet<string> = new Set([HEALTH_PATH, READY_PATH])

/** Why a process is not ready; `data.reason` of the 503 problem. */
export type NotReadyReason = 'dependency_unavailable' | 'shutting_down'

export type Readiness =
  | { readonly ready: true }
  | {
      readonly ready: false
      readonly reason: NotReadyReason
      /** A sentence for operators, e.g. which dependency does not answer. */
      readonly detail: string
      /** Seconds a load balancer or probe should wait before asking again. Default 1. */
      readonly retryAfter?: number
    }

/** Answers whether this process is ready; called on every `GET /ready`. */
export type ReadinessCheck = () => Readiness | Promise<Readiness>

/** What `GET /ready` asks: a check of the host's, or none (ready whenever it answers). */
export interface HealthOptions {
  /**
   * Asked on every `GET /ready`; without it the process is ready whenever it answers. The CLI
   * passes one that pings Redis when REDIS_URL is set and turns false on SIGTERM.
   */
  readonly readiness?: ReadinessCheck
}

/**
 * Run a readiness check. One that throws is a dependency this process cannot vouch for: it is
 * `dependency_unavailable`, and its reason is logged, never sent to whoever probes.
 */
export async function checkReadiness(
  check: ReadinessCheck | undefined,
  log: Logger | undefined,
): Promise<Readiness> {
  if (check === undefined) return { ready: true }
  try {
    return await check()
  } catch (error) {
    log?.error({ err: error }, 'the readiness check failed')
    return { ready: false, reason: 'dependency_unavailable', detail: 'The readiness check failed' }
  }
}

const NO_STORE = 'no-store'
const JSON_TYPE = 'application/json; charset=utf-8'

// Built once: probes call these every few seconds, and their answers never change.
const LIVE: HttpResponse = Object.freeze({
  status: 200,
  headers: Object.freeze({ 'content-type': JSON_TYPE, 'cache-control': NO_STORE }),
  body: '{"status":"ok"}',
})
const READY: HttpResponse = Object.freeze({
  status: 200,
  headers: Object.freeze({ 'content-type': JSON_TYPE, 'cache-control': NO_STORE }),
  body: '{"status":"ready"}',
})

/** `GET /health`: 200 `{"status":"ok"}` whenever the process can answer at all. */
export function livenessResponse(): HttpResponse {
  return LIVE
}

/**
 * `GET /ready`: 200 `{"status":"ready"}`, else a 503 UNAVAILABLE problem with `data.reason`
 * (`dependency_unavailable`, `shutting_down`) and `Retry-After`, so a load balancer takes the
 * process out of rotation and a person reading it knows why.
 */
export function readinessResponse(readiness: Readiness, requestId?: string): HttpResponse {
  if (readiness.ready) return READY
  const error = new ActionError('UNAVAILABLE', readiness.detail, {
    data: { reason: readiness.reason },
  })
  return problemResponse(
    error,
    { requestId },
    { 'retry-after': String(readiness.retryAfter ?? 1), 'cache-control': NO_STORE },
  )
}

// Characters that are safe in a header, a log line and a URL alike: no spaces, quotes, control
// characters or separators a log parser or a downstream header could be confused by.
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/

/**
 * The request id of a request: the caller's `x-request-id` when it is 1 to 128 characters of
 * `[A-Za-z0-9._:@/+=-]` (so ids line up across services), else a fresh one: `newRequestId()`,
 * or the host's own id for the request (API Gateway's). A hostile or oversized value is never
 * echoed nor logged.
 */
export function requestIdFrom(
  header: string | readonly string[] | undefined,
  fresh: () => string = newRequestId,
): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : fresh()
}
