import { action, createInvoker, createRegistry } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { createInProcessJobs } from './in-process/in-process-jobs.ts'
import { reportProgress } from './report-progress.ts'
import { eventually, recordingLogger } from './test-support/fixtures.ts'

describe('reportProgress', () => {
  it('shows a background job’s progress, and is harmless anywhere else', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const steps = action({}, async function steps(_params, context) {
      await reportProgress(context, 42.4)
      await gate
      return 'done'
    })
    const invoker = createInvoker(createRegistry({ steps }))
    const jobs = createInProcessJobs({
      invoker,
      log: recordingLogger(),
      callbacks: { secret: 'k', policy: {} },
    })
    const id = await jobs.enqueue({ action: 'steps', params: {}, authorization: null })
    await eventually(async () => ((await jobs.get(id))?.progress === 42 ? true : undefined))
    release()
    await eventually(async () => ((await jobs.get(id))?.status === 'succeeded' ? true : undefined))
    expect((await jobs.get(id))?.progress).toBe(100)
    // A direct call has no job to report to.
    expect(await steps({})).toBe('done')
    await jobs.close(1000)
  })
})
