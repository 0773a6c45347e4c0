import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { createChannelHub } from '../channel/channel-hub.ts'
import type { ChannelEnvelope } from '../channel/channel.ts'
import { channel } from '../channel/define-channel.ts'
import { isDefinitionError } from '../errors/definition-error.ts'
import { createInvoker } from '../invoke/invoker.ts'
import { createRegistry } from '../registry/registry.ts'
import { ACTION_KEY } from './action.ts'
import { action } from './define-action.ts'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    expect(isDefinitionError(error)).toBe(true)
    return (error as { code?: string }).code
  }
  throw new Error('expected a throw')
}

const messenger = channel('messenger', { payload: Type.String() })
const audit = channel('audit', { payload: Type.String() })

describe('action({ publishes })', () => {
  it('keeps the declared channels in order, once each; without it, undefined', () => {
    const declared = action({ publishes: [messenger, audit, messenger] }, function send() {})
    expect(declared[ACTION_KEY].publishes).toEqual([messenger, audit])
    expect(Object.isFrozen(declared[ACTION_KEY].publishes)).toBe(true)
    expect(action({}, function other() {})[ACTION_KEY].publishes).toBeUndefined()
  })

  it('refuses what is not an array of channels, at declaration', () => {
    const bad = (publishes: unknown) => () => action({ publishes } as never, function send() {})
    expect(codeOf(bad(messenger))).toBe('SERVEY_ERR_ACTION_PUBLISHES_INVALID')
    expect(codeOf(bad([messenger, 'audit']))).toBe('SERVEY_ERR_ACTION_PUBLISHES_INVALID')
    expect(() => bad([messenger, 'audit'])()).toThrow(/item 1 is not a channel/)
    expect(codeOf(() => action({ channels: [messenger] } as never, () => 1))).toBe(
      'SERVEY_ERR_ACTION_OPTION_UNKNOWN',
    )
    expect(() => action({ channels: [messenger] } as never, () => 1)).toThrow(
      /did you mean 'publishes'/,
    )
  })

  it('needs every declared channel in the app, and lists the publishers of each channel', () => {
    const send = action({ publishes: [messenger, audit] }, function send() {})
    expect(codeOf(() => createRegistry({ send, messenger }))).toBe(
      'SERVEY_ERR_ACTION_PUBLISHES_UNREGISTERED',
    )
    expect(() => createRegistry({ send, messenger })).toThrow(/channel 'audit'/)
    const also = action({ publishes: [messenger] }, function also_send() {})
    const silent = action({}, function silent() {})
    const registry = createRegistry({ send, also, silent, messenger, audit })
    expect(registry.publishersOf('messenger').map((entry) => entry.name)).toEqual([
      'also_send',
      'send',
    ])
    expect(registry.publishersOf('audit').map((entry) => entry.name)).toEqual(['send'])
    expect(registry.publishersOf('nothing')).toEqual([])
  })

  it('lets context.publish reach a declared channel and rejects any other with UNDECLARED_CHANNEL', async () => {
    const send = action(
      { params: Type.Object({ to: Type.String() }), publishes: [messenger] },
      async function send({ to }, context) {
        return (await context.publish(to === 'audit' ? audit : messenger, 'hi')).id
      },
    )
    // Not declaring is not checking: such an action publishes anywhere, as before.
    const anywhere = action({}, async function anywhere(_params, context) {
      return (await context.publish(audit, 'free')).id
    })
    const registry = createRegistry({ send, anywhere, messenger, audit })
    const hub = createChannelHub(registry, { bind: false })
    const invoker = createInvoker(registry, { channels: hub })
    const got: ChannelEnvelope[] = []
    for (const name of ['messenger', 'audit']) {
      await hub.subscribe(name, { authorization: null, deliver: (envelope) => got.push(envelope) })
    }
    expect(await invoker.invoke({ action: 'send', input: { to: 'messenger' } })).toMatchObject({
      ok: true,
    })
    const refused = await invoker.invoke({ action: 'send', input: { to: 'audit' } })
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNDECLARED_CHANNEL' } })
    expect(refused.ok ? '' : refused.error.message).toMatch(
      /Action send publishes to channel audit, which its publishes option does not list \(messenger\)/,
    )
    expect(await invoker.invoke({ action: 'anywhere', input: {} })).toMatchObject({ ok: true })
    expect(got.map((envelope) => `${envelope.channel}:${envelope.event}`)).toEqual([
      'messenger:hi',
      'audit:free',
    ])
    await hub.close()
  })
})
