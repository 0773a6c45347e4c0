import { describe, expect, it } from 'vitest'
import { Type } from 'typebox'
import { action } from '../action/define-action.ts'
import { createRegistry } from '../registry/registry.ts'
import type { ChannelEnvelope } from './channel.ts'
import { createChannelHub } from './channel-hub.ts'
import { channel } from './define-channel.ts'

// With real runners (in-process jobs, BullMQ, a webhook receiver): packages/scheduler's
// src/channel-handlers tests. Here: what the hub decides before any runner is involved.
describe('channel hub: handlers', () => {
  const record = action({ params: Type.Object({ n: Type.Number() }) }, function record() {
    return null
  })

  it('refuses a publish whose selected handler has no runner, before any subscriber sees it', async () => {
    const counts = channel('counts', {
      payload: Type.Object({ n: Type.Number() }),
      handlers: [
        { action: record, filter: (event) => event.n > 10 },
        { webhook: 'https://hooks.example.com/x', group: 1, filter: (event) => event.n < 0 },
      ],
    })
    const hub = createChannelHub(createRegistry({ counts, record }))
    const got: ChannelEnvelope[] = []
    await hub.subscribe('counts', {
      authorization: null,
      deliver: (envelope) => got.push(envelope),
    })
    await expect(hub.publish(counts, { n: 11 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('no job runner'),
    })
    await expect(hub.publish(counts, { n: -1 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('no webhook sender'),
    })
    // No handler selected: nothing is needed, the event goes out.
    const published = await hub.publish(counts, { n: 5 })
    expect(got).toEqual([published])
    await hub.close()
  })

  it('validates the event once, before handlers are chosen', async () => {
    let filtered = 0
    const counts = channel('counts', {
      payload: Type.Object({ n: Type.Number() }),
      handlers: [{ action: record, filter: () => (filtered++, false) }],
    })
    const hub = createChannelHub(createRegistry({ counts, record }))
    await expect(hub.publish(counts, { n: 'x' } as never)).rejects.toMatchObject({
      code: 'INVALID_EVENT',
    })
    expect(filtered).toBe(0)
    await hub.close()
  })
})
