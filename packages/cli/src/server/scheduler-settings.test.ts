import { describe, expect, it } from 'vitest'
import { schedulerSettingsFrom } from './scheduler-settings.ts'

describe('schedulerSettingsFrom', () => {
  it('reads nothing from an empty environment, so the scheduler keeps its defaults', () => {
    expect(schedulerSettingsFrom({})).toEqual({})
    expect(schedulerSettingsFrom({ REDIS_URL: '', SERVEY_JOB_LOCK_DURATION: ' ' })).toEqual({})
  })

  it('reads the Redis URL, the prefix and every duration, a bare number as milliseconds', () => {
    expect(
      schedulerSettingsFrom({
        REDIS_URL: 'redis://127.0.0.1:6379',
        SERVEY_JOBS_PREFIX: 'shop',
        SERVEY_SHUTDOWN_TIMEOUT: '5s',
        SERVEY_JOB_LOCK_DURATION: '15000',
        SERVEY_JOB_STALLED_INTERVAL: '5s',
        SERVEY_JOB_RETENTION: '10m',
      }),
    ).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: 'shop',
      shutdownTimeout: 5000,
      lockDuration: 15_000,
      stalledInterval: 5000,
      retention: 600_000,
    })
  })

  it.each([
    'SERVEY_SHUTDOWN_TIMEOUT',
    'SERVEY_JOB_LOCK_DURATION',
    'SERVEY_JOB_STALLED_INTERVAL',
    'SERVEY_JOB_RETENTION',
  ])('refuses a %s that is not a positive duration, naming the variable', (variable) => {
    for (const value of ['soon', '0', '-5s']) {
      expect(() => schedulerSettingsFrom({ [variable]: value })).toThrow(
        expect.objectContaining({
          code: 'SERVEY_ERR_DURATION_INVALID',
          message: expect.stringContaining(variable),
        }),
      )
    }
  })

  it('reads SERVEY_JOB_PAYLOAD_LIMIT in bytes, and refuses what is not a whole number', () => {
    expect(schedulerSettingsFrom({ SERVEY_JOB_PAYLOAD_LIMIT: '65536' })).toEqual({
      maxJobPayload: 65_536,
    })
    expect(() => schedulerSettingsFrom({ SERVEY_JOB_PAYLOAD_LIMIT: '64kb' })).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_CONFIG_INVALID' }),
    )
  })
})
