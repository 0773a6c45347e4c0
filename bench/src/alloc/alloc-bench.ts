import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sendRequests as send } from '../lib/send-requests.ts'
import { startServerProcess, type ServerProcess } from '../lib/server-process.ts'
import { startServeyStart } from '../lib/servey-start-process.ts'
import { formatRatio, formatTable } from '../lib/table.ts'
import { BENCH_ROUTES, type BenchRoute } from '../rest/routes.ts'
import { CACHE_ROUTES } from '../cache/routes.ts'
import { BENCH_QUERIES } from '../graphql/queries.ts'
import {
  extraSites,
  summarizeAllocations,
  type AllocationSite,
  type AllocationSummary,
  type SamplingHeapProfile,
} from './allocation-profile.ts'

/**
 * `pnpm bench alloc`: bytes allocated per request by `servey start` and by raw Fastify on the
 * REST suite's two routes, from V8's sampling heap profiler. Unlike CPU time and req/s this
 * barely moves with the machine's load (the same requests allocate the same objects), so it
 * tells whether a change made the request path lighter even on a busy machine. It is not a
 * speed figure: allocation is one part of the CPU cost (the part the garbage collector pays).
 */
export interface AllocBenchSettings {
  /** Requests sent before sampling (the JIT settles, lazy caches fill), then again sampled. */
  readonly requests: number
  readonly connections: number
  /**
   * `rest` (default): `servey start` against raw Fastify on the REST suite's routes. `cache`:
   * the cache suite's two servers on its routes (a server-cache hit, a 304). `graphql`:
   * `pnpm bench graphql`'s default Servey server against its hand-written yoga, on its queries.
   */
  readonly app?: AllocApp
}

export type AllocApp = 'rest' | 'cache' | 'graphql'

export const DEFAULT_ALLOC_SETTINGS: AllocBenchSettings = { requests: 20_000, connections: 20 }

type Side = 'servey' | 'raw'

export interface AllocRouteReport {
  readonly route: BenchRoute
  readonly bytesPerRequest: Readonly<Record<Side, number>>
  /** Servey's sites beyond raw Fastify's, bytes per request, largest first. */
  readonly extra: readonly AllocationSite[]
}

export interface AllocReport {
  readonly settings: AllocBenchSettings
  readonly routes: readonly AllocRouteReport[]
}

const SAMPLER = fileURLToPath(new URL('./allocation-sampler.mjs', import.meta.url))
const BENCH_DIR = fileURLToPath(new URL('../../', import.meta.url))

async function waitForFile(path: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`the allocation sampler wrote no ${path}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function startSide(side: Side, profile: string, app: AllocApp): Promise<ServerProcess> {
  const env = { SERVEY_ALLOC_PROFILE: profile }
  const nodeArgs = ['--import', SAMPLER]
  if (app === 'graphql') {
    return startServerProcess({
      name: side === 'servey' ? 'servey (graphql)' : 'yoga by hand',
      entry: fileURLToPath(
        new URL(`../graphql/${side === 'servey' ? 'servey' : 'yoga'}-server.ts`, import.meta.url),
      ),
      nodeArgs,
      env: { ...env, NODE_ENV: 'production' },
      stdout: 'ignore',
    })
  }
  if (app === 'cache') {
    return startServerProcess({
      name: `${side} (cache suite)`,
      entry: fileURLToPath(new URL(`../cache/${side}-server.ts`, import.meta.url)),
      nodeArgs,
      env,
      stdout: 'ignore',
    })
  }
  return side === 'servey'
    ? startServeyStart({
        entry: fileURLToPath(new URL('../rest/app/actions.ts', import.meta.url)),
        cwd: BENCH_DIR,
        nodeArgs,
        // One process, so the signal reaches the one that serves (the default without Redis).
        env: { ...env, SERVEY_WORKERS: '1' },
      })
    : startServerProcess({
        name: 'raw fastify',
        entry: fileURLToPath(new URL('../rest/raw-server.ts', import.meta.url)),
        nodeArgs,
        env,
        stdout: 'ignore',
      })
}

/** One side, one route: warm up, then sample exactly `requests` requests. */
async function sample(
  side: Side,
  route: BenchRoute,
  settings: AllocBenchSettings,
  dir: string,
): Promise<AllocationSummary> {
  const profile = join(dir, `${side}-${route.id}.heapprofile`)
  const server = await startSide(side, profile, settings.app ?? 'rest')
  try {
    await send(server.url, route, settings.requests, settings.connections)
    process.kill(server.pid, 'SIGUSR2')
    await waitForFile(`${profile}.started`)
    await send(server.url, route, settings.requests, settings.connections)
    process.kill(server.pid, 'SIGUSR2')
    await waitForFile(profile)
    // The profile may still be being written when the file appears.
    for (;;) {
      try {
        return summarizeAllocations(
          JSON.parse(readFileSync(profile, 'utf8')) as SamplingHeapProfile,
        )
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  } finally {
    await server.stop()
  }
}

const GRAPHQL_ROUTES: readonly BenchRoute[] = BENCH_QUERIES.map((query) => ({
  id: `graphql-${query.id}`,
  label: `POST /graphql ${query.label}`,
  method: 'POST',
  path: '/graphql',
  body: query.body,
  headers: { 'content-type': 'application/json' },
}))

function routesOf(app: AllocApp): readonly BenchRoute[] {
  if (app === 'cache') return CACHE_ROUTES
  return app === 'graphql' ? GRAPHQL_ROUTES : BENCH_ROUTES
}

const BASELINE_LABELS: Readonly<Record<AllocApp, readonly [string, string]>> = {
  rest: ['servey start', 'raw Fastify'],
  cache: ['servey (createServer)', 'raw Fastify'],
  graphql: ['servey (serveyGraphql)', 'yoga by hand'],
}

export async function runAllocBench(settings: AllocBenchSettings): Promise<AllocReport> {
  const dir = mkdtempSync(join(tmpdir(), 'servey-alloc-'))
  try {
    const routes: AllocRouteReport[] = []
    for (const route of routesOf(settings.app ?? 'rest')) {
      const servey = await sample('servey', route, settings, dir)
      const raw = await sample('raw', route, settings, dir)
      const perRequest = (bytes: number) => bytes / settings.requests
      routes.push({
        route,
        bytesPerRequest: { servey: perRequest(servey.totalBytes), raw: perRequest(raw.totalBytes) },
        extra: extraSites(servey, raw).map(({ site, bytes }) => ({
          site,
          bytes: perRequest(bytes),
        })),
      })
    }
    return { settings, routes }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function formatAllocReport(report: AllocReport, top = 12): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
  const lines = [
    `Allocation per request (${report.settings.requests} sampled requests per side after as many ` +
      'to warm up; V8 sampling heap profiler, young garbage included)',
    '',
    formatTable(
      ['route', ...BASELINE_LABELS[report.settings.app ?? 'rest'], 'ratio'],
      report.routes.map((entry) => [
        entry.route.label,
        kb(entry.bytesPerRequest.servey),
        kb(entry.bytesPerRequest.raw),
        formatRatio(entry.bytesPerRequest.servey / entry.bytesPerRequest.raw),
      ]),
    ),
  ]
  for (const entry of report.routes) {
    lines.push(
      '',
      `${entry.route.label}: where Servey allocates more (bytes per request, by allocating function)`,
      formatTable(
        ['site', 'bytes'],
        entry.extra.slice(0, top).map(({ site, bytes }) => [site, bytes.toFixed(0)]),
      ),
    )
  }
  return lines.join('\n')
}
