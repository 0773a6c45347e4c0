import { describe, expect, it } from 'vitest'
import { graphqlOptionsOf, restOptionsOf, serverSettingsFrom } from './server-settings.ts'

describe('serverSettingsFrom', () => {
  it('reads the config, with off by default and a cache prefix per app', () => {
    const none = serverSettingsFrom({}, {}, 'shop')
    expect(none).toMatchObject({
      cors: undefined,
      helmet: undefined,
      compress: undefined,
      bodyLimit: undefined,
      trustProxy: undefined,
      plugins: [],
      cachePrefix: 'servey:shop:cache:',
    })
    expect(serverSettingsFrom({}, {}, undefined).cachePrefix).toBe('servey:cache:')
    const all = serverSettingsFrom(
      {
        server: { cors: true, helmet: { frameguard: false }, compress: true, bodyLimit: 10 },
        graphql: { limits: { depth: 4 } },
        cache: { prefix: 'mine:' },
      },
      {},
      'shop',
    )
    expect(all).toMatchObject({ cors: {}, helmet: { frameguard: false }, compress: {} })
    expect(all.cachePrefix).toBe('mine:')
    expect(restOptionsOf(all)).toMatchObject({ cors: {}, compress: {}, bodyLimit: 10 })
    expect(graphqlOptionsOf(all)).toEqual({ limits: { depth: 4 } })
  })

  it('lets environment variables override the config', () => {
    const config = {
      server: {
        cors: { origin: 'https://a.test', credentials: true },
        bodyLimit: 10,
        trustProxy: false,
      },
      cache: { prefix: 'file:' },
    }
    const env = {
      SERVEY_CORS_ORIGIN: 'https://b.test, https://c.test',
      SERVEY_BODY_LIMIT: '2048',
      SERVEY_TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
      SERVEY_CACHE_PREFIX: 'env:',
    }
    const settings = serverSettingsFrom(config, env, 'shop')
    expect(settings.cors).toEqual({
      origin: ['https://b.test', 'https://c.test'],
      credentials: true,
    })
    expect(settings.bodyLimit).toBe(2048)
    expect(settings.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1'])
    expect(settings.cachePrefix).toBe('env:')
    expect(serverSettingsFrom(config, { SERVEY_TRUST_PROXY: '2' }, 'x').trustProxy).toBe(2)
    expect(serverSettingsFrom(config, { SERVEY_TRUST_PROXY: 'true' }, 'x').trustProxy).toBe(true)
    expect(serverSettingsFrom(config, { SERVEY_CORS_ORIGIN: 'false' }, 'x').cors).toBeUndefined()
    expect(serverSettingsFrom({}, { SERVEY_CORS_ORIGIN: '*' }, 'x').cors).toEqual({ origin: '*' })
  })

  it('refuses an override it cannot read, naming the variable', () => {
    expect(() => serverSettingsFrom({}, { SERVEY_BODY_LIMIT: '1mb' }, 'x')).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_CONFIG_INVALID' }),
    )
    expect(() => serverSettingsFrom({}, { SERVEY_CORS_ORIGIN: 'app.example.org' }, 'x')).toThrow(
      /SERVEY_CORS_ORIGIN/,
    )
  })

  it('reads the query string limit from server.queryLimit, SERVEY_QUERY_LIMIT over it', () => {
    const config = { server: { queryLimit: 4096 } }
    expect(serverSettingsFrom(config, {}, 'x').queryLimit).toBe(4096)
    expect(serverSettingsFrom(config, { SERVEY_QUERY_LIMIT: '8192' }, 'x').queryLimit).toBe(8192)
    expect(restOptionsOf(serverSettingsFrom(config, {}, 'x')).queryLimit).toBe(4096)
    expect(() => serverSettingsFrom({}, { SERVEY_QUERY_LIMIT: '8k' }, 'x')).toThrow(
      /SERVEY_QUERY_LIMIT/,
    )
  })
})
