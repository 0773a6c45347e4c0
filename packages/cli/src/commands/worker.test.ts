import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { connect } from 'node:net'
import { join } from 'node:path'
import { PROCESS_START_TIMEOUT_MS } from '@servey/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  fixture,
  runServey,
  startServey,
  type ServeyProcess,
} from '../test-support/servey-process.ts'

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'servey-jobs-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const lines = async (file: string): Promise<string[]> =>
  (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '')

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function pollJob(origin: string, location: string) {
  return until(async () => {
    const job = (await (await fetch(`${origin}${location}`)).json()) as {
      status: string
      result?: unknown
    }
    return job.status === 'queued' || job.status === 'running' ? undefined : job
  })
}

describe('servey start runs jobs and schedules in-process', () => {
  let servey: ServeyProcess
  let origin: string
  const ticks = () => join(dir, 'start-ticks')

  beforeAll(async () => {
    servey = startServey(['start', '--port', '0'], {
      cwd: fixture('jobs'),
      env: { TICKS_FILE: ticks(), REDIS_URL: undefined },
    })
    origin = await servey.serving()
  }, PROCESS_START_TIMEOUT_MS + 5_000)
  afterAll(async () => {
    await servey?.stop('SIGKILL')
  })

  it('answers Prefer: respond-async with 202 and a job that succeeds', async () => {
    const response = await fetch(`${origin}/actions/slow-add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ a: 2, b: 3 }),
    })
    expect(response.status).toBe(202)
    const job = await pollJob(origin, response.headers.get('location') ?? '')
    expect(job).toMatchObject({ status: 'succeeded', result: { sum: 5 } })
  })

  it('runs the schedule with its system scopes', async () => {
    const seen = await until(async () => {
      const all = await lines(ticks())
      return all.length >= 2 ? all : undefined
    })
    expect(seen[0]).toMatch(/^\d+ system$/)
  })
})

describe('servey start --no-worker', () => {
  it(
    'runs no schedules',
    async () => {
      const file = join(dir, 'no-worker-ticks')
      const servey = startServey(['start', '--port', '0', '--no-worker'], {
        cwd: fixture('jobs'),
        env: { TICKS_FILE: file, REDIS_URL: undefined },
      })
      try {
        await servey.serving()
        await new Promise((resolve) => setTimeout(resolve, 600))
        expect(await lines(file)).toEqual([])
      } finally {
        await servey.stop('SIGKILL')
      }
    },
    PROCESS_START_TIMEOUT_MS + 5_000,
  )
})

describe('servey worker', () => {
  it(
    'without Redis runs the schedules in-process and stops gracefully on SIGTERM',
    async () => {
      const file = join(dir, 'worker-ticks')
      const worker = startServey(['worker'], {
        cwd: fixture('jobs'),
        env: { TICKS_FILE: file, REDIS_URL: undefined },
      })
      await worker.ready(/servey worker: running schedules in-process/)
      await until(async () => ((await lines(file)).length >= 2 ? true : undefined))
      expect(await worker.stop('SIGTERM')).toBe(0)
    },
    PROCESS_START_TIMEOUT_MS + 15_000,
  )

  it('servey run --action=tick runs a scheduled action now', async () => {
    const result = await runServey(
      ['run', '--action=tick', '--claims={"sub":"ops","scope":"system"}'],
      { cwd: fixture('jobs') },
    )
    expect(result.code).toBe(0)
    expect(Number(result.stdout)).toBeGreaterThan(0)
  })
})

/** One Redis command over a raw socket: the CLI has no Redis client of its own. */
function redisCommand(...args: string[]): Promise<string> {
  const url = new URL(REDIS_URL)
  const payload = `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || 6379), url.hostname)
    socket.setTimeout(1000, () => socket.destroy(new Error('Redis timed out')))
    socket.once('error', reject)
    socket.once('data', (chunk) => {
      socket.end()
      resolve(chunk.toString())
    })
    socket.write(payload)
  })
}

const withRedis =
  (await redisCommand('PING').then(
    (reply) => reply.startsWith('+PONG'),
    () => false,
  )) || process.env['SERVEY_REQUIRE_REDIS'] === '1'

describe.runIf(withRedis)('servey start --no-worker with servey worker on Redis', () => {
  it(
    'the API accepts a job and a separate worker process runs it',
    async () => {
      const prefix = `servey-cli-${randomUUID().slice(0, 8)}`
      const env = { REDIS_URL, SERVEY_JOBS_PREFIX: prefix, TICKS_FILE: join(dir, 'redis-ticks') }
      const api = startServey(['start', '--port', '0', '--no-worker'], {
        cwd: fixture('jobs'),
        env,
      })
      const worker = startServey(['worker'], { cwd: fixture('jobs'), env })
      try {
        // Both start at once: the second wait is over by the time the first one's bound is.
        const origin = await api.serving()
        await worker.ready(/servey worker: running jobs and schedules from Redis/)
        const response = await fetch(`${origin}/actions/slow-add`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', prefer: 'respond-async' },
          body: JSON.stringify({ a: 1, b: 1 }),
        })
        expect(response.status).toBe(202)
        const job = (await pollJob(origin, response.headers.get('location') ?? '')) as {
          result: { pid: number }
        }
        expect(job).toMatchObject({ status: 'succeeded', result: { sum: 2 } })
        expect(job.result.pid).toBe(worker.child.pid)
      } finally {
        await Promise.all([api.stop('SIGKILL'), worker.stop('SIGTERM')])
        const script =
          "for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) end"
        await redisCommand('EVAL', script, '0', `${prefix}:*`)
      }
    },
    PROCESS_START_TIMEOUT_MS + 15_000,
  )
})

describe('job settings from the environment', () => {
  it.each([
    ['worker', ['worker']],
    ['start', ['start', '--port', '0']],
  ])('servey %s refuses a bad SERVEY_JOB_LOCK_DURATION before it connects', async (_name, args) => {
    const result = await runServey(args, {
      cwd: fixture('jobs'),
      env: { SERVEY_JOB_LOCK_DURATION: 'soon', REDIS_URL: undefined },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('SERVEY_ERR_DURATION_INVALID')
    expect(result.stderr).toContain('SERVEY_JOB_LOCK_DURATION')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})
