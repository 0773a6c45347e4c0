import { appendFileSync } from 'node:fs'
import { action, channel, Type, WEB_GET, WEB_POST } from '@servey/core'
import { every } from '@servey/scheduler'

/** Answers after `delay` ms, so a test can have requests in flight when SIGTERM arrives. */
export const slow = action(
  {
    triggers: [WEB_GET],
    params: Type.Object({ delay: Type.Optional(Type.Integer({ minimum: 0, maximum: 5000 })) }),
    result: Type.Object({ pid: Type.Integer() }),
  },
  async ({ delay }) => {
    if (delay !== undefined && delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
    return { pid: process.pid }
  },
)

// Each tick leaves a line in TICKS_FILE, so a test can see when the schedule stops.
export const tick = action({ triggers: [every(100)] }, () => {
  const file = process.env['TICKS_FILE']
  if (file !== undefined) appendFileSync(file, `${Date.now()}\n`)
})

// A background job that takes `ms`, for draining jobs at shutdown; leaves its end in JOBS_FILE.
export const work = action(
  {
    triggers: [WEB_POST],
    params: Type.Object({ ms: Type.Integer({ minimum: 0, maximum: 60000 }) }),
    result: Type.Integer(),
  },
  async ({ ms }) => {
    await new Promise((resolve) => setTimeout(resolve, ms))
    const file = process.env['JOBS_FILE']
    if (file !== undefined) appendFileSync(file, `done ${ms}\n`)
    return ms
  },
)

export const news = channel('news', { payload: Type.String() })
