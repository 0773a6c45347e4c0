import { PROCESS_START_TIMEOUT_MS } from '@servey/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { fixture, startServey, type ServeyProcess } from '../test-support/servey-process.ts'

// The limits' environment variables reach a real `servey start`: GraphQL's through
// serveyGraphql, the channels' through serveyChannels.
describe('servey start reads the limits from the environment', () => {
  let servey: ServeyProcess
  let origin: string

  beforeAll(async () => {
    servey = startServey(['start', '--port', '0'], {
      cwd: fixture('messenger'),
      env: {
        REDIS_URL: '',
        SERVEY_GRAPHQL_MAX_TOKENS: '5',
        SERVEY_CHANNEL_MAX_FRAME_BYTES: '64',
      },
    })
    origin = await servey.serving()
  }, PROCESS_START_TIMEOUT_MS + 5_000)

  afterAll(async () => {
    await servey?.stop()
  })

  it('SERVEY_GRAPHQL_MAX_TOKENS refuses a longer document with a coded error', async () => {
    const post = (query: string) =>
      fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      })
    // With Accept: application/json, GraphQL-over-HTTP answers a document error with 200.
    const refused = await post('mutation { broadcastMessage(message: "hi") }')
    expect(refused.status).toBeLessThan(500)
    const body = (await refused.json()) as {
      data?: unknown
      errors?: { message?: string; extensions?: { code?: string } }[]
    }
    expect(body.data).toBeUndefined()
    expect(body.errors?.[0]).toMatchObject({
      message: 'Syntax Error: Token limit of 5 exceeded.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    })
    expect((await post('{ __typename }')).status).toBe(200)
  })

  it('SERVEY_CHANNEL_MAX_FRAME_BYTES closes a socket that sends a larger frame with 1009', async () => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/channels/messenger`)
    await new Promise((resolve, reject) => {
      socket.once('open', resolve)
      socket.once('error', reject)
    })
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
    socket.send(JSON.stringify({ type: 'ping', padding: 'x'.repeat(100) }))
    expect(await closed).toBe(1009)
  })
})
