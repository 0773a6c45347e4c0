import { describe, expect, it } from 'vitest'
import { channelLimitsFrom, graphqlLimitsFrom } from './limits-from-env.ts'
import { channelsOptionsOf, graphqlOptionsOf, serverSettingsFrom } from './server-settings.ts'

describe('the GraphQL and channel limits from the environment', () => {
  it('puts each SERVEY_GRAPHQL_MAX_* over its key of graphql.limits', () => {
    expect(graphqlLimitsFrom(undefined, {})).toBeUndefined()
    expect(graphqlLimitsFrom({ depth: 8, cost: 2000 }, {})).toEqual({ depth: 8, cost: 2000 })
    expect(
      graphqlLimitsFrom(
        { depth: 8, cost: 2000 },
        {
          SERVEY_GRAPHQL_MAX_DEPTH: '4',
          SERVEY_GRAPHQL_MAX_TOKENS: '500',
          SERVEY_GRAPHQL_MAX_ALIASES: '3',
          SERVEY_GRAPHQL_MAX_COST: '100',
          SERVEY_GRAPHQL_MAX_DIRECTIVES: '7',
          SERVEY_GRAPHQL_MAX_BATCH: '2',
        },
      ),
    ).toEqual({ depth: 4, tokens: 500, aliases: 3, cost: 100, directives: 7, batch: 2 })
    const settings = serverSettingsFrom({}, { SERVEY_GRAPHQL_MAX_BATCH: '1' }, 'x')
    expect(graphqlOptionsOf(settings)).toEqual({ limits: { batch: 1 } })
  })

  it('reads SERVEY_CHANNEL_MAX_* into the serveyChannels limits', () => {
    expect(channelLimitsFrom(undefined, {})).toEqual({})
    expect(
      channelLimitsFrom(undefined, {
        SERVEY_CHANNEL_MAX_FRAME_BYTES: '1024',
        SERVEY_CHANNEL_MAX_BUFFERED_BYTES: '4096',
        SERVEY_CHANNEL_MAX_CONNECTIONS: '50',
        SERVEY_CHANNEL_MAX_SUBSCRIPTIONS: '5',
      }),
    ).toEqual({
      maxFrameBytes: 1024,
      maxBufferedBytes: 4096,
      maxConnections: 50,
      maxSubscriptions: 5,
    })
    expect(channelsOptionsOf(serverSettingsFrom({}, {}, 'x'))).toEqual({})
  })

  it('takes channels.limits of the config, each SERVEY_CHANNEL_MAX_* over its key', () => {
    const config = { channels: { limits: { maxConnections: 200, heartbeatMs: 5000 } } }
    expect(channelsOptionsOf(serverSettingsFrom(config, {}, 'x'))).toEqual({
      limits: { maxConnections: 200, heartbeatMs: 5000 },
    })
    expect(
      channelsOptionsOf(serverSettingsFrom(config, { SERVEY_CHANNEL_MAX_CONNECTIONS: '20' }, 'x')),
    ).toEqual({ limits: { maxConnections: 20, heartbeatMs: 5000 } })
    expect(
      channelsOptionsOf(serverSettingsFrom({}, { SERVEY_CHANNEL_MAX_CONNECTIONS: '9' }, 'x')),
    ).toEqual({ limits: { maxConnections: 9 } })
  })

  it('refuses a value that is not a whole number above 0, naming the variable', () => {
    expect(() => graphqlLimitsFrom(undefined, { SERVEY_GRAPHQL_MAX_DEPTH: '0' })).toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_CONFIG_INVALID',
        message: expect.stringContaining('SERVEY_GRAPHQL_MAX_DEPTH'),
      }),
    )
    expect(() => channelLimitsFrom(undefined, { SERVEY_CHANNEL_MAX_FRAME_BYTES: '64k' })).toThrow(
      /SERVEY_CHANNEL_MAX_FRAME_BYTES/,
    )
  })
})
