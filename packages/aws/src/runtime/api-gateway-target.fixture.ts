import { randomBytes, randomUUID } from 'node:crypto'
import { createRegistry, type AnyAction } from '@servey/core'
import { createRouteTable } from '@servey/http'
import type { HttpConformanceRequest, HttpConformanceResponse } from '@servey/testing'
import { normalizeHeaders } from '@servey/testing'
import { httpApiEvent, restApiEvent } from './api-gateway-events.fixture.ts'
import type { LambdaHandler } from './create-lambda-handler.ts'

/**
 * What API Gateway does between a client and the function, for the HTTP conformance suite:
 * a request as sent on the wire becomes the proxy event API Gateway would deliver, the
 * handler is invoked in-process (the event and its result through JSON, as Lambda passes
 * them), and the result becomes the HTTP answer API Gateway would write.
 *
 * The stack modelled is a router function with one route per action route (as `servey sls
 * --router` generates) plus a catch-all (`ANY /{proxy+}` on a REST API, `$default` on an
 * HTTP API), so that unknown routes, other methods and HEAD reach the function too. What API
 * Gateway does to a request, from its documentation and published captures:
 *
 * - REST API (payload 1.0): `path` as sent (still percent-encoded); the query decoded into
 *   `multiValueQueryStringParameters` (`+` is a space), a malformed escape refused by API
 *   Gateway itself, and (assumed here) bytes that are not UTF-8 replaced by U+FFFD; headers
 *   in the client's case; `resource` and `pathParameters` from the matched template.
 * - HTTP API (payload 2.0): `rawPath` decoded (a path that does not decode never reaches the
 *   function), `rawQueryString` as sent, header names lower-case with repeats comma-joined,
 *   `Cookie` taken apart into `cookies`, `routeKey` and `pathParameters` from the match.
 * - Both: a body that is valid UTF-8 arrives as text, any other base64-encoded
 *   (`isBase64Encoded`), as for binary media types.
 */
export type GatewayVersion = 1 | 2

/** API Gateway would answer the request itself; the function is never invoked. */
export class RefusedByGateway extends Error {}

interface Route {
  readonly method: string
  readonly template: string
}

/** The routes API Gateway would have: one per action route, by its `{name}` template. */
export function gatewayRoutes(actions: readonly AnyAction[]): readonly Route[] {
  return createRouteTable(createRegistry(actions)).routes.map((route) => ({
    method: route.method,
    template: route.template.openApiPath,
  }))
}

/** API Gateway's template match: `{name}` takes one non-empty segment, the rest is literal. */
function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/')
  const got = path.split('/')
  if (want.length !== got.length) return undefined
  const params: Record<string, string> = {}
  for (const [index, segment] of want.entries()) {
    const actual = got[index] ?? ''
    const name = /^\{(.+)\}$/.exec(segment)?.[1]
    if (name === undefined) {
      if (segment !== actual) return undefined
    } else {
      if (actual === '') return undefined
      params[name] = actual
    }
  }
  return params
}

/** Form decoding as API Gateway's REST API applies it to query keys and values. */
function decodeQueryPart(text: string): string {
  const spaced = text.replaceAll('+', ' ')
  if (/%(?![0-9A-Fa-f]{2})/.test(spaced)) {
    throw new RefusedByGateway(`API Gateway refuses the malformed escape in ${text}`)
  }
  const bytes: number[] = []
  const encoder = new TextEncoder()
  for (let index = 0; index < spaced.length;) {
    if (spaced[index] === '%') {
      bytes.push(Number.parseInt(spaced.slice(index + 1, index + 3), 16))
      index += 3
    } else {
      const char = String.fromCodePoint(spaced.codePointAt(index) ?? 0)
      bytes.push(...encoder.encode(char))
      index += char.length
    }
  }
  return new TextDecoder('utf-8').decode(new Uint8Array(bytes))
}

function decodedQuery(raw: string): Record<string, string[]> {
  const query: Record<string, string[]> = Object.create(null) as Record<string, string[]>
  for (const pair of raw.split('&')) {
    if (pair === '') continue
    const equals = pair.indexOf('=')
    const key = decodeQueryPart(equals === -1 ? pair : pair.slice(0, equals))
    const value = equals === -1 ? '' : decodeQueryPart(pair.slice(equals + 1))
    ;(query[key] ??= []).push(value)
  }
  return query
}

function bodyOf(body: Uint8Array | undefined): { body?: string; base64?: boolean } {
  if (body === undefined) return {}
  try {
    return { body: new TextDecoder('utf-8', { fatal: true }).decode(body), base64: false }
  } catch {
    return { body: Buffer.from(body).toString('base64'), base64: true }
  }
}

/** The proxy event API Gateway would deliver for this request. */
export function gatewayEvent(
  version: GatewayVersion,
  routes: readonly Route[],
  request: HttpConformanceRequest,
): Record<string, unknown> {
  const mark = request.target.indexOf('?')
  const sentPath = mark === -1 ? request.target : request.target.slice(0, mark)
  const rawQuery = mark === -1 ? '' : request.target.slice(mark + 1)
  let path = sentPath
  if (version === 2) {
    try {
      path = decodeURIComponent(sentPath)
    } catch {
      throw new RefusedByGateway(`An HTTP API cannot decode the path ${sentPath}`)
    }
  }
  let resource: string | undefined
  let pathParameters: Record<string, string> | undefined
  for (const route of routes) {
    if (route.method !== request.method) continue
    const params = matchTemplate(route.template, path)
    if (params === undefined) continue
    resource = route.template
    pathParameters = Object.fromEntries(
      Object.entries(params).map(([name, value]) => {
        try {
          return [name, version === 1 ? decodeURIComponent(value) : value]
        } catch {
          return [name, value]
        }
      }),
    )
    break
  }
  const { body, base64 } = bodyOf(request.body)
  const bytes = request.body?.byteLength ?? 0
  // API Gateway names each request: a UUID on a REST API, a short base64 id on an HTTP API.
  const id = randomBytes(10).toString('base64')
  if (version === 1) {
    const query = decodedQuery(rawQuery)
    return restApiEvent({
      requestId: randomUUID(),
      method: request.method,
      path,
      resource: resource ?? '/{proxy+}',
      pathParameters: pathParameters ?? { proxy: path.slice(1) },
      ...(Object.keys(query).length === 0 ? {} : { query }),
      headers: {
        ...request.headers,
        ...(request.body === undefined ? {} : { 'Content-Length': String(bytes) }),
      },
      ...(body === undefined ? {} : { body }),
      ...(base64 === undefined ? {} : { base64 }),
    })
  }
  const headers: Record<string, string> = {}
  let cookies: string[] | undefined
  for (const [name, value] of Object.entries(request.headers)) {
    const key = name.toLowerCase()
    if (key === 'cookie') {
      cookies = value.split(/;\s*/)
      continue
    }
    headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`
  }
  headers['content-length'] = String(bytes)
  let query: Record<string, string[]> = {}
  try {
    query = decodedQuery(rawQuery)
  } catch {
    // `queryStringParameters` is a convenience the adapter does not read: left out.
  }
  return httpApiEvent({
    requestId: id,
    method: request.method,
    path,
    resource: resource ?? '$default',
    ...(pathParameters === undefined ? {} : { pathParameters }),
    query,
    rawQuery,
    headers,
    ...(cookies === undefined ? {} : { cookies }),
    ...(body === undefined ? {} : { body }),
    ...(base64 === undefined ? {} : { base64 }),
  })
}

interface ProxyResult {
  readonly statusCode: number
  readonly headers?: Record<string, string>
  readonly multiValueHeaders?: Record<string, string[]>
  readonly cookies?: string[]
  readonly body?: string
  readonly isBase64Encoded?: boolean
}

/** The HTTP answer API Gateway writes from the function's proxy result. */
export function gatewayResponse(result: unknown): HttpConformanceResponse {
  const proxy = result as ProxyResult
  if (typeof proxy?.statusCode !== 'number') {
    // API Gateway answers a result that is not a proxy result with a bare 502.
    return { status: 502, headers: {}, body: '{"message": "Internal server error"}' }
  }
  const headers = normalizeHeaders({
    ...proxy.headers,
    ...proxy.multiValueHeaders,
    ...(proxy.cookies === undefined ? {} : { 'set-cookie': proxy.cookies }),
  })
  const body = proxy.body ?? ''
  return {
    status: proxy.statusCode,
    headers,
    body: proxy.isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body,
  }
}

/** Sends suite requests through API Gateway's translation to the handler, in-process. */
export function sendThroughGateway(
  version: GatewayVersion,
  routes: readonly Route[],
  handler: LambdaHandler,
): (request: HttpConformanceRequest) => Promise<HttpConformanceResponse> {
  let next = 0
  return async (request) => {
    const event = JSON.parse(JSON.stringify(gatewayEvent(version, routes, request))) as unknown
    const context = { awsRequestId: `lambda-request-${++next}` }
    let result: unknown
    try {
      result = JSON.parse(JSON.stringify(await handler(event, context))) as unknown
    } catch {
      // A handler that throws is what API Gateway turns into a 502.
      return { status: 502, headers: {}, body: '{"message": "Internal server error"}' }
    }
    return gatewayResponse(result)
  }
}
