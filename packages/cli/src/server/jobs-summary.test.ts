import { action, createRegistry } from '@servey/core'
import { cron, every } from '@servey/scheduler'
import { describe, expect, it } from 'vitest'
import { jobsSummary, redactedRedisUrl } from './jobs-summary.ts'

describe('jobsSummary', () => {
  const registry = createRegistry({
    tick: action({ triggers: [every(200)] }, () => 1),
    nightly: action({ triggers: [cron('0 3 * * *')] }, () => 1),
  })

  it('says jobs run in this process, are lost on stop, and lists every schedule', () => {
    expect(jobsSummary(registry, 'in-process')).toEqual([
      '  Jobs  in this process (lost when it stops; set REDIS_URL to keep them): Prefer: respond-async, callbacks, /jobs/<id>',
      '  Schedules nightly cron 0 3 * * * (UTC), tick every 200 ms',
    ])
  })

  it('names the Redis it uses without its password', () => {
    const [jobs] = jobsSummary(createRegistry({}), 'redis', 'redis://user:s3cret@cache:6379/2')
    expect(jobs).toContain('on Redis (BullMQ, redis://user:***@cache:6379/2)')
    expect(jobs).not.toContain('s3cret')
    expect(jobsSummary(createRegistry({}), 'redis', 'redis://x')[1]).toBe('  Schedules none')
    expect(redactedRedisUrl('not a url')).toBe('REDIS_URL')
  })
})
