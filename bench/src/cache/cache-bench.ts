import { fileURLToPath } from 'node:url'
import { runRestBench, type RestBenchSettings, type RestReport } from '../rest/rest-bench.ts'
import { formatNumber, formatRatio, formatTable } from '../lib/table.ts'
import { CACHE_ROUTES } from './routes.ts'

export type CacheBenchSettings = Omit<RestBenchSettings, 'scenario'>

/** Servey's cache paths must keep at least 90 % of raw Fastify's throughput. */
export const CACHE_THROUGHPUT_GOAL = 0.9

const entry = (name: string): string => fileURLToPath(new URL(name, import.meta.url))

/**
 * The cache paths against raw Fastify, run exactly like the REST suite (two processes,
 * alternating rounds): a hit of the server cache against a handler returning a constant, and
 * the 304 path against a hand-written ETag check.
 */
export function runCacheBench(settings: CacheBenchSettings): Promise<RestReport> {
  return runRestBench({
    ...settings,
    scenario: {
      routes: CACHE_ROUTES,
      serveyEntry: entry('./servey-server.ts'),
      rawEntry: entry('./raw-server.ts'),
    },
  })
}

export function formatCacheReport(report: RestReport): string {
  const { settings } = report
  const rows = report.routes.map((entry) => [
    entry.route.label,
    formatNumber(entry.servey.requestsPerSecond),
    formatNumber(entry.raw.requestsPerSecond),
    formatRatio(entry.throughputRatio),
    `${entry.servey.p99Ms.toFixed(2)} ms`,
    `${entry.raw.p99Ms.toFixed(2)} ms`,
    `${entry.servey.cpuMicrosPerRequest.toFixed(1)}/${entry.raw.cpuMicrosPerRequest.toFixed(1)}`,
    formatRatio(entry.cpuRatio),
  ])
  const verdicts = report.routes.map(
    (entry) =>
      `${entry.route.label}: throughput goal (>= ${CACHE_THROUGHPUT_GOAL}) ${entry.throughputRatio >= CACHE_THROUGHPUT_GOAL ? 'met' : 'MISSED'}`,
  )
  return [
    `Cache: ${settings.rounds} alternating rounds x ${settings.durationSeconds} s per side after a ` +
      `${settings.warmupSeconds} s warm-up, ${settings.connections} connections`,
    formatTable(
      [
        'route',
        'servey req/s',
        'raw req/s',
        'ratio',
        'servey p99',
        'raw p99',
        'CPU µs/req s/r',
        'CPU ratio',
      ],
      rows,
    ),
    ...verdicts,
  ].join('\n')
}
