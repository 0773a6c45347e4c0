import { action, createInvoker, createRegistry, Type } from '@servey/core'
import { startScheduler } from '@servey/scheduler'
import type { RunSettings, Timing } from './raw-bullmq.ts'

/** The same trivial jobs as background calls through Servey: enqueue, worker, invoke pipeline. */
export async function runServeyJobs(settings: RunSettings): Promise<Timing> {
  let done = 0
  let finish: () => void = () => undefined
  const finished = new Promise<void>((resolve) => (finish = resolve))
  const add = action(
    { params: Type.Object({ a: Type.Number(), b: Type.Number() }), result: Type.Number() },
    function add({ a, b }) {
      if (++done === settings.jobs) finish()
      return a + b
    },
  )
  const invoker = createInvoker(createRegistry({ add }), { validateResult: false })
  const scheduler = await startScheduler({
    invoker,
    redisUrl: settings.redisUrl,
    prefix: settings.prefix,
    queue: 'servey',
    concurrency: settings.concurrency,
  })
  const started = performance.now()
  const cpu = process.cpuUsage()
  const enqueues: Promise<string>[] = []
  for (let index = 0; index < settings.jobs; index++) {
    enqueues.push(
      scheduler.jobs.enqueue({ action: 'add', params: { a: index, b: 1 }, authorization: null }),
    )
  }
  await Promise.all(enqueues)
  await finished
  const elapsed = performance.now() - started
  const used = process.cpuUsage(cpu)
  await scheduler.close()
  return { ms: elapsed, cpuMs: (used.user + used.system) / 1000 }
}
