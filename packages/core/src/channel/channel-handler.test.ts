import { describe, expect, it } from 'vitest'
import { Type } from 'typebox'
import { action } from '../action/define-action.ts'
import { createRegistry } from '../registry/registry.ts'
import { channel } from './define-channel.ts'

const record = action({ params: Type.Object({ text: Type.String() }) }, function record() {
  return null
})
const payload = Type.Object({ text: Type.String() })
const code = (value: string) => expect.objectContaining({ code: value })

describe('channel handlers: declaration', () => {
  it('keeps handlers in declaration order, with defaults and milliseconds', () => {
    const orders = channel('orders', {
      payload,
      handlers: [
        { action: record, group: -1, delay: '2s', attempts: 4, backoff: 50, scopes: ['audit'] },
        { webhook: 'https://hooks.example.com/orders', timeout: '3s', headers: { 'x-key': 'k' } },
      ],
    })
    const registry = createRegistry({ orders, record })
    const [first, second] = registry.channel('orders')!.handlers
    expect(first).toMatchObject({
      kind: 'action',
      actionName: 'record',
      index: 0,
      group: -1,
      delayMs: 2000,
      attempts: 4,
      backoffMs: 50,
      scopes: ['audit'],
      stop: false,
    })
    expect(second).toMatchObject({
      kind: 'webhook',
      index: 1,
      group: 0,
      url: 'https://hooks.example.com/orders',
      timeoutMs: 3000,
      headers: { 'x-key': 'k' },
    })
  })

  it('refuses a handler that is not an action or a webhook, or has both', () => {
    for (const handler of [null, 'record', {}, { action: record, webhook: 'https://a.example' }]) {
      expect(() => channel('c', { payload, handlers: [handler as never] })).toThrow(
        code('SERVEY_ERR_CHANNEL_HANDLER_INVALID'),
      )
    }
    expect(() => channel('c', { payload, handlers: record as never })).toThrow(
      code('SERVEY_ERR_CHANNEL_HANDLER_INVALID'),
    )
    expect(() => channel('c', { payload, handlers: [{ action: () => null } as never] })).toThrow(
      code('SERVEY_ERR_CHANNEL_HANDLER_INVALID'),
    )
  })

  it('refuses unknown options, a filter or stop of the wrong type, bad attempts', () => {
    const bad = [
      { action: record, gruop: 1 },
      { webhook: 'https://a.example', delay: '1s' },
      { action: record, filter: true },
      { action: record, stop: 'yes' },
      { action: record, attempts: 0 },
      { action: record, params: {} },
      { action: record, scopes: 'admin' },
      { webhook: 'https://a.example', headers: { n: 1 } },
    ]
    for (const handler of bad) {
      expect(() => channel('c', { payload, handlers: [handler as never] })).toThrow(
        code('SERVEY_ERR_CHANNEL_HANDLER_INVALID'),
      )
    }
  })

  it('refuses a group that is not an integer', () => {
    for (const group of [0.5, '1', Number.NaN, Infinity]) {
      expect(() =>
        channel('c', { payload, handlers: [{ action: record, group } as never] }),
      ).toThrow(code('SERVEY_ERR_CHANNEL_HANDLER_GROUP_INVALID'))
    }
  })

  it('refuses a webhook URL that is not absolute http(s) or carries credentials', () => {
    for (const webhook of ['/hook', 'ftp://a.example/x', 'https://user:pw@a.example/x', 42]) {
      expect(() => channel('c', { payload, handlers: [{ webhook } as never] })).toThrow(
        code('SERVEY_ERR_CHANNEL_WEBHOOK_URL_INVALID'),
      )
    }
  })

  it('refuses a bad delay or timeout with the duration error', () => {
    expect(() => channel('c', { payload, handlers: [{ action: record, delay: 'soon' }] })).toThrow(
      code('SERVEY_ERR_DURATION_INVALID'),
    )
  })

  it('needs the handler action exported with the app', () => {
    const orders = channel('orders', { payload, handlers: [{ action: record }] })
    expect(() => createRegistry({ orders })).toThrow(
      code('SERVEY_ERR_CHANNEL_HANDLER_ACTION_UNREGISTERED'),
    )
  })

  it('needs a params mapping when events are not objects', () => {
    const news = channel('news', { payload: Type.String(), handlers: [{ action: record }] })
    expect(() => createRegistry({ news, record })).toThrow(
      code('SERVEY_ERR_CHANNEL_HANDLER_PARAMS_MISSING'),
    )
    const mapped = channel('news', {
      payload: Type.String(),
      handlers: [{ action: record, params: (text) => ({ text }) }],
    })
    expect(createRegistry({ mapped, record }).channel('news')!.handlers).toHaveLength(1)
    const union = channel('either', {
      payload: Type.Union([payload, Type.Object({ other: Type.Number() })]),
      handlers: [{ action: record }],
    })
    expect(createRegistry({ union, record }).channel('either')!.handlers).toHaveLength(1)
  })
})
