// Smoke test of `pnpm bench peers`: every server of the suite starts and answers the three
// requests with the same value, and rejects an invalid GET and POST, so a figure of the suite
// never compares servers that do different work. Correctness only: nothing here is timed.
//
// Each server costs 2–4 s of CPU to load through tsx, about 35 s for all eleven: too much for
// every CI run on 2 cores. By default this checks Servey, the REST baseline, and the peers whose
// set-up is the least ordinary (NestJS with class-validator and NestJS GraphQL, which need the
// decorator metadata tsx does not emit; tRPC, asked on its own URL shape). BENCH_PEERS_SMOKE=all
// checks every server, as `pnpm bench peers` does before it measures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServerProcess } from '../lib/server-process.ts'
import { EXPECTED, ask, invalidRequest } from './answers.ts'
import { ENDPOINTS, FRAMEWORKS, type Framework, type PeerRequest } from './frameworks.ts'
import { startAll } from './peers-bench.ts'

const SMOKE_SUBSET = ['servey', 'fastify', 'nest', 'nest-graphql', 'trpc']
const CHECKED =
  process.env['BENCH_PEERS_SMOKE'] === 'all'
    ? FRAMEWORKS
    : FRAMEWORKS.filter((framework) => SMOKE_SUBSET.includes(framework.id))

let servers = new Map<string, ServerProcess>()

beforeAll(async () => {
  servers = await startAll(CHECKED)
}, 240_000)

afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.stop()))
})

function url(framework: Framework): string {
  const server = servers.get(framework.id)
  if (server === undefined) throw new Error(`${framework.id} is not running`)
  return server.url
}

const cases = CHECKED.flatMap((framework) =>
  ENDPOINTS.flatMap((endpoint) => {
    const request = framework.requests[endpoint]
    return request === undefined ? [] : [[framework.id, endpoint, framework, request] as const]
  }),
)

describe('pnpm bench peers: every server does the same work', () => {
  it.each(cases)(
    '%s answers %s with the expected value',
    async (_id, endpoint, framework, request) => {
      const answer = await ask(framework, url(framework), request)
      expect(answer.status).toBe(200)
      expect(answer.value).toEqual(EXPECTED[endpoint])
    },
  )

  const validated = cases.filter(
    (entry): entry is readonly [string, 'get' | 'post', Framework, PeerRequest] =>
      entry[1] !== 'graphql',
  )
  it.each(validated)(
    '%s rejects an invalid %s with a 400',
    async (_id, endpoint, framework, request) => {
      const answer = await ask(framework, url(framework), invalidRequest(request, endpoint))
      expect(answer.status).toBe(400)
    },
  )
})
