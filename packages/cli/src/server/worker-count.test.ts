import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { workerCountFrom } from './worker-count.ts'

const REDIS = { REDIS_URL: 'redis://127.0.0.1:6379' }

describe('workerCountFrom', () => {
  it('runs one process per core with Redis and one without, by default', () => {
    expect(workerCountFrom(undefined, REDIS)).toBe(availableParallelism())
    expect(workerCountFrom(undefined, {})).toBe(1)
    expect(workerCountFrom('auto', { REDIS_URL: '' })).toBe(1)
  })

  it('takes --workers over SERVEY_WORKERS over auto', () => {
    expect(workerCountFrom('3', { ...REDIS, SERVEY_WORKERS: '5' })).toBe(3)
    expect(workerCountFrom(undefined, { ...REDIS, SERVEY_WORKERS: '5' })).toBe(5)
    expect(workerCountFrom(undefined, { ...REDIS, SERVEY_WORKERS: ' ' })).toBe(
      availableParallelism(),
    )
    expect(workerCountFrom('1', {})).toBe(1)
  })

  it.each(['0', '-2', '1.5', 'two', '', '1025', '1e2'])('refuses %j, naming its source', (raw) => {
    expect(() => workerCountFrom(raw, REDIS)).toThrow(
      expect.objectContaining({
        code: 'SERVEY_ERR_CLI_WORKERS_INVALID',
        message: expect.stringContaining('--workers'),
      }),
    )
    expect(() => workerCountFrom(undefined, { ...REDIS, SERVEY_WORKERS: `${raw}x` })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('SERVEY_WORKERS') }),
    )
  })

  it('refuses more than one worker without Redis', () => {
    expect(() => workerCountFrom('2', {})).toThrow(
      expect.objectContaining({ code: 'SERVEY_ERR_CLI_WORKERS_NEED_REDIS' }),
    )
  })
})
