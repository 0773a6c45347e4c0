import { action, createInvoker, createRegistry, Type, WEB_GET, web } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { createServer } from './create-server.ts'
import { buildTestApp } from './test-app.ts'

describe('serveyRest plugin', () => {
  it('serves /openapi.json and Swagger UI with local assets', async () => {
    const app = await buildTestApp()
    const document = await app.inject({ url: '/openapi.json' })
    expect(document.statusCode).toBe(200)
    expect(document.json().openapi).toBe('3.1.0')
    const page = await app.inject({ url: '/docs/' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('./static/swagger-ui-bundle.js')
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)[a-z]/i)
    const bundle = await app.inject({ url: '/docs/static/swagger-ui-bundle.js' })
    expect(bundle.statusCode).toBe(200)
    await app.close()
  })

  it("names the request's origin in servers, unless the app configured them", async () => {
    const servers = async (
      app: Awaited<ReturnType<typeof buildTestApp>>,
      headers: Record<string, string>,
    ): Promise<unknown> => (await app.inject({ url: '/openapi.json', headers })).json().servers

    const app = await buildTestApp()
    expect(await servers(app, { host: 'API.example.org:8443' })).toEqual([
      { url: 'http://api.example.org:8443', description: 'This server' },
    ])
    // Without trustProxy a forwarded host is the client's word only: not used.
    expect(await servers(app, { host: 'a.test', 'x-forwarded-host': 'evil.test' })).toEqual([
      { url: 'http://a.test', description: 'This server' },
    ])
    // A Host header that is no authority keeps the relative default.
    for (const host of ['a.test/path', 'a.test"><script>', 'user@a.test']) {
      expect(await servers(app, { host })).toEqual([
        { url: '/', description: 'The server that serves this document' },
      ])
    }
    await app.close()

    const proxied = await buildTestApp({ fastify: { trustProxy: true } })
    expect(
      await servers(proxied, {
        host: '10.0.0.5:8000',
        'x-forwarded-host': 'api.example.org',
        'x-forwarded-proto': 'https',
      }),
    ).toEqual([{ url: 'https://api.example.org', description: 'This server' }])
    await proxied.close()

    const configured = await buildTestApp({
      openapi: { servers: [{ url: 'https://api.example.org/v1' }] },
    })
    expect(await servers(configured, { host: 'localhost' })).toEqual([
      { url: 'https://api.example.org/v1' },
    ])
    await configured.close()
  })

  it('can leave the docs out', async () => {
    const app = await buildTestApp({ docs: false })
    expect((await app.inject({ url: '/openapi.json' })).statusCode).toBe(404)
    expect((await app.inject({ url: '/docs' })).statusCode).toBe(404)
    await app.close()
  })

  it('lets the caller register more routes under the same error handling', async () => {
    const app = await buildTestApp({
      extend: (server) => {
        server.get('/extra', () => 'extra')
        server.get('/broken', () => {
          throw new Error('boom')
        })
      },
    })
    expect((await app.inject({ url: '/extra' })).body).toBe('extra')
    const broken = await app.inject({ url: '/broken' })
    expect(broken.statusCode).toBe(500)
    expect(broken.json()).toMatchObject({
      code: 'INTERNAL',
      detail: 'An unexpected error occurred.',
    })
    await app.close()
  })

  it('refuses two actions on the same method and path', async () => {
    const registry = createRegistry({
      a: action(
        {
          triggers: [web({ method: 'GET', path: '/items/:id' })],
          params: Type.Object({ id: Type.String() }),
        },
        () => 1,
      ),
      b: action(
        {
          triggers: [web({ method: 'GET', path: '/items/:key' })],
          params: Type.Object({ key: Type.String() }),
        },
        () => 2,
      ),
    })
    await expect(createServer({ invoker: createInvoker(registry) })).rejects.toMatchObject({
      code: 'SERVEY_ERR_HTTP_ROUTE_CONFLICT',
      message: 'Actions a and b both claim GET /items/:key',
    })
  })

  it('logs requests with pino to LOG_FILE-style files', async () => {
    const { mkdtemp, readFile } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const file = join(await mkdtemp(join(tmpdir(), 'servey-log-')), 'app.log')
    const registry = createRegistry({
      ping: action({ triggers: [WEB_GET], result: Type.String() }, () => 'pong'),
    })
    const app = await createServer({
      invoker: createInvoker(registry),
      logger: { level: 'info', file },
    })
    await app.inject({ url: '/actions/ping', headers: { 'x-request-id': 'trace-1' } })
    await app.close()
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines).toContainEqual(
      expect.objectContaining({ reqId: 'trace-1', msg: 'request completed' }),
    )
  })
})
