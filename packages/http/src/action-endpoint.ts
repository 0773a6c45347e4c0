import {
  QUERY_METHODS,
  toActionError,
  type InputSource,
  type InvokeOutcome,
  type InvokeRequest,
  type Invoker,
  type Logger,
  type RegisteredAction,
  type WebTrigger,
} from '@servey/core/adapter'
import { AsyncCallPolicy, startAsyncCall, type HttpJobsOptions } from './async-call.ts'
import { cachedResponse, routeCaching, type RouteCaching } from './cache-headers.ts'
import { createBodyEncoder, type BodyEncoder } from './encoded-body.ts'
import { headerOf, type HttpRequest, type HttpResponse } from './http-message.ts'
import { readJsonBody } from './json-body.ts'
import { problemResponse } from './problem-response.ts'
import { queryParamsOf } from './query.ts'
import type { ResultEncoder } from './result-encoder.ts'
import type { ActionRoute } from './route-table.ts'

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

/** What every endpoint of one handler shares. */
export interface EndpointSettings {
  readonly invoker: Invoker
  readonly dev: boolean
  readonly jobs: HttpJobsOptions | undefined
  readonly bodyLimit: number
  /** Longest accepted query string in characters. */
  readonly queryLimit: number
  readonly realm: string | undefined
}

/** An answer, at once when core answered at once (see `Invoker.invokeNow`): `await` it. */
export type RouteHandler = (
  request: HttpRequest,
  params?: Readonly<Record<string, string | undefined>>,
) => HttpResponse | Promise<HttpResponse>

/**
 * The InvokeRequest of one HTTP request. A class, not an object literal: a literal with a
 * getter and a conditional spread cost about 10 µs and extra garbage per request (measured in
 * bench/), while the class keeps one shape and its getter on the prototype.
 */
class HttpInvokeRequest implements InvokeRequest {
  readonly action: RegisteredAction
  readonly input: unknown
  readonly inputSource: InputSource
  readonly trigger: WebTrigger
  readonly requestId: string
  readonly log: Logger | undefined
  /** Only passed on: core parses and verifies it, for every transport alike. */
  readonly authorizationHeader: string | undefined
  readonly #request: HttpRequest

  constructor(route: ActionRoute, input: unknown, inputSource: InputSource, request: HttpRequest) {
    this.action = route.action
    this.trigger = route.trigger
    this.input = input
    this.inputSource = inputSource
    this.requestId = request.requestId
    this.log = request.log
    this.authorizationHeader = headerOf(request.headers, 'authorization')
    this.#request = request
  }

  /** Read by core only for async handlers: a transport may make it lazily. */
  get signal(): AbortSignal | undefined {
    return this.#request.signal
  }
}

/**
 * One action route, compiled once: where its input comes from, its cache headers, its result
 * serializer. Answers one request: input → core's invoke → encoded result or problem.
 */
export function createActionEndpoint(
  route: ActionRoute,
  settings: EndpointSettings,
  encoder: ResultEncoder,
): RouteHandler {
  const { action, method } = route
  const { invoker, dev, jobs, bodyLimit, queryLimit, realm } = settings
  const readsQuery = QUERY_METHODS.has(method)
  const hasPathParams = route.template.params.length > 0
  // Path parameters arrive as strings, so a body route with them coerces like a query does.
  const inputSource: InputSource = readsQuery || hasPathParams ? 'strings' : 'json'
  const caching: RouteCaching = routeCaching(
    action.definition.cache,
    action.definition.access,
    method,
  )
  const asyncPolicy = new AsyncCallPolicy(action)
  const bodyOf = createBodyEncoder(encoder, caching.etag)

  const fail = (request: HttpRequest, thrown: unknown, what: string): HttpResponse => {
    const error = toActionError(thrown)
    // Core's pipeline logs the failures it sees; these happened outside it.
    if (error.status >= 500) request.log?.error({ err: thrown, action: action.name }, what)
    return problemResponse(error, { requestId: request.requestId, dev, realm })
  }

  const respond = (outcome: InvokeOutcome, request: HttpRequest): HttpResponse =>
    outcome.ok
      ? encodeResult(outcome.result, request, caching, bodyOf, fail)
      : problemResponse(outcome.error, { requestId: request.requestId, dev, realm })

  const startJob = async (
    request: HttpRequest,
    invokeRequest: HttpInvokeRequest,
    runner: HttpJobsOptions,
  ): Promise<HttpResponse> => {
    try {
      const job = await startAsyncCall(
        invoker,
        runner,
        action,
        asyncPolicy,
        invokeRequest,
        request.headers,
      )
      const headers: Record<string, string> = {
        'content-type': JSON_CONTENT_TYPE,
        location: job.location,
      }
      if (job.preferenceApplied) headers['preference-applied'] = 'respond-async'
      const body = { id: job.id, action: action.name, status: 'queued', location: job.location }
      return { status: 202, headers, body: JSON.stringify(body) }
    } catch (thrown) {
      return fail(request, thrown, 'could not start a job')
    }
  }

  // Not an async function: a call that core answers synchronously is answered synchronously
  // here too (see Invoker.invokeNow).
  return (request, params) => {
    let input: unknown
    try {
      input = readsQuery
        ? queryParamsOf(request, queryLimit)
        : readJsonBody(request.body, headerOf(request.headers, 'content-type'), bodyLimit)
    } catch (thrown) {
      return fail(request, thrown, 'could not read the request')
    }
    if (hasPathParams && params !== undefined) {
      input = { ...(typeof input === 'object' && input !== null ? input : {}), ...params }
    }
    const invokeRequest = new HttpInvokeRequest(route, input, inputSource, request)
    if (jobs === undefined && asyncPolicy.asked(request.headers)) {
      // Running it now would answer 200 to a client waiting for a 202 or a callback.
      return fail(request, asyncPolicy.unsupported(), 'could not start a job')
    }
    if (jobs !== undefined && asyncPolicy.wanted(request.headers)) {
      return startJob(request, invokeRequest, jobs)
    }
    const outcome = invoker.invokeNow(invokeRequest)
    return outcome instanceof Promise
      ? outcome.then((settled) => respond(settled, request))
      : respond(outcome, request)
  }
}

function encodeResult(
  result: unknown,
  request: HttpRequest,
  caching: RouteCaching,
  bodyOf: BodyEncoder,
  fail: (request: HttpRequest, thrown: unknown, what: string) => HttpResponse,
): HttpResponse {
  if (result === undefined) {
    const { cacheControl } = caching
    return {
      status: 204,
      headers: cacheControl === undefined ? {} : { 'cache-control': cacheControl },
      body: undefined,
    }
  }
  let encoded: ReturnType<BodyEncoder>
  try {
    encoded = bodyOf(result)
  } catch (thrown) {
    return fail(request, thrown, 'the result could not be serialized')
  }
  return typeof encoded === 'string'
    ? cachedResponse(request, caching, JSON_CONTENT_TYPE, encoded)
    : cachedResponse(request, caching, JSON_CONTENT_TYPE, encoded.body, encoded.etag)
}
