import { isDeepStrictEqual } from 'node:util'
import { listOrders } from '../graphql/resolvers.ts'
import { BENCH_ROUTES } from '../rest/routes.ts'
import { acceptOrder, greet, type Order } from '../rest/schemas.ts'
import type { Endpoint, Framework, PeerRequest } from './frameworks.ts'

export interface Answer {
  readonly status: number
  readonly contentType: string | null
  readonly text: string
  /** What a client of this framework reads: the JSON (unwrapped for tRPC), else the text. */
  readonly value: unknown
}

/** Sends one request and decodes the answer as a client of that framework would. */
export async function ask(
  framework: Framework,
  url: string,
  request: PeerRequest,
): Promise<Answer> {
  const response = await fetch(url + request.path, {
    method: request.method,
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    ...(request.body === undefined ? {} : { body: request.body }),
  })
  const text = await response.text()
  const contentType = response.headers.get('content-type')
  let value: unknown = text
  if (contentType?.includes('json') === true) {
    value = JSON.parse(text) as unknown
    if (framework.unwrap !== undefined && response.ok) value = framework.unwrap(value)
  }
  return { status: response.status, contentType, text, value }
}

// The body every server gets (../rest/routes.ts); the expected answer is the shared logic's.
const POSTED_ORDER = JSON.parse(
  BENCH_ROUTES.find((route) => route.id === 'post-body')?.body ?? 'null',
) as Order

/**
 * The value every server must answer with. Nest sends a returned string as text/plain where
 * the others send JSON: the value a client reads is the same, which is what is compared.
 */
export const EXPECTED: Readonly<Record<Endpoint, unknown>> = {
  get: greet('World'),
  post: acceptOrder(POSTED_ORDER),
  graphql: { data: { orders: listOrders(100) } },
}

/** True when the answer is a 2xx carrying the expected value. */
export function isExpected(endpoint: Endpoint, answer: Answer): boolean {
  return (
    answer.status >= 200 &&
    answer.status < 300 &&
    isDeepStrictEqual(answer.value, EXPECTED[endpoint])
  )
}

/**
 * The same request made invalid, to show that the server validates: the GET without its
 * required parameter, the POST with `qty: 0` (below the minimum of 1).
 */
export function invalidRequest(request: PeerRequest, endpoint: 'get' | 'post'): PeerRequest {
  if (endpoint === 'get') {
    const query = request.path.indexOf('?')
    if (query < 0) throw new Error(`${request.path} has no query string`)
    return { ...request, path: request.path.slice(0, query) }
  }
  if (request.body === undefined) throw new Error('a POST without a body')
  return { ...request, body: JSON.stringify({ ...(JSON.parse(request.body) as object), qty: 0 }) }
}
