import { deletePrefix, describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'
import { Redis } from 'ioredis'
import { afterEach, expect, it } from 'vitest'
import { connect, startServer, type TestServer } from '../test-support/channels-server.ts'
import { connectRedisChannelBackend, type RedisChannelBackend } from './redis-channel-backend.ts'

let opened: Array<{ close(): Promise<void> }> = []
const prefixes: string[] = []
afterEach(async () => {
  // Servers first (they close their hubs), then the backends under them.
  for (const item of opened.reverse()) await item.close()
  opened = []
  await Promise.all(prefixes.splice(0).map((prefix) => deletePrefix(prefix)))
})

async function backend(
  prefix: string,
  options: Parameters<typeof connectRedisChannelBackend>[0] = {},
): Promise<RedisChannelBackend> {
  const made = await connectRedisChannelBackend({ url: REDIS_URL, prefix, ...options })
  opened.push(made)
  return made
}

/** A Fastify server with the channels plugin over its own Redis connections. */
async function server(
  prefix: string,
  history?: { maxLength?: number; maxAgeMs?: number },
): Promise<TestServer & { backend: RedisChannelBackend }> {
  const made = await backend(prefix, history === undefined ? {} : { history })
  const started = await startServer({ backend: made })
  opened.push(started)
  await made.watch(started.hub.registry.channels.map((channel) => channel.name))
  return Object.assign(started, { backend: made })
}

function scope(): string {
  const prefix = uniquePrefix('channels')
  prefixes.push(prefix)
  return prefix
}

describeRedis('Redis channel backend', () => {
  it('fans out across two servers: each client gets each event once, with one id', async () => {
    const prefix = scope()
    const [a, b] = [await server(prefix), await server(prefix)]
    const onA = await connect(`${a.url}/channels/messenger`)
    const onB = await connect(`${b.url}/channels/messenger`)
    await onA.next()
    await onB.next()
    const ids: string[] = []
    for (const message of ['one', 'two', 'three']) {
      const outcome = await a.invoker.invoke({ action: 'broadcast_message', input: { message } })
      expect(outcome.ok).toBe(true)
      ids.push((outcome as { result: string }).result)
    }
    const published = await b.hub.publish('messenger', 'from b')
    ids.push(published.id)
    const expected = ['one', 'two', 'three', 'from b'].map((event, index) => ({
      channel: 'messenger',
      id: ids[index],
      event,
    }))
    for (const client of [onA, onB]) {
      for (const envelope of expected) expect(await client.next()).toEqual(envelope)
    }
    // Exactly once: nothing more arrives on either socket.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect([...onA.received, ...onB.received]).toEqual([])
    onA.socket.close()
    onB.socket.close()
  })

  it('resumes with since on the other process and misses nothing', async () => {
    const prefix = scope()
    const [a, b] = [await server(prefix), await server(prefix)]
    const first = await connect(`${a.url}/channels/messenger`)
    await first.next()
    const one = await a.hub.publish('messenger', 'one')
    expect(await first.next()).toMatchObject({ id: one.id, event: 'one' })
    first.socket.close()
    await first.closed
    // While the client is away, both processes publish.
    const missed = [
      await a.hub.publish('messenger', 'two'),
      await b.hub.publish('messenger', 'three'),
      await a.hub.publish('messenger', 'four'),
    ]
    const again = await connect(`${b.url}/channels/messenger?since=${one.id}`)
    // The replay, then the subscription is live.
    for (const envelope of missed) {
      expect(await again.next()).toEqual({
        channel: 'messenger',
        id: envelope.id,
        event: envelope.event,
      })
    }
    expect(await again.next()).toMatchObject({ type: 'subscribed' })
    const live = await a.hub.publish('messenger', 'five')
    expect(await again.next()).toEqual({ channel: 'messenger', id: live.id, event: 'five' })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(again.received).toEqual([])
    again.socket.close()
  })

  it('keeps `to` and the filter: a targeted event reaches its one connection on any process', async () => {
    const prefix = scope()
    const [a, b] = [await server(prefix), await server(prefix)]
    const target = await connect(`${b.url}/channels/messenger`)
    const other = await connect(`${a.url}/channels/messenger`)
    const subscribed = await target.next()
    await other.next()
    const direct = await a.hub.publish('messenger', 'just you', {
      to: subscribed['connection'] as string,
    })
    const all = await a.hub.publish('messenger', 'everyone')
    expect(await target.next()).toEqual({ channel: 'messenger', id: direct.id, event: 'just you' })
    expect(await target.next()).toMatchObject({ id: all.id })
    expect(await other.next()).toMatchObject({ id: all.id, event: 'everyone' })
    // A replay to another connection skips the targeted event too.
    const replay = await connect(`${a.url}/channels/messenger?since=0-0`)
    expect(await replay.next()).toMatchObject({ id: all.id })
    expect(await replay.next()).toMatchObject({ type: 'subscribed' })
    for (const client of [target, other, replay]) client.socket.close()
  })

  it('sends resume_gap when the stream was trimmed past since, then what is kept', async () => {
    const prefix = scope()
    const a = await server(prefix, { maxLength: 5 })
    const ids: string[] = []
    for (let index = 0; index < 20; index++) {
      ids.push((await a.hub.publish('messenger', `event ${index}`)).id)
    }
    const client = await connect(`${a.url}/channels/messenger?since=${ids[0]}`)
    expect(await client.next()).toEqual({ type: 'resume_gap', channel: 'messenger', since: ids[0] })
    // The last 5 events, in order.
    for (const id of ids.slice(-5)) expect(await client.next()).toMatchObject({ id })
    expect(await client.next()).toMatchObject({ type: 'subscribed' })
    // No gap from the newest dropped id on: the history reaches back to it.
    const recent = await connect(`${a.url}/channels/messenger?since=${ids.at(-6)}`)
    for (const id of ids.slice(-5)) expect(await recent.next()).toMatchObject({ id })
    expect(await recent.next()).toMatchObject({ type: 'subscribed' })
    client.socket.close()
    recent.socket.close()
  })

  it('drops events older than maxAgeMs from a resume, and reports the gap', async () => {
    const prefix = scope()
    const history = await backend(prefix, { history: { maxAgeMs: 200 }, receive: false })
    const old = await history.append('messenger', 'old')
    const older = await history.append('messenger', 'older still')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const fresh = await history.append('messenger', 'fresh')
    const read = await history.readSince('messenger', old.id)
    expect(read).toEqual({ gap: true, events: [fresh] })
    expect(older.id).not.toBe(fresh.id)
  })

  it('publishes from a process that does not receive (servey run, servey worker)', async () => {
    const prefix = scope()
    const a = await server(prefix)
    const client = await connect(`${a.url}/channels/messenger`)
    await client.next()
    const publisher = await backend(prefix, { receive: false })
    const envelope = await publisher.append('messenger', 'from a worker')
    expect(await client.next()).toEqual({
      channel: 'messenger',
      id: envelope.id,
      event: 'from a worker',
    })
    client.socket.close()
  })

  it('stores one stream per channel under the prefix, bounded', async () => {
    const prefix = scope()
    const publisher = await backend(prefix, { history: { maxLength: 10 }, receive: false })
    for (let index = 0; index < 300; index++) await publisher.append('messenger', index)
    const redis = new Redis(REDIS_URL)
    try {
      expect(await redis.type(`${prefix}:channel:messenger`)).toBe('stream')
      expect(await redis.xlen(`${prefix}:channel:messenger`)).toBe(10)
      const kept = await redis.xrange(`${prefix}:channel:messenger`, '-', '+')
      expect(kept.map(([, fields]) => JSON.parse(fields[1] as string))).toEqual([
        290, 291, 292, 293, 294, 295, 296, 297, 298, 299,
      ])
    } finally {
      redis.disconnect()
    }
  })

  it('fails to start with UNAVAILABLE and the URL without its password when Redis does not answer', async () => {
    await expect(
      connectRedisChannelBackend({
        url: 'redis://:hunter2@127.0.0.1:1',
        connectTimeoutMs: 500,
      }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 does not answer/),
    })
  })

  it('receives again after its connection to Redis drops, without losing or repeating', async () => {
    const prefix = scope()
    const [a, b] = [await server(prefix), await server(prefix)]
    const client = await connect(`${b.url}/channels/messenger`)
    await client.next()
    const admin = new Redis(REDIS_URL)
    try {
      // Kill b's connections (the blocking reader among them); ioredis reconnects.
      const list = await admin.client('LIST')
      const before = await a.hub.publish('messenger', 'before')
      expect(await client.next()).toMatchObject({ id: before.id })
      const ids = String(list)
        .split('\n')
        .filter((line) => line.includes('cmd=xread'))
        .map((line) => /id=(\d+)/.exec(line)?.[1])
      expect(ids.length).toBeGreaterThan(0)
      for (const id of ids) await admin.client('KILL', 'ID', id as string)
      const during = await a.hub.publish('messenger', 'during')
      const after = await a.hub.publish('messenger', 'after')
      expect(await client.next(5000)).toMatchObject({ id: during.id })
      expect(await client.next()).toMatchObject({ id: after.id })
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(client.received).toEqual([])
    } finally {
      admin.disconnect()
      client.socket.close()
    }
  })
})
