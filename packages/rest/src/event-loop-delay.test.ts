import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { watchEventLoopDelay, type EventLoopDelayMonitor } from './event-loop-delay.ts'

function block(ms: number): void {
  const until = Date.now() + ms
  while (Date.now() < until) {
    // A synchronous handler holding the loop.
  }
}

describe('watchEventLoopDelay', () => {
  let monitor: EventLoopDelayMonitor | undefined
  afterEach(() => monitor?.stop())

  it('reports a block in the sample that ends with it, and nothing once the loop is calm', async () => {
    monitor = watchEventLoopDelay(300)
    await sleep(350)
    expect(monitor.delay()).toBeLessThan(100)
    block(700)
    // The sample taken as the block ends: a mean far past the resolution, or no timing at all.
    await sleep(50)
    expect(monitor.delay()).toBeGreaterThan(250)
    // Two samples later the loop is calm again.
    await sleep(700)
    expect(monitor.delay()).toBeLessThan(100)
  })

  it('sees a block that begins just after a sample was taken', async () => {
    // Node's monitor does not time the first tick after a reset of its histogram. A monitor
    // that reset it at every sample missed a block begun right after one: here it would read
    // about 0 (the block's tick dropped, three calm ones kept) where the block adds 125 ms to
    // the mean of this 1-second sample (601 and three times 100 ms, less the resolution).
    monitor = watchEventLoopDelay(1000)
    await sleep(1001)
    block(600)
    await sleep(450)
    expect(monitor.delay()).toBeGreaterThan(60)
  })

  it('stops sampling when stopped', async () => {
    monitor = watchEventLoopDelay(100)
    await sleep(150)
    const before = monitor.delay()
    monitor.stop()
    block(400)
    await sleep(250)
    expect(monitor.delay()).toBe(before)
  })
})
