import { ActionError } from '@servey/core/adapter'
import {
  lowerCaseHeaders,
  requestIdFrom,
  type DecodedQuery,
  type HttpHeaders,
  type HttpRequest,
  REQUEST_ID_HEADER,
} from '@servey/http'

/**
 * An API Gateway proxy event (REST API payload 1.0, HTTP API payload 2.0) as the plain
 * request `@servey/http` reads. Nothing is trusted to have the documented type: every field is
 * checked, and a malformed event is a BAD_REQUEST answered with problem+json, never a throw
 * that API Gateway would turn into a 502.
 */
export interface GatewayRequest {
  readonly request: HttpRequest
  /**
   * The route template API Gateway matched (`GET /actions/items/{id}`), or undefined for a
   * catch-all (`$default`, `ANY /{proxy+}`), which is then routed by the concrete path.
   */
  readonly routeKey: string | undefined
  /** The path parameters API Gateway extracted for `routeKey`, already decoded. */
  readonly pathParameters: Readonly<Record<string, string | undefined>>
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function stringRecord(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (!isObject(value)) throw malformed(field)
  // No prototype: a `__proto__` key from the event's JSON stays an ordinary key.
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue
    if (typeof item !== 'string') throw malformed(field)
    out[key] = item
  }
  return out
}

function listRecord(value: unknown, field: string): Record<string, readonly string[]> {
  if (value === undefined || value === null) return {}
  if (!isObject(value)) throw malformed(field)
  const out = Object.create(null) as Record<string, readonly string[]>
  for (const [key, items] of Object.entries(value)) {
    if (items === undefined || items === null) continue
    if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) {
      throw malformed(field)
    }
    out[key] = items as string[]
  }
  return out
}

function malformed(field: string): ActionError {
  return new ActionError('BAD_REQUEST', `The API Gateway event has a malformed \`${field}\``)
}

/** A method as HTTP allows it (RFC 9110 §9.1: a token). */
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * The event's method, GET when it has none. One that is not a token (empty, spaces) is refused
 * here: a fetch route's `new Request()` throws on it, which made the answer a 500 INTERNAL
 * (found by the fuzz harness with `httpMethod: ""` on `/graphql`).
 */
function methodOf(value: unknown, field: string): string {
  const method = stringOf(value, field)
  if (method === undefined) return 'GET'
  if (!METHOD_TOKEN.test(method)) throw malformed(field)
  return method.toUpperCase()
}

function stringOf(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw malformed(field)
  return value
}

/**
 * The body as sent: base64 bodies (binary media types, or any body of an HTTP API whose
 * content type is not text) are decoded to bytes. The HTTP layer reads bytes as UTF-8.
 */
function bodyOf(event: Json): string | Uint8Array | undefined {
  const body = stringOf(event['body'], 'body')
  if (body === undefined) return undefined
  if (event['isBase64Encoded'] !== true) return body
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(body)) {
    throw new ActionError('BAD_REQUEST', 'The body is marked base64 but is not base64')
  }
  return new Uint8Array(Buffer.from(body, 'base64'))
}

/**
 * A REST API decodes the query itself (`+` included) and gives only the decoded values:
 * handed to `@servey/http` as they are (its `queryFromDecoded`), every repeated value kept.
 */
function v1Query(event: Json): DecodedQuery {
  const multi = listRecord(
    event['multiValueQueryStringParameters'],
    'multiValueQueryStringParameters',
  )
  const single = stringRecord(event['queryStringParameters'], 'queryStringParameters')
  const query = multi
  for (const [key, value] of Object.entries(single)) {
    if (!Object.hasOwn(query, key)) query[key] = [value]
  }
  return query
}

/**
 * REST API headers: `multiValueHeaders` keeps repeats; `headers` has the last of each. Their
 * names keep the client's spelling, and the HTTP layer reads them by lower-case name.
 */
function v1Headers(event: Json): HttpHeaders {
  const multi = listRecord(event['multiValueHeaders'], 'multiValueHeaders')
  const single = stringRecord(event['headers'], 'headers')
  const headers: Record<string, string | readonly string[]> = { ...single }
  for (const [name, values] of Object.entries(multi)) {
    if (values.length === 1) headers[name] = values[0] as string
    else if (values.length > 1) headers[name] = values
  }
  return lowerCaseHeaders(headers)
}

/** HTTP API headers: repeats are comma-joined by API Gateway; cookies arrive apart. */
function v2Headers(event: Json): HttpHeaders {
  const headers: Record<string, string> = stringRecord(event['headers'], 'headers')
  const cookies = event['cookies']
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || !cookies.every((cookie) => typeof cookie === 'string')) {
      throw malformed('cookies')
    }
    if (cookies.length > 0) {
      for (const name of Object.keys(headers)) {
        if (name.toLowerCase() === 'cookie') delete headers[name]
      }
      headers['cookie'] = cookies.join('; ')
    }
  }
  // API Gateway sends them in lower case; a hand-written or proxied event may not.
  return lowerCaseHeaders(headers)
}

/** `/dev/actions/x` → `/actions/x`: an HTTP API's named stage is part of `rawPath`. */
function withoutStage(path: string, stage: string | undefined): string {
  if (stage === undefined || stage === '$default') return path
  const prefix = `/${stage}`
  if (path === prefix) return '/'
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path
}

/** A catch-all route: the function routes the concrete path itself. */
function isCatchAll(template: string): boolean {
  return template === '$default' || template.includes('+}')
}

export interface GatewayRequestOptions {
  /** Lambda's request id, when the event carries none. */
  readonly fallbackRequestId: string | undefined
  readonly signal?: AbortSignal | undefined
}

export function apiGatewayRequest(
  event: Json,
  version: 1 | 2,
  options: GatewayRequestOptions,
): GatewayRequest {
  const context = isObject(event['requestContext']) ? event['requestContext'] : {}
  const gatewayId = stringOf(context['requestId'], 'requestContext.requestId')
  const headers = version === 1 ? v1Headers(event) : v2Headers(event)
  // The server's rule: the caller's well-formed x-request-id, else a fresh id, which on
  // Lambda is API Gateway's own (it names the request in API Gateway's logs too).
  const requestId = requestIdFrom(
    headers[REQUEST_ID_HEADER],
    () => gatewayId ?? options.fallbackRequestId ?? crypto.randomUUID(),
  )
  const pathParameters = stringRecord(event['pathParameters'], 'pathParameters')
  const body = bodyOf(event)
  if (version === 1) {
    const method = methodOf(event['httpMethod'], 'httpMethod')
    const path = stringOf(event['path'], 'path') ?? '/'
    const resource = stringOf(event['resource'], 'resource')
    return {
      request: {
        method: method.toUpperCase(),
        path,
        decodedQuery: v1Query(event),
        headers,
        body,
        requestId,
        signal: options.signal,
      },
      routeKey:
        resource === undefined || isCatchAll(resource)
          ? undefined
          : `${method.toUpperCase()} ${resource}`,
      pathParameters,
    }
  }
  const http = isObject(context['http']) ? context['http'] : {}
  const method = methodOf(http['method'], 'requestContext.http.method')
  const stage = stringOf(context['stage'], 'requestContext.stage')
  const rawPath =
    stringOf(event['rawPath'], 'rawPath') ??
    stringOf(http['path'], 'requestContext.http.path') ??
    '/'
  const routeKey = stringOf(event['routeKey'], 'routeKey')
  return {
    request: {
      method,
      path: withoutStage(rawPath, stage),
      query: stringOf(event['rawQueryString'], 'rawQueryString') ?? '',
      headers,
      body,
      requestId,
      signal: options.signal,
    },
    // `ANY /items/{id}` matches any method: the request's method picks the route.
    routeKey:
      routeKey === undefined || isCatchAll(routeKey)
        ? undefined
        : routeKey.replace(/^ANY /, `${method} `),
    pathParameters,
  }
}
