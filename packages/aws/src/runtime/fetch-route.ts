import type { Invoker } from '@servey/core/adapter'
import { headerOf, type HttpRequest, REQUEST_ID_HEADER } from '@servey/http'

/**
 * A handler of the web's Request → Response shape: graphql-yoga's `yoga.fetch`, Hono, a
 * hand-written function. A function serves such handlers next to its actions, each on one path.
 */
export interface FetchHandler {
  fetch(request: Request): Response | Promise<Response>
}

/**
 * Paths answered by a fetch handler, each made once from the function's invoker (so GraphQL
 * resolves through the same pipeline, token keys and plugins): `{ '/graphql': (invoker) =>
 * createServeyYoga({ invoker }) }`. `@servey/aws` never imports the handler's package: the
 * generated entry (or your own) composes them.
 */
export type FetchRoutes = Readonly<Record<string, (invoker: Invoker) => FetchHandler>>

/** The fetch result as API Gateway takes it: text as is, anything else base64. */
export interface FetchResult {
  readonly status: number
  readonly headers: Record<string, string>
  readonly cookies: readonly string[]
  readonly body: string
  readonly isBase64Encoded: boolean
}

const TEXT =
  /^(?:text\/|application\/(?:json|javascript|xml|graphql-response\+json|[\w.-]+\+(?:json|xml)))/i

/** The plain request as a WHATWG Request, its id in `x-request-id` (yoga reads it there). */
export function toFetchRequest(request: HttpRequest): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue
    if (typeof value === 'string') headers.append(name, value)
    else for (const item of value) headers.append(name, item)
  }
  headers.set(REQUEST_ID_HEADER, request.requestId)
  const host = headerOf(request.headers, 'host') ?? 'lambda.local'
  const query = request.query === undefined || request.query === '' ? '' : `?${request.query}`
  const url = new URL(`https://${host}${request.path}${query}`)
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
  return new Request(url, {
    method: request.method,
    headers,
    ...(hasBody && request.body !== undefined
      ? { body: typeof request.body === 'string' ? request.body : Buffer.from(request.body) }
      : {}),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
  })
}

export async function fromFetchResponse(response: Response): Promise<FetchResult> {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  const type = response.headers.get('content-type') ?? ''
  if (response.body === null) {
    return { status: response.status, headers, cookies, body: '', isBase64Encoded: false }
  }
  if (type === '' || TEXT.test(type)) {
    return {
      status: response.status,
      headers,
      cookies,
      body: await response.text(),
      isBase64Encoded: false,
    }
  }
  const bytes = Buffer.from(await response.arrayBuffer())
  return {
    status: response.status,
    headers,
    cookies,
    body: bytes.toString('base64'),
    isBase64Encoded: true,
  }
}
