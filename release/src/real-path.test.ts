/**
 * The real path of issue 11: an app outside this repository, made by create-servey from the
 * packed tarballs and installed by plain npm, passes its tests and type check, and its
 * `npx servey dev` and `npx servey run` answer; in dev, its scaffolded servey.config.ts sets
 * CORS, a schedule ticks and `Prefer: respond-async` runs a job. Slow (npm install: about a
 * minute), so one test file does it once, step by step, on one install.
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorkspace, packPackages } from './pack-packages.ts'
import { outsideEnv, runChecked } from './run-command.ts'
import { startProcess, type RunningProcess } from './start-process.ts'
import { publishablePackages } from './workspace.ts'

const APP = 'my-app'

/** Appended to the scaffolded src/actions.ts before `servey dev`: a schedule to watch tick. */
const TICKING_ACTIONS = `
let ticks = 0

export const tick = action({ triggers: [every(200)], description: 'Count ticks' }, () => {
  ticks += 1
})

export const tick_count = action(
  { triggers: [WEB_GET], result: Type.Integer(), description: 'How many ticks so far' },
  () => ticks,
)
`
let root: string
let app: string
let tarballs: Map<string, string>
const env = outsideEnv({
  npm_config_loglevel: 'error',
  npm_config_update_notifier: 'false',
  // Plain text output, to match on.
  NO_COLOR: '1',
})

beforeAll(async () => {
  // Outside the repository, where no node_modules above can stand in for a missing dependency.
  root = await mkdtemp(join(tmpdir(), 'servey-real-path-'))
  app = join(root, APP)
  await buildWorkspace()
  tarballs = await packPackages(publishablePackages(), join(root, 'tarballs'))
})

afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true })
})

// Each step waits on npm (and so on the registry): its own bound is the runChecked timeout.
describe('an app outside the repository, on the packed packages', { timeout: 360_000 }, () => {
  it('is scaffolded by the packed create-servey (npm exec, no terminal)', async () => {
    const createServey = tarballs.get('create-servey')!
    const result = await runChecked(
      'npm',
      [
        'exec',
        '--yes',
        `--package=${createServey}`,
        '--',
        'create-servey',
        APP,
        '--yes',
        '--tarballs',
        join(root, 'tarballs'),
      ],
      { cwd: root, env, timeoutMs: 180_000 },
    )
    expect(result.stdout).toContain(`Created ${APP} in ${app}`)
  })

  it('installs with plain npm from the tarballs', async () => {
    await runChecked('npm', ['install', '--no-audit', '--no-fund'], {
      cwd: app,
      env,
      timeoutMs: 300_000,
    })
  })

  it('passes its example tests (npm test)', async () => {
    const result = await runChecked('npm', ['test'], { cwd: app, env, timeoutMs: 120_000 })
    expect(result.stdout).toMatch(/Tests\s+\d+ passed \(\d+\)/)
    expect(result.stdout).not.toContain('failed')
  })

  it('type-checks (npm run typecheck)', async () => {
    await runChecked('npm', ['run', 'typecheck'], { cwd: app, env, timeoutMs: 120_000 })
  })

  it('runs an action (npx servey run)', async () => {
    const result = await runChecked(
      'npx',
      ['servey', 'run', '--action=say_hello', '--event={"name":"World"}'],
      { cwd: app, env, timeoutMs: 60_000 },
    )
    expect(result.stdout).toBe('"Hello World!"\n')
  })

  describe('npx servey dev', () => {
    let dev: RunningProcess
    let origin: string

    beforeAll(async () => {
      // The scaffold's schedule ticks every minute: a faster one, seen over HTTP, for the test.
      await appendFile(join(app, 'src', 'actions.ts'), TICKING_ACTIONS)
      dev = startProcess('npx', ['servey', 'dev'], { cwd: app, env: { ...env, PORT: '0' } })
      origin = (await dev.waitFor(/API\s+(http:\/\/\S+)\n/, 90_000))[1]!
    })

    afterAll(async () => {
      // Ctrl-C: the server shuts down gracefully (npx itself dies of the signal, as npm does).
      await dev?.stop()
      expect(dev.output()).toContain('shutting down')
      await expect(fetch(`${origin}/actions/say-hello?name=World`)).rejects.toThrow()
    })

    it('serves say-hello', async () => {
      const response = await fetch(`${origin}/actions/say-hello?name=World`)
      expect(response.status).toBe(200)
      expect(await response.json()).toBe('Hello World!')
    })

    it('answers a CORS preflight as the scaffolded servey.config.ts says', async () => {
      const config = await readFile(join(app, 'servey.config.ts'), 'utf8')
      expect(config).toContain("cors: { origin: ['http://localhost:5173'] }")
      const preflight = (origin_: string): Promise<Response> =>
        fetch(`${origin}/actions/sum-numbers`, {
          method: 'OPTIONS',
          headers: {
            origin: origin_,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type',
          },
        })
      const allowed = await preflight('http://localhost:5173')
      expect(allowed.status).toBe(204)
      expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
      expect(allowed.headers.get('access-control-allow-methods')).toContain('POST')
      const stranger = await preflight('https://elsewhere.example')
      expect(stranger.headers.get('access-control-allow-origin')).toBeNull()
    })

    it('runs a fixed-rate schedule, and says so in its banner', async () => {
      expect(dev.output()).toMatch(/Schedules [^\n]*\btick every 200 ms/)
      const deadline = Date.now() + 20_000
      let ticks = 0
      while (ticks < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250))
        ticks = (await (await fetch(`${origin}/actions/tick-count`)).json()) as number
      }
      expect(ticks).toBeGreaterThanOrEqual(2)
    })

    it('answers Prefer: respond-async with 202, and runs the job', async () => {
      const response = await fetch(`${origin}/actions/sum-numbers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', prefer: 'respond-async' },
        body: JSON.stringify({ numbers: [1, 2, 3] }),
      })
      expect(response.status).toBe(202)
      const location = response.headers.get('location') ?? ''
      expect(location).toMatch(/^\/jobs\/\S+$/)
      const deadline = Date.now() + 20_000
      let job: { status: string; result?: unknown } = { status: 'queued' }
      while (['queued', 'running'].includes(job.status) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        job = (await (await fetch(`${origin}${location}`)).json()) as typeof job
      }
      expect(job).toMatchObject({ status: 'succeeded', result: { count: 3, total: 6 } })
    })
  })
})
