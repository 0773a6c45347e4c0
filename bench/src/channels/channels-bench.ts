// `pnpm bench channels`: websocket fan-out of one published event to N connected clients,
// Servey (`servey start`, its defaults) against a raw `ws` server doing the same broadcast, and
// the same Servey app on two processes sharing Redis (publish on one, clients on the other).
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { startServerProcess } from '../lib/server-process.ts'
import { median } from '../lib/stats.ts'
import { formatNumber, formatRatio, formatTable } from '../lib/table.ts'
import { connectClients } from './fan-out-clients.ts'
import { processCpuMicros, processRssBytes } from '../lib/process-cpu.ts'
import { startServeyStart } from '../lib/servey-start-process.ts'

export type Side = 'servey' | 'raw' | 'redis'

export interface ChannelsBenchSettings {
  readonly clients: readonly number[]
  readonly rounds: number
  /** Deliveries per measured round (events = deliveries / clients, at least minEvents). */
  readonly deliveriesPerRound: number
  readonly minEvents: number
  readonly warmupEvents: number
  readonly redisUrl: string
}

export const DEFAULT_CHANNELS_SETTINGS: ChannelsBenchSettings = {
  clients: [100, 500, 1000],
  rounds: 3,
  deliveriesPerRound: 100_000,
  minEvents: 200,
  warmupEvents: 30,
  redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
}

/** Goals of issue 10. */
export const CPU_RATIO_GOAL = 0.9
export const REDIS_HOP_P99_GOAL_MS = 2
export const MEMORY_PER_CONNECTION_GOAL_BYTES = 16 * 1024

export interface ChannelsRound {
  readonly side: Side
  readonly clients: number
  readonly events: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly eventsPerSecond: number
  readonly deliveriesPerSecond: number
  /** Server CPU (user + system, from /proc) per delivered event; both processes for redis. */
  readonly cpuMicrosPerDelivery: number
  /** RSS growth of the process holding the connections, per connection, idle. */
  readonly bytesPerConnection: number
}

export interface ChannelsSideSummary {
  readonly side: Side
  readonly clients: number
  readonly rounds: readonly ChannelsRound[]
  readonly p50Ms: number
  readonly p99Ms: number
  readonly eventsPerSecond: number
  readonly deliveriesPerSecond: number
  readonly cpuMicrosPerDelivery: number
  readonly bytesPerConnection: number
}

export interface ChannelsReport {
  readonly settings: ChannelsBenchSettings
  readonly redis: boolean
  readonly results: readonly ChannelsSideSummary[]
}

const RAW_ENTRY = fileURLToPath(new URL('./raw-ws-server.ts', import.meta.url))
const SERVEY_APP = fileURLToPath(new URL('./servey-app.ts', import.meta.url))
const BENCH_DIR = fileURLToPath(new URL('../../', import.meta.url))

/**
 * `servey start` of the bench's channel app, the CLI's built JavaScript with its defaults, as
 * `pnpm bench rest` runs it; only `env` is set on purpose. Generous start-up time: on a 2-core
 * machine shared with test suites it has taken over 60 s.
 */
const startServey = (env: Readonly<Record<string, string>>) =>
  startServeyStart({ entry: SERVEY_APP, cwd: BENCH_DIR, env, timeoutMs: 180_000 })

interface Servers {
  /** Where events are published (POST) and where clients connect (ws). */
  readonly publishUrl: string
  readonly subscribeUrl: string
  /** The process holding the connections, and every server process of the side. */
  readonly connectionsPid: number
  readonly pids: readonly number[]
  stop(): Promise<void>
}

async function startSide(
  side: Side,
  settings: ChannelsBenchSettings,
  prefix: string,
): Promise<Servers> {
  if (side === 'raw') {
    const raw = await startServerProcess({ name: 'raw ws', entry: RAW_ENTRY })
    return {
      publishUrl: `${raw.url}/publish`,
      subscribeUrl: `${raw.url.replace('http', 'ws')}/channels/feed`,
      connectionsPid: raw.pid,
      pids: [raw.pid],
      stop: () => raw.stop(),
    }
  }
  if (side === 'servey') {
    const servey = await startServey({})
    return {
      publishUrl: `${servey.url}/actions/publish-event`,
      subscribeUrl: `${servey.url.replace('http', 'ws')}/channels/feed`,
      connectionsPid: servey.pid,
      pids: [servey.pid],
      stop: () => servey.stop(),
    }
  }
  // One server process each (SERVEY_WORKERS=1): the default with REDIS_URL is one per core
  // through node:cluster, and then which process publishes and which receives is not ours to pick.
  const env = {
    REDIS_URL: settings.redisUrl,
    SERVEY_CHANNELS_PREFIX: prefix,
    SERVEY_JOBS_PREFIX: prefix,
    SERVEY_WORKERS: '1',
  }
  const [publisher, receiver] = await Promise.all([startServey(env), startServey(env)])
  return {
    publishUrl: `${publisher.url}/actions/publish-event`,
    subscribeUrl: `${receiver.url.replace('http', 'ws')}/channels/feed`,
    connectionsPid: receiver.pid,
    pids: [publisher.pid, receiver.pid],
    stop: async () => {
      await Promise.all([publisher.stop(), receiver.stop()])
    },
  }
}

async function publish(url: string, seq: number): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seq, text: 'hello' }),
  })
  await response.arrayBuffer()
  if (response.status !== 200) throw new Error(`publish ${seq}: status ${response.status}`)
}

async function measureRound(
  side: Side,
  clients: number,
  settings: ChannelsBenchSettings,
  prefix: string,
): Promise<ChannelsRound> {
  const servers = await startSide(side, settings, prefix)
  try {
    await sleep(1_000)
    const rssBefore = processRssBytes(servers.connectionsPid)
    const fanOut = await connectClients(servers.subscribeUrl, clients, side !== 'raw')
    await sleep(1_500)
    const rssAfter = processRssBytes(servers.connectionsPid)
    let seq = 0
    for (let index = 0; index < settings.warmupEvents; index++) {
      const current = seq++
      await fanOut.deliver(current, () => publish(servers.publishUrl, current))
    }
    fanOut.resetLatencies()
    const events = Math.max(settings.minEvents, Math.ceil(settings.deliveriesPerRound / clients))
    const cpu = () => servers.pids.reduce((sum, pid) => sum + (processCpuMicros(pid) ?? NaN), 0)
    const cpuBefore = cpu()
    const started = performance.now()
    // Closed loop: the next event is published once every client has the previous one.
    for (let index = 0; index < events; index++) {
      const current = seq++
      await fanOut.deliver(current, () => publish(servers.publishUrl, current))
    }
    const seconds = (performance.now() - started) / 1000
    const cpuMicros = cpu() - cpuBefore
    if (fanOut.anomalies > 0 || fanOut.received !== events * clients) {
      throw new Error(
        `${side} with ${clients} clients: ${fanOut.received} deliveries of ${events * clients}, ` +
          `${fanOut.anomalies} duplicated or out of order`,
      )
    }
    const round: ChannelsRound = {
      side,
      clients,
      events,
      p50Ms: fanOut.latencies.percentile(0.5),
      p99Ms: fanOut.latencies.percentile(0.99),
      eventsPerSecond: events / seconds,
      deliveriesPerSecond: (events * clients) / seconds,
      cpuMicrosPerDelivery: cpuMicros / (events * clients),
      bytesPerConnection: (rssAfter - rssBefore) / clients,
    }
    await fanOut.close()
    return round
  } finally {
    await servers.stop()
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

async function deletePrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    let cursor = '0'
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
      if (keys.length > 0) await client.del(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    client.disconnect()
  }
}

function summarize(
  side: Side,
  clients: number,
  rounds: readonly ChannelsRound[],
): ChannelsSideSummary {
  const of = (pick: (round: ChannelsRound) => number) => median(rounds.map(pick))
  return {
    side,
    clients,
    rounds,
    p50Ms: of((round) => round.p50Ms),
    p99Ms: of((round) => round.p99Ms),
    eventsPerSecond: of((round) => round.eventsPerSecond),
    deliveriesPerSecond: of((round) => round.deliveriesPerSecond),
    cpuMicrosPerDelivery: of((round) => round.cpuMicrosPerDelivery),
    bytesPerConnection: of((round) => round.bytesPerConnection),
  }
}

export async function runChannelsBench(settings: ChannelsBenchSettings): Promise<ChannelsReport> {
  const redis = await redisAnswers(settings.redisUrl)
  if (!redis)
    console.error(`channels: Redis at ${settings.redisUrl} does not answer: no Redis-hop figures`)
  const prefix = `bench-channels-${process.pid}-${Date.now()}`
  const sides: Side[] = redis ? ['servey', 'raw', 'redis'] : ['servey', 'raw']
  const results: ChannelsSideSummary[] = []
  try {
    for (const clients of settings.clients) {
      const rounds = new Map<Side, ChannelsRound[]>(sides.map((side) => [side, []]))
      for (let round = 0; round < settings.rounds; round++) {
        // Alternate which side goes first, so a drift of the machine's load hits both alike.
        const order = sides.map((_, index) => sides[(index + round) % sides.length] as Side)
        for (const side of order) {
          const result = await measureRound(side, clients, settings, prefix)
          rounds.get(side)?.push(result)
          console.error(
            `channels ${clients} clients, round ${round + 1}, ${side}: p99 ${result.p99Ms.toFixed(2)} ms, ` +
              `${result.cpuMicrosPerDelivery.toFixed(2)} µs CPU/delivery`,
          )
        }
      }
      for (const side of sides) results.push(summarize(side, clients, rounds.get(side) ?? []))
    }
  } finally {
    if (redis) await deletePrefix(settings.redisUrl, prefix)
  }
  return { settings, redis, results }
}

const SIDE_NAMES: Record<Side, string> = {
  servey: 'Servey (servey start)',
  raw: 'raw ws',
  redis: 'Servey, 2 processes on Redis',
}

export function formatChannelsReport(report: ChannelsReport): string {
  const { settings } = report
  const lines = [
    `Channels fan-out: one POSTed event to N websocket clients, closed loop (the next event once ` +
      `every client has the previous one); ${settings.rounds} alternating rounds per N, medians; ` +
      `${settings.deliveriesPerRound.toLocaleString('en-US')} deliveries per round ` +
      `(at least ${settings.minEvents} events) after ${settings.warmupEvents} warm-up events. ` +
      `Latency: from the publish request to the client's message event.`,
    '',
    formatTable(
      [
        'clients / side',
        'p50 ms',
        'p99 ms',
        'events/s',
        'deliveries/s',
        'CPU µs/delivery',
        'KB/conn',
      ],
      report.results.map((result) => [
        `${result.clients} ${SIDE_NAMES[result.side]}`,
        formatNumber(result.p50Ms, 2),
        formatNumber(result.p99Ms, 2),
        formatNumber(result.eventsPerSecond, 0),
        formatNumber(result.deliveriesPerSecond, 0),
        formatNumber(result.cpuMicrosPerDelivery, 2),
        formatNumber(result.bytesPerConnection / 1024, 1),
      ]),
    ),
    '',
  ]
  const find = (clients: number, side: Side) =>
    report.results.find((result) => result.clients === clients && result.side === side)
  const ratios: string[][] = []
  for (const clients of settings.clients) {
    const servey = find(clients, 'servey')
    const raw = find(clients, 'raw')
    const redis = find(clients, 'redis')
    if (servey === undefined || raw === undefined) continue
    ratios.push([
      String(clients),
      formatRatio(raw.cpuMicrosPerDelivery / servey.cpuMicrosPerDelivery),
      redis === undefined ? 'n/a' : `${formatNumber(redis.p99Ms - servey.p99Ms, 2)} ms`,
      formatNumber(servey.bytesPerConnection / 1024, 1),
    ])
  }
  lines.push(
    formatTable(
      [
        'clients',
        `CPU raw/Servey (goal >= ${CPU_RATIO_GOAL})`,
        `Redis hop extra p99 (goal <= ${REDIS_HOP_P99_GOAL_MS} ms)`,
        `Servey KB/conn (goal <= ${MEMORY_PER_CONNECTION_GOAL_BYTES / 1024})`,
      ],
      ratios,
    ),
  )
  return lines.join('\n')
}
