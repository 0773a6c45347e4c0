import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateShowcaseProject } from './serverless-project.fixture.ts'

let project: Awaited<ReturnType<typeof generateShowcaseProject>>
beforeAll(async () => {
  project = await generateShowcaseProject({ graphql: true })
}, 90_000)
afterAll(() => project?.remove())

/** An HTTP API (payload 2.0) event for POST /graphql, shaped like the AWS documentation's. */
const graphqlEvent = (query: string) => ({
  version: '2.0',
  routeKey: 'POST /graphql',
  rawPath: '/graphql',
  rawQueryString: '',
  headers: {
    accept: 'application/graphql-response+json',
    'content-type': 'application/json',
    host: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com',
  },
  requestContext: {
    accountId: '123456789012',
    apiId: 'r3pmxmplak',
    domainName: 'r3pmxmplak.execute-api.us-east-1.amazonaws.com',
    http: { method: 'POST', path: '/graphql', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7' },
    requestId: 'gql-req-1',
    routeKey: 'POST /graphql',
    stage: '$default',
  },
  body: JSON.stringify({ query }),
  isBase64Encoded: false,
})

describe('servey sls --graphql', () => {
  it('generates a GraphQL function whose bundle answers on the same yoga schema', async () => {
    const fn = project.report.functions.find((plan) => plan.key === 'servey_graphql')
    expect(fn?.routes).toEqual(['GET /graphql', 'POST /graphql'])
    const bundle = join(project.dir, '.servey/aws/servey_graphql/handler.mjs')
    const { handler } = (await import(pathToFileURL(bundle).href)) as {
      handler: (event: unknown) => Promise<{ statusCode: number; body: string }>
    }
    const ok = await handler(graphqlEvent('{ sayHello(name: "World") }'))
    expect(ok.statusCode).toBe(200)
    expect(JSON.parse(ok.body)).toEqual({ data: { sayHello: 'Hello World!' } })
    // Bad input is a GraphQL error answer, never a throw (which API Gateway makes a 502).
    const bad = await handler(graphqlEvent('{ sayHello('))
    expect(bad.statusCode).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ errors: [expect.anything()] })
  }, 60_000)
})
