import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  copyFixture,
  fixture,
  runServey,
  startServey,
  type ServeyProcess,
} from '../test-support/servey-process.ts'

describe('servey start with a servey.config.ts', () => {
  let servey: ServeyProcess | undefined
  let origin = ''

  beforeAll(async () => {
    // No entry flag and no src/actions.ts lookup needed: the config's `entry` names it.
    servey = startServey(['start', '--port', '0'], { cwd: fixture('configured') })
    origin = (await servey.waitFor(/"api":"(http:\/\/[^"]+)"/, { timeoutMs: 90_000 }))[1] ?? ''
  }, 100_000)

  afterAll(async () => {
    await servey?.stop('SIGKILL')
  })

  it('answers a CORS preflight from an allowed origin with its headers', async () => {
    const preflight = await fetch(`${origin}/actions/add`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.org')
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true')
    expect(preflight.headers.get('access-control-max-age')).toBe('600')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization')

    const call = await fetch(`${origin}/actions/say-hello?name=A`, {
      headers: { origin: 'https://app.example.org' },
    })
    expect(await call.json()).toBe('Hello A!')
    expect(call.headers.get('access-control-allow-origin')).toBe('https://app.example.org')

    const stranger = await fetch(`${origin}/actions/add`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('sends helmet headers, compresses, limits bodies and runs the extra plugin', async () => {
    const docs = await fetch(`${origin}/openapi.json`, { headers: { 'accept-encoding': 'gzip' } })
    expect(docs.headers.get('x-content-type-options')).toBe('nosniff')
    expect(docs.headers.get('content-security-policy')).toContain("default-src 'self'")
    // fetch decodes gzip itself; the header says it was compressed on the wire.
    expect(docs.headers.get('content-encoding')).toBe('gzip')
    expect(((await docs.json()) as { openapi: string }).openapi).toBe('3.1.0')

    const big = await fetch(`${origin}/actions/add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1, b: 2, pad: 'x'.repeat(3000) }),
    })
    expect(big.status).toBe(413)
    const extra = await fetch(`${origin}/extra`)
    expect(await extra.json()).toEqual({ extra: true })
    // Probes and request ids are there with every option on.
    const ready = await fetch(`${origin}/ready`, { headers: { 'x-request-id': 'cfg-1' } })
    expect(ready.status).toBe(200)
    expect(ready.headers.get('x-request-id')).toBe('cfg-1')
  })

  it("runs the config's invoke plugins and hooks on REST and GraphQL", async () => {
    const answered = await fetch(`${origin}/actions/say-hello?name=Plugin`)
    expect(await answered.json()).toBe('Answered by a plugin')
    const blocked = await fetch(`${origin}/actions/say-hello?name=Blocked`)
    expect(blocked.status).toBe(403)
    expect(await blocked.json()).toMatchObject({
      code: 'FORBIDDEN',
      detail: 'Blocked by a hook of servey.config.ts',
    })
    const normal = await fetch(`${origin}/actions/say-hello?name=Rest`)
    expect(await normal.json()).toBe('Hello Rest!')

    const graphql = async (query: string): Promise<unknown> => {
      const response = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      })
      return response.json()
    }
    expect(await graphql('{ sayHello(name: "Plugin") }')).toEqual({
      data: { sayHello: 'Answered by a plugin' },
    })
    expect(await graphql('{ sayHello(name: "Blocked") }')).toMatchObject({
      errors: [
        { message: 'Blocked by a hook of servey.config.ts', extensions: { code: 'FORBIDDEN' } },
      ],
    })
    expect(await graphql('{ sayHello(name: "Graph") }')).toEqual({
      data: { sayHello: 'Hello Graph!' },
    })
    // onResult saw the handler's results (not the plugin's answer, which skips it), per trigger.
    await servey?.waitFor(/"configHook":"onResult","action":"say_hello","trigger":"web"/)
    await servey?.waitFor(/"configHook":"onResult","action":"say_hello","trigger":"graphql"/)
  })
})

describe('servey run with a servey.config.ts', () => {
  it("runs the config's invoke plugins and hooks", async () => {
    const cwd = fixture('configured')
    const event = (name: string): string => `--event=${JSON.stringify({ name })}`
    const answered = await runServey(['run', '--action=say_hello', event('Plugin')], {
      cwd,
      timeoutMs: 60_000,
    })
    expect(answered.stdout).toBe('"Answered by a plugin"\n')
    expect(answered.code).toBe(0)
    const blocked = await runServey(['run', '--action=say_hello', event('Blocked')], {
      cwd,
      timeoutMs: 60_000,
    })
    expect(blocked.stderr).toBe('FORBIDDEN: Blocked by a hook of servey.config.ts\n')
    expect(blocked.code).toBe(2)
    const normal = await runServey(['run', '--action=say_hello', event('Cli')], {
      cwd,
      env: { LOG_LEVEL: 'info' },
      timeoutMs: 60_000,
    })
    expect(normal.stdout).toBe('"Hello Cli!"\n')
    expect(normal.stderr).toContain('config hook saw a result')
  }, 200_000)
})

describe('a servey.config.ts that is wrong', () => {
  async function runWithConfig(source: string, env: Record<string, string> = {}) {
    const app = await copyFixture('hello')
    try {
      await writeFile(join(app.dir, 'servey.config.ts'), source)
      return await runServey(['actions'], { cwd: app.dir, env, timeoutMs: 60_000 })
    } finally {
      await app.remove()
    }
  }

  it('names an unknown key and the key it was probably meant to be', async () => {
    const result = await runWithConfig('export default { server: { corss: true } }\n')
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /^SERVEY_ERR_CONFIG_UNKNOWN_KEY: Unknown key 'server\.corss' in .*servey\.config\.ts: did you mean server\.cors\?/,
    )
    expect(result.stderr).not.toMatch(/\n\s+at /)
  }, 70_000)

  it('names a value of the wrong type', async () => {
    const result = await runWithConfig("export default { server: { bodyLimit: '1mb' } }\n")
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /^SERVEY_ERR_CONFIG_INVALID: Invalid server\.bodyLimit in .*servey\.config\.ts: expected a whole number above 0, got a string \("1mb"\)/,
    )
  }, 70_000)

  it('reports a file that throws or does not compile by its message, without a stack', async () => {
    const throws = await runWithConfig("throw new Error('no config for you')\nexport default {}\n")
    expect(throws.code).toBe(1)
    expect(throws.stderr).toMatch(
      /^SERVEY_ERR_CONFIG_LOAD_FAILED: Could not load the config file .*servey\.config\.ts: no config for you\n$/,
    )
    const broken = await runWithConfig('export default {\n')
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/^SERVEY_ERR_CONFIG_LOAD_FAILED: /)
    expect(broken.stderr).not.toMatch(/\n\s+at /)
    const none = await runWithConfig('export const server = {}\n')
    expect(none.stderr).toMatch(/^SERVEY_ERR_CONFIG_LOAD_FAILED: .*no default export/)
  }, 200_000)

  it('refuses an environment override that is not valid', async () => {
    const result = await runServey(['start', '--port', '0'], {
      cwd: fixture('configured'),
      env: { SERVEY_BODY_LIMIT: 'lots' },
      timeoutMs: 60_000,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /^SERVEY_ERR_CONFIG_INVALID: Invalid SERVEY_BODY_LIMIT in the environment: expected a whole number of bytes above 0, got "lots"/,
    )
  }, 70_000)
})
