import { describe, expect, it } from 'vitest'
import { Type } from 'typebox'
import { action } from '../action/define-action.ts'
import type { Authorization } from '../action/context.ts'
import { createInvoker } from '../invoke/invoker.ts'
import { createRegistry } from '../registry/registry.ts'
import { anyScope } from '../security/access-policy.ts'
import type { ChannelEnvelope } from './channel.ts'
import { createChannelHub } from './channel-hub.ts'
import { channel } from './define-channel.ts'
import { createMemoryChannelBackend } from './memory-channel-backend.ts'

const user = (subject: string, scopes: string[] = []): Authorization => ({
  subject,
  scopes,
  claims: { sub: subject },
})

function collector() {
  const got: ChannelEnvelope[] = []
  return { got, deliver: (envelope: ChannelEnvelope) => got.push(envelope) }
}

describe('channel hub', () => {
  it('validates on publish: an invalid event is INVALID_EVENT at the publisher and reaches nobody', async () => {
    const news = channel('news', { payload: Type.Object({ title: Type.String() }) })
    const hub = createChannelHub(createRegistry({ news }))
    const sub = collector()
    await hub.subscribe('news', { authorization: null, ...sub })
    await expect(hub.publish(news, { title: 7 })).rejects.toMatchObject({
      code: 'INVALID_EVENT',
      issues: [expect.objectContaining({ path: '/title' })],
    })
    const published = await news.publish({ title: 'ok' })
    expect(sub.got).toEqual([{ channel: 'news', id: published.id, event: { title: 'ok' } }])
    await hub.close()
  })

  it('refuses an unknown channel and a subscriber without access', async () => {
    const admin = channel('admin_feed', { payload: Type.String(), access: anyScope('admin') })
    const hub = createChannelHub(createRegistry({ admin }))
    const sub = collector()
    await expect(hub.subscribe('nope', { authorization: null, ...sub })).rejects.toMatchObject({
      code: 'UNKNOWN_CHANNEL',
    })
    await expect(
      hub.subscribe('admin-feed', { authorization: null, ...sub }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    await expect(
      hub.subscribe('admin_feed', { authorization: user('bob'), ...sub }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await hub.subscribe('admin-feed', { authorization: user('root', ['admin']), ...sub })
    await admin.publish('x')
    expect(sub.got.map((envelope) => envelope.event)).toEqual(['x'])
    await hub.close()
  })

  it('applies the filter per subscriber and per event, with the subscriber authorization', async () => {
    const inbox = channel('inbox', {
      payload: Type.Object({ to: Type.String(), text: Type.String() }),
      filter: (event, subscriber) => event.to === '*' || event.to === subscriber?.subject,
    })
    const hub = createChannelHub(createRegistry({ inbox }))
    const alice = collector()
    const bob = collector()
    await hub.subscribe('inbox', { authorization: user('alice'), ...alice })
    await hub.subscribe('inbox', { authorization: user('bob'), ...bob })
    await inbox.publish({ to: 'alice', text: 'for alice' })
    await inbox.publish({ to: '*', text: 'for all' })
    expect(alice.got.map((e) => (e.event as { text: string }).text)).toEqual([
      'for alice',
      'for all',
    ])
    expect(bob.got.map((e) => (e.event as { text: string }).text)).toEqual(['for all'])
    await hub.close()
  })

  it('gives ordered ids, replays after since, then goes live, and reports a gap', async () => {
    let clock = 1_000
    const ticks = channel('ticks', { payload: Type.Number() })
    const backend = createMemoryChannelBackend({ maxLength: 3, maxAgeMs: 60_000 }, () => clock)
    const hub = createChannelHub(createRegistry({ ticks }), { backend })
    const ids: string[] = []
    for (const n of [1, 2, 3, 4]) ids.push((await ticks.publish(n)).id)
    expect(ids).toEqual(['1000-0', '1000-1', '1000-2', '1000-3'])
    // Only 2, 3, 4 are kept: resuming after 2 misses nothing.
    const resumed = collector()
    const gaps: string[] = []
    await hub.subscribe('ticks', {
      authorization: null,
      since: ids[1] as string,
      ...resumed,
      gap: (info) => gaps.push(info.since),
    })
    clock = 2_000
    await ticks.publish(5)
    expect(resumed.got.map((e) => e.event)).toEqual([3, 4, 5])
    expect(gaps).toEqual([])
    // Resuming after 1: event 2 was dropped, 3.. are kept.
    const late = collector()
    await hub.subscribe('ticks', {
      authorization: null,
      since: ids[0] as string,
      ...late,
      gap: (info) => gaps.push(info.since),
    })
    expect(gaps).toEqual([ids[0]])
    expect(late.got.map((e) => e.event)).toEqual([3, 4, 5])
    await expect(
      hub.subscribe('ticks', { authorization: null, since: 'yesterday', ...late }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await hub.close()
  })

  it('drops events older than the age limit from the history', async () => {
    let clock = 10
    const ticks = channel('ticks', { payload: Type.Number() })
    const backend = createMemoryChannelBackend({ maxAgeMs: 100 }, () => clock)
    const hub = createChannelHub(createRegistry({ ticks }), { backend })
    const first = await ticks.publish(1)
    clock = 500
    await ticks.publish(2)
    const read = await backend.readSince('ticks', '0-0')
    expect(read.events.map((e) => e.event)).toEqual([2])
    expect(read.gap).toBe(true)
    expect((await backend.readSince('ticks', first.id)).gap).toBe(false)
    await hub.close()
  })

  it('lets any handler publish through context.publish, with the invoker publisher', async () => {
    const messenger = channel('messenger', { payload: Type.String() })
    const broadcast = action(
      { params: Type.Object({ message: Type.String() }) },
      async function broadcast_message({ message }, context) {
        const sent = await context.publish(messenger, message)
        return sent.id
      },
    )
    const registry = createRegistry({ messenger, broadcast })
    const hub = createChannelHub(registry, { bind: false })
    const invoker = createInvoker(registry, { channels: hub })
    const sub = collector()
    await hub.subscribe('messenger', { authorization: null, ...sub })
    const outcome = await invoker.invoke({ action: 'broadcast_message', input: { message: 'hi' } })
    expect(outcome).toEqual({ ok: true, result: sub.got[0]?.id })
    expect(sub.got).toEqual([{ channel: 'messenger', id: expect.any(String), event: 'hi' }])
    const bad = await invoker.invoke({ action: 'broadcast_message', input: { message: 3 } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    await hub.close()
  })

  it('rejects channel.publish with UNAVAILABLE when no hub serves the channel', async () => {
    const lonely = channel('lonely', { payload: Type.String() })
    await expect(lonely.publish('x')).rejects.toMatchObject({ code: 'UNAVAILABLE' })
  })
})
