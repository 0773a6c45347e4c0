import { request } from 'node:http'
import { parseSse, sendSse } from './sse-send.ts'

/**
 * The channel connections the fuzzed server allows (SERVEY_CHANNEL_MAX_CONNECTIONS): low, so
 * that streams the server failed to forget when their clients dropped them would use it up
 * within a run, and `sseCapacity` at the end would find it so.
 */
export const FUZZ_MAX_CONNECTIONS = 400

/** How many streams the capacity check opens at once: all of them must be served. */
export const CAPACITY_STREAMS = 300

/** What `sseAlive` publishes, and how it knows the event when it arrives. */
export interface SsePublish {
  readonly channel: string
  /** A REST action that publishes to the channel, and its JSON body. */
  readonly path: string
  readonly body: unknown
  readonly matches: (event: unknown) => boolean
  /** Headers of both the stream and the publishing call (credentials). */
  readonly headers?: Readonly<Record<string, string>>
}

const MESSENGER: SsePublish = {
  channel: 'messenger',
  path: '/actions/broadcast-message',
  body: { message: 'alive after the SSE fuzz' },
  matches: (event) => event === 'alive after the SSE fuzz',
}

/**
 * The end-of-run check: a fresh SSE stream on `GET /channels/<channel>`, the publishing action
 * called over REST once the stream is open, and the event in the stream with its id.
 */
export function sseAlive(origin: URL, publish = MESSENGER, waitMs = 15_000): Promise<boolean> {
  return new Promise((resolve) => {
    let text = ''
    let published = false
    const req = request({
      host: origin.hostname,
      port: origin.port,
      path: `/channels/${publish.channel}`,
      headers: { accept: 'text/event-stream', ...publish.headers },
      agent: false,
    })
    const timer = setTimeout(() => done(false), waitMs)
    const done = (alive: boolean) => {
      clearTimeout(timer)
      req.destroy()
      resolve(alive)
    }
    req.on('error', () => done(false))
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        done(false)
        return
      }
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
        if (!published && text.startsWith(': servey channel\n\n')) {
          published = true
          fetch(new URL(publish.path, origin), {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...publish.headers },
            body: JSON.stringify(publish.body),
          }).then(
            (response) => {
              if (!response.ok) done(false)
            },
            () => done(false),
          )
        }
        for (const event of parseSse(text)) {
          if (event.comment || event.event !== undefined) continue
          const envelope = JSON.parse(event.data) as { id?: unknown; event?: unknown }
          if (publish.matches(envelope.event)) {
            done(event.id === envelope.id)
            return
          }
        }
      })
      res.on('end', () => done(false))
    })
    req.end()
  })
}

/**
 * Whether the server still has room for `count` streams at once: each must be answered 200
 * with its opening comment. Streams leaked by earlier cases count against the limit.
 */
export async function sseCapacity(origin: URL, count = CAPACITY_STREAMS): Promise<boolean> {
  const outcomes = await Promise.all(
    Array.from({ length: count }, () =>
      sendSse(origin, {
        target: '/channels/messenger',
        headers: { accept: 'text/event-stream' },
        dropAfterMs: 2_000,
        dropBeforeAnswer: false,
      }),
    ),
  )
  return outcomes.every(
    (outcome) =>
      outcome.kind === 'answer' &&
      outcome.stream &&
      outcome.body.startsWith(': servey channel\n\n'),
  )
}
