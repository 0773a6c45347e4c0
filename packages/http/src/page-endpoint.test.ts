import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  action,
  ActionError,
  anyScope,
  createInvoker,
  createRegistry,
  page,
  redirect,
  ttl,
  Type,
} from '@servey/core'
import type { Logger } from '@servey/core/adapter'
import { describe, expect, it } from 'vitest'
import { strongEtag } from './etag.ts'
import { createHttpHandler } from './http-handler.ts'
import type { HttpRequest } from './http-message.ts'
import { HTML_CONTENT_TYPE } from './page-renderer.ts'

// Pages on the transport-neutral handler: what every transport (Fastify, API Gateway) serves.
const templates = mkdtempSync(join(tmpdir(), 'servey-pages-'))
writeFileSync(join(templates, 'greet.njk'), '<p>{{ model.text }} ({{ model.n }})</p>')
writeFileSync(join(templates, 'zone.njk'), '<p>{{ model }}</p>')
writeFileSync(join(templates, 'cached.njk'), '<p>{{ model }}</p>')
writeFileSync(join(templates, 'broken.njk'), '<p>{{ nothing() }}</p>')
writeFileSync(join(templates, 'seen.njk'), '<p>{{ model }}</p>')
writeFileSync(join(templates, 'moved.njk'), 'never rendered')

const seen: { aborted?: boolean; requestId?: string; trigger?: string } = {}
const actions = {
  greet: action(
    {
      triggers: [page()],
      params: Type.Object({
        name: Type.String({ default: 'you' }),
        n: Type.Integer({ default: 1 }),
      }),
    },
    ({ name, n }) => ({ text: `Hello ${name}`, n: n + 1 }),
  ),
  zone: action(
    {
      triggers: [page({ path: '/zones/:zone' })],
      params: Type.Object({ zone: Type.String(), other: Type.Optional(Type.String()) }),
    },
    ({ zone, other }) => `${zone}${other === undefined ? '' : ` ${other}`}`,
  ),
  members: action(
    { triggers: [page({ template: 'greet.njk' })], access: anyScope('member') },
    () => ({ text: 'secret', n: 0 }),
  ),
  moved: action({ triggers: [page()] }, () => redirect('/elsewhere', 301)),
  cached: action(
    { triggers: [page()], cache: ttl(60, { etag: true }), result: Type.String() },
    () => 'same',
  ),
  broken: action({ triggers: [page()] }, () => 'x'),
  failing: action({ triggers: [page({ template: 'zone.njk' })] }, () => {
    throw new ActionError('CONFLICT', 'Not <now>')
  }),
  seen: action({ triggers: [page()] }, async (_params, context) => {
    seen.requestId = context.requestId
    seen.trigger = context.trigger.kind
    // Runs until the client goes away (or 5 s): the page must hand the request's signal on.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000)
      context.signal.addEventListener('abort', () => {
        seen.aborted = context.signal.aborted
        clearTimeout(timer)
        resolve()
      })
    })
    return 'seen'
  }),
}

const logged: { level: string; obj: unknown; msg: string | undefined }[] = []
const log: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (obj: unknown, msg?: string) => void logged.push({ level: 'error', obj, msg }),
  child: () => log,
}

function handlerWith(options: { loginPath?: string; queryLimit?: number; dev?: boolean } = {}) {
  return createHttpHandler({
    invoker: createInvoker(createRegistry(actions)),
    pages: { templates, loginPath: options.loginPath },
    realm: 'shop',
    ...(options.queryLimit === undefined ? {} : { queryLimit: options.queryLimit }),
    ...(options.dev === undefined ? {} : { dev: options.dev }),
  })
}
// A handler of its own per request: what a route compiles when the handler is built is then
// built inside each test.
const get = (path: string, fields: Partial<HttpRequest> = {}, handler = handlerWith()) =>
  handler.handle({ method: 'GET', path, headers: {}, requestId: 'page-1', log, ...fields })

describe('page routes', () => {
  it('render the template with the result as model, params read from the query as strings', async () => {
    // `n` arrives as the text "41": only input read as strings is coerced to the integer.
    expect(await get('/greet', { query: 'name=Ann&n=41' })).toEqual({
      status: 200,
      headers: { 'content-type': HTML_CONTENT_TYPE },
      body: '<p>Hello Ann (42)</p>',
    })
    expect((await get('/greet')).body).toBe('<p>Hello you (2)</p>')
  })

  it('read a query a gateway decoded, and path parameters over query ones', async () => {
    expect((await get('/greet', { decodedQuery: { name: ['Bo'] } })).body).toBe(
      '<p>Hello Bo (2)</p>',
    )
    expect((await get('/zones/Paris', { query: 'zone=Tokyo&other=x' })).body).toBe('<p>Paris x</p>')
  })

  it('answer a query over the limit or one that does not decode with an error page', async () => {
    const small = handlerWith({ queryLimit: 10 })
    const long = await get('/greet', { query: 'name=abcdefghij' }, small)
    expect(long.status).toBe(414)
    expect(long.headers['content-type']).toBe(HTML_CONTENT_TYPE)
    expect(long.body).toContain('414 URI Too Long')
    const bad = await get('/greet', { query: 'name=%FF' })
    expect(bad.status).toBe(400)
    expect(bad.body).toContain('The query string has an invalid percent-encoding')
  })

  it('pass the request id, the signal and the page trigger to the handler', async () => {
    const client = new AbortController()
    const answer = get('/seen', { signal: client.signal, requestId: 'req-seen' })
    setTimeout(() => client.abort(), 20)
    expect((await answer).status).toBe(499)
    expect(seen).toEqual({ aborted: true, requestId: 'req-seen', trigger: 'page' })
  })

  it('answer a redirect result with its status and Location, and no content', async () => {
    expect(await get('/moved')).toEqual({
      status: 301,
      headers: { location: '/elsewhere' },
      body: undefined,
    })
  })

  it('answer an action error with the error page and its status', async () => {
    const failed = await get('/failing')
    expect(failed.status).toBe(409)
    expect(failed.headers).toEqual({ 'content-type': HTML_CONTENT_TYPE })
    expect(failed.body).toContain('Not &lt;now&gt;')
  })

  it('send only a caller with no token to the login page: other errors render their page', async () => {
    const failed = await get('/failing', {}, handlerWith({ loginPath: '/login' }))
    expect(failed.status).toBe(409)
  })

  it("read the caller's Authorization header", async () => {
    // This invoker verifies no tokens: a token sent is refused as such, not taken as anonymous.
    const refused = await get('/members', { headers: { authorization: 'Bearer abc' } })
    expect(refused.status).toBe(401)
    expect(refused.body).toContain('This server is not configured to accept bearer tokens')
  })

  it('send a caller with no token to the login page, with the page asked for as next', async () => {
    const withLogin = handlerWith({ loginPath: '/login' })
    expect(await get('/members', { query: 'a=1&b=2' }, withLogin)).toEqual({
      status: 303,
      headers: { location: `/login?next=${encodeURIComponent('/members?a=1&b=2')}` },
      body: undefined,
    })
    expect((await get('/members', {}, withLogin)).headers['location']).toBe(
      `/login?next=${encodeURIComponent('/members')}`,
    )
  })

  it('render a 401 page with the challenge of the realm when there is no login page', async () => {
    const refused = await get('/members')
    expect(refused.status).toBe(401)
    expect(refused.headers).toEqual({
      'content-type': HTML_CONTENT_TYPE,
      'www-authenticate': 'Bearer realm="shop"',
    })
  })

  it('answer a template that fails while rendering with a 500 page, and log why', async () => {
    logged.length = 0
    const failed = await get('/broken')
    expect(failed.status).toBe(500)
    // The reason is logged, not shown: an INTERNAL detail is masked outside dev.
    expect(failed.body).toContain('<h1>500 Internal Server Error</h1>')
    expect(logged).toEqual([
      {
        level: 'error',
        obj: expect.objectContaining({ action: 'broken', template: 'broken.njk' }),
        msg: 'template failed',
      },
    ])
    expect((logged[0]?.obj as { err: Error }).err.message).toContain('nothing')
    // Without a request logger the page is the same, and in dev it says what failed.
    expect((await get('/broken', { log: undefined })).status).toBe(500)
    const dev = await get('/broken', {}, handlerWith({ dev: true }))
    expect(dev.status).toBe(500)
    expect(dev.body).toContain('Unable to call `nothing`')
  })

  it("apply the action's cache policy: Cache-Control, an ETag, and 304 for a match", async () => {
    const first = await get('/cached')
    const etag = strongEtag('<p>same</p>')
    expect(first).toEqual({
      status: 200,
      headers: {
        'cache-control': 'public, max-age=60',
        etag,
        'content-type': HTML_CONTENT_TYPE,
      },
      body: '<p>same</p>',
    })
    expect((await get('/cached', { headers: { 'if-none-match': etag } })).status).toBe(304)
  })
})
