import { spawn, type ChildProcess } from 'node:child_process'
import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  generateShowcaseProject,
  SERVERLESS_BIN,
  SERVERLESS_ENV,
} from './serverless-project.fixture.ts'

/** A free port in the AWS helper's range (43xx), so parallel suites never collide. */
async function freePort(from: number): Promise<number> {
  for (let port = from; port < 4400; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
    })
    if (free) return port
  }
  throw new Error('no free port in 43xx')
}

describe.each([
  ['an HTTP API (httpApi events, payload 2.0)', 'httpApi', ''],
  ['a REST API (http events, payload 1.0)', 'rest', '/dev'],
] as const)('the generated showcase stack under serverless-offline, %s', (_name, api, stage) => {
  let project: Awaited<ReturnType<typeof generateShowcaseProject>>
  let offline: ChildProcess | undefined
  let output = ''
  let base = ''

  /** Resolves when the output contains `text`; fails with the output so far after `ms`. */
  function waitForOutput(text: string | RegExp, ms: number): Promise<void> {
    const found = () => (typeof text === 'string' ? output.includes(text) : text.test(output))
    return new Promise((resolve, reject) => {
      const started = Date.now()
      const timer = setInterval(() => {
        if (found()) {
          clearInterval(timer)
          resolve()
        } else if (Date.now() - started > ms || offline?.exitCode != null) {
          clearInterval(timer)
          reject(new Error(`serverless offline never printed ${String(text)}:\n${output}`))
        }
      }, 100)
    })
  }

  beforeAll(async () => {
    project = await generateShowcaseProject({ api })
    const httpPort = await freePort(4310)
    const lambdaPort = await freePort(httpPort + 1)
    const websocketPort = await freePort(lambdaPort + 1)
    // A REST API's URLs start with the stage; an HTTP API's $default stage has none.
    base = `http://127.0.0.1:${httpPort}${stage}`
    await appendFile(
      join(project.dir, 'serverless.yml'),
      [
        // The shortened schedule below is not an AWS expression: a warning, for this test only.
        'configValidationMode: warn',
        'plugins:',
        '  - serverless-offline',
        'custom:',
        '  serverless-offline:',
        '    host: 127.0.0.1',
        `    httpPort: ${httpPort}`,
        `    lambdaPort: ${lambdaPort}`,
        `    websocketPort: ${websocketPort}`,
        '',
      ].join('\n'),
    )
    // EventBridge rates are whole minutes (heartbeat's 10 s becomes rate(1 minute)), which
    // serverless-offline fires on the minute. The test fires the same schedule, with the same
    // generated input, every 2 s instead: serverless-offline drops a cron's seventh (year)
    // field and hands node-schedule the six-field, seconds-first rest.
    const include = join(project.dir, 'serverless.servey.yml')
    const generated = await readFile(include, 'utf8')
    expect(generated).toContain('- rate(1 minute)')
    await writeFile(include, generated.replace('- rate(1 minute)', "- 'cron(*/2 * * * * * *)'"))
    offline = spawn(process.execPath, [SERVERLESS_BIN, 'offline', 'start', '--stage', 'dev'], {
      cwd: project.dir,
      env: { ...SERVERLESS_ENV, JWT_SECRET_KEY: 'a-serverless-offline-test-secret-key' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    offline.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    offline.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    // Generous: esbuild bundles and Serverless start slowly on a loaded 2-core machine.
    await waitForOutput('Server ready', 80_000)
  }, 90_000)

  afterAll(async () => {
    if (offline !== undefined && offline.exitCode === null) {
      const exited = new Promise((resolve) => offline?.once('exit', resolve))
      offline.kill('SIGTERM')
      const timer = setTimeout(() => offline?.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    await project?.remove()
  }, 15_000)

  it('answers GET /actions/say-hello?name=World with "Hello World!"', async () => {
    const response = await fetch(`${base}/actions/say-hello?name=World`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toBe('Hello World!')
  }, 30_000)

  it('serves a templated path through its route template', async () => {
    const response = await fetch(`${base}/greetings/Ada`)
    expect(response.status, await response.clone().text()).toBe(200)
    expect(await response.json()).toMatch(/Ada/)
  }, 30_000)

  it('answers bad input with problem+json, not a 502', async () => {
    const response = await fetch(`${base}/actions/say-hello`)
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(await response.json()).toMatchObject({ code: 'INVALID_PARAMS', status: 400 })
  }, 30_000)

  it('serves the page current_time_page as HTML from the bundled templates', async () => {
    const response = await fetch(`${base}/current-time-page`, { headers: { accept: 'text/html' } })
    expect(response.status, await response.clone().text()).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    // layout.njk wraps the page: the bundle carries the whole folder, not only the page's file.
    const html = await response.text()
    expect(html).toMatch(/<p id="current-time">The current time is \d{4}-\d{2}-\d{2}T/)
    expect(html).toMatch(/<\/html>/)
  }, 30_000)

  it('runs the fixed-rate action on its schedule', async () => {
    await waitForOutput('Successfully invoked scheduled function: [heartbeat]', 20_000)
    // The action's own log line: it ran as the system caller, through the generated input.
    expect(output).toMatch(/"msg":"heartbeat"/)
    expect(output).not.toMatch(/Failed to execute scheduled function/)
  }, 30_000)
})
