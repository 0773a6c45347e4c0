// CPU time read from /proc, as the benches read their servers': this test process's own.
import { expect, it } from 'vitest'
import { processCpuMicros, threadCpuMicros } from './process-cpu.ts'

it.skipIf(process.platform !== 'linux')(
  'reads a process and its main thread, which has used no more than the whole process',
  () => {
    // Burn some CPU on the main thread so there is something to read at 10 ms ticks.
    const until = process.cpuUsage().user + 50_000
    while (process.cpuUsage().user < until) Math.sqrt(Math.random())
    const thread = threadCpuMicros(process.pid, process.pid)
    const whole = processCpuMicros(process.pid)
    expect(thread).toBeGreaterThan(0)
    expect(whole).toBeGreaterThanOrEqual(thread ?? Number.POSITIVE_INFINITY)
    expect(threadCpuMicros(process.pid, 0)).toBeUndefined()
  },
)
