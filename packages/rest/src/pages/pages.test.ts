import { fileURLToPath } from 'node:url'
import {
  action,
  ActionError,
  anyScope,
  createInvoker,
  createJwtAuthenticator,
  createJwtIssuer,
  createRegistry,
  generateSecret,
  page,
  PAGE,
  redirect,
  ttl,
  Type,
} from '@servey/core'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer } from '../create-server.ts'
import { createOpenApiDocument } from '@servey/http'

const fixtures = fileURLToPath(new URL('../../test-fixtures/pages/', import.meta.url))
const templates = `${fixtures}templates`
const secret = generateSecret()

const actions = {
  greet_page: action(
    { triggers: [PAGE], params: Type.Object({ name: Type.String({ default: 'World' }) }) },
    ({ name }) => ({ name }),
  ),
  clock_page: action(
    {
      triggers: [page({ path: '/clock/:zone', template: 'custom/clock.njk' })],
      params: Type.Object({ zone: Type.String() }),
    },
    ({ zone }) => `zone ${zone}`,
  ),
  moves: action(
    {
      triggers: [page({ template: 'custom/clock.njk' })],
      params: Type.Object({ after_post: Type.Optional(Type.Boolean()) }),
    },
    ({ after_post }) => redirect('/greet-page?name=moved', after_post === true ? 303 : 302),
  ),
  secret_page: action({ triggers: [PAGE], access: anyScope('root') }, () => 'for root'),
  crashes: action({ triggers: [page({ template: 'secret_page.njk' })] }, () => {
    throw new Error('database password is hunter2')
  }),
  missing_thing: action({ triggers: [page({ template: 'secret_page.njk' })] }, () => {
    throw new ActionError('NOT_FOUND', 'No such thing')
  }),
  cached_page: action(
    { triggers: [page({ template: 'secret_page.njk' })], cache: ttl(30, { etag: true }) },
    () => 'stable',
  ),
}

async function server(options: { dev?: boolean; loginPath?: string } = {}) {
  return createServer({
    invoker: createInvoker(createRegistry(actions), {
      authenticator: await createJwtAuthenticator({ secret }),
    }),
    dev: options.dev ?? false,
    pages: {
      templates,
      public: `${fixtures}public`,
      ...(options.loginPath === undefined ? {} : { loginPath: options.loginPath }),
    },
  })
}

let app: FastifyInstance
beforeAll(async () => {
  app = await server()
})
afterAll(() => app.close())

const html = { accept: 'text/html' }

describe('pages', () => {
  it('renders the template with the result as model, through inheritance and includes', async () => {
    const response = await app.inject({ url: '/greet-page?name=Ada' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.body).toContain('<title>Greeting</title>')
    expect(response.body).toContain('<header>Test site</header>')
    expect(response.body).toContain('<p id="greeting">Hello Ada</p>')
  })

  it('escapes the model: a result cannot inject markup', async () => {
    const response = await app.inject({ url: '/greet-page?name=%3Cscript%3Ealert(1)%3C/script%3E' })
    expect(response.body).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;')
    expect(response.body).not.toContain('<script>')
  })

  it('serves a custom path with path parameters and a custom template, and HEAD', async () => {
    const response = await app.inject({ url: '/clock/UTC' })
    expect(response.body).toBe('<p id="zone">zone UTC</p>\n')
    const head = await app.inject({ method: 'HEAD', url: '/clock/UTC' })
    expect(head.statusCode).toBe(200)
    expect(head.body).toBe('')
  })

  it('answers a redirect() result with its status and Location', async () => {
    const found = await app.inject({ url: '/moves' })
    expect(found.statusCode).toBe(302)
    expect(found.headers['location']).toBe('/greet-page?name=moved')
    const seeOther = await app.inject({ url: '/moves?after_post=true' })
    expect(seeOther.statusCode).toBe(303)
  })

  it('applies access control: 401 and 403 render the error page', async () => {
    const anonymous = await app.inject({ url: '/secret-page', headers: html })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(anonymous.body).toContain('<h1>Oops 401</h1>')
    // The same challenge as an action route's 401 (RFC 6750 §3).
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="servey"')
    const forged = await app.inject({
      url: '/secret-page',
      headers: { ...html, authorization: 'Bearer x.y.z' },
    })
    expect(forged.statusCode).toBe(401)
    expect(forged.headers['www-authenticate']).toMatch(
      /^Bearer realm="servey", error="invalid_token"/,
    )
    const issuer = createJwtIssuer({ secret })
    const { token: user } = await issuer.issue({ subject: 'u', scopes: [] })
    const forbidden = await app.inject({
      url: '/secret-page',
      headers: { authorization: `Bearer ${user}` },
    })
    expect(forbidden.statusCode).toBe(403)
    expect(forbidden.body).toContain('<h1>Oops 403</h1>')
    expect(forbidden.headers['www-authenticate']).toBe(
      'Bearer realm="servey", error="insufficient_scope", scope="root"',
    )
    const { token: root } = await issuer.issue({ subject: 'r', scopes: ['root'] })
    const allowed = await app.inject({
      url: '/secret-page',
      headers: { authorization: `Bearer ${root}` },
    })
    expect(allowed.statusCode).toBe(200)
    expect(allowed.body).toContain('for root')
  })

  it('sends a caller with no token to the login page when one is configured', async () => {
    const withLogin = await server({ loginPath: '/login' })
    const response = await withLogin.inject({ url: '/secret-page?x=1' })
    await withLogin.close()
    expect(response.statusCode).toBe(303)
    expect(response.headers['location']).toBe('/login?next=%2Fsecret-page%3Fx%3D1')
  })

  it('shows no internals on a 500 in production, and the stack in dev', async () => {
    const production = await app.inject({ url: '/crashes' })
    expect(production.statusCode).toBe(500)
    expect(production.body).toContain('<h1>Oops 500</h1>')
    expect(production.body).not.toContain('hunter2')
    expect(production.body).not.toContain('id="stack"')
    const devApp = await server({ dev: true })
    const dev = await devApp.inject({ url: '/crashes' })
    await devApp.close()
    expect(dev.body).toContain('hunter2')
    expect(dev.body).toContain('id="stack"')
  })

  it('renders 404.njk for NOT_FOUND and for unknown URLs a browser asks for', async () => {
    const thrown = await app.inject({ url: '/missing-thing' })
    expect(thrown.statusCode).toBe(404)
    expect(thrown.body).toContain('<h1>Nothing here</h1><p>No such thing</p>')
    const unknown = await app.inject({ url: '/no/such/page', headers: html })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(unknown.body).toContain('Nothing here')
    const api = await app.inject({ url: '/no/such/page' })
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/)
  })

  it('applies the cache policy: Cache-Control, ETag and 304', async () => {
    const first = await app.inject({ url: '/cached-page' })
    expect(first.headers['cache-control']).toBe('public, max-age=30')
    const etag = first.headers['etag'] as string
    expect(etag).toMatch(/^"[^"]+"$/)
    const again = await app.inject({ url: '/cached-page', headers: { 'if-none-match': etag } })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
  })

  it('is left out of the OpenAPI document', () => {
    const document = createOpenApiDocument(createRegistry(actions)) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(document.paths)).toEqual([])
  })
})

describe('static files', () => {
  it('serves the public folder with cache headers and ETags', async () => {
    const response = await app.inject({ url: '/hello.txt' })
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('plain text\n')
    expect(response.headers['cache-control']).toBe('public, max-age=0')
    const etag = response.headers['etag'] as string
    expect(etag).toBeDefined()
    const again = await app.inject({ url: '/hello.txt', headers: { 'if-none-match': etag } })
    expect(again.statusCode).toBe(304)
    const index = await app.inject({ url: '/' })
    expect(index.body).toContain('Static home')
  })
})

describe('start-up checks', () => {
  const registryWith = (trigger = PAGE) =>
    createInvoker(createRegistry({ nowhere_page: action({ triggers: [trigger] }, () => 1) }))

  it('names the action and the path it looked for when a template is missing', async () => {
    await expect(createServer({ invoker: registryWith(), pages: { templates } })).rejects.toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_HTTP_PAGE_TEMPLATE_MISSING',
        message: expect.stringContaining(
          `nowhere_page has no template: looked for ${templates}/nowhere_page.njk`,
        ),
      }),
    )
  })

  it('serves no pages when the server has no templates folder', async () => {
    const plain = await createServer({ invoker: registryWith() })
    const response = await plain.inject({ url: '/nowhere-page' })
    await plain.close()
    expect(response.statusCode).toBe(404)
  })

  it('refuses a page on the path of another page or GET route', async () => {
    const invoker = createInvoker(
      createRegistry({
        first_page: action(
          { triggers: [page({ path: '/same', template: 'secret_page.njk' })] },
          () => 1,
        ),
        second_page: action(
          { triggers: [page({ path: '/same', template: 'secret_page.njk' })] },
          () => 2,
        ),
      }),
    )
    await expect(createServer({ invoker, pages: { templates } })).rejects.toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_HTTP_ROUTE_CONFLICT',
        message: 'Actions first_page and second_page both claim GET /same',
      }),
    )
  })

  it('refuses a template that does not compile', async () => {
    const invoker = createInvoker(
      createRegistry({ broken_page: action({ triggers: [PAGE] }, () => 1) }),
    )
    await expect(
      createServer({ invoker, pages: { templates: `${fixtures}broken` } }),
    ).rejects.toThrow(expect.objectContaining({ code: 'SERVEY_ERR_HTTP_PAGE_TEMPLATE_INVALID' }))
  })
})
