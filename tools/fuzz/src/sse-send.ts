import { request, type IncomingHttpHeaders } from 'node:http'
import type { SseRequest } from './sse-cases.ts'

/** How one SSE request went, up to the moment the client dropped it. */
export type SseOutcome =
  /** Node's client refused to write it (a header value it will not send). */
  | { readonly kind: 'unsendable'; readonly error: string }
  /** The client went away before any answer, as the case asked. */
  | { readonly kind: 'dropped' }
  | { readonly kind: 'network'; readonly error: string }
  | {
      readonly kind: 'answer'
      readonly status: number
      readonly headers: IncomingHttpHeaders
      /** The whole body of a refusal, or what a stream sent before the client dropped it. */
      readonly body: string
      readonly stream: boolean
      /** The server ended the stream before the client dropped it. */
      readonly ended: boolean
    }

/**
 * One request on a connection of its own (dropping it closes the socket): a refusal is read to
 * its end; a stream (200, `text/event-stream`) for `dropAfterMs`, or until the server ends it.
 */
export function sendSse(origin: URL, item: SseRequest, waitMs = 10_000): Promise<SseOutcome> {
  return new Promise((resolve) => {
    let settled = false
    const done = (outcome: SseOutcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(outcome)
    }
    let req: ReturnType<typeof request>
    try {
      req = request({
        host: origin.hostname,
        port: origin.port,
        method: 'GET',
        path: item.target,
        headers: item.headers,
        agent: false,
      })
    } catch (error) {
      resolve({ kind: 'unsendable', error: (error as Error).message })
      return
    }
    const timer = setTimeout(() => {
      req.destroy()
      done({ kind: 'network', error: `no answer within ${waitMs} ms` })
    }, waitMs)
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (item.dropBeforeAnswer) done({ kind: 'dropped' })
      else done({ kind: 'network', error: `${error.code ?? 'ERROR'} ${error.message}` })
    })
    req.on('response', (res) => {
      const stream =
        res.statusCode === 200 && /^text\/event-stream/.test(String(res.headers['content-type']))
      const chunks: Buffer[] = []
      const answer = (ended: boolean) =>
        done({
          kind: 'answer',
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          stream,
          ended,
        })
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => answer(true))
      res.on('error', () => answer(false))
      if (stream) {
        clearTimeout(timer)
        setTimeout(() => {
          answer(false)
          req.destroy()
        }, item.dropAfterMs)
      }
    })
    if (item.dropBeforeAnswer) {
      // Gone once the request is on the wire: the server may be anywhere in its handler.
      req.on('finish', () =>
        setImmediate(() => {
          if (settled) return
          req.destroy()
          done({ kind: 'dropped' })
        }),
      )
    }
    req.end()
  })
}

/** One event of a stream: its fields, as the SSE format defines them. */
export interface SseEvent {
  readonly id?: string
  readonly event?: string
  readonly data: string
  readonly comment: boolean
}

/** The complete events of a stream's text (a block cut off by the drop is left out). */
export function parseSse(text: string): SseEvent[] {
  const blocks = text.split('\n\n')
  blocks.pop()
  return blocks.map((block) => {
    let id: string | undefined
    let event: string | undefined
    const data: string[] = []
    let comment = true
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue
      comment = false
      const at = line.indexOf(':')
      const field = at === -1 ? line : line.slice(0, at)
      const value = at === -1 ? '' : line.slice(at + 1).replace(/^ /, '')
      if (field === 'id') id = value
      else if (field === 'event') event = value
      else if (field === 'data') data.push(value)
    }
    return {
      ...(id === undefined ? {} : { id }),
      ...(event === undefined ? {} : { event }),
      data: data.join('\n'),
      comment,
    }
  })
}
