import { readFile, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  copyFixture,
  fixture,
  startServey,
  type ServeyProcess,
} from '../test-support/servey-process.ts'

const API_LINE = /API\s+(http:\/\/\S+)\n/

async function greet(origin: string): Promise<unknown> {
  const response = await fetch(`${origin}/actions/say-hello?name=World`)
  return response.json()
}

/** Poll until the server answers `expected`; the reload should land well within the deadline. */
async function expectAnswer(origin: string, expected: string, withinMs = 3000): Promise<number> {
  const started = Date.now()
  let last: unknown
  while (Date.now() - started < withinMs) {
    last = await greet(origin)
    if (last === expected) return Date.now() - started
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(
    `Expected ${JSON.stringify(expected)} within ${withinMs} ms, last answer ${JSON.stringify(last)}`,
  )
}

describe('servey dev', () => {
  let app: { dir: string; remove(): Promise<void> }
  let servey: ServeyProcess
  let origin: string

  beforeAll(async () => {
    app = await copyFixture('hello')
    servey = startServey(['dev', '--port', '0'], { cwd: app.dir, env: { LOG_FILE: 'server.log' } })
    origin = (await servey.waitFor(API_LINE))[1] ?? ''
  }, 20_000)

  afterAll(async () => {
    await servey?.stop('SIGKILL')
    await app?.remove()
  })

  it('serves the app with docs and dev-mode errors, logging to LOG_FILE', async () => {
    expect(await greet(origin)).toBe('Hello World!')
    expect(servey.stdout()).toContain(`Docs  ${origin}/docs`)
    expect((await fetch(`${origin}/docs`)).status).toBe(200)
    expect(servey.stdout()).toContain(`Channels ${origin}/asyncapi`)
    expect((await fetch(`${origin}/asyncapi`)).status).toBe(200)
    const asyncapi = (await (await fetch(`${origin}/asyncapi.json`)).json()) as { asyncapi: string }
    expect(asyncapi.asyncapi).toBe('3.0.0')

    const failure = await fetch(`${origin}/actions/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(failure.status).toBe(500)
    const problem = (await failure.json()) as { code: string; stack?: string }
    expect(problem.code).toBe('INTERNAL')
    expect(problem.stack).toContain('Error: boom')

    expect(await readFile(join(app.dir, 'server.log'), 'utf8')).toContain(
      '"msg":"request completed"',
    )
    expect(servey.stdout()).not.toContain('"level"')
  })

  it("answers requests Node's parser refuses with problem+json, as servey start does", async () => {
    const send = (bytes: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(new URL(origin).port), '127.0.0.1', () => socket.write(bytes))
        let raw = ''
        socket.setEncoding('latin1')
        socket.on('data', (chunk: string) => (raw += chunk))
        socket.on('error', () => undefined)
        socket.on('close', () => resolve(raw))
      })
    const big = await send(
      `GET /actions/say-hello HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(200_000)}\r\n\r\n`,
    )
    expect(big).toMatch(/^HTTP\/1\.1 431 /)
    expect(big).toContain('content-type: application/problem+json; charset=utf-8')
    expect(big).toContain('"code":"REQUEST_HEADER_FIELDS_TOO_LARGE"')
    const garbage = await send('GARBAGE\r\n\r\n')
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /)
    expect(garbage).toContain('"code":"BAD_REQUEST"')
  })

  it('reloads when a file the entry imports changes', async () => {
    const mark = servey.mark()
    await writeFile(join(app.dir, 'src/greeting.ts'), "export const greeting = 'Howdy'\n")
    expect(await expectAnswer(origin, 'Howdy World!')).toBeLessThan(2500)
    await servey.waitFor(/reloaded in \d+ ms \(3 actions\)\n/, { from: mark })
  })

  it('keeps serving the last good version when the new code fails to load', async () => {
    const mark = servey.mark()
    await writeFile(join(app.dir, 'src/greeting.ts'), "export const greeting = 'Broken' +\n")
    await servey.waitFor(/still serving the previous version\n/, { from: mark })
    const report = servey.stderr()
    expect(report).toMatch(
      /SERVEY_ERR_CLI_ENTRY_LOAD_FAILED: Could not load the actions module .*src\/actions\.ts: /,
    )
    expect(report).toMatch(/src\/greeting\.ts:\d+:\d+: ERROR: /)
    expect(await greet(origin)).toBe('Howdy World!')
  })

  it('serves the fixed version once the error is fixed', async () => {
    await writeFile(join(app.dir, 'src/greeting.ts'), "export const greeting = 'Fixed'\n")
    expect(await expectAnswer(origin, 'Fixed World!')).toBeLessThan(2500)
  })

  it('picks up a changed definition error, then recovers', async () => {
    const actions = join(app.dir, 'src/actions.ts')
    const source = await readFile(actions, 'utf8')
    const mark = servey.mark()
    await writeFile(actions, `${source}\nexport const again = action({ name: 'add' }, () => 0)\n`)
    await servey.waitFor(/still serving the previous version\n/, { from: mark })
    expect(servey.stderr().slice(-400)).toMatch(
      /SERVEY_ERR_REGISTRY_DUPLICATE_NAME: Two different actions are named 'add'/,
    )
    await writeFile(actions, source.replace('`${greeting} ${name}!`', '`${greeting}, ${name}!`'))
    expect(await expectAnswer(origin, 'Fixed, World!')).toBeLessThan(2500)
  })

  it('shuts down gracefully on SIGTERM', async () => {
    expect(await servey.stop('SIGTERM')).toBe(0)
    expect(servey.stdout()).toMatch(/shutting down\n$/)
  })
})

describe('servey dev, starting from broken code', () => {
  let app: { dir: string; remove(): Promise<void> }
  let servey: ServeyProcess | undefined

  beforeAll(async () => {
    app = await copyFixture('hello')
  })
  afterAll(async () => {
    await servey?.stop('SIGKILL')
    await app?.remove()
  })

  it('answers 503 with the reason until the code loads, then serves it', async () => {
    await writeFile(join(app.dir, 'src/greeting.ts'), 'export const greeting = \n')
    servey = startServey(['dev'], { cwd: app.dir, env: { PORT: '0', HOST: '127.0.0.1' } })
    const origin = (await servey.waitFor(API_LINE))[1] ?? ''
    expect(servey.stderr()).toMatch(/SERVEY_ERR_CLI_ENTRY_LOAD_FAILED[^]*waiting for a fix\n/)

    const unavailable = await fetch(`${origin}/actions/say-hello?name=World`)
    expect(unavailable.status).toBe(503)
    expect(unavailable.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
    const problem = (await unavailable.json()) as { code: string; detail: string }
    expect(problem.code).toBe('UNAVAILABLE')
    expect(problem.detail).toMatch(/^The app failed to load: SERVEY_ERR_CLI_ENTRY_LOAD_FAILED: /)

    await writeFile(join(app.dir, 'src/greeting.ts'), "export const greeting = 'Late'\n")
    expect(await expectAnswer(origin, 'Late World!')).toBeLessThan(2500)
  }, 20_000)
})

describe('servey dev, with protected actions', () => {
  let servey: ServeyProcess | undefined
  afterAll(async () => {
    await servey?.stop('SIGKILL')
  })

  it('serves the dev token endpoint, whose tokens pass the access rules', async () => {
    servey = startServey(['dev', '--port', '0'], { cwd: fixture('secured') })
    // Start-up on a loaded CI machine can take well over the default 15 s wait.
    const origin = (await servey.waitFor(API_LINE, { timeoutMs: 40_000 }))[1] ?? ''
    const password =
      (await servey.waitFor(/Token \S+\/token \(any username, password (\S+)\)\n/))[1] ?? ''
    expect(servey.stdout()).toContain('JWT_SECRET_KEY is not set: tokens are signed with a key')

    const anonymous = await fetch(`${origin}/actions/whoami`)
    expect(anonymous.status).toBe(401)

    const grant = await fetch(`${origin}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'root',
        password,
        scope: 'root',
      }),
    })
    expect(grant.status).toBe(200)
    const { access_token: token } = (await grant.json()) as { access_token: string }
    const response = await fetch(`${origin}/actions/whoami`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(await response.json()).toBe('root (root)')
  }, 60_000)
})
