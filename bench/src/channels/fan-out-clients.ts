import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'
import { createLatencyRecorder, type LatencyRecorder } from '../lib/latency-recorder.ts'

/**
 * N websocket clients of one channel, in this process, and the bookkeeping of a fan-out: each
 * event's publish time, and per delivery the time from the publish request to its arrival.
 */
export interface FanOutClients {
  readonly count: number
  /** Publish `event` (through `send`) and resolve once every client has received it. */
  deliver(seq: number, send: () => Promise<void>): Promise<void>
  /** Forget the latencies recorded so far (after the warm-up). */
  resetLatencies(): void
  readonly latencies: LatencyRecorder
  /** Deliveries so far, and events a client received twice or out of order (must stay 0). */
  readonly received: number
  readonly anomalies: number
  close(): Promise<void>
}

interface Pending {
  readonly sentAt: number
  remaining: number
  resolve(): void
}

/**
 * Connects `count` clients to `url` (in batches, so the server's accept queue is not flooded)
 * and resolves once each is ready: for Servey once its `subscribed` frame came, for the raw
 * server once the socket is open (it has no subscription step).
 */
export async function connectClients(
  url: string,
  count: number,
  waitForSubscribed: boolean,
): Promise<FanOutClients> {
  let latencies = createLatencyRecorder(1 << 20)
  const pending = new Map<number, Pending>()
  let received = 0
  let anomalies = 0
  const sockets: WebSocket[] = []

  const onFrame = (lastSeq: { value: number }) => (data: WebSocket.RawData) => {
    const arrived = performance.now()
    const frame = JSON.parse(String(data)) as { event?: { seq?: number } }
    const seq = frame.event?.seq
    if (typeof seq !== 'number') return
    if (seq <= lastSeq.value) anomalies++
    lastSeq.value = seq
    const entry = pending.get(seq)
    if (entry === undefined) {
      anomalies++
      return
    }
    received++
    latencies.record(arrived - entry.sentAt)
    if (--entry.remaining === 0) {
      pending.delete(seq)
      entry.resolve()
    }
  }

  const connectOne = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false })
      const timer = setTimeout(() => reject(new Error(`no connection to ${url} in 30 s`)), 30_000)
      const ready = () => {
        clearTimeout(timer)
        socket.on('message', onFrame({ value: -1 }))
        resolve(socket)
      }
      socket.once('error', reject)
      if (waitForSubscribed) {
        socket.once('message', (data) => {
          const frame = JSON.parse(String(data)) as { type?: string }
          if (frame.type === 'subscribed') ready()
          else reject(new Error(`expected a subscribed frame, got ${String(data)}`))
        })
      } else {
        socket.once('open', ready)
      }
    })

  for (let start = 0; start < count; start += 50) {
    const batch = Math.min(50, count - start)
    sockets.push(...(await Promise.all(Array.from({ length: batch }, connectOne))))
  }

  return {
    count,
    deliver(seq, send) {
      return new Promise<void>((resolve, reject) => {
        // A lost delivery must stop the bench, not hang it.
        const timer = setTimeout(() => {
          const left = pending.get(seq)?.remaining ?? 0
          pending.delete(seq)
          reject(new Error(`event ${seq}: ${left} of ${count} clients did not receive it in 30 s`))
        }, 30_000)
        const done = () => {
          clearTimeout(timer)
          resolve()
        }
        pending.set(seq, { sentAt: performance.now(), remaining: count, resolve: done })
        send().catch((error: unknown) => {
          clearTimeout(timer)
          pending.delete(seq)
          reject(error instanceof Error ? error : new Error(String(error)))
        })
      })
    },
    resetLatencies() {
      latencies = createLatencyRecorder(1 << 20)
      received = 0
    },
    get latencies() {
      return latencies
    },
    get received() {
      return received
    },
    get anomalies() {
      return anomalies
    },
    async close() {
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === WebSocket.CLOSED) return resolve()
              socket.once('close', () => resolve())
              socket.terminate()
            }),
        ),
      )
    },
  }
}
