import { describe, expect, it } from 'vitest'
import { cronExpression, rateExpression } from './schedule-expression.ts'

const at = { action: 'tick', index: 0 }
const cron = (expression: string, tz?: string) =>
  cronExpression({ cron: expression, ...(tz === undefined ? {} : { tz }) }, at)

describe('rateExpression', () => {
  it('writes whole minutes, hours and days in the largest unit, singular for one', () => {
    expect(rateExpression(60_000)).toEqual({ expression: 'rate(1 minute)' })
    expect(rateExpression(5 * 60_000)).toEqual({ expression: 'rate(5 minutes)' })
    expect(rateExpression(60 * 60_000)).toEqual({ expression: 'rate(1 hour)' })
    expect(rateExpression(90 * 60_000)).toEqual({ expression: 'rate(90 minutes)' })
    expect(rateExpression(48 * 3_600_000)).toEqual({ expression: 'rate(2 days)' })
  })

  it('rounds a sub-minute or uneven interval up to whole minutes, with a warning', () => {
    expect(rateExpression(10_000)).toEqual({
      expression: 'rate(1 minute)',
      warning: 'every 10000 ms runs every 1 minute on AWS: EventBridge rates are whole minutes',
    })
    expect(rateExpression(90_000).expression).toBe('rate(2 minutes)')
  })
})

describe('cronExpression', () => {
  it('adds the year and a ? in the day field that is not set', () => {
    expect(cron('*/5 * * * *')).toEqual({ expression: 'cron(*/5 * * * ? *)' })
    expect(cron('0 12 1 * *')).toEqual({ expression: 'cron(0 12 1 * ? *)' })
    expect(cron('0 0 L * *').expression).toBe('cron(0 0 L * ? *)')
  })

  it('spells weekdays as names, Sunday being 0 or 7', () => {
    expect(cron('0 9 * * 1-5').expression).toBe('cron(0 9 ? * MON,TUE,WED,THU,FRI *)')
    expect(cron('0 9 * * 0').expression).toBe('cron(0 9 ? * SUN *)')
    expect(cron('0 9 * * 7').expression).toBe('cron(0 9 ? * SUN *)')
    expect(cron('0 9 * * 5-7').expression).toBe('cron(0 9 ? * SUN,FRI,SAT *)')
    expect(cron('0 9 * * sat,sun').expression).toBe('cron(0 9 ? * SUN,SAT *)')
    expect(cron('0 9 * * */2').expression).toBe('cron(0 9 ? * SUN,TUE,THU,SAT *)')
    expect(cron('0 9 * * 0-7').expression).toBe('cron(0 9 * * ? *)')
    expect(cron('0 9 * * 5#3').expression).toBe('cron(0 9 ? * 6#3 *)')
  })

  it('drops a seconds field of 0, and keeps a time zone for EventBridge Scheduler', () => {
    expect(cron('0 30 8 * * *', 'Europe/Paris')).toEqual({
      expression: 'cron(30 8 * * ? *)',
      timezone: 'Europe/Paris',
    })
    expect(cron('0 8 * * *', 'UTC')).toEqual({ expression: 'cron(0 8 * * ? *)' })
  })

  it('refuses what EventBridge cannot run, with a coded error', () => {
    for (const [expression, why] of [
      ['*/10 * * * * *', /at most once a minute/],
      ['0 0 1 * 1', /both a day of the month and a day of the week/],
      ['0 0 * * FUN', /unknown day of week/],
      ['0 0 * * 1L', /unknown day of week/],
      ['0 0 * * 1~2', /not a day, range, list or step/],
      ['0 H * * *', /the hour field 'H'/],
    ] as const) {
      expect(() => cron(expression)).toThrow(
        expect.objectContaining({
          code: 'SERVEY_ERR_SLS_SCHEDULE_UNSUPPORTED',
          message: expect.stringMatching(why),
        }),
      )
    }
  })
})
