import { action, createInvoker, createRegistry, Type, WEB_GET, WEB_POST } from '@servey/core'
import { printGraphQLSchema, serveyGraphql } from '@servey/graphql'
import Fastify from 'fastify'

// A named type: GraphQL calls it NumberStats.
const NumberStats = Type.Object({ value: Type.Integer() }, { $id: 'NumberStats' })

const say_hello = action(
  { triggers: [WEB_GET], params: Type.Object({ name: Type.String() }), result: Type.String() },
  ({ name }) => `Hello ${name}!`,
)

const number_stats = action(
  { triggers: [WEB_GET], params: Type.Object({ value: Type.Integer() }), result: NumberStats },
  ({ value }) => ({ value }),
)

const add_note = action(
  {
    triggers: [WEB_POST],
    params: Type.Object({ note_text: Type.String() }),
    result: Type.Boolean(),
  },
  () => true,
)

// A nested action: the `factorial` field of NumberStats, resolved only when a query asks for
// it, with the object as `context.parent`. Over a list, `batch` answers every item at once.
const factorial = action(
  {
    parent: NumberStats,
    result: Type.Number(),
    batch: (parents) => parents.map((stats) => factorialOf(stats.value)),
  },
  (_params, { parent }) => factorialOf(parent.value),
)

function factorialOf(value: number): number {
  return value <= 1 ? 1 : value * factorialOf(value - 1)
}

const registry = createRegistry({ say_hello, number_stats, add_note, factorial })
const app = Fastify()
await app.register(serveyGraphql, { invoker: createInvoker(registry) })

const post = async (query: string) =>
  (await app.inject({ method: 'POST', url: '/graphql', payload: { query } })).json()

console.log(await post('{ sayHello(name: "World") }'))
// { data: { sayHello: 'Hello World!' } }
console.log(await post('{ numberStats(value: 5) { value factorial } }'))
// { data: { numberStats: { value: 5, factorial: 120 } } }
console.log(await post('mutation { addNote(noteText: "camelCase in GraphQL") }'))
// { data: { addNote: true } }
console.log(printGraphQLSchema(registry))
// type NumberStats { value: Int! factorial: Float } type Query { ... } (the SDL, as `servey graphql-schema` writes it)

// `await app.listen({ port: 8000 })` instead serves it: GraphiQL at http://127.0.0.1:8000/graphql
await app.close()
