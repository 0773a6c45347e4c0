import {
  action,
  ActionError,
  anyScope,
  createInvoker,
  createRegistry,
  noStore,
  ttl,
  Type,
  WEB_GET,
  WEB_POST,
} from '@servey/core'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer } from './create-server.ts'
import { strongEtag } from '@servey/http'

let app: FastifyInstance
let calls = 0
beforeAll(async () => {
  const actions = {
    with_ttl: action(
      { triggers: [WEB_GET], params: Type.Object({ n: Type.Integer() }), cache: ttl(30) },
      ({ n }) => n * 2,
    ),
    secret_ttl: action(
      { triggers: [WEB_GET], access: anyScope('root'), cache: ttl(30) },
      () => 'secret',
    ),
    tagged: action(
      {
        triggers: [WEB_GET, WEB_POST],
        params: Type.Object({ fail: Type.Optional(Type.Boolean()) }),
        result: Type.Object({ greeting: Type.String() }),
        cache: ttl(60, { etag: true }),
      },
      ({ fail }) => {
        calls++
        if (fail === true) throw new ActionError('CONFLICT', 'no')
        return { greeting: 'héllo', hidden: 'never sent' } as { greeting: string }
      },
    ),
    etag_only: action({ triggers: [WEB_GET], cache: { etag: true } }, () => 'same'),
    never_stored: action({ triggers: [WEB_GET, WEB_POST], cache: noStore }, () => 'fresh'),
    plain: action({ triggers: [WEB_GET] }, () => 'plain'),
  }
  app = await createServer({ invoker: createInvoker(createRegistry(actions)) })
})
afterAll(() => app.close())

describe('Cache-Control', () => {
  it('is public with max-age for an action everyone may call, on GET and HEAD', async () => {
    for (const method of ['GET', 'HEAD'] as const) {
      const response = await app.inject({ method, url: '/actions/with-ttl?n=2' })
      expect(response.statusCode).toBe(200)
      expect(response.headers['cache-control']).toBe('public, max-age=30')
    }
  })

  it('is private for an action with access control', async () => {
    const { createJwtIssuer, generateSecret, createJwtAuthenticator } = await import('@servey/core')
    const secret = generateSecret()
    const secured = await createServer({
      invoker: createInvoker(
        createRegistry({
          secret_ttl: action(
            { triggers: [WEB_GET], access: anyScope('root'), cache: ttl(30) },
            () => 'secret',
          ),
        }),
        { authenticator: await createJwtAuthenticator({ secret }) },
      ),
    })
    const { token } = await createJwtIssuer({ secret }).issue({ subject: 'me', scopes: ['root'] })
    const response = await secured.inject({
      url: '/actions/secret-ttl',
      headers: { authorization: `Bearer ${token}` },
    })
    await secured.close()
    expect(response.statusCode).toBe(200)
    expect(response.headers['cache-control']).toBe('private, max-age=30')
  })

  it('is never sent with an error', async () => {
    const refused = await app.inject({ url: '/actions/secret-ttl' })
    expect(refused.statusCode).toBe(401)
    expect(refused.headers['cache-control']).toBeUndefined()
    const invalid = await app.inject({ url: '/actions/with-ttl?n=x' })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.headers['cache-control']).toBeUndefined()
  })

  it('says no-store for noStore, on every method; nothing without a policy', async () => {
    expect((await app.inject({ url: '/actions/never-stored' })).headers['cache-control']).toBe(
      'no-store',
    )
    const posted = await app.inject({ method: 'POST', url: '/actions/never-stored', body: {} })
    expect(posted.headers['cache-control']).toBe('no-store')
    expect((await app.inject({ url: '/actions/plain' })).headers['cache-control']).toBeUndefined()
  })

  it('asks to revalidate when there is an ETag but no max-age', async () => {
    const response = await app.inject({ url: '/actions/etag-only' })
    expect(response.headers['cache-control']).toBe('public, no-cache')
    expect(response.headers['etag']).toBe(strongEtag('"same"'))
  })
})

describe('ETag and If-None-Match', () => {
  it('is a strong, quoted hash of the exact bytes sent, combined with max-age', async () => {
    const response = await app.inject({ url: '/actions/tagged' })
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('{"greeting":"héllo"}')
    expect(response.headers['etag']).toBe(strongEtag(response.rawPayload))
    expect(response.headers['etag']).toMatch(/^"[^"]+"$/)
    expect(response.headers['cache-control']).toBe('public, max-age=60')
  })

  it.each([
    ['the tag itself', (etag: string) => etag],
    ['the weak form', (etag: string) => `W/${etag}`],
    ['a list holding it', (etag: string) => `"other", ${etag}`],
    ['*', () => '*'],
  ])('answers 304 with no body to %s', async (_name, header) => {
    const first = await app.inject({ url: '/actions/tagged' })
    const etag = first.headers['etag'] as string
    for (const method of ['GET', 'HEAD'] as const) {
      const response = await app.inject({
        method,
        url: '/actions/tagged',
        headers: { 'if-none-match': header(etag) },
      })
      expect(response.statusCode).toBe(304)
      expect(response.body).toBe('')
      expect(response.headers['etag']).toBe(etag)
      expect(response.headers['cache-control']).toBe('public, max-age=60')
    }
  })

  it.each(['"other"', 'garbage', '"unterminated', 'W/', '"a" "b"'])(
    'answers 200 in full to a header that does not match: %s',
    async (header) => {
      const response = await app.inject({
        url: '/actions/tagged',
        headers: { 'if-none-match': header },
      })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual({ greeting: 'héllo' })
    },
  )

  it('is only for GET and HEAD, and never for errors', async () => {
    const posted = await app.inject({ method: 'POST', url: '/actions/tagged', body: {} })
    expect(posted.statusCode).toBe(200)
    expect(posted.headers['etag']).toBeUndefined()
    const failed = await app.inject({
      url: '/actions/tagged?fail=true',
      headers: { 'if-none-match': '*' },
    })
    expect(failed.statusCode).toBe(409)
    expect(failed.headers['etag']).toBeUndefined()
  })

  it('still runs the action (and its access checks) before answering 304', async () => {
    const before = calls
    const etag = (await app.inject({ url: '/actions/tagged' })).headers['etag'] as string
    await app.inject({ url: '/actions/tagged', headers: { 'if-none-match': etag } })
    expect(calls).toBe(before + 2)
  })
})

describe('304 on a real socket', () => {
  it('skips empty list elements, and sends no content-length where the 200 sent its length', async () => {
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const full = await fetch(`${base}/actions/tagged`)
    const etag = full.headers.get('etag') as string
    expect(full.headers.get('content-length')).toBe(String(Buffer.byteLength(await full.text())))
    // Raw, so nothing between the server and the assertion adds or drops a header.
    const { connect } = await import('node:net')
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(base).port), '127.0.0.1', () =>
        socket.write(
          `GET /actions/tagged HTTP/1.1\r\nhost: x\r\nif-none-match: , , ${etag} ,\r\nconnection: close\r\n\r\n`,
        ),
      )
      let text = ''
      socket.setEncoding('latin1')
      socket.on('data', (chunk: string) => (text += chunk))
      socket.on('error', reject)
      socket.on('close', () => resolve(text))
    })
    expect(raw.startsWith('HTTP/1.1 304 ')).toBe(true)
    expect(raw.toLowerCase()).toContain(`etag: ${etag.toLowerCase()}`)
    // RFC 9110 §8.6: a 304 either omits content-length or sends the 200's.
    expect(raw.toLowerCase()).not.toContain('content-length')
    expect(raw.endsWith('\r\n\r\n')).toBe(true)
  })
})
