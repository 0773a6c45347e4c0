import { describe, expect, it } from 'vitest'
import { canSeeJob, checkCancellable } from './job-access.ts'
import type { JobState } from './job-runner.ts'

const job = (subject: string | null, status: JobState['status'] = 'running'): JobState => ({
  id: 'j1',
  action: 'predict',
  status,
  progress: 0,
  subject,
  createdAt: '2026-01-01T00:00:00Z',
})
const caller = (subject: string, scopes: string[] = []) => ({ subject, scopes, claims: {} })

describe('canSeeJob', () => {
  it('lets the owner and the admin scope see a job, and nobody else', () => {
    expect(canSeeJob(job('ada'), caller('ada'), 'admin')).toBe(true)
    expect(canSeeJob(job('ada'), caller('bob'), 'admin')).toBe(false)
    expect(canSeeJob(job('ada'), null, 'admin')).toBe(false)
    expect(canSeeJob(job('ada'), caller('bob', ['admin']), 'admin')).toBe(true)
    expect(canSeeJob(job('ada'), caller('bob', ['admin']), 'ops')).toBe(false)
  })

  it('treats an anonymous job as reachable by its id alone', () => {
    expect(canSeeJob(job(null), null, 'admin')).toBe(true)
    expect(canSeeJob(job(null), caller('bob'), 'admin')).toBe(true)
  })
})

describe('checkCancellable', () => {
  it('refuses finished jobs with CONFLICT and lets queued or running ones go', () => {
    expect(() => checkCancellable(job('ada', 'succeeded'))).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'Job j1 has already succeeded' }),
    )
    expect(() => checkCancellable(job('ada', 'failed'))).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    )
    expect(() => checkCancellable(job('ada', 'queued'))).not.toThrow()
    expect(() => checkCancellable(job('ada', 'running'))).not.toThrow()
  })
})
