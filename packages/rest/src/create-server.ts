import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { problemResponse, requestIdFrom, REQUEST_ID_HEADER } from '@servey/http'
import { handleClientError } from './client-errors.ts'
import { fromFastifyError } from './fastify-errors.ts'
import { lazyChildLoggerFactory, logsRequests } from './lazy-child-logger.ts'
import { jsonLogDestination } from './log-destination.ts'
import { registerLoadShedding, type LoadSheddingOptions } from './load-shedding.ts'
import { sendHttpResponse } from './http-bridge.ts'
import { serveyRest, type ServeyRestOptions } from './plugin.ts'
import {
  admissionHook,
  admitEveryRoute,
  createAdmission,
  type RequestAdmission,
} from './request-admission.ts'
import { registerServerPlugins, type ServerPluginOptions } from './server-plugins.ts'

export interface LoggerOptions {
  /** pino level; default `info`. */
  readonly level?: string
  /** Write logs to this file instead of stdout. */
  readonly file?: string
  /** Write log lines (pino JSON) here instead, e.g. a formatter for terminals. */
  readonly stream?: { write(line: string): void }
}

/**
 * Node's 16 KB default would answer an oversized bearer token with a bare 431 from the HTTP
 * parser; with room for it, core refuses it as a 401 with a reason like any bad token.
 */
export const MAX_HEADER_SIZE = 128 * 1024

export interface CreateServerOptions extends ServeyRestOptions, ServerPluginOptions {
  /** Request logging with pino. Default off. */
  readonly logger?: boolean | LoggerOptions
  /** Largest accepted body in bytes. Default 1 MiB. */
  readonly bodyLimit?: number
  /**
   * Fastify's `trustProxy`: take the client's address, host and protocol from `X-Forwarded-*`.
   * `true`, a hop count, or trusted addresses/CIDRs. Default false.
   */
  readonly trustProxy?: boolean | number | string | readonly string[]
  /**
   * Registers more on the same server before it is made ready, e.g. another adapter's plugin:
   * `extend: (app) => app.register(otherPlugin, { invoker })`. REST's error and not-found
   * handlers then cover those routes too, and each route gets the request id and load
   * shedding. A plugin with `onRequest` hooks of its own for the whole server (a rate limiter)
   * goes in `plugins` instead, so that they run after the request id and the shedding check.
   */
  readonly extend?: (app: FastifyInstance) => unknown
  /**
   * Refuse requests with 503 UNAVAILABLE and `Retry-After` while the event loop lags past
   * `maxEventLoopDelay` ms (see `watchEventLoopDelay`); `/health` stays exempt. Default off;
   * `servey start` turns it on (SERVEY_MAX_EVENT_LOOP_DELAY, default 1000).
   */
  readonly loadShedding?: LoadSheddingOptions
  /** Passed through to `Fastify()`, e.g. `serverFactory`. */
  readonly fastify?: Omit<FastifyServerOptions, 'logger' | 'loggerInstance'>
}

/**
 * A Fastify server with Servey's REST routes and docs, ready but not listening: call
 * `listen()` to serve, or `inject()` to test without a socket.
 */
export async function createServer(options: CreateServerOptions): Promise<FastifyInstance> {
  const logger = options.logger ?? false
  const app = Fastify({
    logger:
      typeof logger === 'boolean'
        ? logger
        : {
            level: logger.level ?? 'info',
            stream: logger.stream ?? jsonLogDestination(logger.file ?? 1),
          },
    // With request logs off, a request's child logger is made only if it writes a line.
    ...(typeof logger === 'object' && !logsRequests(logger.level ?? 'info')
      ? { childLoggerFactory: lazyChildLoggerFactory }
      : {}),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    // A caller's well-formed `x-request-id` is kept so logs line up across services; otherwise
    // a UUID, never a counter that restarts with the process. Fastify's own `requestIdHeader`
    // would take any value, so the HTTP layer's rule decides instead.
    requestIdHeader: false,
    // Node's 16 KB default would answer an oversized bearer token with a bare 431 from the
    // HTTP parser; with room for it, core refuses it as a 401 with a reason like any bad token.
    http: { maxHeaderSize: 128 * 1024 },
    genReqId: (request) => requestIdFrom(request.headers[REQUEST_ID_HEADER]),
    // Requests Node's parser refuses (431, 408, 400) answer problem+json like every other error.
    clientErrorHandler: handleClientError,
    // A URL the router cannot decode (`/items/%E0%A4%A`) is answered by Fastify before any
    // handler, as plain JSON: the same 400 problem+json as the HTTP layer's instead.
    frameworkErrors: (error, request, reply) => {
      const problem = fromFastifyError(error)
      // Routing failed, so no onRequest hook ran: the id is echoed here instead.
      const id = { [REQUEST_ID_HEADER]: request.id }
      sendHttpResponse(reply, problemResponse(problem, { requestId: request.id }, id))
    },
    // Fastify reads a hop count too (proxy-addr), though its type leaves numbers out.
    ...(options.trustProxy === undefined
      ? {}
      : { trustProxy: options.trustProxy as FastifyServerOptions['trustProxy'] }),
    ...options.fastify,
  })
  const shed =
    options.loadShedding === undefined ? undefined : registerLoadShedding(app, options.loadShedding)
  // Every answer names its request, and load shedding refuses before any route's work.
  const admit = createAdmission(shed)
  const serverWide = addsRequestHooks(options)
  if (serverWide) {
    // Their server-wide hooks run before any route's own: admission must run before them to
    // name (and shed) their answers too, so it is then one server-wide hook, added first.
    app.addHook('onRequest', admissionHook(admit))
  } else admitEveryRoute(app, admit)
  await registerServerPlugins(app, options)
  await app.register(serveyRest, { ...options, admission: serverWide ? admitted : admit })
  if (options.extend !== undefined) await options.extend(app)
  await app.ready()
  return app
}

/** CORS, helmet and the app's own Fastify plugins add `onRequest` hooks to the whole server. */
function addsRequestHooks(options: ServerPluginOptions): boolean {
  return (
    options.cors !== undefined ||
    options.helmet !== undefined ||
    (options.plugins !== undefined && options.plugins.length > 0)
  )
}

/** For routes a server-wide hook has admitted already. */
const admitted: RequestAdmission = () => true
