import {
  action,
  ActionError,
  anyScope,
  createInvoker,
  createJwtAuthenticator,
  createRegistry,
  Type,
  WEB_GET,
  WEB_POST,
  type InvokerOptions,
} from '@servey/core'
import Fastify, { type FastifyInstance } from 'fastify'
import { serveyGraphql, type ServeyGraphqlOptions } from './server/plugin.ts'
import { GRAPHQL_QUERY, graphql } from './trigger/graphql-trigger.ts'

export const TEST_SECRET = 'a-graphql-test-secret-long-enough-for-hs256'

export const NumberStats = Type.Object(
  { value: Type.Integer({ description: 'The number itself' }) },
  { $id: 'NumberStats', description: 'Statistics about an integer' },
)

function factorialOf(value: number): number {
  let result = 1
  for (let i = 2; i <= value; i++) result *= i
  return result
}

/** How often handlers ran: evidence of lazy resolution and batching. */
export interface Calls {
  factorial: number
  factorialBatches: number
  parentsPerBatch: number[]
}

/** Fresh actions per test file, with counters of their own. */
export function createTestActions() {
  const calls: Calls = { factorial: 0, factorialBatches: 0, parentsPerBatch: [] }
  const actions = {
    say_hello: action(
      {
        description: 'Greet a user!',
        triggers: [WEB_GET],
        params: Type.Object({ name: Type.String() }),
        result: Type.String(),
        examples: [
          { name: 'greet_developer', params: { name: 'Developer' }, result: 'Hello Developer!' },
        ],
      },
      ({ name }) => `Hello ${name}!`,
    ),
    number_stats: action(
      { triggers: [WEB_GET], params: Type.Object({ value: Type.Integer() }), result: NumberStats },
      ({ value }) => ({ value }),
    ),
    stats_for_numbers: action(
      {
        triggers: [WEB_GET],
        params: Type.Object({ numbers: Type.Array(Type.Integer()) }),
        result: Type.Array(NumberStats),
      },
      ({ numbers }) => numbers.map((value) => ({ value })),
    ),
    factorial: action(
      {
        description: 'The factorial of the value, computed only when asked for',
        parent: NumberStats,
        params: Type.Object({ plus: Type.Optional(Type.Integer()) }),
        result: Type.Number(),
        batch: (parents, { plus }) => {
          calls.factorialBatches += 1
          calls.parentsPerBatch.push(parents.length)
          return parents.map((parent) => factorialOf(parent.value) + (plus ?? 0))
        },
      },
      ({ plus }, { parent }) => {
        calls.factorial += 1
        return factorialOf(parent.value) + (plus ?? 0)
      },
    ),
    secret_stat: action(
      { parent: NumberStats, access: anyScope('root'), result: Type.String() },
      (_params, { parent, authorization }) => `${authorization?.subject ?? ''}:${parent.value}`,
    ),
    create_order: action(
      {
        triggers: [WEB_POST],
        params: Type.Object({
          order_item: Type.Object({ item_name: Type.String(), qty: Type.Integer({ minimum: 1 }) }),
          kind: Type.Union([Type.Literal('standard'), Type.Literal('express')]),
          note: Type.Optional(Type.String()),
        }),
        result: Type.Object({
          order_id: Type.Integer(),
          item_name: Type.String(),
          kind: Type.Union([Type.Literal('standard'), Type.Literal('express')]),
          note: Type.Optional(Type.String()),
          placed_at: Type.String({ format: 'date-time' }),
        }),
      },
      ({ order_item, kind, note }) => ({
        order_id: 7,
        item_name: order_item.item_name,
        kind,
        ...(note === undefined ? {} : { note }),
        placed_at: '2026-11-21T10:00:00.000Z',
        internal_note: 'must not leak',
      }),
    ),
    fails_known: action({ triggers: [WEB_GET], result: Type.String() }, () => {
      throw new ActionError('CONFLICT', 'Order already shipped')
    }),
    crashes: action({ triggers: [WEB_POST], result: Type.String() }, () => {
      throw new Error('database password is hunter2')
    }),
    whoami: action(
      { triggers: [WEB_GET], access: anyScope('root'), result: Type.String() },
      (_params, { authorization }) => authorization?.subject ?? 'nobody',
    ),
    explicit_query: action({ triggers: [GRAPHQL_QUERY], result: Type.Boolean() }, () => true),
    hidden_from_graphql: action(
      { triggers: [WEB_GET, graphql({ exclude: true })], result: Type.Boolean() },
      () => true,
    ),
    in_process_only: action({ result: Type.Boolean() }, () => true),
  }
  return { actions, calls }
}

export async function buildTestApp(
  options: Partial<ServeyGraphqlOptions> & { invoker?: InvokerOptions } = {},
): Promise<{ app: FastifyInstance; calls: Calls }> {
  const { actions, calls } = createTestActions()
  const { invoker: invokerOptions, ...graphqlOptions } = options
  const invoker = createInvoker(createRegistry(actions), {
    authenticator: await createJwtAuthenticator({ secret: TEST_SECRET }),
    ...invokerOptions,
  })
  const app = Fastify()
  await app.register(serveyGraphql, { invoker, ...graphqlOptions })
  await app.ready()
  return { app, calls }
}

/** POST a GraphQL request the way a browser client or Apollo would. */
export async function postGraphQL(
  app: FastifyInstance,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{
  status: number
  body: { data?: Record<string, unknown> | null; errors?: GraphQLWireError[] }
}> {
  const response = await app.inject({
    method: 'POST',
    url: '/graphql',
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  })
  return { status: response.statusCode, body: JSON.parse(response.body) as never }
}

export interface GraphQLWireError {
  readonly message: string
  readonly path?: readonly (string | number)[]
  readonly extensions?: Record<string, unknown>
}
