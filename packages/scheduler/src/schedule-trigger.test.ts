import { action, createRegistry } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { cron, every, nextRunAfter } from './schedule-trigger.ts'
import { schedulesOf } from './schedules-of.ts'

describe('every', () => {
  it('reads durations and numbers as a fixed rate in ms', () => {
    expect(every('5m')).toMatchObject({
      kind: 'schedule',
      every: 300_000,
      scopes: [],
      overlap: 'skip',
    })
    expect(every(500, { scopes: ['system'], params: { n: 1 }, overlap: 'queue' })).toEqual({
      kind: 'schedule',
      every: 500,
      params: { n: 1 },
      scopes: ['system'],
      overlap: 'queue',
    })
  })

  it.each([['soon'], [0], [-5], [''], [Number.NaN]])('refuses %j with a coded error', (value) => {
    expect(() => every(value as string)).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_SCHED_INTERVAL_INVALID' }),
    )
  })

  it('refuses an unknown overlap mode and non-object params', () => {
    expect(() => every('1s', { overlap: 'parallel' as 'skip' })).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_SCHED_OPTION_INVALID' }),
    )
    expect(() => every('1s', { params: [1] as never })).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_SCHED_OPTION_INVALID' }),
    )
  })

  it('keeps ticks on the grid of the start time', () => {
    const trigger = every(100)
    expect(nextRunAfter(trigger, 1000, 1000)).toBe(1100)
    expect(nextRunAfter(trigger, 1000, 1150)).toBe(1200)
    expect(nextRunAfter(trigger, 1000, 1200)).toBe(1300)
  })
})

describe('cron', () => {
  it('accepts 5 and 6 fields with a time zone', () => {
    expect(cron('*/5 * * * *')).toMatchObject({ kind: 'schedule', cron: '*/5 * * * *', tz: 'UTC' })
    expect(cron('0 */10 * * * *', { tz: 'Europe/Paris' }).tz).toBe('Europe/Paris')
  })

  it.each([['not a cron'], ['* * *'], ['61 * * * *'], ['* * * * * * * *']])(
    'refuses %j with SERVEY_ERR_SCHED_CRON_INVALID',
    (expression) => {
      expect(() => cron(expression)).toThrow(
        expect.objectContaining({ code: 'SERVEY_ERR_SCHED_CRON_INVALID' }),
      )
    },
  )

  it('refuses an unknown time zone', () => {
    expect(() => cron('* * * * *', { tz: 'Mars/Olympus' })).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_SCHED_TIMEZONE_INVALID' }),
    )
  })

  it('computes the next run in its time zone', () => {
    const at = Date.UTC(2026, 0, 1, 10, 2, 0)
    expect(nextRunAfter(cron('*/5 * * * *'), 0, at)).toBe(Date.UTC(2026, 0, 1, 10, 5, 0))
    // 09:00 in Paris (UTC+1 in January) is 08:00 UTC.
    expect(nextRunAfter(cron('0 9 * * *', { tz: 'Europe/Paris' }), 0, at)).toBe(
      Date.UTC(2026, 0, 2, 8, 0, 0),
    )
  })
})

describe('schedulesOf', () => {
  it('lists each schedule of each action with its index', () => {
    const tick = action({ triggers: [every('1s'), cron('0 * * * *')] }, function tick() {})
    const other = action({ triggers: [] }, function other() {})
    const found = schedulesOf(createRegistry({ tick, other }))
    expect(
      found.map(({ action: a, index, trigger }) => [a.name, index, trigger.every ?? trigger.cron]),
    ).toEqual([
      ['tick', 0, 1000],
      ['tick', 1, '0 * * * *'],
    ])
  })
})
