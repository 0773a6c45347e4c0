import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BENCH_QUERIES } from '../graphql/queries.ts'
import { startServerProcess, type ServerProcess } from '../lib/server-process.ts'
import { startServeyStart } from '../lib/servey-start-process.ts'
import { BENCH_ROUTES } from '../rest/routes.ts'

/** The three requests of issue 13: a GET with a query parameter, a validated POST, a GraphQL list. */
export type Endpoint = 'get' | 'post' | 'graphql'
export const ENDPOINTS: readonly Endpoint[] = ['get', 'post', 'graphql']

export const ENDPOINT_LABELS: Readonly<Record<Endpoint, string>> = {
  get: 'GET say-hello?name=World',
  post: 'POST create-order (5-field body, validated)',
  graphql: 'GraphQL { orders(count: 100) { id item qty price express tags } }',
}

export interface PeerRequest {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly body?: string
  readonly headers?: Record<string, string>
}

export interface Framework {
  /** The name `--only` takes. */
  readonly id: string
  readonly label: string
  /** The npm packages whose installed versions the report records. */
  readonly packages: readonly string[]
  /** How this server is asked for each endpoint it serves (none: not measured there). */
  readonly requests: Partial<Record<Endpoint, PeerRequest>>
  /** The value a client reads from the answer's JSON (tRPC wraps it in an envelope). */
  readonly unwrap?: (json: unknown) => unknown
  start(): Promise<ServerProcess>
}

function route(id: string): PeerRequest {
  const found = BENCH_ROUTES.find((entry) => entry.id === id)
  if (found === undefined) throw new Error(`no bench route ${id}`)
  const { method, path, body, headers } = found
  return { method, path, ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) }
}

const GET = route('get-query')
const POST = route('post-body')
const ORDERS_QUERY = BENCH_QUERIES.find((query) => query.id === 'orders')
if (ORDERS_QUERY === undefined) throw new Error('no orders query in ../graphql/queries.ts')
const GRAPHQL: PeerRequest = {
  method: 'POST',
  path: '/graphql',
  body: ORDERS_QUERY.body,
  headers: { 'content-type': 'application/json' },
}
const REST = { get: GET, post: POST } as const

/** The same input for tRPC, on its own URL shape: the procedure's path, the input as JSON. */
const TRPC = {
  get: {
    method: 'GET',
    path: `/trpc/sayHello?input=${encodeURIComponent(JSON.stringify({ name: 'World' }))}`,
  },
  post: { ...POST, path: '/trpc/createOrder' },
} as const

const SERVER_ENV = { NODE_ENV: 'production' }

function entry(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url))
}

function child(name: string, file: string, env: Record<string, string> = {}) {
  return () =>
    startServerProcess({
      name,
      entry: entry(file),
      env: { ...SERVER_ENV, ...env },
      stdout: 'ignore',
      // Nest loads for about 4 s of CPU through tsx: a loaded machine needs longer than 30 s.
      timeoutMs: 120_000,
    })
}

/**
 * Every framework of the suite. No server logs requests: the peers log none by default, so
 * `servey start` runs with LOG_LEVEL=warn and raw Fastify with its logger off (`pnpm bench rest`
 * measures both with their request logs on).
 */
export const FRAMEWORKS: readonly Framework[] = [
  {
    id: 'servey',
    label: 'Servey (servey start)',
    packages: ['@servey/cli', 'fastify', 'graphql-yoga'],
    requests: { ...REST, graphql: GRAPHQL },
    start: () =>
      startServeyStart({
        entry: entry('./app/actions.ts'),
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
        env: { LOG_LEVEL: 'warn' },
        timeoutMs: 120_000,
      }),
  },
  {
    id: 'fastify',
    label: 'raw Fastify (same JSON schemas)',
    packages: ['fastify'],
    requests: REST,
    start: child('raw fastify', '../rest/raw-server.ts', { RAW_LOGGER: 'off' }),
  },
  {
    id: 'nest',
    label: 'NestJS + ValidationPipe (class-validator)',
    packages: ['@nestjs/core', '@nestjs/platform-fastify', 'class-validator', 'class-transformer'],
    requests: REST,
    start: child('nest (class-validator)', './servers/nest/class-validator-server.ts'),
  },
  {
    id: 'nest-zod',
    label: 'NestJS + StandardSchemaValidationPipe (zod)',
    packages: ['@nestjs/core', '@nestjs/platform-fastify', 'zod'],
    requests: REST,
    start: child('nest (standard schema)', './servers/nest/standard-schema-server.ts'),
  },
  {
    id: 'hono',
    label: 'Hono on @hono/node-server + zod-validator',
    packages: ['hono', '@hono/node-server', '@hono/zod-validator', 'zod'],
    requests: REST,
    start: child('hono', './servers/hono-server.ts'),
  },
  {
    id: 'express',
    label: 'Express 5 + express-validator',
    packages: ['express', 'express-validator'],
    requests: REST,
    start: child('express', './servers/express-server.ts'),
  },
  {
    id: 'orpc',
    label: 'oRPC OpenAPIHandler (node:http)',
    packages: ['@orpc/server', '@orpc/openapi', 'zod'],
    requests: REST,
    start: child('orpc', './servers/orpc-server.ts'),
  },
  {
    id: 'trpc',
    label: 'tRPC standalone (its own URLs)',
    packages: ['@trpc/server', 'zod'],
    requests: TRPC,
    unwrap: (json) => (json as { result?: { data?: unknown } } | null)?.result?.data,
    start: child('trpc', './servers/trpc-server.ts'),
  },
  {
    id: 'mercurius',
    label: 'Mercurius (Fastify GraphQL plugin)',
    packages: ['mercurius', 'fastify', 'graphql'],
    requests: { graphql: GRAPHQL },
    start: child('mercurius', './servers/mercurius-server.ts'),
  },
  {
    id: 'nest-graphql',
    label: 'NestJS GraphQL (Mercurius driver)',
    packages: ['@nestjs/graphql', '@nestjs/mercurius', 'mercurius'],
    requests: { graphql: GRAPHQL },
    start: child('nest graphql', './servers/nest/graphql-server.ts'),
  },
  {
    id: 'yoga',
    label: 'graphql-yoga by hand on Fastify',
    packages: ['graphql-yoga', 'fastify'],
    requests: { graphql: GRAPHQL },
    start: child('yoga', '../graphql/yoga-server.ts'),
  },
]

/** What every other side is divided by: raw Fastify for REST, Mercurius (Fastify's GraphQL) for GraphQL. */
export const BASELINES: Readonly<Record<Endpoint, string>> = {
  get: 'fastify',
  post: 'fastify',
  graphql: 'mercurius',
}

/** `--only=a,b`: the frameworks named, in the suite's order; an unknown name is an error. */
export function selectFrameworks(only: string | undefined): readonly Framework[] {
  if (only === undefined || only.trim() === '') return FRAMEWORKS
  const names = only.split(',').map((name) => name.trim())
  const unknown = names.filter((name) => !FRAMEWORKS.some((framework) => framework.id === name))
  if (unknown.length > 0) {
    throw new Error(
      `--only: unknown framework ${unknown.join(', ')}. Known: ${FRAMEWORKS.map((f) => f.id).join(', ')}`,
    )
  }
  return FRAMEWORKS.filter((framework) => names.includes(framework.id))
}

/** The commit of this checkout, which is the version of the @servey/* packages measured. */
function workspaceCommit(): string {
  try {
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    })
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    return dirty.trim() === '' ? sha : `${sha} + changes`
  } catch {
    return 'unknown commit'
  }
}

/** The installed version of each package the frameworks name, read from its package.json. */
export function installedVersions(frameworks: readonly Framework[]): Record<string, string> {
  const versions: Record<string, string> = {}
  for (const name of new Set(frameworks.flatMap((framework) => framework.packages))) {
    const file = fileURLToPath(new URL(`../../node_modules/${name}/package.json`, import.meta.url))
    try {
      const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version: string }
      versions[name] = name.startsWith('@servey/') ? `${version} (${workspaceCommit()})` : version
    } catch {
      versions[name] = 'not installed'
    }
  }
  return versions
}
