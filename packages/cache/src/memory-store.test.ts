import { isDefinitionError } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { createMemoryStore } from './memory-store.ts'

describe('createMemoryStore', () => {
  it('keeps values until their time to live runs out', async () => {
    const store = createMemoryStore()
    store.set('a', '"one"', 30)
    expect(store.get('a')).toBe('"one"')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(store.get('a')).toBeUndefined()
  })

  it('drops the least recently used entry beyond maxEntries', () => {
    const store = createMemoryStore({ maxEntries: 2 })
    store.set('a', '1', 60_000)
    store.set('b', '2', 60_000)
    store.get('a')
    store.set('c', '3', 60_000)
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual(['1', undefined, '3'])
  })

  it('stays within maxBytes, and does not keep a value larger than that', () => {
    const store = createMemoryStore({ maxBytes: 1000 })
    for (let i = 0; i < 10; i++) store.set(`k${i}`, 'x'.repeat(100), 60_000)
    expect(store.bytes).toBeLessThanOrEqual(1000)
    expect(store.size).toBeLessThan(10)
    store.set('huge', 'x'.repeat(2000), 60_000)
    expect(store.get('huge')).toBeUndefined()
  })

  it('deletes by prefix', () => {
    const store = createMemoryStore()
    store.set('app:a:1', '1', 60_000)
    store.set('app:a:2', '2', 60_000)
    store.set('app:b:1', '3', 60_000)
    store.deleteByPrefix('app:a:')
    expect(store.size).toBe(1)
    expect(store.get('app:b:1')).toBe('3')
  })

  it('refuses bounds that are not whole numbers above 0', () => {
    for (const options of [{ maxEntries: 0 }, { maxBytes: 1.5 }]) {
      let thrown: unknown
      try {
        createMemoryStore(options)
      } catch (error) {
        thrown = error
      }
      expect(isDefinitionError(thrown)).toBe(true)
      expect((thrown as { code: string }).code).toBe('SERVEY_ERR_CACHE_STORE_OPTION_INVALID')
    }
  })
})
