import { randomUUID } from 'node:crypto'
import type { Invoker, Logger, RegisteredAction } from '@servey/core'
import { runJob } from '../run-job.ts'
import {
  describeSchedule,
  nextRunAfter,
  type ScheduleTrigger,
  type ScheduledRunTrigger,
} from '../schedule-trigger.ts'
import { systemAuthorization } from '../system-authorization.ts'

export interface InProcessSchedulerOptions {
  readonly invoker: Invoker
  readonly log: Logger
  /** For tests and benchmarks: called after each run with the tick it was due at. */
  readonly onRun?: (event: ScheduledRunEvent) => void
}

export interface ScheduledRunEvent {
  readonly action: string
  readonly dueAt: number
  readonly startedAt: number
  readonly ok: boolean
}

export interface InProcessScheduler {
  /** Stops the timers and waits for the runs in progress (up to `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>
}

interface Slot {
  readonly action: RegisteredAction
  readonly trigger: ScheduleTrigger
  readonly index: number
  timer: NodeJS.Timeout | undefined
  running: Promise<void> | undefined
  queued: number | undefined
}

/**
 * Timers in this process, one per schedule of every action. A run that is still going when
 * the next tick comes makes that tick skip (or wait, with `overlap: 'queue'`), so an action
 * never overlaps itself; a failed run is logged and the schedule goes on.
 */
export function startInProcessScheduler(
  schedules: ReadonlyArray<{ action: RegisteredAction; trigger: ScheduleTrigger; index: number }>,
  options: InProcessSchedulerOptions,
): InProcessScheduler {
  const origin = Date.now()
  let stopped = false
  const slots: Slot[] = schedules.map((schedule) => ({
    ...schedule,
    timer: undefined,
    running: undefined,
    queued: undefined,
  }))

  const run = (slot: Slot, dueAt: number): void => {
    const startedAt = Date.now()
    const trigger: ScheduledRunTrigger = {
      ...slot.trigger,
      tick: `${slot.action.name}#${slot.index}@${dueAt}`,
    }
    const log = options.log.child({
      action: slot.action.name,
      schedule: describeSchedule(slot.trigger),
    })
    slot.running = runJob(options.invoker, {
      action: slot.action.name,
      params: structuredClone(slot.trigger.params),
      authorization: systemAuthorization(slot.trigger.scopes),
      trigger,
      signal: new AbortController().signal,
      requestId: randomUUID(),
      log,
    }).then((outcome) => {
      if (!outcome.ok)
        log.error(
          { code: outcome.error.code, err: outcome.error },
          `scheduled run of ${slot.action.name} failed`,
        )
      options.onRun?.({ action: slot.action.name, dueAt, startedAt, ok: outcome.ok })
      slot.running = undefined
      const queued = slot.queued
      slot.queued = undefined
      if (queued !== undefined && !stopped) run(slot, queued)
    })
  }

  const arm = (slot: Slot, after: number): void => {
    if (stopped) return
    const dueAt = nextRunAfter(slot.trigger, origin, after)
    slot.timer = setTimeout(
      () => {
        if (slot.running === undefined) run(slot, dueAt)
        else if (slot.trigger.overlap === 'queue') slot.queued ??= dueAt
        else
          options.log.warn(
            { action: slot.action.name },
            `skipped a tick of ${slot.action.name}: the previous run is still going`,
          )
        arm(slot, Math.max(dueAt, Date.now()))
      },
      Math.max(0, dueAt - Date.now()),
    )
    // Schedules alone must not keep a process alive: the server or worker does.
    slot.timer.unref()
  }

  for (const slot of slots) arm(slot, origin)

  return {
    async stop(timeoutMs = 10_000) {
      stopped = true
      for (const slot of slots) clearTimeout(slot.timer)
      const running = slots.flatMap((slot) => (slot.running === undefined ? [] : [slot.running]))
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.all(running),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs)
        }),
      ])
      clearTimeout(timer)
    },
  }
}
