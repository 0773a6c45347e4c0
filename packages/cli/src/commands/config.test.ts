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
