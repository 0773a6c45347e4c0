import { describeRedis, startPrivateRedis, type PrivateRedis } from '@servey/testing/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverReadiness, type ServerReadiness } from './server-readiness.ts'

async function eventually<T>(read: () => Promise<T>, wanted: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const value = await read()
    if (wanted(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('serverReadiness without Redis', () => {
  it('is ready until shutdown is marked', async () => {
    const readiness = await serverReadiness({})
    expect(await readiness.check()).toEqual({ ready: true })
    readiness.markShuttingDown()
    expect(await readiness.check()).toMatchObject({ ready: false, reason: 'shutting_down' })
    await readiness.close()
  })
})

describeRedis('serverReadiness with REDIS_URL', () => {
  let redis: PrivateRedis
  let readiness: ServerReadiness | undefined

  beforeAll(async () => {
    redis = await startPrivateRedis()
  }, 20_000)

  afterAll(async () => {
    await readiness?.close()
    await redis?.dispose()
  })

  it('follows an outage of Redis and its return', async () => {
    readiness = await serverReadiness({ REDIS_URL: redis.url })
    expect(await readiness.check()).toEqual({ ready: true })
    await redis.stop()
    const down = await eventually(
      () => readiness!.check(),
      (state) => !state.ready,
    )
    expect(down).toEqual({
      ready: false,
      reason: 'dependency_unavailable',
      detail: 'Redis does not answer',
    })
    await redis.start()
    expect(
      await eventually(
        () => readiness!.check(),
        (state) => state.ready,
      ),
    ).toEqual({
      ready: true,
    })
    // Shutting down wins over a healthy Redis.
    readiness.markShuttingDown()
    expect(await readiness.check()).toMatchObject({ reason: 'shutting_down' })
  }, 40_000)

  it('refuses to start when Redis does not answer, with a coded error and no password', async () => {
    const stopped = await startPrivateRedis()
    await stopped.dispose()
    const url = `redis://:hunter2@127.0.0.1:${stopped.port}`
    const failure = await serverReadiness({ REDIS_URL: url }).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    )
    expect(failure?.code).toBe('SERVEY_ERR_CLI_REDIS_UNREACHABLE')
    expect(failure?.message).toContain(`redis://:***@127.0.0.1:${stopped.port}`)
    expect(failure?.message).toContain('ECONNREFUSED')
    expect(failure?.message).not.toContain('hunter2')
  }, 20_000)
})
