import { get } from 'node:http'
import { createServer, type Server } from 'node:net'
import { describeRedis, REDIS_URL, uniquePrefix } from '@servey/testing/redis'
import { PROCESS_START_TIMEOUT_MS } from '@servey/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  fixture,
  runServey,
  startServey,
  type ServeyProcess,
} from '../test-support/servey-process.ts'

/** The primary starts, then its workers start side by side: two starts, one after the other. */
const CLUSTER_START_TIMEOUT_MS = 2 * PROCESS_START_TIMEOUT_MS

/**
 * A rolling restart starts a new worker for each old one, one after the other, while four
 * clients keep both CPUs busy and each old worker drains: twice a cluster's start (180 s).
 */
const ROLLING_RESTART_TIMEOUT_MS = 2 * CLUSTER_START_TIMEOUT_MS

/** One request on a connection of its own (no keep-alive), so round-robin spreads them. */
function whoami(origin: string, delay = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`${origin}/actions/whoami?delay=${delay}`, { agent: false }, (response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`${response.statusCode}: ${body}`))
        else resolve((JSON.parse(body) as { pid: number }).pid)
      })
    }).on('error', reject)
  })
}

async function pidsServing(origin: string, requests = 24): Promise<Set<number>> {
  return new Set(await Promise.all(Array.from({ length: requests }, () => whoami(origin))))
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describeRedis('servey start --workers 2', () => {
  let servey: ServeyProcess
  let origin: string
  const env = {
    REDIS_URL,
    SERVEY_WORKERS: undefined,
    SERVEY_JOBS_PREFIX: uniquePrefix('workers'),
    SERVEY_CHANNELS_PREFIX: uniquePrefix('workers'),
  }

  beforeAll(async () => {
    servey = startServey(['start', '--port', '0', '--workers', '2'], {
      cwd: fixture('cluster'),
      env,
    })
    await servey.ready(/2 workers listening/, { timeoutMs: CLUSTER_START_TIMEOUT_MS })
    origin = await servey.serving()
  }, CLUSTER_START_TIMEOUT_MS + 10_000)
  afterAll(async () => {
    if (servey.child.exitCode === null) await servey.stop('SIGKILL')
  })

  it('serves from two processes on one port, neither of them the primary', async () => {
    const pids = await pidsServing(origin)
    expect(pids.size).toBe(2)
    expect(pids.has(servey.child.pid!)).toBe(false)
  })

  it('replaces a worker that dies', { timeout: PROCESS_START_TIMEOUT_MS + 15_000 }, async () => {
    const [victim] = await pidsServing(origin)
    const mark = servey.mark()
    process.kill(victim!, 'SIGKILL')
    await servey.waitFor(/worker died/, { from: mark })
    await servey.ready(/replacement worker listening/, { from: mark })
    const pids = await pidsServing(origin)
    expect(pids.size).toBe(2)
    expect(pids.has(victim!)).toBe(false)
  })

  // It once failed in CI: the old worker's close() destroyed connections the kernel had just
  // handed it, before their request arrived (Node counts them idle). The connection drain keeps
  // them and answers with Connection: close.
  it(
    'restarts every worker on SIGHUP without failing a request',
    { timeout: ROLLING_RESTART_TIMEOUT_MS + 20_000 },
    async () => {
      const before = await pidsServing(origin)
      const mark = servey.mark()
      let failures = 0
      let answered = 0
      let loading = true
      // Four clients, each with a request in flight at all times, many of them slow enough to
      // be running while their worker is told to stop.
      const clients = Array.from({ length: 4 }, async (_, index) => {
        while (loading) {
          await whoami(origin, index % 2 === 0 ? 200 : 0).then(
            () => (answered += 1),
            () => (failures += 1),
          )
        }
      })
      await new Promise((resolve) => setTimeout(resolve, 300))
      servey.child.kill('SIGHUP')
      await servey.ready(/rolling restart done/, {
        from: mark,
        timeoutMs: ROLLING_RESTART_TIMEOUT_MS,
      })
      loading = false
      await Promise.all(clients)
      expect(failures).toBe(0)
      expect(answered).toBeGreaterThan(10)
      const after = await pidsServing(origin)
      expect(after.size).toBe(2)
      for (const pid of before) {
        expect(after.has(pid)).toBe(false)
        expect(alive(pid)).toBe(false)
      }
    },
  )

  it('stops every worker on SIGTERM and exits 0', { timeout: 40_000 }, async () => {
    const pids = await pidsServing(origin)
    expect(await servey.stop('SIGTERM')).toBe(0)
    for (const pid of pids) expect(alive(pid)).toBe(false)
  })
})

describe('servey start --workers refuses what cannot work', () => {
  it('refuses more than one worker without REDIS_URL', async () => {
    const result = await runServey(['start', '--port', '0', '--workers', '2'], {
      cwd: fixture('cluster'),
      env: { REDIS_URL: undefined },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('SERVEY_ERR_CLI_WORKERS_NEED_REDIS')
  })

  it.each(['two', '0'])('refuses --workers %s', async (value) => {
    const result = await runServey(['start', '--port', '0', '--workers', value], {
      cwd: fixture('cluster'),
      env: { REDIS_URL: undefined },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('SERVEY_ERR_CLI_WORKERS_INVALID')
    expect(result.stderr).toContain(`'${value}'`)
  })

  describeRedis('a worker that cannot start', () => {
    let blocker: Server
    let port: number
    beforeAll(async () => {
      blocker = createServer()
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
      port = (blocker.address() as { port: number }).port
    })
    afterAll(() => new Promise((resolve) => blocker.close(resolve)))

    it(
      'stops the others and exits 1 with the worker error, not a restart loop',
      { timeout: CLUSTER_START_TIMEOUT_MS + 10_000 },
      async () => {
        const result = await runServey(['start', '--port', String(port), '--workers', '2'], {
          cwd: fixture('cluster'),
          env: { REDIS_URL, SERVEY_WORKERS: undefined, SERVEY_JOBS_PREFIX: uniquePrefix('w') },
          timeoutMs: CLUSTER_START_TIMEOUT_MS,
        })
        expect(result.code).toBe(1)
        expect(result.stderr + result.stdout).toContain('SERVEY_ERR_CLI_PORT_IN_USE')
        expect(result.stdout).not.toContain('replacement')
        expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /)
      },
    )
  })
})
