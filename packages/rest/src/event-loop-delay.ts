import { monitorEventLoopDelay } from 'node:perf_hooks'

/** The event loop's recent delay, in milliseconds, measured in the background. */
export interface EventLoopDelayMonitor {
  /** The mean delay over the last sample: Infinity when the loop was blocked all of it. */
  delay(): number
  stop(): void
}

/**
 * How often Node's monitor wakes the loop to time it. 100 ms, where `@fastify/under-pressure`
 * (used until 2026-12-07) fixes 10 ms: its 100 wake-ups a second cost an idle `servey start`
 * 8 to 11 ms of CPU per second on the bench host (none with shedding off), and about 1 ms at
 * 100 ms (BENCHMARKS.md, 2026-12-07 18:29 to 19:50). A limit of a second or so
 * (`SERVEY_MAX_EVENT_LOOP_DELAY`, default 1000) needs no finer grain: a handler that blocks for
 * 2 s shows as well in 10 samples as in 100.
 */
export const DELAY_RESOLUTION_MS = 100

/**
 * Measures the event-loop delay as under-pressure did (the mean of Node's histogram over each
 * sample, less the resolution) with a coarser timer. One sample a second by default.
 *
 * The histogram is never reset. Node's monitor skips the first timing after a reset (it has no
 * previous tick to measure from), so a block that began within one resolution after a reset
 * went unseen, and the next sample then looked calm: one block in ten at 100 ms. The mean of a
 * sample is worked out from the running count and mean instead.
 */
export function watchEventLoopDelay(sampleMs = 1000): EventLoopDelayMonitor {
  const histogram = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS })
  histogram.enable()
  let delay = 0
  let count = 0
  let total = 0
  const timer = setInterval(() => {
    const nowCount = histogram.count
    const nowTotal = nowCount === 0 ? 0 : (histogram.mean / 1e6) * nowCount
    // No timing at all in this sample: the loop was blocked through all of it.
    delay =
      nowCount === count
        ? Infinity
        : Math.max(0, (nowTotal - total) / (nowCount - count) - DELAY_RESOLUTION_MS)
    count = nowCount
    total = nowTotal
  }, sampleMs)
  // A monitor must not keep a process alive that has nothing else to do.
  timer.unref()
  return {
    delay: () => delay,
    stop: () => {
      clearInterval(timer)
      histogram.disable()
    },
  }
}
