import { createJwtIssuer } from '@servey/core'
import { PROCESS_START_TIMEOUT_MS } from '@servey/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  fixture,
  runServey,
  startServey,
  type ServeyProcess,
} from '../test-support/servey-process.ts'

describe('servey start', () => {
  let servey: ServeyProcess
  let origin: string

  beforeAll(async () => {
    servey = startServey(['start', '--port', '0'], { cwd: fixture('hello') })
    origin = await servey.serving()
  }, PROCESS_START_TIMEOUT_MS + 5_000)

  afterAll(async () => {
    await servey?.stop('SIGKILL')
  })

  it('serves the app and logs JSON with the URLs', async () => {
    const response = await fetch(`${origin}/actions/say-hello?name=World`)
    expect(await response.json()).toBe('Hello World!')
    expect(servey.stdout()).toContain(`"docs":"${origin}/docs"`)
    expect(servey.stdout()).toContain(`"asyncapi":"${origin}/asyncapi"`)
    expect(servey.stdout()).toContain('"msg":"servey start: serving 3 actions at')
  })

  it('serves the AsyncAPI document of the channels next to /openapi.json', async () => {
    const response = await fetch(`${origin}/asyncapi.json`)
    expect(response.status).toBe(200)
    const document = (await response.json()) as { asyncapi: string; servers: { ws: unknown } }
    expect(document.asyncapi).toBe('3.0.0')
    expect(document.servers.ws).toMatchObject({ host: new URL(origin).host, protocol: 'ws' })
    const page = await fetch(`${origin}/asyncapi`)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await page.text()).toContain('<script src="/asyncapi/page.js" defer></script>')
  })

  it('answers an unexpected error with no internals', async () => {
    const response = await fetch(`${origin}/actions/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(response.status).toBe(500)
    const problem = (await response.json()) as Record<string, unknown>
    expect(problem['code']).toBe('INTERNAL')
    expect(problem).not.toHaveProperty('stack')
    expect(JSON.stringify(problem)).not.toContain('boom')
  })

  it('reports a port in use as a coded error, exit 1', async () => {
    const port = new URL(origin).port
    const result = await runServey(['start', '--port', port], { cwd: fixture('hello') })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `SERVEY_ERR_CLI_PORT_IN_USE: Port ${port} on 127.0.0.1 is already in use: stop the other server or pass --port\n`,
    )
  })

  it('rejects an invalid port', async () => {
    const result = await runServey(['start'], { cwd: fixture('hello'), env: { PORT: 'eighty' } })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /^SERVEY_ERR_CLI_PORT_INVALID: Invalid port 'eighty' \(from PORT\)/,
    )
  })

  it('closes gracefully on SIGTERM', async () => {
    expect(await servey.stop('SIGTERM')).toBe(0)
    expect(servey.stdout()).toContain('"msg":"shutting down"')
    // The last line, written just before the process ends: the log destination flushed it.
    expect(servey.stdout().trimEnd().split('\n').at(-1)).toContain('"msg":"shut down"')
  })
})

describe('servey start, with protected actions', () => {
  const secret = 'a-production-secret-of-at-least-32-bytes'
  let servey: ServeyProcess | undefined
  afterAll(async () => {
    await servey?.stop('SIGKILL')
  })

  it('verifies tokens signed with JWT_SECRET_KEY, and has no dev token endpoint', async () => {
    servey = startServey(['start', '--port', '0'], {
      cwd: fixture('secured'),
      env: { JWT_SECRET_KEY: secret },
    })
    const origin = (await servey.waitFor(/"api":"(http:\/\/[^"]+)"/))[1] ?? ''
    const { token } = await createJwtIssuer({ secret }).issue({ subject: 'ops', scopes: ['root'] })
    const response = await fetch(`${origin}/actions/whoami`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(await response.json()).toBe('ops (root)')
    const forged = await createJwtIssuer({ secret: 'another-secret-that-is-32-bytes-long' }).issue({
      subject: 'ops',
      scopes: ['root'],
    })
    const refused = await fetch(`${origin}/actions/whoami`, {
      headers: { authorization: `Bearer ${forged.token}` },
    })
    expect(refused.status).toBe(401)
    expect((await fetch(`${origin}/token`, { method: 'POST' })).status).toBe(404)
    expect(servey.stdout()).not.toContain('JWT_SECRET_KEY is not set')
  }, 20_000)

  it('warns when protected actions meet no JWT_SECRET_KEY', async () => {
    const unkeyed = startServey(['start', '--port', '0'], { cwd: fixture('secured') })
    try {
      const warning = await unkeyed.waitFor(/\{[^\n]*"level":40[^\n]*\}/)
      expect(JSON.parse(warning[0])).toMatchObject({
        actions: ['whoami'],
        msg: 'JWT_SECRET_KEY is not set, so no bearer token can be verified: these actions answer 401',
      })
    } finally {
      await unkeyed.stop('SIGKILL')
    }
  }, 20_000)

  it('rejects a JWT_SECRET_KEY too short to be safe, exit 1', async () => {
    const result = await runServey(['start', '--port', '0'], {
      cwd: fixture('secured'),
      env: { JWT_SECRET_KEY: 'short' },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^SERVEY_ERR_AUTH_SECRET_TOO_SHORT: /)
  })
})
