import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../test-app.ts'

describe('GraphQL request parameters', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    ;({ app } = await buildTestApp())
  })
  afterAll(() => app.close())

  const answer = async (options: { url: string; method?: 'GET' | 'POST'; payload?: string }) => {
    const response = await app.inject({
      method: options.method ?? 'GET',
      url: options.url,
      ...(options.payload === undefined
        ? {}
        : { payload: options.payload, headers: { 'content-type': 'application/json' } }),
    })
    return { status: response.statusCode, body: JSON.parse(response.body) as unknown }
  }
  const badRequest = (message: string) => ({
    status: 400,
    body: { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] },
  })

  // yoga let JSON.parse throw on these, and answered 500.
  it('refuses GET variables or extensions that are not JSON with a 400 naming them', async () => {
    expect(await answer({ url: '/graphql?query={__typename}&variables={' })).toEqual(
      badRequest('The "variables" parameter is not valid JSON: send a URL-encoded JSON object'),
    )
    expect(await answer({ url: '/graphql?query={__typename}&extensions=x' })).toEqual(
      badRequest('The "extensions" parameter is not valid JSON: send a URL-encoded JSON object'),
    )
  })

  it('still runs a GET query with JSON variables', async () => {
    const variables = encodeURIComponent('{"v":4}')
    const query = encodeURIComponent('query($v:Int!){ numberStats(value:$v) { value } }')
    expect(await answer({ url: `/graphql?query=${query}&variables=${variables}` })).toEqual({
      status: 200,
      body: { data: { numberStats: { value: 4 } } },
    })
  })

  // `{}` was answered "POST body sent invalid JSON".
  it('says the query is missing, with a 400, whatever the request looks like', async () => {
    const missing = badRequest(
      'The request has no GraphQL query: send {"query": "{ ... }"} as a JSON body, or ?query= in the URL',
    )
    expect(await answer({ url: '/graphql', method: 'POST', payload: '{}' })).toEqual(missing)
    expect(await answer({ url: '/graphql', method: 'POST', payload: '{"query":null}' })).toEqual(
      missing,
    )
    expect(await answer({ url: '/graphql?variables={}' })).toEqual(missing)
    expect(await answer({ url: '/graphql', method: 'POST', payload: '[]' })).toEqual(
      badRequest('The batch is empty: send at least one operation'),
    )
  })
})
