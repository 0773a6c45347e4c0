import { action, createRegistry, page, Type, web, WEB_GET, WEB_POST } from '@servey/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { createRouteTable, type RouteTable } from './route-table.ts'

const item = Type.Object({ id: Type.String() })
const registry = createRegistry({
  get_item: action(
    { triggers: [web({ method: 'GET', path: '/items/:id' })], params: item },
    ({ id }) => id,
  ),
  put_item: action(
    {
      triggers: [
        web({ method: 'PUT', path: '/items/:id' }),
        web({ method: 'DELETE', path: '/items/:id' }),
      ],
      params: item,
    },
    ({ id }) => id,
  ),
  say_hello: action({ triggers: [WEB_GET, WEB_POST] }, () => 'hi'),
  home: action({ triggers: [page(), page({ path: '/start', template: 'start.njk' })] }, () => 1),
})

describe('createRouteTable', () => {
  // Built in each test, not while the suite is collected: mutation testing attributes what
  // runs at collection to no test.
  let table: RouteTable
  beforeEach(() => {
    table = createRouteTable(registry)
  })

  it('lists action routes, then pages, in the registry order', () => {
    expect(table.actionRoutes.map((route) => `${route.method} ${route.template.path}`)).toEqual([
      'GET /items/:id',
      'PUT /items/:id',
      'DELETE /items/:id',
      'GET /actions/say-hello',
      'POST /actions/say-hello',
    ])
    expect(table.actionRoutes.every((route) => route.kind === 'action')).toBe(true)
    expect(table.actionRoutes[0]?.action.name).toBe('get_item')
    expect(table.pageRoutes).toEqual([
      expect.objectContaining({
        kind: 'page',
        method: 'GET',
        template: expect.objectContaining({ path: '/home' }),
        templateFile: 'home.njk',
      }),
      expect.objectContaining({
        template: expect.objectContaining({ path: '/start' }),
        templateFile: 'start.njk',
      }),
    ])
    expect(table.routes).toEqual([...table.actionRoutes, ...table.pageRoutes])
  })

  it('leaves pages out when asked', () => {
    const withoutPages = createRouteTable(registry, { pages: false })
    expect(withoutPages.pageRoutes).toEqual([])
    expect(withoutPages.routes).toEqual(withoutPages.actionRoutes)
    expect(withoutPages.match('GET', '/home')).toEqual({ kind: 'not-found' })
    expect(withoutPages.allowByPath.has('/home')).toBe(false)
  })

  it('says which methods each path allows, in a fixed order, HEAD with every GET', () => {
    expect([...table.allowByPath]).toEqual([
      ['/items/:id', 'GET, HEAD, PUT, DELETE'],
      ['/actions/say-hello', 'GET, HEAD, POST'],
      ['/home', 'GET, HEAD'],
      ['/start', 'GET, HEAD'],
    ])
  })

  it('matches a request to its route and its decoded path parameters', () => {
    expect(table.match('GET', '/items/a%20b')).toEqual({
      kind: 'route',
      route: table.actionRoutes[0],
      params: { id: 'a b' },
    })
    expect(table.match('HEAD', '/items/7')).toMatchObject({
      kind: 'route',
      route: table.actionRoutes[0],
    })
    expect(table.match('DELETE', '/items/7')).toMatchObject({ route: table.actionRoutes[2] })
    expect(table.match('POST', '/actions/say-hello')).toMatchObject({
      route: table.actionRoutes[4],
    })
    expect(table.match('GET', '/start')).toMatchObject({ route: table.pageRoutes[1] })
    expect(table.match('HEAD', '/start')).toMatchObject({ route: table.pageRoutes[1] })
  })

  it('answers a served path with another method as method-not-allowed, with Allow', () => {
    expect(table.match('POST', '/items/7')).toEqual({
      kind: 'method-not-allowed',
      allow: 'GET, HEAD, PUT, DELETE',
    })
    expect(table.match('DELETE', '/home')).toEqual({
      kind: 'method-not-allowed',
      allow: 'GET, HEAD',
    })
    expect(table.match('PATCH', '/actions/say-hello')).toEqual({
      kind: 'method-not-allowed',
      allow: 'GET, HEAD, POST',
    })
  })

  it('answers a path nothing serves as not-found', () => {
    expect(table.match('GET', '/nothing')).toEqual({ kind: 'not-found' })
    expect(table.match('GET', '/items')).toEqual({ kind: 'not-found' })
  })

  it('answers a path that does not decode, or a parameter over 100 characters, as bad-request', () => {
    expect(table.match('GET', '/items/%E0%A4%A')).toEqual({
      kind: 'bad-request',
      detail: 'The URL is not valid',
    })
    expect(table.match('GET', `/items/${'x'.repeat(101)}`)).toEqual({
      kind: 'bad-request',
      detail: 'A path parameter is too long',
    })
    expect(table.match('GET', `/items/${'x'.repeat(100)}`)).toMatchObject({ kind: 'route' })
  })
})

describe('route conflicts', () => {
  const conflict = (first: string, second: string, method: string, path: string) =>
    expect.objectContaining({
      code: 'SERVEY_ERR_HTTP_ROUTE_CONFLICT',
      message: expect.stringContaining(
        `Actions ${first} and ${second} both claim ${method} ${path}`,
      ),
    })

  it('refuses two actions on routes that match the same requests, naming both', () => {
    const twoParams = createRegistry({
      by_id: action(
        { triggers: [web({ method: 'GET', path: '/items/:id' })], params: item },
        () => 1,
      ),
      by_key: action(
        {
          triggers: [web({ method: 'GET', path: '/items/:key' })],
          params: Type.Object({ key: Type.String() }),
        },
        () => 1,
      ),
    })
    expect(() => createRouteTable(twoParams)).toThrow(
      conflict('by_id', 'by_key', 'GET', '/items/:key'),
    )
  })

  it('refuses a page on the path of a GET action, unless pages are left out', () => {
    const clash = createRegistry({
      about: action({ triggers: [web({ method: 'GET', path: '/about' })] }, () => 1),
      about_page: action({ triggers: [page({ path: '/about' })] }, () => 1),
    })
    expect(() => createRouteTable(clash)).toThrow(conflict('about', 'about_page', 'GET', '/about'))
    expect(createRouteTable(clash, { pages: false }).routes).toHaveLength(1)
  })

  it('gives a POST-only path no HEAD, and a page listed twice one route', () => {
    const table = createRouteTable(
      createRegistry({
        submit: action({ triggers: [WEB_POST] }, () => 1),
        landing: action({ triggers: [page(), page()] }, () => 1),
      }),
    )
    expect([...table.allowByPath]).toEqual([
      ['/actions/submit', 'POST'],
      ['/landing', 'GET, HEAD'],
    ])
    expect(table.pageRoutes).toHaveLength(1)
    expect(table.match('HEAD', '/actions/submit')).toEqual({
      kind: 'method-not-allowed',
      allow: 'POST',
    })
  })

  it('lets one action list the same route twice, and two methods share a path', () => {
    const twice = createRegistry({
      ping: action({ triggers: [web({ method: 'GET', path: '/ping' }), WEB_GET] }, () => 1),
      ping_twice: action(
        {
          triggers: [
            web({ method: 'GET', path: '/ping-twice' }),
            web({ method: 'GET', path: '/ping-twice' }),
            web({ method: 'POST', path: '/ping-twice' }),
          ],
        },
        () => 1,
      ),
    })
    const routes = createRouteTable(twice).routes.map((r) => `${r.method} ${r.template.path}`)
    expect(routes).toEqual([
      'GET /ping',
      'GET /actions/ping',
      'GET /ping-twice',
      'POST /ping-twice',
    ])
  })

  it('refuses a route on a path the server answers itself', () => {
    const probe = createRegistry({
      ready: action({ triggers: [web({ method: 'GET', path: '/ready' })] }, () => 1),
    })
    expect(() => createRouteTable(probe)).toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_HTTP_ROUTE_RESERVED',
        message: expect.stringContaining('Action ready claims GET /ready'),
      }),
    )
  })
})
