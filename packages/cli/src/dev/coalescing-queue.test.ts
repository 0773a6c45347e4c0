import { describe, expect, it } from 'vitest'
import { createCoalescingQueue } from './coalescing-queue.ts'

describe('createCoalescingQueue', () => {
  it('runs one at a time and collapses requests made during a run into one more', async () => {
    const events: string[] = []
    let runs = 0
    let release: () => void = () => undefined
    const queue = createCoalescingQueue(async () => {
      const run = ++runs
      events.push(`start ${run}`)
      if (run === 1) await new Promise<void>((resolve) => (release = resolve))
      events.push(`end ${run}`)
    })
    queue.request()
    await new Promise((resolve) => setTimeout(resolve, 10))
    queue.request()
    queue.request()
    queue.request()
    release()
    await queue.idle()
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2'])
  })

  it('runs again for a request made after it went idle', async () => {
    let runs = 0
    const queue = createCoalescingQueue(async () => {
      runs += 1
    })
    queue.request()
    await queue.idle()
    queue.request()
    await queue.idle()
    expect(runs).toBe(2)
  })
})
