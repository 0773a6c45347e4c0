import { action, createInvoker, createRegistry, createResultCache, ttl, Type } from '@servey/core'
import type { CacheStore } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { createBodyEncoder } from './encoded-body.ts'
import { strongEtag } from './etag.ts'

function mapStore(): CacheStore {
  const entries = new Map<string, string>()
  return {
    get: (key) => entries.get(key),
    set: (key, value) => void entries.set(key, value),
    deleteByPrefix: () => undefined,
  }
}

/** A result as the server cache hands it out on a hit, and the handler's own on the miss. */
async function cachedResults() {
  const registry = createRegistry({
    catalogue: action(
      {
        result: Type.Object({ items: Type.Array(Type.String()) }),
        cache: ttl(60, { server: true }),
      },
      () => ({ items: ['a', 'b'] }),
    ),
  })
  const invoker = createInvoker(registry, { plugins: [createResultCache({ store: mapStore() })] })
  const miss = await invoker.invoke({ action: 'catalogue' })
  const hit = await invoker.invoke({ action: 'catalogue' })
  if (!miss.ok || !hit.ok) throw new Error('the calls failed')
  return { miss: miss.result, hit: hit.result }
}

function countingEncoder() {
  const encoded: unknown[] = []
  const encoder = (result: unknown) => {
    encoded.push(result)
    return JSON.stringify(result)
  }
  return { encoded, encoder }
}

describe('createBodyEncoder', () => {
  it('encodes and hashes a cached result once, and answers its hits from memory', async () => {
    const { hit } = await cachedResults()
    const { encoded, encoder } = countingEncoder()
    const bodyOf = createBodyEncoder(encoder, true)
    const first = bodyOf(hit)
    expect(first).toEqual({ body: '{"items":["a","b"]}', etag: strongEtag('{"items":["a","b"]}') })
    expect(bodyOf(hit)).toBe(first)
    expect(encoded).toHaveLength(1)
  })

  it('encodes every other result afresh, as bare text: it may change between calls', async () => {
    const { miss } = await cachedResults()
    const { encoded, encoder } = countingEncoder()
    // With an ETag route too: the caller hashes a body it will send once.
    const bodyOf = createBodyEncoder(encoder, true)
    expect(bodyOf(miss)).toBe('{"items":["a","b"]}')
    ;(miss as { items: string[] }).items.push('c')
    expect(bodyOf(miss)).toBe('{"items":["a","b","c"]}')
    expect(bodyOf('text')).toBe('"text"')
    expect(encoded).toHaveLength(3)
  })

  it('remembers a shared result without an ETag when the route has none', async () => {
    const { hit } = await cachedResults()
    const { encoded, encoder } = countingEncoder()
    const bodyOf = createBodyEncoder(encoder, false)
    expect(bodyOf(hit)).toEqual({ body: '{"items":["a","b"]}', etag: undefined })
    expect(bodyOf(hit)).toBe(bodyOf(hit))
    expect(encoded).toHaveLength(1)
  })

  it('remembers no failure: a throwing encoder is asked again', async () => {
    const { hit } = await cachedResults()
    let calls = 0
    const bodyOf = createBodyEncoder(() => {
      calls += 1
      if (calls === 1) throw new Error('cannot encode')
      return 'ok'
    }, true)
    expect(() => bodyOf(hit)).toThrow('cannot encode')
    expect(bodyOf(hit)).toEqual({ body: 'ok', etag: strongEtag('ok') })
  })
})
