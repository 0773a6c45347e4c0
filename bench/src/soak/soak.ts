import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { Redis } from 'ioredis'
import { WebSocket } from 'ws'
import { processCpuMicros, processRssBytes } from '../lib/process-cpu.ts'
import { startServeyStart } from '../lib/servey-start-process.ts'
import { median } from '../lib/stats.ts'
import { formatNumber, formatTable } from '../lib/table.ts'
import { HEAP_PROBE, readHeapAfterGc, type HeapAfterGc } from './heap-after-gc.ts'
import { MIN_TREND_POINTS, TREND_LIMIT, trendOf, type Trend } from './trend.ts'

export interface SoakSettings {
  readonly minutes: number
  /** Samples before this are warm-up: the verdicts read only the samples after it. */
  readonly warmupMinutes: number
  readonly sampleSeconds: number
  /** Websocket clients subscribed to `messenger` for the whole run. */
  readonly clients: number
  readonly redisUrl: string
  /** SERVEY_JOB_RETENTION of the server: shorter than the warm-up. */
  readonly jobRetentionSeconds: number
}

export const DEFAULT_SOAK_SETTINGS: SoakSettings = {
  minutes: 10,
  warmupMinutes: 2,
  sampleSeconds: 10,
  clients: 50,
  redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  jobRetentionSeconds: 60,
}

/** Issue 14: memory within ±10 % after warm-up; file descriptors and Redis keys not growing. */
export const MEMORY_BAND = 0.1
/** Descriptors may move by a few (timers of the HTTP agent, Redis reconnects): not a trend. */
export const FD_SLACK = 10

interface Stream {
  readonly label: string
  /** Requests per second, over all its connections. */
  readonly rate: number
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly body?: string
  readonly headers?: Record<string, string>
}

const JSON_HEADERS = { 'content-type': 'application/json' }

/**
 * The mixed load, at rates a 2-core machine sustains beside the load generator: it must run
 * for minutes without a backlog, so that what grows is the server's state, not a queue.
 */
const STREAMS: readonly Stream[] = [
  { label: 'REST GET', rate: 100, method: 'GET', path: '/actions/say-hello?name=Soak' },
  { label: 'REST templated path', rate: 50, method: 'GET', path: '/greetings/Soak' },
  {
    label: 'GraphQL',
    rate: 50,
    method: 'POST',
    path: '/graphql',
    body: JSON.stringify({ query: '{ sayHello(name: "Soak") }' }),
    headers: JSON_HEADERS,
  },
  // 30 s in the server cache: all but one call in 30 s are hits.
  { label: 'cache hit', rate: 50, method: 'GET', path: '/actions/slow-get-with-ttl?value=Soak' },
  {
    label: 'channel publish',
    rate: 10,
    method: 'POST',
    path: '/actions/broadcast-message',
    body: JSON.stringify({ message: 'soak' }),
    headers: JSON_HEADERS,
  },
  {
    label: 'async job (202)',
    rate: 2,
    method: 'POST',
    path: '/actions/predict',
    body: JSON.stringify({ data: [1, 2, 3] }),
    headers: { ...JSON_HEADERS, prefer: 'respond-async' },
  },
  {
    label: 'channel handlers (jobs)',
    rate: 5,
    method: 'POST',
    path: '/actions/place-order',
    body: JSON.stringify({ id: 'soak', total: 10, express: true }),
    headers: JSON_HEADERS,
  },
]

export interface SoakSample {
  readonly atSeconds: number
  readonly rssBytes: number
  /** V8's heap used after the last major collection so far; undefined before the first. */
  readonly heapAfterGcBytes: number | undefined
  readonly fds: number
  readonly redisKeys: number
  readonly cpuSeconds: number
  readonly framesReceived: number
  /** The machine's 1-minute load average: what else ran beside the soak. */
  readonly loadAverage: number
}

export interface StreamOutcome {
  readonly label: string
  readonly ok: number
  readonly other: number
  readonly errors: number
  /** Every status answered, with its count: what `other` was. */
  readonly statuses: Readonly<Record<string, number>>
}

export interface SoakReport {
  readonly settings: SoakSettings
  readonly samples: readonly SoakSample[]
  /** Every major collection of the server's, from heap-probe.js. */
  readonly heapAfterGc: readonly HeapAfterGc[]
  readonly streams: readonly StreamOutcome[]
  readonly verdict: {
    readonly rssMedianBytes: number
    /** Largest distance of a post-warm-up sample from their median, as a fraction. */
    readonly rssDeviation: number
    readonly rssOk: boolean
    /** Median of the heap left by each major collection after warm-up (bytes). */
    readonly heapMedianBytes: number
    /** Largest distance of one of those from their median, as a fraction (NaN with none). */
    readonly heapDeviation: number
    /**
     * Issue 14's band, "memory stays within ±10 % after warm-up", read on the memory the server
     * holds: the heap each major collection leaves. Not judged (true) with too few collections.
     */
    readonly heapBandOk: boolean
    /** RSS's trend after warm-up (Theil-Sen): a leak grows, a collection's dip does not. */
    readonly rssTrend: Trend
    /** The same for the heap left by each major collection after warm-up. */
    readonly heapTrend: Trend
    /** RSS's trend met, and the heap's met or not judged (too few major collections). */
    readonly trendOk: boolean
    readonly fdGrowth: number
    readonly fdOk: boolean
    readonly redisKeyGrowth: number
    readonly redisKeysOk: boolean
  }
}

const SHOWCASE_DIR = fileURLToPath(new URL('../../../examples/showcase/', import.meta.url))

function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length
}

async function countKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0'
  let count = 0
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    cursor = next
    count += keys.length
  } while (cursor !== '0')
  return count
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await redis.del(...keys)
  } while (cursor !== '0')
}

/** Subscribers that count the frames they receive; reconnects are not expected, so counted. */
function subscribe(url: string, clients: number) {
  let frames = 0
  let closed = 0
  const sockets = Array.from({ length: clients }, () => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/channels/messenger`)
    socket.on('message', () => frames++)
    socket.on('close', () => closed++)
    socket.on('error', () => undefined)
    return socket
  })
  return {
    frames: () => frames,
    closed: () => closed,
    close: () => {
      for (const socket of sockets) socket.terminate()
    },
  }
}

function runStream(url: string, stream: Stream, seconds: number): Promise<StreamOutcome> {
  let ok = 0
  let other = 0
  const statuses: Record<string, number> = {}
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: url + stream.path,
        method: stream.method,
        connections: Math.max(1, Math.min(10, Math.ceil(stream.rate / 10))),
        overallRate: stream.rate,
        duration: seconds,
        headers: stream.headers ?? {},
        ...(stream.body === undefined ? {} : { body: stream.body }),
      },
      (error, result) => {
        if (error !== null && error !== undefined) reject(error)
        else
          resolve({
            label: stream.label,
            ok,
            other,
            errors: result.errors + result.timeouts,
            statuses,
          })
      },
    )
    instance.on('response', (_client, status) => {
      statuses[status] = (statuses[status] ?? 0) + 1
      if (status >= 200 && status < 300) ok++
      else other++
    })
  })
}

/**
 * `servey start` of examples/showcase on Redis (jobs, schedules, channel fan-out and the
 * server cache all in Redis), one process (`SERVEY_WORKERS=1`, so its memory and descriptors
 * are one process's), under a mixed load for `minutes`: REST, a templated path, GraphQL, cache
 * hits, channel publishes to websocket subscribers, async jobs and channel handlers run as
 * jobs. Every `sampleSeconds`: the server's RSS and open descriptors (from /proc), the number
 * of Redis keys under the run's own prefix and the machine's load; and after every major
 * collection, the server's V8 heap (heap-probe.js).
 */
export async function runSoak(
  settings: SoakSettings,
  log: (line: string) => void,
): Promise<SoakReport> {
  const prefix = `soak-${process.pid}-${Date.now()}`
  const redis = new Redis(settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await redis.connect()
  const heapDir = mkdtempSync(join(tmpdir(), 'servey-soak-'))
  const heapFile = join(heapDir, 'heap-after-gc')
  const server = await startServeyStart({
    entry: `${SHOWCASE_DIR}src/actions/index.ts`,
    cwd: SHOWCASE_DIR,
    timeoutMs: 180_000,
    // The heap after each major collection, written by a preload: no endpoint in the server.
    nodeArgs: ['--import', HEAP_PROBE],
    env: {
      SOAK_HEAP_FILE: heapFile,
      NODE_ENV: 'production',
      REDIS_URL: settings.redisUrl,
      SERVEY_WORKERS: '1',
      SERVEY_JOBS_PREFIX: prefix,
      SERVEY_CHANNELS_PREFIX: prefix,
      SERVEY_CACHE_PREFIX: `${prefix}:cache:`,
      // Finished jobs keep their keys for the retention (default 1 h): a minute here, so the
      // key count reaches its steady state within the warm-up and growth after it is a leak.
      SERVEY_JOB_RETENTION: `${settings.jobRetentionSeconds}s`,
    },
  })
  const subscribers = subscribe(server.url, settings.clients)
  const samples: SoakSample[] = []
  const started = Date.now()
  const sample = async () => {
    const sampleAt: SoakSample = {
      atSeconds: Math.round((Date.now() - started) / 1000),
      rssBytes: processRssBytes(server.pid),
      heapAfterGcBytes: readHeapAfterGc(heapFile, started).at(-1)?.usedBytes,
      fds: fdCount(server.pid),
      redisKeys: await countKeys(redis, `${prefix}*`),
      cpuSeconds: (processCpuMicros(server.pid) ?? 0) / 1e6,
      framesReceived: subscribers.frames(),
      loadAverage: loadavg()[0] ?? Number.NaN,
    }
    samples.push(sampleAt)
    log(
      `  ${String(sampleAt.atSeconds).padStart(4)} s  RSS ${megabytes(sampleAt.rssBytes)} MB` +
        `  heap after GC ${sampleAt.heapAfterGcBytes === undefined ? '-' : megabytes(sampleAt.heapAfterGcBytes)} MB` +
        `  fds ${sampleAt.fds}  Redis keys ${sampleAt.redisKeys}  frames ${sampleAt.framesReceived}` +
        `  load ${sampleAt.loadAverage.toFixed(2)}`,
    )
  }
  try {
    const seconds = Math.round(settings.minutes * 60)
    const load = Promise.all(STREAMS.map((stream) => runStream(server.url, stream, seconds)))
    const timer = setInterval(() => void sample(), settings.sampleSeconds * 1000)
    let streams: StreamOutcome[]
    try {
      streams = await load
    } finally {
      clearInterval(timer)
    }
    // No sample after the load: its connections are gone by then, which is not a trend.
    if (subscribers.closed() > 0) log(`  ${subscribers.closed()} websocket clients were closed`)
    // Collections before the server was ready are timed before 0: the warm-up drops them.
    const heapAfterGc = readHeapAfterGc(heapFile, started)
    return {
      settings,
      samples,
      heapAfterGc,
      streams,
      verdict: verdictOf(samples, heapAfterGc, settings),
    }
  } finally {
    subscribers.close()
    await server.stop()
    await deleteKeys(redis, `${prefix}*`)
    redis.disconnect()
    rmSync(heapDir, { recursive: true, force: true })
  }
}

function loadRange(samples: readonly SoakSample[]): string {
  if (samples.length === 0) return '-'
  const loads = samples.map((entry) => entry.loadAverage)
  return `${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}, median ${median(loads).toFixed(2)}`
}

function megabytes(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1)
}

export function verdictOf(
  samples: readonly SoakSample[],
  heapAfterGc: readonly HeapAfterGc[],
  settings: SoakSettings,
): SoakReport['verdict'] {
  const warmupSeconds = settings.warmupMinutes * 60
  const after = samples.filter((entry) => entry.atSeconds >= warmupSeconds)
  const steady = after.length > 0 ? after : samples
  // Growth is the median of the last third of the steady samples against the first third's:
  // Redis keys rise and fall as jobs finish and expire, so two single samples say little.
  const third = Math.max(1, Math.floor(steady.length / 3))
  const growth = (pick: (entry: SoakSample) => number) =>
    median(steady.slice(-third).map(pick)) - median(steady.slice(0, third).map(pick))
  const startKeys = median(steady.slice(0, third).map((entry) => entry.redisKeys))
  const rssMedianBytes = median(steady.map((entry) => entry.rssBytes))
  const rssDeviation = Math.max(
    ...steady.map((entry) => Math.abs(entry.rssBytes / rssMedianBytes - 1)),
  )
  const fdGrowth = growth((entry) => entry.fds)
  const redisKeyGrowth = growth((entry) => entry.redisKeys)
  const rssTrend = trendOf(after.map((entry) => ({ x: entry.atSeconds, y: entry.rssBytes })))
  const collections = heapAfterGc.filter((entry) => entry.atSeconds >= warmupSeconds)
  const heapAfterWarmup = collections.map((entry) => entry.usedBytes)
  const heapTrend = trendOf(
    collections.map((entry) => ({ x: entry.atSeconds, y: entry.usedBytes })),
  )
  const heapMedianBytes = median(heapAfterWarmup)
  const heapDeviation =
    heapAfterWarmup.length === 0
      ? Number.NaN
      : Math.max(...heapAfterWarmup.map((used) => Math.abs(used / heapMedianBytes - 1)))
  return {
    rssMedianBytes,
    rssDeviation,
    rssOk: rssDeviation <= MEMORY_BAND,
    heapMedianBytes,
    heapDeviation,
    // Judged from as many collections as the heap's trend needs; fewer judge nothing.
    heapBandOk: !heapTrend.judged || heapDeviation <= MEMORY_BAND,
    rssTrend,
    heapTrend,
    trendOk: rssTrend.ok && (heapTrend.ok || !heapTrend.judged),
    fdGrowth,
    fdOk: fdGrowth <= FD_SLACK,
    redisKeyGrowth,
    // Finished jobs expire after the retention, so the key count levels off: the last third
    // may not sit more than a fifth above the first.
    redisKeysOk: redisKeyGrowth <= Math.max(50, startKeys * 0.2),
  }
}

export function formatSoakReport(report: SoakReport): string {
  const { verdict, settings } = report
  const streams = formatTable(
    ['stream', 'rate/s', '2xx', 'other', 'errors', 'statuses'],
    report.streams.map((stream) => [
      stream.label,
      String(STREAMS.find((entry) => entry.label === stream.label)?.rate ?? ''),
      formatNumber(stream.ok),
      formatNumber(stream.other),
      formatNumber(stream.errors),
      Object.entries(stream.statuses)
        .map(([status, count]) => `${status}: ${count}`)
        .join(', '),
    ]),
  )
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED')
  const percent = (fraction: number) =>
    `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(2)} %`
  const trend = (name: string, value: Trend) =>
    value.judged
      ? `  ${name}: ${percent(value.perWindow)} of its median ${megabytes(value.median)} MB per 10 min (least squares ${percent(value.leastSquaresPerWindow)} ± ${(value.leastSquaresError * 100).toFixed(2)} %), over ${value.points} points: ${mark(value.ok)}`
      : `  ${name}: ${value.points} points, at least ${MIN_TREND_POINTS} needed: no verdict`
  return [
    `Soak: ${settings.minutes} min, ${settings.clients} websocket subscribers, warm-up ${settings.warmupMinutes} min, a sample every ${settings.sampleSeconds} s, job retention ${settings.jobRetentionSeconds} s`,
    streams,
    verdict.heapTrend.judged
      ? `V8 heap after each major collection, after warm-up: median ${megabytes(verdict.heapMedianBytes)} MB, largest deviation ${(verdict.heapDeviation * 100).toFixed(1)} % (the memory band, goal within ±${MEMORY_BAND * 100} %): ${mark(verdict.heapBandOk)}`
      : `V8 heap after each major collection, after warm-up: ${verdict.heapTrend.points} collections, at least ${MIN_TREND_POINTS} needed: no verdict on the memory band`,
    `RSS after warm-up: median ${(verdict.rssMedianBytes / 2 ** 20).toFixed(1)} MB, largest deviation ${(verdict.rssDeviation * 100).toFixed(1)} % (within ±${MEMORY_BAND * 100} %: ${verdict.rssOk ? 'yes' : 'no'}; information: a major collection handing pages back dips RSS without any change in what the server holds, so its growth is judged by the trend below)`,
    `Memory trend after warm-up, Theil-Sen slope (goal: growing at most ${percent(TREND_LIMIT)} of the median per 10 min; tells a leak from a collection's dip):`,
    trend('RSS, every sample', verdict.rssTrend),
    trend('V8 heap after each major collection', verdict.heapTrend),
    `File descriptors, last third against first third after warm-up: ${verdict.fdGrowth >= 0 ? '+' : ''}${verdict.fdGrowth} (goal: not growing, at most +${FD_SLACK}): ${mark(verdict.fdOk)}`,
    `Redis keys, last third against first third after warm-up: ${verdict.redisKeyGrowth >= 0 ? '+' : ''}${verdict.redisKeyGrowth} (goal: not growing): ${mark(verdict.redisKeysOk)}`,
    `Websocket frames received: ${formatNumber(report.samples.at(-1)?.framesReceived ?? 0)}`,
    `Load average (1 min) over the samples: ${loadRange(report.samples)}`,
  ].join('\n')
}
