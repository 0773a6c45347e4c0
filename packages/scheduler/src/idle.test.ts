import {
  action,
  ActionError,
  channel,
  createChannelHub,
  createInvoker,
  createRegistry,
  Type,
} from '@servey/core'
import { startReceiver } from '@servey/testing/webhook-receiver'
import { afterEach, describe, expect, it } from 'vitest'
import { startScheduler, type SettledWork } from './create-scheduler.ts'
import { recordingLogger, sleep } from './test-support/fixtures.ts'

const Note = Type.Object({ text: Type.String() })

describe('Scheduler.idle and onSettled (what servey run waits on)', () => {
  const open: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()))
  })

  it('resolves once every job of a chain and every webhook has ended, reporting each', async () => {
    const receiver = await startReceiver()
    open.push(receiver)
    const ran: string[] = []
    const slow = action({ params: Note, result: Type.Null() }, async function slow({ text }) {
      await sleep(150)
      ran.push(`slow:${text}`)
      return null
    })
    const refuse = action({ params: Note, result: Type.Null() }, function refuse() {
      ran.push('refuse')
      throw new ActionError('CONFLICT', 'refused on purpose')
    })
    const notes = channel('notes', {
      payload: Note,
      handlers: [
        { action: slow },
        { action: refuse, group: 1 },
        { webhook: receiver.url, group: 2 },
        // Not allowed by the SSRF rules below: refused before any request.
        { webhook: 'http://10.0.0.1/hook', group: 3 },
      ],
    })
    const registry = createRegistry({ slow, refuse, notes })
    const log = recordingLogger()
    const invoker = createInvoker(registry, { log })
    const settled: SettledWork[] = []
    const scheduler = await startScheduler({
      invoker,
      log,
      role: 'api',
      redisUrl: '',
      callbacks: { secret: 's', allowedHosts: ['127.0.0.1'], backoff: 10 },
      onSettled: (work) => settled.push(work),
    })
    open.push(scheduler)
    const hub = createChannelHub(registry, {
      log,
      handlers: { jobs: scheduler.jobs, webhooks: scheduler.webhooks },
    })
    open.push(hub)

    const envelope = await hub.publish(notes, { text: 'n1' })
    await scheduler.idle()

    // Both links of the chain ran, in group order, before idle resolved.
    expect(ran).toEqual(['slow:n1', 'refuse'])
    expect(receiver.calls).toHaveLength(1)
    const jobs = settled.flatMap((work) => (work.kind === 'job' ? [work.job] : []))
    expect(jobs.map((job) => [job.action, job.status, job.error?.code])).toEqual([
      ['slow', 'succeeded', undefined],
      ['refuse', 'failed', 'CONFLICT'],
    ])
    const webhooks = settled.flatMap((work) => (work.kind === 'webhook' ? [work] : []))
    expect(webhooks).toHaveLength(2)
    const delivered = webhooks.find((work) => work.delivery.url === receiver.url)
    expect(delivered?.error).toBeUndefined()
    expect(delivered?.delivery.envelope.id).toBe(envelope.id)
    const refused = webhooks.find((work) => work.delivery.url === 'http://10.0.0.1/hook')
    expect(refused?.error?.code).toBe('BAD_REQUEST')
  })

  it('resolves at once when nothing was handed to it', async () => {
    const registry = createRegistry({})
    const scheduler = await startScheduler({
      invoker: createInvoker(registry, { log: recordingLogger() }),
      role: 'api',
      redisUrl: '',
    })
    open.push(scheduler)
    await expect(scheduler.idle()).resolves.toBeUndefined()
  })
})
