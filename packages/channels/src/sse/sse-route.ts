import {
  serializeEnvelope,
  ActionError,
  isEventId,
  toActionError,
  toProblem,
  type Authorization,
  type ChannelEnvelope,
  type ChannelHub,
  type Subscription,
} from '@servey/core'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ChannelLimits } from '../limits.ts'

export interface SseSettings {
  readonly hub: ChannelHub
  readonly authenticate: (header: string | undefined) => Promise<Authorization | null>
  readonly limits: ChannelLimits
  /** Open streams, ended on shutdown. */
  readonly streams: Set<() => void>
  readonly isClosing: () => boolean
}

function sendProblem(reply: FastifyReply, error: ActionError, requestId: string): FastifyReply {
  return reply
    .code(error.status)
    .type('application/problem+json')
    .send(toProblem(error, { requestId }))
}

/**
 * `GET /channels/<name>` with `Accept: text/event-stream`: the channel as Server-Sent Events,
 * for clients behind proxies that drop websockets. Each event is `id: <id>` and `data:` the
 * same envelope as on a websocket; `Last-Event-ID` (or `?since=`) resumes, and a history that
 * no longer reaches back sends an `event: resume_gap`.
 */
export function registerSseRoute(app: FastifyInstance, settings: SseSettings): void {
  const { hub, limits, streams } = settings
  app.get<{ Params: { name: string }; Querystring: { since?: string } }>(
    '/channels/:name',
    async (request, reply) => {
      const instance = request.id
      const accept = request.headers.accept ?? ''
      if (!accept.includes('text/event-stream')) {
        return sendProblem(
          reply,
          new ActionError(
            'BAD_REQUEST',
            'Subscribe with a websocket, or with Accept: text/event-stream for Server-Sent Events',
          ),
          instance,
        )
      }
      if (settings.isClosing() || streams.size >= limits.maxConnections) {
        return sendProblem(
          reply,
          new ActionError('UNAVAILABLE', 'Too many channel connections'),
          instance,
        )
      }
      const lastEventId = request.headers['last-event-id']
      const since =
        (typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : undefined) ??
        request.query.since
      let authorization: Authorization | null
      try {
        authorization = await settings.authenticate(request.headers.authorization)
        await hub.authorize(request.params.name, authorization)
        // Checked here, not left to the hub once the stream is open: a 200 whose stream ends
        // is a dropped connection to EventSource, which sends the same id again forever; a
        // 400 makes it stop (found by pnpm fuzz).
        if (since !== undefined && !isEventId(since)) {
          throw new ActionError(
            'BAD_REQUEST',
            "'since' and Last-Event-ID must be an event id such as 1733400000000-0",
          )
        }
      } catch (error) {
        return sendProblem(reply, toActionError(error), instance)
      }
      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      raw.write(': servey channel\n\n')
      let subscription: Subscription | undefined
      let ended = false
      const end = (): void => {
        if (ended) return
        ended = true
        streams.delete(end)
        clearInterval(heartbeat)
        subscription?.close()
        raw.end()
      }
      const write = (text: string): void => {
        if (ended) return
        if (raw.writableLength + text.length > limits.maxBufferedBytes) {
          request.log.warn('SSE subscriber too slow: closing it')
          end()
          return
        }
        raw.write(text)
      }
      const heartbeat = setInterval(() => write(': ping\n\n'), limits.heartbeatMs)
      heartbeat.unref()
      request.raw.on('close', end)
      streams.add(end)
      try {
        subscription = await hub.subscribe(request.params.name, {
          authorization,
          ...(since === undefined ? {} : { since }),
          deliver: (envelope: ChannelEnvelope) =>
            write(`id: ${envelope.id}\ndata: ${serializeEnvelope(envelope)}\n\n`),
          gap: (info) =>
            write(
              `event: resume_gap\ndata: ${JSON.stringify({ type: 'resume_gap', ...info })}\n\n`,
            ),
        })
        if (ended) subscription.close()
      } catch (error) {
        const failed = toActionError(error)
        write(
          `event: error\ndata: ${JSON.stringify({ type: 'error', code: failed.code, detail: failed.expose ? failed.message : failed.title })}\n\n`,
        )
        end()
      }
    },
  )
}
