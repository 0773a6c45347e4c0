import {
  createInvoker,
  createJwtAuthenticator,
  createJwtIssuer,
  createRegistry,
} from '@servey/core'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { createServeyYoga } from '../server/create-yoga.ts'
import { createTestActions, TEST_SECRET } from '../test-app.ts'
import { createGraphQLClient } from './graphql-client.ts'
import { buildOperation } from './graphql-operation.ts'

async function yogaClient(headers: Record<string, string> = {}) {
  const { actions } = createTestActions()
  const registry = createRegistry(actions)
  const invoker = createInvoker(registry, {
    authenticator: await createJwtAuthenticator({ secret: TEST_SECRET }),
  })
  const yoga = createServeyYoga({ invoker, logging: false })
  return { client: createGraphQLClient(yoga, { headers }), registry }
}

function actionOf(registry: ReturnType<typeof createRegistry>, name: string) {
  const found = registry.get(name)
  if (found === undefined) throw new Error(`no action ${name}`)
  return found
}

describe('createGraphQLClient', () => {
  it('serves the Query and Mutation fields, not nested or excluded actions', async () => {
    const { client, registry } = await yogaClient()
    const served = registry.actions
      .filter((action) => client.serves(action))
      .map((action) => action.name)
    expect(served).toEqual([
      'crashes',
      'create_order',
      'explicit_query',
      'fails_known',
      'number_stats',
      'say_hello',
      'stats_for_numbers',
      'whoami',
    ])
  })

  it('sends params in the action’s names and returns the result in them', async () => {
    const { client, registry } = await yogaClient()
    const outcome = await client.call(actionOf(registry, 'create_order'), {
      order_item: { item_name: 'tea', qty: 2 },
      kind: 'standard',
    })
    // `note` is optional and was not given: null on the wire, absent in the result.
    expect(outcome).toEqual({
      ok: true,
      result: {
        order_id: 7,
        item_name: 'tea',
        kind: 'standard',
        placed_at: '2026-11-21T10:00:00.000Z',
      },
    })
  })

  it('returns plain fields of a result, never its nested actions', async () => {
    const { client, registry } = await yogaClient()
    expect(await client.call(actionOf(registry, 'stats_for_numbers'), { numbers: [1, 2] })).toEqual(
      {
        ok: true,
        result: [{ value: 1 }, { value: 2 }],
      },
    )
  })

  it('rebuilds the problem from the error’s extensions', async () => {
    const { client, registry } = await yogaClient()
    expect(await client.call(actionOf(registry, 'fails_known'), {})).toEqual({
      ok: false,
      problem: {
        type: 'urn:servey:error:conflict',
        title: 'Conflict',
        status: 409,
        detail: 'Order already shipped',
        code: 'CONFLICT',
        requestId: expect.any(String),
      },
    })
  })

  it('sends its headers, so a token reaches core', async () => {
    const { token } = await createJwtIssuer({ secret: TEST_SECRET }).issue({
      subject: 'ada',
      scopes: ['root'],
    })
    const { client, registry } = await yogaClient({ authorization: `Bearer ${token}` })
    expect(await client.call(actionOf(registry, 'whoami'), {})).toEqual({ ok: true, result: 'ada' })
  })

  it('needs a server that serves Servey’s GraphQL', async () => {
    const app = Fastify()
    await app.ready()
    expect(() => createGraphQLClient(app)).toThrow(/serveyGraphql/)
    await app.close()
  })
})

describe('buildOperation', () => {
  it('declares the given and the required arguments only', async () => {
    const { registry } = await yogaClient()
    const { createGraphQLSchema } = await import('../schema/create-schema.ts')
    const field = createGraphQLSchema(registry).getMutationType()?.getFields()['createOrder']
    if (field === undefined) throw new Error('no field')
    expect(buildOperation('mutation', field, { kind: 'express' })).toEqual({
      document:
        'mutation ServeyCall($orderItem: CreateOrderOrderItemInput!, $kind: CreateOrderKind!) { result: createOrder(orderItem: $orderItem, kind: $kind) { orderId itemName kind note placedAt } }',
      variables: { kind: 'express' },
    })
  })
})
