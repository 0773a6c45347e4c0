/** The two routes measured, and the request each load run sends. */
export interface BenchRoute {
  readonly id: string
  readonly label: string
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly body?: string
  readonly headers?: Record<string, string>
  /** The status every answer must have, when not 2xx (a 304 for the ETag path). */
  readonly expectedStatus?: number
}

export const BENCH_ROUTES: readonly BenchRoute[] = [
  {
    id: 'get-query',
    label: 'GET /actions/say-hello?name=World',
    method: 'GET',
    path: '/actions/say-hello?name=World',
  },
  {
    id: 'post-body',
    label: 'POST /actions/create-order (5-field body)',
    method: 'POST',
    path: '/actions/create-order',
    body: JSON.stringify({
      item: 'book',
      qty: 2,
      price: 12.5,
      tags: ['gift', 'paper'],
      express: true,
    }),
    headers: { 'content-type': 'application/json' },
  },
]
