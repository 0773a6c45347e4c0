import { describe, expect, it } from 'vitest'
import { notReadyMessage, PROCESS_START_TIMEOUT_MS } from './process-start.ts'

describe('process start waits', () => {
  it('names the wait, the machine load and the output of a process that was not ready', () => {
    const message = notReadyMessage('worker-main.ts', PROCESS_START_TIMEOUT_MS, 'booting\n')
    expect(message).toMatch(
      /^worker-main\.ts was not ready within 45 s \(PROCESS_START_TIMEOUT_MS of @servey\/testing; load average \d+\.\d, \d+\.\d, \d+\.\d on \d+ CPUs\)\. Its output:\nbooting\n$/,
    )
  })
})
