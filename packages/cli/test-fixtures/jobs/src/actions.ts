import { appendFileSync } from 'node:fs'
import { action, Type, WEB_POST } from '@servey/core'
import { every } from '@servey/scheduler'

// Each run leaves a line in TICKS_FILE, so a test can see schedules run in another process.
export const tick = action(
  { triggers: [every(200, { scopes: ['system'] })], result: Type.Number() },
  (_params, { authorization }) => {
    const file = process.env['TICKS_FILE']
    if (file !== undefined)
      appendFileSync(file, `${process.pid} ${authorization?.scopes.join(',') ?? '-'}\n`)
    return process.pid
  },
)

export const slow_add = action(
  {
    triggers: [WEB_POST],
    params: Type.Object({ a: Type.Number(), b: Type.Number() }),
    result: Type.Object({ sum: Type.Number(), pid: Type.Number() }),
  },
  async ({ a, b }) => {
    await new Promise((resolve) => setTimeout(resolve, 200))
    return { sum: a + b, pid: process.pid }
  },
)
