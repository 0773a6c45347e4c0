import { describeRedis, startPrivateRedis, type PrivateRedis } from '@servey/testing/redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  fixture,
  runServey,
  startServey,
  type ServeyProcess,
} from '../test-support/servey-process.ts'

async function statusOf(url: string): Promise<number> {
  return (await fetch(url)).status
}

async function eventuallyStatus(url: string, wanted: number): Promise<number> {
  const deadline = Date.now() + 20_000
  let status = await statusOf(url)
  while (status !== wanted && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    status = await statusOf(url)
  }
  return status
}

/** How each server command prints its origin: a JSON log record, or dev's banner. */
const ORIGIN = {
  start: /"api":"(http:\/\/[^"]+)"/,
  dev: /API\s+(http:\/\/\S+)\n/,
} as const

// `servey dev` reports readiness as `servey start` does (issue 11): the same checks, the same
// fail-fast start-up. The outage is of a private redis-server: the shared one must never stop
// under other tests.
for (const command of ['start', 'dev'] as const) {
  describeRedis(`servey ${command} with REDIS_URL: /health, /ready and x-request-id`, () => {
    let redis: PrivateRedis
    let servey: ServeyProcess | undefined
    let origin = ''

    beforeAll(async () => {
      redis = await startPrivateRedis()
      servey = startServey([command, '--port', '0'], {
        cwd: fixture('hello'),
        // JSON logs in both, to find the request id in.
        env: { REDIS_URL: redis.url, LOG_FORMAT: 'json' },
      })
      origin = (await servey.waitFor(ORIGIN[command], { timeoutMs: 90_000 }))[1] ?? ''
    }, 100_000)

    afterAll(async () => {
      await servey?.stop('SIGKILL')
      await redis?.dispose()
    })

    it('is live and ready, and echoes and logs a request id', async () => {
      const health = await fetch(`${origin}/health`)
      expect(health.status).toBe(200)
      expect(await health.json()).toEqual({ status: 'ok' })
      const ready = await fetch(`${origin}/ready`, { headers: { 'x-request-id': 'lb-probe-42' } })
      expect(ready.status).toBe(200)
      expect(ready.headers.get('x-request-id')).toBe('lb-probe-42')
      await servey?.waitFor(/"reqId":"lb-probe-42"/)
    })

    it('is not ready while Redis is down, and ready again once it is back; live throughout', async () => {
      await redis.stop()
      expect(await eventuallyStatus(`${origin}/ready`, 503)).toBe(503)
      const down = await fetch(`${origin}/ready`)
      expect(down.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
      expect(down.headers.get('retry-after')).toBe('1')
      expect(await down.json()).toMatchObject({
        code: 'UNAVAILABLE',
        data: { reason: 'dependency_unavailable' },
      })
      expect(await statusOf(`${origin}/health`)).toBe(200)
      await redis.start()
      expect(await eventuallyStatus(`${origin}/ready`, 200)).toBe(200)
    }, 60_000)

    it('fails fast with SERVEY_ERR_CLI_REDIS_UNREACHABLE when Redis does not answer at start', async () => {
      const gone = await startPrivateRedis()
      await gone.dispose()
      const result = await runServey([command, '--port', '0'], {
        cwd: fixture('hello'),
        env: { REDIS_URL: `redis://:s3cret@127.0.0.1:${gone.port}` },
        timeoutMs: 60_000,
      })
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(
        new RegExp(
          `^SERVEY_ERR_CLI_REDIS_UNREACHABLE: Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${gone.port}/? \\(REDIS_URL\\) does not answer: .*ECONNREFUSED`,
        ),
      )
      expect(result.stderr).not.toContain('s3cret')
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }, 70_000)
  })
}
