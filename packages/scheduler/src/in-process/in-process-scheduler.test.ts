import { action, anyScope, Type } from '@servey/core'
import { afterEach, describe, expect, it } from 'vitest'
import { every } from '../schedule-trigger.ts'
import { schedulesOf } from '../schedules-of.ts'
import { eventually, invokerFor, recordingLogger, sleep } from '../test-support/fixtures.ts'
import {
  startInProcessScheduler,
  type InProcessScheduler,
  type ScheduledRunEvent,
} from './in-process-scheduler.ts'

let running: InProcessScheduler | undefined
afterEach(async () => {
  await running?.stop(1000)
  running = undefined
})

function start(actions: Record<string, unknown>, events: ScheduledRunEvent[] = []) {
  const invoker = invokerFor(actions)
  const log = recordingLogger()
  running = startInProcessScheduler(schedulesOf(invoker.registry), {
    invoker,
    log,
    onRun: (event) => events.push(event),
  })
  return { log, events }
}

describe('startInProcessScheduler', () => {
  it('runs an action at a fixed rate with its params and a system authorization', async () => {
    const seen: unknown[] = []
    const tick = action(
      {
        triggers: [every(30, { params: { n: 7 }, scopes: ['system'] })],
        params: Type.Object({ n: Type.Number() }),
        access: anyScope('system'),
      },
      function tick({ n }, context) {
        seen.push({
          n,
          subject: context.authorization?.subject,
          scopes: context.authorization?.scopes,
          kind: context.trigger.kind,
        })
      },
    )
    start({ tick })
    await eventually(() => (seen.length >= 3 ? true : undefined))
    expect(seen[0]).toEqual({ n: 7, subject: null, scopes: ['system'], kind: 'schedule' })
  })

  it('applies access control: a schedule without the scope fails, is logged and goes on', async () => {
    const guarded = action(
      { triggers: [every(30)], access: anyScope('system') },
      function guarded() {},
    )
    const { log, events } = start({ guarded })
    await eventually(() => (events.length >= 2 ? true : undefined))
    expect(events.every((event) => !event.ok)).toBe(true)
    expect(log.lines.filter((line) => line.level === 'error').length).toBeGreaterThanOrEqual(2)
  })

  it('keeps going after a failing run', async () => {
    let calls = 0
    const flaky = action({ triggers: [every(30)] }, function flaky() {
      calls++
      if (calls === 1) throw new Error('boom')
    })
    const { events } = start({ flaky })
    await eventually(() => (events.length >= 3 ? true : undefined))
    expect(events.map((event) => event.ok).slice(0, 3)).toEqual([false, true, true])
  })

  it('never overlaps an action with itself: slow runs skip ticks', async () => {
    let active = 0
    let most = 0
    const slow = action({ triggers: [every(20)] }, async function slow() {
      active++
      most = Math.max(most, active)
      await sleep(70)
      active--
    })
    const { events, log } = start({ slow })
    await sleep(300)
    expect(most).toBe(1)
    expect(events.length).toBeGreaterThanOrEqual(2)
    expect(events.length).toBeLessThanOrEqual(5)
    expect(
      log.lines.some((line) => line.level === 'warn' && String(line.msg).includes('skipped')),
    ).toBe(true)
  })

  it("with overlap 'queue' runs a missed tick right after the running one", async () => {
    let active = 0
    let most = 0
    const starts: number[] = []
    const queued = action({ triggers: [every(20, { overlap: 'queue' })] }, async function queued() {
      active++
      most = Math.max(most, active)
      starts.push(Date.now())
      await sleep(50)
      active--
    })
    start({ queued })
    await eventually(() => (starts.length >= 3 ? true : undefined))
    expect(most).toBe(1)
    // Back to back: the queued run starts as soon as the previous one ends.
    expect(starts[2]! - starts[1]!).toBeLessThan(80)
  })

  it('stop() waits for the running run', async () => {
    let finished = false
    const long = action({ triggers: [every(10)] }, async function long() {
      await sleep(100)
      finished = true
    })
    const scheduler = startInProcessScheduler(schedulesOf(invokerFor({ long }).registry), {
      invoker: invokerFor({ long }),
      log: recordingLogger(),
    })
    await sleep(30)
    await scheduler.stop(2000)
    expect(finished).toBe(true)
  })
})
