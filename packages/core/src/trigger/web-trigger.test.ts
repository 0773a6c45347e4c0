import { describe, expect, it } from 'vitest'
import {
  QUERY_METHODS,
  WEB_DELETE,
  WEB_GET,
  WEB_METHODS,
  WEB_PATCH,
  WEB_POST,
  WEB_PUT,
  isValidWebPath,
  isWebTrigger,
  pathParamsOf,
  web,
  webPathOf,
} from './web-trigger.ts'

describe('web triggers', () => {
  it('defaults to POST on the default path', () => {
    expect(web()).toEqual({ kind: 'web', method: 'POST' })
    expect(Object.hasOwn(web(), 'path')).toBe(false)
  })

  it('takes a method and a custom path', () => {
    const trigger = web({ method: 'GET', path: '/users/:id' })
    expect(trigger).toEqual({ kind: 'web', method: 'GET', path: '/users/:id' })
    expect(Object.isFrozen(trigger)).toBe(true)
  })

  it('has one constant per method', () => {
    expect(
      [WEB_GET, WEB_POST, WEB_PUT, WEB_PATCH, WEB_DELETE].map((trigger) => trigger.method),
    ).toEqual([...WEB_METHODS])
  })

  it('reads input from the query string for GET and DELETE only', () => {
    expect(WEB_METHODS.filter((method) => QUERY_METHODS.has(method))).toEqual(['GET', 'DELETE'])
  })

  it('tells web triggers from others', () => {
    expect(isWebTrigger(WEB_GET)).toBe(true)
    expect(isWebTrigger({ kind: 'schedule' })).toBe(false)
  })

  it('routes to /actions/<kebab-name> unless a custom path is given', () => {
    expect(webPathOf('say-hello', WEB_GET)).toBe('/actions/say-hello')
    expect(webPathOf('say-hello', web({ method: 'GET', path: '/hello/:name' }))).toBe(
      '/hello/:name',
    )
  })
})

describe('custom paths', () => {
  it.each(['/', '/users', '/users/:id', '/users/:id/posts/:post_id', '/v1.2/a-b_c~d', '/:a/:b'])(
    'accepts %s',
    (path) => {
      expect(isValidWebPath(path)).toBe(true)
    },
  )

  it.each([
    '',
    'users',
    '/users/',
    '//users',
    '/users/:',
    '/users/:1',
    '/a b',
    '/users?x=1',
    '/a/*',
  ])('rejects %j', (path) => {
    expect(isValidWebPath(path)).toBe(false)
  })

  it('lists the path parameters in order', () => {
    expect(pathParamsOf('/users/:id/posts/:postId')).toEqual(['id', 'postId'])
    expect(pathParamsOf('/actions/say-hello')).toEqual([])
  })
})
