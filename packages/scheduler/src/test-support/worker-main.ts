/**
 * A worker process for the multi-process tests: `SCENARIO=ticks` records each tick of
 * `every(500ms)`, `SCENARIO=slow` records the start and end of a slow job. Each record goes to
 * Redis, so the test sees what every process did.
 */
import { action } from '@servey/core'
import { Redis } from 'ioredis'
import { startScheduler } from '../create-scheduler.ts'
import { every } from '../schedule-trigger.ts'
import { invokerFor } from './fixtures.ts'
import { LOCK_DURATION_MS, STALLED_INTERVAL_MS } from './worker-timing.ts'

const env = process.env
const url = env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'
const prefix = env['PREFIX'] ?? 'servey-test'
const redis = new Redis(url)

const beat = action({ triggers: [every(500)] }, async function beat(_params, context) {
  await redis.rpush(
    `${prefix}:ticks`,
    `${(context.trigger as { tick?: string }).tick}|${process.pid}`,
  )
})

const slow_job = action({ timeout: '10s' }, async function slow_job(_params, context) {
  await redis.rpush(`${prefix}:started`, String(process.pid))
  await new Promise((resolve) => setTimeout(resolve, 1500))
  await redis.rpush(`${prefix}:completed`, `${context.requestId}|${process.pid}`)
  return process.pid
})

const scheduler = await startScheduler({
  invoker: invokerFor(env['SCENARIO'] === 'ticks' ? { beat } : { slow_job }),
  redisUrl: url,
  prefix,
  queue: env['QUEUE'] ?? 'servey',
  role: 'worker',
  lockDuration: LOCK_DURATION_MS,
  stalledInterval: STALLED_INTERVAL_MS,
  shutdownTimeout: 3000,
})
process.stdout.write('ready\n')
process.once('SIGTERM', () => {
  void scheduler
    .close()
    .then(() => redis.quit())
    .then(() => process.exit(0))
})
