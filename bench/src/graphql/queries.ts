/** The operations measured: the same POST body goes to every server. */
export interface BenchQuery {
  readonly id: string
  readonly label: string
  readonly body: string
}

function post(query: string): string {
  return JSON.stringify({ query })
}

export const BENCH_QUERIES: readonly BenchQuery[] = [
  {
    id: 'hello',
    label: '{ sayHello(name: "World") }',
    body: post('{ sayHello(name: "World") }'),
  },
  {
    id: 'orders',
    label: '{ orders(count: 100) { id item qty price express tags } }',
    body: post('{ orders(count: 100) { id item qty price express tags } }'),
  },
]
