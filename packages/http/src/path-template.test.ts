import { describe, expect, it } from 'vitest'
import { parsePathTemplate } from './path-template.ts'

describe('parsePathTemplate', () => {
  it('spells a template for routers, OpenAPI and conflict checks', () => {
    const template = parsePathTemplate('/shops/:shop/orders/:id')
    expect(template).toMatchObject({
      path: '/shops/:shop/orders/:id',
      openApiPath: '/shops/{shop}/orders/{id}',
      params: ['shop', 'id'],
      shape: '/shops/:/orders/:',
    })
  })

  it('fills parameters in, URL-encoded, and returns the other values', () => {
    const template = parsePathTemplate('/orders/:id')
    expect(template.expand({ id: 'a/b c', note: 'x' })).toEqual({
      path: '/orders/a%2Fb%20c',
      rest: { note: 'x' },
    })
  })

  it('keeps a path without parameters, and the root', () => {
    expect(parsePathTemplate('/actions/say-hello')).toMatchObject({
      openApiPath: '/actions/say-hello',
      params: [],
    })
    expect(parsePathTemplate('/')).toMatchObject({ path: '/', openApiPath: '/', shape: '/' })
  })
})
