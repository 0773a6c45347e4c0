import {
  ActionError,
  QUERY_METHODS,
  pathParamsOf,
  webPathOf,
  type Invoker,
  type InputSource,
  type InvokeRequest,
  type RegisteredAction,
  type Registry,
  type WebMethod,
  type WebTrigger,
} from '@servey/core/adapter'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { startAsyncCall, wantsAsync, type RestJobsOptions } from './async-call.ts'
import { cacheHeadersOf } from './cache-headers.ts'
import { restDefinitionErrors } from './errors.ts'
import { sendProblem } from './problem-reply.ts'
import { readQuery } from './query.ts'

export interface WebRoute {
  readonly action: RegisteredAction
  readonly trigger: WebTrigger
  readonly method: WebMethod
  readonly path: string
  readonly pathParams: readonly string[]
}

/** Every web route of the registry, checked for two actions claiming the same method and path. */
export function collectWebRoutes(registry: Registry): WebRoute[] {
  const routes = new Map<string, WebRoute>()
  for (const { action, trigger } of registry.triggersOf<WebTrigger>('web')) {
    const path = webPathOf(action.kebabName, trigger)
    const key = `${trigger.method} ${path.replace(/:[^/]+/g, ':')}`
    const existing = routes.get(key)
    if (existing !== undefined && existing.action !== action) {
      throw restDefinitionErrors.SERVEY_ERR_REST_ROUTE_CONFLICT(
        existing.action.name,
        action.name,
        trigger.method,
        path,
      )
    }
    routes.set(key, {
      action,
      trigger,
      method: trigger.method,
      path,
      pathParams: pathParamsOf(path),
    })
  }
  return [...routes.values()]
}

function isJsonType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)
}

function sendResult(reply: FastifyReply, result: unknown): FastifyReply {
  if (result === undefined) return reply.code(204).send()
  // Fastify sends strings as-is, so a string result must be encoded here to stay JSON.
  if (typeof result === 'string' || result === null) {
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(result))
  }
  return reply.send(result)
}

/**
 * The InvokeRequest of one HTTP request. A class, not an object literal: a literal with a
 * getter and a conditional spread cost about 10 µs and extra garbage per request (measured in
 * bench/), while the class keeps one shape and its getter on the prototype.
 */
class RestInvokeRequest implements InvokeRequest {
  readonly action: RegisteredAction
  readonly input: unknown
  readonly inputSource: InputSource
  readonly trigger: WebTrigger
  readonly requestId: string
  readonly log: FastifyRequest['log']
  /** Only passed on: core parses and verifies it, for every transport alike. */
  readonly authorizationHeader: string | undefined
  readonly #reply: FastifyReply

  constructor(
    action: RegisteredAction,
    input: unknown,
    inputSource: InputSource,
    trigger: WebTrigger,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    this.action = action
    this.input = input
    this.inputSource = inputSource
    this.trigger = trigger
    this.requestId = request.id
    this.log = request.log
    this.authorizationHeader = request.headers.authorization
    this.#reply = reply
  }

  /** Fires when the client goes away before the answer; core reads it only for async handlers. */
  get signal(): AbortSignal {
    const controller = new AbortController()
    const raw = this.#reply.raw
    raw.once('close', () => {
      if (!raw.writableFinished) controller.abort()
    })
    return controller.signal
  }
}

function registerRoute(
  app: FastifyInstance,
  route: WebRoute,
  invoker: Invoker,
  dev: boolean,
  jobs?: RestJobsOptions,
): void {
  const { action, trigger, method, pathParams } = route
  const readsQuery = QUERY_METHODS.has(method)
  const hasPathParams = pathParams.length > 0
  // Path parameters arrive as strings, so a body route with them coerces like a query does.
  const inputSource: InputSource = readsQuery || hasPathParams ? 'strings' : 'json'
  const { cacheControl, onSend } = cacheHeadersOf(
    action.definition.cache,
    action.definition.access,
    method,
  )

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    let input: unknown
    if (readsQuery) {
      input = readQuery(request.query, request.url)
    } else {
      input = request.body
      // Fastify also parses text/plain; only JSON reaches an action.
      if (
        (typeof input === 'string' || Buffer.isBuffer(input)) &&
        !isJsonType(request.headers['content-type'])
      ) {
        return sendProblem(
          request,
          reply,
          new ActionError(
            'UNSUPPORTED_MEDIA_TYPE',
            'Send a JSON body with content-type application/json',
          ),
          dev,
        )
      }
    }
    if (hasPathParams) {
      input = {
        ...(typeof input === 'object' && input !== null ? input : {}),
        ...(request.params as object),
      }
    }
    const invokeRequest = new RestInvokeRequest(action, input, inputSource, trigger, request, reply)
    if (jobs !== undefined && wantsAsync(action, request)) {
      return startAsyncCall(invoker, jobs, action, invokeRequest, request, reply, dev)
    }
    const outcome = await invoker.invoke(invokeRequest)
    return outcome.ok
      ? sendResult(
          cacheControl === undefined ? reply : reply.header('cache-control', cacheControl),
          outcome.result,
        )
      : sendProblem(request, reply, outcome.error, dev)
  }

  const result = action.definition.result
  app.route({
    method,
    url: route.path,
    // The response schema lets Fastify serialize with fast-json-stringify: faster, and fields
    // the schema does not declare never leak. Input is validated by core, not here.
    schema: result === undefined ? {} : { response: { 200: result } },
    handler,
    ...(onSend === undefined ? {} : { onSend }),
  })
}

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/** Routes for every web trigger, plus 405 with `Allow` for the other methods on those paths. */
export function registerActionRoutes(
  app: FastifyInstance,
  invoker: Invoker,
  dev: boolean,
  jobs?: RestJobsOptions,
): WebRoute[] {
  const routes = collectWebRoutes(invoker.registry)
  const methodsByPath = new Map<string, Set<string>>()
  for (const route of routes) {
    registerRoute(app, route, invoker, dev, jobs)
    const methods = methodsByPath.get(route.path) ?? new Set<string>()
    methods.add(route.method)
    if (route.method === 'GET') methods.add('HEAD')
    methodsByPath.set(route.path, methods)
  }
  for (const [path, methods] of methodsByPath) {
    const others = ALL_METHODS.filter((method) => !methods.has(method))
    if (others.length === 0) continue
    const allow = [...methods].join(', ')
    app.route({
      method: others,
      url: path,
      handler: (request, reply) =>
        sendProblem(
          request,
          reply.header('allow', allow),
          new ActionError(
            'METHOD_NOT_ALLOWED',
            `${request.method} is not allowed here; use ${allow}`,
          ),
          dev,
        ),
    })
  }
  return routes
}
