import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createInvoker, createRegistry } from '@servey/core'
import type { FastifyInstance } from 'fastify'
import { createMemoryJobRunner } from '@servey/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_HEADER_SIZE } from './create-server.ts'
import { buildTestApp, testActions } from './test-app.ts'

// What reaches a real socket before any route runs: Node's parser errors and timeouts, and
// request targets that `inject` would normalise away (`/../x`). Sent byte for byte.
const fixtures = fileURLToPath(new URL('../test-fixtures/pages/', import.meta.url))

interface RawAnswer {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
}

function parse(raw: string): RawAnswer {
  const end = raw.indexOf('\r\n\r\n')
  const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: raw.slice(end + 4) }
}

/** Send bytes, read until the server closes the connection. */
function exchange(port: number, bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes))
    let raw = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      raw += chunk
    })
    // The server may close while we still write a long header block.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (raw === '' && error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error)
    })
    socket.on('close', () => resolve(parse(raw)))
  })
}

const get = (path: string, headers = ''): string =>
  `GET ${path} HTTP/1.1\r\nhost: localhost\r\n${headers}connection: close\r\n\r\n`

function expectProblem(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status).toBe(status)
  expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8')
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body))
  const body = JSON.parse(answer.body) as Record<string, unknown>
  expect(body).toMatchObject({
    status,
    code,
    type: `urn:servey:error:${code.toLowerCase().replaceAll('_', '-')}`,
  })
  expect(body['requestId']).toEqual(expect.any(String))
}

let app: FastifyInstance
let port: number
beforeAll(async () => {
  const invoker = createInvoker(createRegistry(testActions))
  // Node's server options, which Fastify passes on though its option type leaves them out.
  const nodeServer = {
    http: { maxHeaderSize: MAX_HEADER_SIZE, connectionsCheckingInterval: 50 },
  }
  app = await buildTestApp({
    invoker,
    pages: { public: `${fixtures}public` },
    jobs: { runner: createMemoryJobRunner(invoker), callbackPolicy: { allowedHosts: [] } },
    // A short timeout, so it can be seen; Node checks it every `connectionsCheckingInterval`.
    fastify: { requestTimeout: 300, ...nodeServer },
  })
  port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port)
})
afterAll(() => app.close())

describe("Node's client errors", () => {
  it('answers a header block over the limit with 431 problem+json', async () => {
    const answer = await exchange(
      port,
      get('/actions/say-hello', `x-big: ${'a'.repeat(MAX_HEADER_SIZE + 1024)}\r\n`),
    )
    expectProblem(answer, 431, 'REQUEST_HEADER_FIELDS_TOO_LARGE')
    expect(answer.headers['connection']).toBe('close')
  })

  // Found by the fuzz harness: a body after the answer to a HEAD is junk to the client (Node's
  // reads "Data after Connection: close"). The server leaves it out when the bytes its parser
  // gave up on start with the request line; a request line or header block over the limit
  // spans several reads, the method is lost, and the body is sent (RELIABILITY.md).
  it('answers a malformed HEAD with 400 and no body', async () => {
    const answer = await exchange(port, 'HEAD /actions/say-hello HTTP/1.1\r\nbad header\r\n\r\n')
    expect(answer.status).toBe(400)
    expect(answer.headers['connection']).toBe('close')
    expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(Number(answer.headers['content-length'])).toBeGreaterThan(0)
    expect(answer.body).toBe('')
  })

  it('accepts a header block under the limit (room for a large bearer token)', async () => {
    const answer = await exchange(
      port,
      get('/actions/say-hello?name=x', `x-big: ${'a'.repeat(64 * 1024)}\r\n`),
    )
    expect(answer.status).toBe(200)
  })

  it.each([
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nhost: x\r\nbad header\r\n\r\n'],
    ['an invalid method', 'G@T / HTTP/1.1\r\nhost: x\r\n\r\n'],
    [
      'two content-lengths',
      'POST /actions/create-order HTTP/1.1\r\nhost: x\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n{}',
    ],
  ])('answers %s with 400 problem+json', async (_name, bytes) => {
    expectProblem(await exchange(port, bytes), 400, 'BAD_REQUEST')
  })

  it('answers a request not received in time with 408 problem+json', async () => {
    const answer = await exchange(port, 'GET /actions/say-hello HTTP/1.1\r\nhost: x\r\n')
    expectProblem(answer, 408, 'REQUEST_TIMEOUT')
  })
})

describe('dot segments, as sent on the wire', () => {
  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/%2E%2E/etc/passwd',
    '/hello.txt/../hello.txt',
    '/./hello.txt',
    '/docs/static/../../package.json',
    '/jobs/..',
    '/jobs/..%2F..%2Fetc',
    '/actions/../actions/say-hello',
    '/orders/..',
  ])('answers GET %s with 400 BAD_REQUEST problem+json', async (path) => {
    expectProblem(await exchange(port, get(path)), 400, 'BAD_REQUEST')
  })

  it('still serves static files and docs with dots in their names', async () => {
    expect((await exchange(port, get('/hello.txt'))).status).toBe(200)
    expect((await exchange(port, get('/openapi.json'))).status).toBe(200)
  })
})

/** Every response on one connection, in order, until the server closes it. */
function splitAnswers(raw: string): RawAnswer[] {
  const answers: RawAnswer[] = []
  let rest = raw
  while (rest.startsWith('HTTP/1.1 ')) {
    const head = parse(rest)
    const length = Number(head.headers['content-length'] ?? 0)
    const start = rest.indexOf('\r\n\r\n') + 4
    answers.push({ ...head, body: rest.slice(start, start + length) })
    rest = rest.slice(start + length)
  }
  return answers
}

describe('a body without Content-Length or Transfer-Encoding', () => {
  // Node's http.request sends a body on DELETE, OPTIONS (and GET, HEAD) with neither header
  // unless the caller sets Content-Length. RFC 9112 §6.3: such a request has no body, so its
  // bytes are the start of the next request on the connection. The fuzz harness's keep-alive
  // resets were this (RELIABILITY.md, "Connection resets"): the server answered the DELETE
  // with keep-alive, refused the stray bytes with 400 and `connection: close`, and the client's
  // next request on the socket it had pooled met the closed connection.
  it('answers the request, then the stray bytes as a malformed request: 400 and close', async () => {
    const socket = connect(port, '127.0.0.1')
    let raw = ''
    socket.setEncoding('latin1')
    const answered = new Promise<void>((resolve) =>
      socket.on('data', (chunk: string) => {
        raw += chunk
        resolve()
      }),
    )
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
    socket.write('DELETE /jobs/unknown HTTP/1.1\r\nhost: x\r\n\r\n')
    // Answered as a request without a body, on a connection that stays open...
    await answered
    const [first] = splitAnswers(raw)
    expect(first?.status).toBe(404)
    expect(first?.headers['connection']).toBe('keep-alive')
    // ...until the body the client meant arrives, and is read as the next request line.
    socket.write('{"a":1}')
    await closed
    const [, second, ...more] = splitAnswers(raw)
    expectProblem(second as RawAnswer, 400, 'BAD_REQUEST')
    expect(second?.headers['connection']).toBe('close')
    expect(more).toEqual([])
  })

  it('is read as the body when Content-Length frames it, and the connection stays usable', async () => {
    const body = '{"a":1}'
    const answer = await exchange(
      port,
      `DELETE /jobs/unknown HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}` +
        get('/actions/say-hello?name=again'),
    )
    expect(answer.status).toBe(404)
    expect(answer.body).toContain('"Hello again!"')
  })
})
