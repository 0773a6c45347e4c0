import { action, createInvoker, createRegistry, Type, unauthenticated, WEB_GET } from '@servey/core'
import { graphql, graphqlSync } from 'graphql'
import { describe, expect, it } from 'vitest'
import { createGraphQLSchema } from '../schema/create-schema.ts'
import { createRequestScope } from './request-scope.ts'

const Shelf = Type.Object({ name: Type.String() }, { $id: 'Shelf' })

const registry = createRegistry({
  shelf: action({ triggers: [WEB_GET], result: Shelf }, () => ({ name: 'top' })),
  shelf_size: action(
    { triggers: [WEB_GET], parent: Shelf, result: Type.Integer() },
    (_params, { parent }) => parent.name.length,
  ),
  later: action({ triggers: [WEB_GET], result: Type.String() }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 1))
    return 'done'
  }),
  refuse: action(
    { triggers: [WEB_GET], params: Type.Object({ n: Type.Integer({ minimum: 1 }) }) },
    ({ n }) => n,
  ),
})
const schema = createGraphQLSchema(registry)
const contextValue = () => ({ servey: createRequestScope(createInvoker(registry)) })

describe('the request scope', () => {
  it('answers fields of synchronous actions synchronously, root and nested alike', () => {
    // graphqlSync throws when any resolver hands back a promise.
    const result = graphqlSync({
      schema,
      source: '{ shelf { name shelfSize } }',
      contextValue: contextValue(),
    })
    expect(result).toEqual({ data: { shelf: { name: 'top', shelfSize: 3 } } })
  })

  it('refuses bad params of a synchronous action at once, with the Servey code', () => {
    const result = graphqlSync({ schema, source: '{ refuse(n: 0) }', contextValue: contextValue() })
    expect(result.data).toEqual({ refuse: null })
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_PARAMS',
      status: 400,
    })
  })

  it('answers an asynchronous action with a promise of its result', async () => {
    const pending = graphql({
      schema,
      source: '{ later shelf { name } }',
      contextValue: contextValue(),
    })
    expect(await pending).toEqual({ data: { later: 'done', shelf: { name: 'top' } } })
  })

  it('waits for the token to be verified, then answers or refuses with UNAUTHENTICATED', async () => {
    // An authenticator as an app plugs one in: opaque tokens looked up asynchronously.
    const invoker = createInvoker(registry, {
      authenticator: {
        async authenticate(token) {
          await new Promise((resolve) => setTimeout(resolve, 1))
          if (token !== 'known') throw unauthenticated('invalid_token', 'Unknown token')
          return { subject: 'ada', scopes: [], claims: {} }
        },
      },
    })
    const shelf = registry.get('shelf')
    if (shelf === undefined) throw new Error('no shelf action')
    const trigger = { kind: 'graphql', operation: 'query' } as const
    const known = createRequestScope(invoker, { authorizationHeader: 'Bearer known' })
    const accepted = known.invoke(shelf, undefined, trigger)
    expect(accepted).toBeInstanceOf(Promise)
    expect(await accepted).toEqual({ name: 'top' })
    const stranger = createRequestScope(invoker, { authorizationHeader: 'Bearer other' })
    await expect(stranger.invoke(shelf, undefined, trigger)).rejects.toMatchObject({
      message: 'Unknown token',
      extensions: { code: 'UNAUTHENTICATED', status: 401 },
    })
  })
})
