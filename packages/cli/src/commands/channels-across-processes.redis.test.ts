import { deletePrefix, describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  fixture,
  runServey,
  startServey,
  type ServeyProcess,
} from '../test-support/servey-process.ts'

interface Client {
  readonly socket: WebSocket
  /** Every frame so far, parsed. */
  readonly frames: Record<string, unknown>[]
  /** Waits until `count` frames have arrived. */
  frameCount(count: number, ms?: number): Promise<Record<string, unknown>[]>
}

function subscribe(url: string): Promise<Client> {
  const socket = new WebSocket(url)
  const frames: Record<string, unknown>[] = []
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>))
  const client: Client = {
    socket,
    frames,
    async frameCount(count, ms = 5000) {
      const deadline = Date.now() + ms
      while (frames.length < count) {
        if (Date.now() > deadline) throw new Error(`${frames.length} frames, not ${count}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      return frames
    },
  }
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client))
    socket.once('error', reject)
  })
}

async function broadcast(origin: string, message: string): Promise<string> {
  const response = await fetch(`${origin}/actions/broadcast-message`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message }),
  })
  expect(response.status).toBe(200)
  return (await response.json()) as string
}

describeRedis('channels across server processes sharing Redis', () => {
  const prefix = uniquePrefix('cli-channels')
  const env = { REDIS_URL, SERVEY_CHANNELS_PREFIX: prefix, SERVEY_JOBS_PREFIX: prefix }
  const servers: ServeyProcess[] = []
  const origins: string[] = []

  beforeAll(async () => {
    for (let index = 0; index < 2; index++) {
      const servey = startServey(['start', '--port', '0'], { cwd: fixture('messenger'), env })
      servers.push(servey)
      origins.push((await servey.waitFor(/"api":"(http:\/\/[^"]+)"/, { timeoutMs: 30_000 }))[1]!)
      expect(servey.stdout()).toContain('"fanOut":"redis"')
    }
  }, 60_000)

  afterAll(async () => {
    await Promise.all(servers.map((servey) => servey.stop('SIGKILL')))
    await deletePrefix(prefix)
  })

  it('a POST on one process reaches a client of each, once, with the same id', async () => {
    const [a, b] = origins.map((origin) => origin.replace('http', 'ws')) as [string, string]
    const onA = await subscribe(`${a}/channels/messenger`)
    const onB = await subscribe(`${b}/channels/messenger`)
    await onA.frameCount(1)
    await onB.frameCount(1)
    const first = await broadcast(origins[0]!, 'hi')
    const second = await broadcast(origins[1]!, 'there')
    for (const client of [onA, onB]) {
      const frames = await client.frameCount(3)
      expect(frames.slice(1)).toEqual([
        { channel: 'messenger', id: first, event: 'hi' },
        { channel: 'messenger', id: second, event: 'there' },
      ])
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(onA.frames).toHaveLength(3)
    expect(onB.frames).toHaveLength(3)
    onA.socket.close()

    // A client of A reconnects to B with its last id: it misses nothing.
    const missed = [await broadcast(origins[0]!, 'while away'), await broadcast(origins[1]!, 'too')]
    const again = await subscribe(`${b}/channels/messenger?since=${second}`)
    const frames = await again.frameCount(3)
    expect(frames.map((frame) => frame['id'] ?? frame['type'])).toEqual([...missed, 'subscribed'])
    again.socket.close()
    onB.socket.close()
  }, 30_000)

  it('servey run publishes through Redis to the servers’ clients', async () => {
    const ws = origins[1]!.replace('http', 'ws')
    const client = await subscribe(`${ws}/channels/messenger`)
    await client.frameCount(1)
    const run = await runServey(
      ['run', '--action=broadcast_message', '--event={"message":"from the CLI"}'],
      { cwd: fixture('messenger'), env, timeoutMs: 30_000 },
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const id = JSON.parse(run.stdout) as string
    expect((await client.frameCount(2))[1]).toEqual({
      channel: 'messenger',
      id,
      event: 'from the CLI',
    })
    client.socket.close()
  }, 40_000)

  it('fails to start with SERVEY_ERR_CLI_REDIS_UNREACHABLE (exit 1) when Redis does not answer', async () => {
    const result = await runServey(['start', '--port', '0'], {
      cwd: fixture('messenger'),
      env: { ...env, REDIS_URL: 'redis://127.0.0.1:1' },
      timeoutMs: 30_000,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /^SERVEY_ERR_CLI_REDIS_UNREACHABLE: Redis at redis:\/\/127\.0\.0\.1:1\/? \(REDIS_URL\) does not answer/,
    )
  }, 40_000)
})
