import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createInvoker, createJwtAuthenticator, createRegistry } from '@servey/core'
import { serveyGraphql } from '@servey/graphql'
import { createServer } from '@servey/rest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as actions from './actions/index.ts'

// The HTTP fixes of issue 9, checked on the showcase as a user would meet them: on a real
// socket where `inject` would normalise the request (dot segments, oversized headers).
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

let app: Awaited<ReturnType<typeof createServer>>
let port: number
beforeAll(async () => {
  const invoker = createInvoker(createRegistry(actions), {
    authenticator: await createJwtAuthenticator({ secret: 'http-rules-test-secret-of-length' }),
  })
  app = await createServer({
    invoker,
    pages: { templates: here('../templates'), public: here('../public') },
    extend: (server) => server.register(serveyGraphql, { invoker }),
  })
  port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port)
})
afterAll(() => app.close())

/** One request, byte for byte; the answer's status line, lower-cased head and body. */
function raw(
  request: string,
): Promise<{ status: number; head: string; body: string; etag: string | undefined }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    let text = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (text += chunk))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      const end = text.indexOf('\r\n\r\n')
      resolve({
        status: Number(text.split(' ')[1]),
        head: text.slice(0, end).toLowerCase(),
        body: text.slice(end + 4),
        etag: /\r\netag: ("[^"]+")/i.exec(text.slice(0, end))?.[1],
      })
    })
  })
}
const get = (path: string, headers = ''): string =>
  `GET ${path} HTTP/1.1\r\nhost: localhost\r\n${headers}connection: close\r\n\r\n`

describe('the showcase over HTTP', () => {
  it.each(['/../package.json', '/%2e%2e/package.json', '/styles.css/../../package.json'])(
    'answers GET %s with 400 BAD_REQUEST problem+json, not a 403',
    async (path) => {
      const answer = await raw(get(path))
      expect(answer.status).toBe(400)
      expect(answer.head).toContain('content-type: application/problem+json; charset=utf-8')
      expect(JSON.parse(answer.body)).toMatchObject({ status: 400, code: 'BAD_REQUEST' })
    },
  )

  it('answers a header block over the limit with 431 problem+json', async () => {
    const answer = await raw(get('/actions/say-hello', `x-big: ${'a'.repeat(200_000)}\r\n`))
    expect(answer.status).toBe(431)
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'REQUEST_HEADER_FIELDS_TOO_LARGE' })
  })

  it('answers POST on the page route with 405 and Allow', async () => {
    const response = await app.inject({ method: 'POST', url: '/current-time-page' })
    expect(response.statusCode).toBe(405)
    expect(response.headers['allow']).toBe('GET, HEAD')
  })

  it('reads application/*+json bodies as JSON', async () => {
    for (const type of ['application/vnd.api+json', 'application/merge-patch+json']) {
      const response = await app.inject({
        method: 'POST',
        url: '/actions/predict',
        payload: '{"data":[1,2,3]}',
        headers: { 'content-type': type },
      })
      expect([response.statusCode, response.json()]).toEqual([200, { mean: 2, next: 4 }])
    }
  })

  it('coerces only decimal numbers from the query string', async () => {
    for (const value of ['0x10', '%205']) {
      const response = await app.inject({ url: `/actions/number-stats?value=${value}` })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toMatchObject({ code: 'INVALID_PARAMS' })
    }
    const decimal = await app.inject({ url: '/actions/number-stats?value=16' })
    expect(decimal.json()).toEqual({ value: 16 })
  })

  it('answers If-None-Match with empty list elements with a 304 without content-length', async () => {
    const full = await raw(get('/actions/etag-example'))
    const etag = full.etag as string
    expect(full.head).toContain(`content-length: ${Buffer.byteLength(full.body)}`)
    const answer = await raw(get('/actions/etag-example', `if-none-match: , , ${etag} ,\r\n`))
    expect(answer.status).toBe(304)
    expect(answer.head).not.toContain('content-length')
  })

  it('sends WWW-Authenticate with the 401 of GraphQL and of pages, as with REST', async () => {
    const graphql = await app.inject({
      method: 'POST',
      url: '/graphql',
      payload: { query: '{ onlyForRoot }' },
    })
    expect(graphql.statusCode).toBe(401)
    expect(graphql.headers['www-authenticate']).toBe('Bearer realm="servey"')
    const rest = await app.inject({ url: '/actions/only-for-root' })
    expect(rest.headers['www-authenticate']).toBe(graphql.headers['www-authenticate'])
    const page = await app.inject({
      url: '/current-time-page',
      headers: { authorization: 'Bearer x.y.z' },
    })
    expect(page.statusCode).toBe(401)
    expect(page.headers['www-authenticate']).toMatch(
      /^Bearer realm="servey", error="invalid_token"/,
    )
  })
})
