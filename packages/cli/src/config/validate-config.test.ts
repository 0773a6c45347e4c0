import { describe, expect, it } from 'vitest'
import { validateConfig } from './validate-config.ts'

const FILE = '/app/servey.config.ts'
const codeOf = (config: unknown): string | undefined => {
  try {
    validateConfig(config, FILE)
    return undefined
  } catch (error) {
    return `${(error as { code: string }).code}: ${(error as Error).message}`
  }
}

describe('validateConfig', () => {
  it('accepts every documented key', () => {
    const plugin = async (): Promise<void> => undefined
    const config = {
      entry: 'src/main.ts',
      server: {
        cors: { origin: '*' },
        helmet: false,
        compress: { threshold: 2048 },
        bodyLimit: 4096,
        trustProxy: ['10.0.0.0/8'],
        plugins: [plugin, { plugin, options: { a: 1 } }],
      },
      graphql: { limits: { depth: 5, cost: 100 } },
      channels: { limits: { maxFrameBytes: 1024, heartbeatMs: 5000 } },
      cache: { prefix: 'shop:' },
      invoke: {
        plugins: [{ name: 'timing', onInvoke: () => undefined, options: { unit: 'ms' } }],
        hooks: { onRequest: () => undefined, onError: () => undefined },
      },
    }
    expect(validateConfig(config, FILE)).toBe(config)
    expect(validateConfig({}, FILE)).toEqual({})
  })

  it('names unknown keys, with a suggestion when one is close', () => {
    expect(codeOf({ entri: 'x' })).toBe(
      "SERVEY_ERR_CONFIG_UNKNOWN_KEY: Unknown key 'entri' in /app/servey.config.ts: did you mean entry? (see docs/reference/config.md)",
    )
    expect(codeOf({ graphql: { limits: { dept: 3 } } })).toContain(
      "'graphql.limits.dept' in /app/servey.config.ts: did you mean graphql.limits.depth?",
    )
    expect(codeOf({ zzz: 1 })).toContain(
      'known keys: entry, server, graphql, channels, cache, invoke',
    )
    expect(codeOf({ channels: { limits: { maxConnection: 3 } } })).toContain(
      "'channels.limits.maxConnection' in /app/servey.config.ts: did you mean channels.limits.maxConnections?",
    )
  })

  it('names values of the wrong type, with what was expected and what was found', () => {
    expect(codeOf(null)).toBe(
      'SERVEY_ERR_CONFIG_INVALID: Invalid the default export in /app/servey.config.ts: expected an object, got null',
    )
    expect(codeOf({ server: 'fast' })).toContain('Invalid server in')
    expect(codeOf({ channels: { limits: { maxFrameBytes: 1.5 } } })).toContain(
      'channels.limits.maxFrameBytes',
    )
    expect(codeOf({ server: { bodyLimit: -1 } })).toContain(
      'expected a whole number above 0, got a number (-1)',
    )
    expect(codeOf({ server: { cors: 'yes' } })).toContain(
      'expected true, false or an options object',
    )
    expect(codeOf({ server: { plugins: ['@fastify/etag'] } })).toContain(
      'expected an array of Fastify plugins',
    )
    expect(codeOf({ server: { trustProxy: [1] } })).toContain('Invalid server.trustProxy')
    expect(codeOf({ cache: { prefix: '' } })).toContain('expected a non-empty string')
  })

  it('checks invoke plugins and hooks, naming the path of what is wrong', () => {
    class Metrics {
      readonly name = 'metrics'
      onResult(): void {}
      onResults(): void {}
    }
    expect(codeOf({ invoke: { plugins: [new Metrics()] } })).toBe(
      "SERVEY_ERR_CONFIG_UNKNOWN_KEY: Unknown key 'invoke.plugins[0].onResults' in /app/servey.config.ts: did you mean invoke.plugins[0].onResult? (see docs/reference/config.md)",
    )
    expect(codeOf({ invoke: { hooks: { onInvok: () => undefined } } })).toContain(
      "'invoke.hooks.onInvok' in /app/servey.config.ts: did you mean invoke.hooks.onInvoke?",
    )
    expect(codeOf({ invoke: { hooks: { onResult: 'log' } } })).toBe(
      'SERVEY_ERR_CONFIG_INVALID: Invalid invoke.hooks.onResult in /app/servey.config.ts: expected a function, got a string ("log")',
    )
    expect(codeOf({ invoke: { plugins: [{ name: 'a', onError: true }] } })).toContain(
      'Invalid invoke.plugins[0].onError in /app/servey.config.ts: expected a function, got true',
    )
    expect(codeOf({ invoke: { plugins: [{ onInvoke: () => undefined }] } })).toContain(
      'Invalid invoke.plugins[0].name in /app/servey.config.ts: expected a non-empty string, got undefined',
    )
    expect(codeOf({ invoke: { plugins: [() => undefined] } })).toContain(
      'Invalid invoke.plugins[0] in /app/servey.config.ts: expected an invoke plugin object',
    )
    expect(codeOf({ invoke: { plugins: { name: 'a' } } })).toContain(
      'Invalid invoke.plugins in /app/servey.config.ts: expected an array of invoke plugins, got an object',
    )
    // A class-based plugin whose hooks are methods is accepted, as core accepts it.
    class Good {
      readonly name = 'good'
      onInvoke(): void {}
    }
    expect(codeOf({ invoke: { plugins: [new Good()] } })).toBeUndefined()
  })
})
