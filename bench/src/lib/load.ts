import autocannon from 'autocannon'
import { createLatencyRecorder } from './latency-recorder.ts'

export interface LoadOptions {
  readonly url: string
  readonly method: 'GET' | 'POST'
  readonly body?: string
  readonly headers?: Record<string, string>
  readonly connections: number
  readonly durationSeconds: number
  /** Count answers with this status as the successes instead of 2xx (304 for revalidation). */
  readonly expectedStatus?: number
}

export interface LoadResult {
  /** Responses per second over the whole run (2xx only). */
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly responses: number
  readonly non2xx: number
  readonly errors: number
  readonly timeouts: number
}

/** One autocannon run; latency percentiles are recorded at full (sub-ms) resolution. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
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
  const seconds = result.duration > 0 ? result.duration : options.durationSeconds
  const successes = options.expectedStatus === undefined ? result['2xx'] : answered
  return {
    requestsPerSecond: successes / seconds,
    p50Ms: latencies.percentile(0.5),
    p99Ms: latencies.percentile(0.99),
    responses: successes,
    // With an expected non-2xx status, only the other answers are unexpected.
    non2xx: options.expectedStatus === undefined ? result.non2xx : result.non2xx - answered,
    errors: result.errors,
    timeouts: result.timeouts,
  }
}
