import { action, createInvoker, createRegistry } from '@servey/core'
import { every, startScheduler } from '@servey/scheduler'

/** Lateness of each in-process `every(intervalMs)` run: when it started minus when it was due. */
export async function measureDrift(intervalMs: number, durationMs: number): Promise<number[]> {
  const tick = action({ triggers: [every(intervalMs)] }, function tick() {})
  const drifts: number[] = []
  const scheduler = await startScheduler({
    invoker: createInvoker(createRegistry({ tick })),
    redisUrl: '',
    onScheduledRun: (event) => drifts.push(event.startedAt - event.dueAt),
  })
  await new Promise((resolve) => setTimeout(resolve, durationMs))
  await scheduler.close()
  return drifts
}
