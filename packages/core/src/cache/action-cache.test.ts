import { describe, expect, it } from 'vitest'
import { Type } from 'typebox'
import { action } from '../action/define-action.ts'
import { createInvoker } from '../invoke/invoker.ts'
import { createRegistry } from '../registry/registry.ts'
import { ttl } from './cache-policy.ts'
import type { CacheStore } from './cache-store.ts'
import { createResultCache } from './result-cache.ts'

class MapStore implements CacheStore {
  readonly entries = new Map<string, string>()
  get(key: string) {
    return this.entries.get(key)
  }
  set(key: string, value: string) {
    this.entries.set(key, value)
  }
  deleteByPrefix(prefix: string) {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key)
  }
}

/** The todo app of the getting-started guide, with a cached list. */
function todoApp() {
  const todos: string[] = []
  const list_todos = action(
    {
      params: Type.Object({ prefix: Type.String({ default: '' }) }),
      result: Type.Array(Type.String()),
      cache: ttl(60, { server: true }),
    },
    ({ prefix }) => todos.filter((title) => title.startsWith(prefix)),
  )
  const add_todo = action(
    {
      params: Type.Object({ title: Type.String(), how: Type.Optional(Type.String()) }),
      result: Type.Integer(),
    },
    async ({ title, how }, context) => {
      todos.push(title)
      if (how === 'object') await context.cache.invalidate(list_todos)
      if (how === 'name') await context.cache.invalidate('list_todos')
      if (how === 'params') await context.cache.invalidate(list_todos, { prefix: 'B' })
      if (how === 'stranger') await context.cache.invalidate(action({}, () => 1))
      return todos.length
    },
  )
  return { list_todos, add_todo }
}

function setUp(withCache = true) {
  const registry = createRegistry(todoApp())
  const plugins = withCache ? [createResultCache({ store: new MapStore(), registry })] : []
  const invoker = createInvoker(registry, { plugins })
  const call = async (name: string, input: unknown = {}): Promise<unknown> => {
    const outcome = await invoker.invoke({ action: name, input })
    if (!outcome.ok) throw outcome.error
    return outcome.result
  }
  return { call }
}

describe('context.cache.invalidate', () => {
  it('without it, a cached list stays stale after a create (the problem it solves)', async () => {
    const { call } = setUp()
    expect(await call('list_todos')).toEqual([])
    await call('add_todo', { title: 'Buy milk' })
    expect(await call('list_todos')).toEqual([])
  })

  it.each(['object', 'name'])(
    'forgets every stored result of an action given as %s',
    async (how) => {
      const { call } = setUp()
      expect(await call('list_todos')).toEqual([])
      expect(await call('list_todos', { prefix: 'B' })).toEqual([])
      await call('add_todo', { title: 'Buy milk', how })
      expect(await call('list_todos')).toEqual(['Buy milk'])
      expect(await call('list_todos', { prefix: 'B' })).toEqual(['Buy milk'])
    },
  )

  it('forgets only the results for the params given, defaults filled as the call had them', async () => {
    const { call } = setUp()
    await call('list_todos')
    await call('list_todos', { prefix: 'B' })
    await call('add_todo', { title: 'Buy milk', how: 'params' })
    expect(await call('list_todos', { prefix: 'B' })).toEqual(['Buy milk'])
    expect(await call('list_todos')).toEqual([])
  })

  it('does nothing when the server keeps no result cache', async () => {
    const { call } = setUp(false)
    expect(await call('add_todo', { title: 'Buy milk', how: 'object' })).toBe(1)
    expect(await call('list_todos')).toEqual(['Buy milk'])
  })

  it('an action of another app is a handler bug: INTERNAL, its message kept for the log', async () => {
    const { call } = setUp()
    await expect(call('add_todo', { title: 'x', how: 'stranger' })).rejects.toMatchObject({
      code: 'INTERNAL',
      cause: expect.objectContaining({
        message: 'context.cache.invalidate: pass an action of this app, or its name',
      }),
    })
  })
})
