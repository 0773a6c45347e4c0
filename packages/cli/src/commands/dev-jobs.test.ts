import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFixture, startServey, type ServeyProcess } from '../test-support/servey-process.ts'

const API_LINE = /API\s+(http:\/\/\S+)\n/

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

interface Job {
  status: string
  result?: { sum: number; pid: number }
}

describe('servey dev runs schedules and background jobs, and reloads them', () => {
  let app: { dir: string; remove(): Promise<void> }
  let logs: string
  let servey: ServeyProcess
  let origin: string
  const ticks = () => join(logs, 'ticks')

  const startJob = async (a: number, b: number): Promise<string> => {
    const response = await fetch(`${origin}/actions/slow-add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ a, b }),
    })
    expect(response.status).toBe(202)
    expect(response.headers.get('preference-applied')).toBe('respond-async')
    return response.headers.get('location') ?? ''
  }
  const finished = (location: string): Promise<Job> =>
    until(async () => {
      const job = (await (await fetch(`${origin}${location}`)).json()) as Job
      return job.status === 'queued' || job.status === 'running' ? undefined : job
    })

  beforeAll(async () => {
    app = await copyFixture('jobs')
    logs = await mkdtemp(join(tmpdir(), 'servey-dev-jobs-'))
    servey = startServey(['dev', '--port', '0'], {
      cwd: app.dir,
      env: { TICKS_FILE: ticks(), REDIS_URL: undefined, LOG_FILE: join(logs, 'server.log') },
    })
    origin = (await servey.waitFor(API_LINE))[1] ?? ''
  }, 20_000)
  afterAll(async () => {
    await servey?.stop('SIGKILL')
    await app?.remove()
    await rm(logs, { recursive: true, force: true })
  })

  it('says in its banner where jobs run and which schedules tick', () => {
    expect(servey.stdout()).toMatch(/ {2}Jobs {2}in this process \(lost when it stops; [^\n]+\n/)
    expect(servey.stdout()).toContain('  Schedules tick every 200 ms\n')
  })

  it('runs the fixed-rate schedule', async () => {
    const seen = await until(async () => {
      const all = await lines(ticks())
      return all.length >= 2 ? all : undefined
    })
    expect(seen[0]).toMatch(new RegExp(`^${servey.child.pid} system$`))
  })

  it('answers Prefer: respond-async with 202, and GET /jobs/<id> with the result', async () => {
    const job = await finished(await startJob(2, 3))
    expect(job).toMatchObject({ status: 'succeeded', result: { sum: 5, pid: servey.child.pid } })
  })

  it('on reload, runs schedules and new jobs on the new code; a running job ends on the old', async () => {
    const running = await startJob(1, 1)
    const actions = join(app.dir, 'src/actions.ts')
    const source = await readFile(actions, 'utf8')
    const mark = servey.mark()
    await writeFile(
      actions,
      source
        .replace('`${process.pid} ${', '`v2 ${process.pid} ${')
        .replace('sum: a + b,', 'sum: a + b + 100,'),
    )
    await servey.waitFor(/reloaded in \d+ ms \(2 actions\)\n/, { from: mark })
    expect(await finished(running)).toMatchObject({ status: 'succeeded', result: { sum: 2 } })
    expect(await finished(await startJob(1, 1))).toMatchObject({ result: { sum: 102 } })
    const after = await until(async () => {
      const all = await lines(ticks())
      return all.at(-1)?.startsWith('v2 ') === true ? all : undefined
    })
    expect(after.filter((line) => line.startsWith('v2 ')).length).toBeGreaterThan(0)
  }, 20_000)

  it('shuts down on SIGTERM with exit code 0', async () => {
    expect(await servey.stop('SIGTERM')).toBe(0)
  })
})
