import { ActionError } from '@servey/core/adapter'
import { problemResponse } from '@servey/http'
import { watchEventLoopDelay } from './event-loop-delay.ts'
import { sendHttpResponse } from './http-bridge.ts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

export interface LoadSheddingOptions {
  /**
   * Largest mean event-loop delay, in milliseconds, over one sample interval (one second)
   * before requests are refused with 503 UNAVAILABLE. `servey start` reads it from
   * `SERVEY_MAX_EVENT_LOOP_DELAY` (default 1000; 0 turns shedding off).
   */
  readonly maxEventLoopDelay: number
  /** Seconds sent in `Retry-After`. Default 1. */
  readonly retryAfter?: number
  /**
   * Paths never refused: liveness must answer while the process is busy, or an orchestrator
   * restarts a process that is only slow (and loses its in-flight work). Default `['/health']`.
   */
  readonly exempt?: readonly string[]
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether the event loop lags past `loadShedding.maxEventLoopDelay` now (shedding on only). */
    isUnderPressure(): boolean
  }
}

/** A lagging event loop must not look like a dead process: liveness is always answered. */
export const LOAD_SHEDDING_EXEMPT: readonly string[] = ['/health']

function pathOf(request: FastifyRequest): string {
  const mark = request.url.indexOf('?')
  return mark === -1 ? request.url : request.url.slice(0, mark)
}

/** Answers a request with 503 when the server sheds load: true when it did (stop there). */
export type LoadShedder = (request: FastifyRequest, reply: FastifyReply) => boolean

/**
 * Refuses new requests with a 503 problem+json (code UNAVAILABLE, `Retry-After`) while the
 * event loop lags: a synchronous handler that runs for seconds (a big loop, a huge JSON) delays
 * every other request, and answering "try again" quickly is better than answering all of them
 * late. Measured by `watchEventLoopDelay`; the answer is the HTTP layer's problem so it has
 * the same shape as every other error. The check is returned rather than added as a hook of
 * its own: `createServer` runs it as part of each request's admission (request-admission.ts).
 * Undefined when shedding is off.
 */
export function registerLoadShedding(
  app: FastifyInstance,
  options: LoadSheddingOptions,
): LoadShedder | undefined {
  if (!(options.maxEventLoopDelay > 0)) return undefined
  const retryAfter = options.retryAfter ?? 1
  const exempt = new Set(options.exempt ?? LOAD_SHEDDING_EXEMPT)
  const monitor = watchEventLoopDelay()
  app.addHook('onClose', (_instance, done) => {
    monitor.stop()
    done()
  })
  const underPressure = (): boolean => monitor.delay() > options.maxEventLoopDelay
  app.decorate('isUnderPressure', underPressure)
  return (request, reply) => {
    if (!underPressure() || exempt.has(pathOf(request))) return false
    const delay = `${Math.round(monitor.delay())} ms`
    const error = new ActionError(
      'UNAVAILABLE',
      `The server is overloaded (eventLoopDelay ${delay} over the limit of ` +
        `${options.maxEventLoopDelay} ms); retry after ${retryAfter} s`,
    )
    request.log.warn(
      { type: 'eventLoopDelay', value: monitor.delay() },
      'request refused: the event loop lags',
    )
    sendHttpResponse(
      reply,
      problemResponse(error, { requestId: request.id }, { 'retry-after': String(retryAfter) }),
    )
    return true
  }
}
