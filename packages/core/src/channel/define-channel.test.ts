import { describe, expect, it } from 'vitest'
import { Type } from 'typebox'
import { action } from '../action/define-action.ts'
import { createRegistry } from '../registry/registry.ts'
import { channel } from './define-channel.ts'

describe('channel()', () => {
  it('is discovered from exports, arrays and objects, sorted by name, with its spellings', () => {
    const registry = createRegistry({
      chat_room: channel('chat_room', { payload: Type.String() }),
      nested: { feeds: [channel('alerts', { payload: Type.Number() })] },
      ping: action({}, () => 'pong'),
    })
    expect(registry.channels.map((c) => [c.name, c.kebabName, c.source])).toEqual([
      ['alerts', 'alerts', 'export nested.feeds[0]'],
      ['chat_room', 'chat-room', 'export chat_room'],
    ])
    expect(registry.actions.map((a) => a.name)).toEqual(['ping'])
  })

  it('fails with coded definition errors', () => {
    expect(() => channel('Chat-Room', { payload: Type.String() })).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_CHANNEL_NAME_INVALID' }),
    )
    expect(() => channel('x', {} as never)).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_CHANNEL_PAYLOAD_MISSING' }),
    )
    expect(() => channel('x', { payload: Type.String(), filtr: () => true } as never)).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_CHANNEL_OPTION_UNKNOWN' }),
    )
    expect(() =>
      createRegistry({
        a: channel('same', { payload: Type.String() }),
        b: channel('same', { payload: Type.String() }),
      }),
    ).toThrow(expect.objectContaining({ code: 'SERVEY_ERR_REGISTRY_DUPLICATE_CHANNEL' }))
    expect(() =>
      createRegistry({
        a: channel('typed', {
          payload: Type.Number(),
          examples: [{ name: 'wrong', event: 'text' as never }],
        }),
      }),
    ).toThrow(expect.objectContaining({ code: 'SERVEY_ERR_CHANNEL_EXAMPLE_INVALID' }))
  })
})
