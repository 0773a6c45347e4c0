import autocannon from 'autocannon'
import { createLatencyRecorder } from './latency-recorder.ts'
import { runWrk } from './wrk.ts'

/**
 * The load generator: autocannon runs in the bench's own Node process (no install needed), wrk
 * is a C program in a process of its own that costs far less CPU per request (wrk.ts).
 */
export const LOAD_CLIENTS = ['autocannon', 'wrk'] as const
export type LoadClient = (typeof LOAD_CLIENTS)[number]

/** Where the load came from, for a suite's summary line. */
export function describeLoadClient(client: LoadClient | undefined): string {
  return client === 'wrk' ? 'wrk in a process of its own' : 'autocannon in the bench process'
}

export function isLoadClient(value: string): value is LoadClient {
  return (LOAD_CLIENTS as readonly string[]).includes(value)
}

export interface LoadOptions {
  readonly url: string
  readonly method: 'GET' | 'POST'
  readonly body?: string
  readonly headers?: Record<string, string>
  readonly connections: number
  readonly durationSeconds: number
  /** Count answers with this status as the successes instead of 2xx (304 for revalidation). */
  readonly expectedStatus?: number
  /** Default autocannon. */
  readonly client?: LoadClient
}

export interface LoadResult {
  readonly client: LoadClient
  /** Responses per second over the whole run (2xx only). */
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly responses: number
  readonly non2xx: number
  readonly errors: number
  readonly timeouts: number
  /**
   * The load generator's own CPU time per answer (user + system), what the client took from
   * the cores the servers share with it: wrk's process from /proc, for autocannon the bench
   * process's (it runs there). NaN where it cannot be read.
   */
  readonly clientCpuMicrosPerRequest: number
}

/** One run of the chosen client. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return options.client === 'wrk' ? runWrk(options) : runAutocannon(options)
}

/** One autocannon run; latency percentiles are recorded at full (sub-ms) resolution. */
async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const cpuBefore = process.cpuUsage()
  const latencies = createLatencyRecorder()
  let answered = 0
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: options.method,
        connections: options.connections,
        pipelining: 1,
        duration: options.durationSeconds,
        headers: options.headers ?? {},
        ...(options.body === undefined ? {} : { body: options.body }),
      },
      (error, finished) =>
        error === null || error === undefined ? resolve(finished) : reject(error),
    )
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      const expected =
        options.expectedStatus === undefined
          ? statusCode >= 200 && statusCode < 300
          : statusCode === options.expectedStatus
      if (!expected) return
      latencies.record(responseTime)
      answered++
    })
  })
  const cpu = process.cpuUsage(cpuBefore)
  const seconds = result.duration > 0 ? result.duration : options.durationSeconds
  const successes = options.expectedStatus === undefined ? result['2xx'] : answered
  return {
    client: 'autocannon',
    requestsPerSecond: successes / seconds,
    p50Ms: latencies.percentile(0.5),
    p99Ms: latencies.percentile(0.99),
    responses: successes,
    // With an expected non-2xx status, only the other answers are unexpected.
    non2xx: options.expectedStatus === undefined ? result.non2xx : result.non2xx - answered,
    errors: result.errors,
    timeouts: result.timeouts,
    clientCpuMicrosPerRequest: (cpu.user + cpu.system) / Math.max(1, result['2xx'] + result.non2xx),
  }
}
