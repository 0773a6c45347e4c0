import underPressure from '@fastify/under-pressure'
import { ActionError } from '@servey/core/adapter'
import { problemResponse } from '@servey/http'
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
 * late. Measured by `@fastify/under-pressure`; the answer is the HTTP layer's problem so it has
 * the same shape as every other error. The check is returned rather than added as a hook of
 * its own: `createServer` runs it from its one `onRequest` hook, which every request pays for.
 * Undefined when shedding is off.
 */
export async function registerLoadShedding(
  app: FastifyInstance,
  options: LoadSheddingOptions,
): Promise<LoadShedder | undefined> {
  if (!(options.maxEventLoopDelay > 0)) return undefined
  const retryAfter = options.retryAfter ?? 1
  const exempt = new Set(options.exempt ?? LOAD_SHEDDING_EXEMPT)
  // under-pressure measures the lag; its own onRequest hook is left in a scope that has no
  // routes, because it builds `request.routeOptions` (a new 12-field object) for every request.
  // The check below reads the measurement only.
  let monitor: Pick<FastifyInstance, 'isUnderPressure' | 'memoryUsage'> | undefined
  await app.register(async (scope) => {
    await scope.register(underPressure, {
      maxEventLoopDelay: options.maxEventLoopDelay,
      retryAfter,
    })
    monitor = scope
  })
  if (monitor === undefined) throw new Error('@fastify/under-pressure did not load')
  const measured = monitor
  app.decorate('isUnderPressure', () => measured.isUnderPressure())
  app.decorate('memoryUsage', () => measured.memoryUsage())
  return (request, reply) => {
    if (!measured.isUnderPressure() || exempt.has(pathOf(request))) return false
    const delay = `${Math.round(measured.memoryUsage().eventLoopDelay)} ms`
    const error = new ActionError(
      'UNAVAILABLE',
      `The server is overloaded (eventLoopDelay ${delay} over the limit of ` +
        `${options.maxEventLoopDelay} ms); retry after ${retryAfter} s`,
    )
    request.log.warn(
      { type: 'eventLoopDelay', value: measured.memoryUsage().eventLoopDelay },
      'request refused: the event loop lags',
    )
    sendHttpResponse(
      reply,
      problemResponse(error, { requestId: request.id }, { 'retry-after': String(retryAfter) }),
    )
    return true
  }
}
