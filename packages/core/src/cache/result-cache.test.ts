import { describe, expect, it, vi } from 'vitest'
import { Type } from 'typebox'
import { action } from '../action/define-action.ts'
import { ActionError } from '../errors/action-error.ts'
import { createInvoker } from '../invoke/invoker.ts'
import { redirect } from '../page/redirect.ts'
import { createRegistry } from '../registry/registry.ts'
import { recordingLogger } from '../invoke/recording-logger.fixture.ts'
import { anyScope, custom } from '../security/access-policy.ts'
import { ttl } from './cache-policy.ts'
import type { CacheStore } from './cache-store.ts'
import { createResultCache } from './result-cache.ts'
import { isSharedResult } from './shared-result.ts'

/** The port implemented over a Map, with expiry: what @servey/cache does in memory. */
class MapStore implements CacheStore {
  readonly entries = new Map<string, { value: string; expires: number }>()
  get(key: string) {
    const entry = this.entries.get(key)
    return entry !== undefined && entry.expires > Date.now() ? entry.value : undefined
  }
  set(key: string, value: string, ttlMs: number) {
    this.entries.set(key, { value, expires: Date.now() + ttlMs })
  }
  deleteByPrefix(prefix: string) {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key)
  }
}

function setUp() {
  const calls: string[] = []
  const actions = {
    lookup: action(
      {
        params: Type.Object({ q: Type.String(), page: Type.Integer({ default: 1 }) }),
        cache: ttl(30, { server: true }),
      },
      async ({ q, page }) => {
        calls.push(q)
        await new Promise((resolve) => setTimeout(resolve, 20))
        return { q, page, at: calls.length }
      },
    ),
    mine: action(
      { access: anyScope('user'), cache: ttl(30, { server: true }) },
      (_params, { authorization }) => {
        calls.push(authorization?.subject ?? '')
        return authorization?.subject
      },
    ),
    flaky: action({ cache: ttl(30, { server: true }) }, async () => {
      calls.push('flaky')
      await new Promise((resolve) => setTimeout(resolve, 10))
      if (calls.length === 1) throw new ActionError('UNAVAILABLE', 'first call fails')
      return 'ok'
    }),
    moves: action({ cache: ttl(30, { server: true }) }, () => {
      calls.push('moves')
      return redirect('/elsewhere')
    }),
    uncached: action({ cache: ttl(30) }, () => calls.push('uncached')),
  }
  const store = new MapStore()
  const registry = createRegistry(actions)
  const cache = createResultCache({ store, registry, prefix: 't:' })
  const invoker = createInvoker(registry, { plugins: [cache] })
  return { calls, store, cache, invoker }
}

/** One call of a cached action through `store`, and the warnings the cache logged meanwhile. */
async function callThrough(store: CacheStore) {
  const log = recordingLogger()
  const registry = createRegistry({
    cached: action({ cache: ttl(5, { server: true }) }, () => 'fresh'),
  })
  const invoker = createInvoker(registry, { plugins: [createResultCache({ store })], log })
  const answer = await invoker.invoke({ action: 'cached' })
  const warnings = log.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.msg)
  return { answer, warnings }
}

describe('createResultCache', () => {
  it('answers a repeated call from the store, whatever the key order', async () => {
    const { calls, invoker } = setUp()
    const first = await invoker.invoke({ action: 'lookup', input: { q: 'a', page: 2 } })
    const second = await invoker.invoke({ action: 'lookup', input: { page: 2, q: 'a' } })
    expect(second).toEqual(first)
    expect(calls).toEqual(['a'])
    await invoker.invoke({ action: 'lookup', input: { q: 'b' } })
    expect(calls).toEqual(['a', 'b'])
  })

  it('applies to the actions with a server cache only', () => {
    const { cache, invoker } = setUp()
    const applies = Object.fromEntries(
      invoker.registry.actions.map((registered) => [
        registered.name,
        cache.appliesTo?.(registered),
      ]),
    )
    expect(applies).toEqual({
      lookup: true,
      mine: true,
      flaky: true,
      moves: true,
      uncached: false,
    })
  })

  it('runs the handler once for concurrent identical misses', async () => {
    const { calls, invoker } = setUp()
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => invoker.invoke({ action: 'lookup', input: { q: 'x' } })),
    )
    expect(calls).toEqual(['x'])
    for (const outcome of outcomes)
      expect(outcome).toEqual({ ok: true, result: { q: 'x', page: 1, at: 1 } })
    // Hits share one frozen copy: no caller can change what the next one gets.
    const [, waiter] = outcomes as unknown as [unknown, { result: { q: string } }]
    expect(Object.isFrozen(waiter.result)).toBe(true)
    expect(() => {
      waiter.result.q = 'changed'
    }).toThrow(TypeError)
  })

  it("never serves one caller's result of a protected action to another", async () => {
    const { calls, invoker } = setUp()
    const as = (subject: string) => ({ subject, scopes: ['user'], claims: {} })
    expect(await invoker.invoke({ action: 'mine', authorization: as('alice') })).toEqual({
      ok: true,
      result: 'alice',
    })
    expect(await invoker.invoke({ action: 'mine', authorization: as('bob') })).toEqual({
      ok: true,
      result: 'bob',
    })
    expect(await invoker.invoke({ action: 'mine', authorization: as('alice') })).toEqual({
      ok: true,
      result: 'alice',
    })
    expect(calls).toEqual(['alice', 'bob'])
  })

  it('lets waiters run the handler themselves when the leader fails', async () => {
    const { calls, invoker } = setUp()
    const [first, second] = await Promise.all([
      invoker.invoke({ action: 'flaky' }),
      invoker.invoke({ action: 'flaky' }),
    ])
    expect(first).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    expect(second).toEqual({ ok: true, result: 'ok' })
    expect(calls).toEqual(['flaky', 'flaky'])
  })

  it('never stalls a batch of nested calls with identical parents', async () => {
    const Parent = Type.Object({ n: Type.Integer() }, { $id: 'Parent' })
    const batches: number[][] = []
    const registry = createRegistry({
      doubled: action(
        {
          parent: Parent,
          result: Type.Integer(),
          cache: ttl(30, { server: true }),
          timeout: 5000,
          batch: (parents) => {
            batches.push(parents.map((parent) => parent.n))
            return parents.map((parent) => parent.n * 2)
          },
        },
        (_params, { parent }) => parent.n * 2,
      ),
    })
    const invoker = createInvoker(registry, {
      plugins: [createResultCache({ store: new MapStore(), registry })],
    })
    // With timers frozen, a sibling waiting for the other's result would wait forever.
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    let outcomes: unknown
    try {
      outcomes = await invoker.invokeBatch({ action: 'doubled', parents: [{ n: 1 }, { n: 1 }] })
    } finally {
      vi.useRealTimers()
    }
    expect(outcomes).toEqual([
      { ok: true, result: 2 },
      { ok: true, result: 2 },
    ])
    // One batch with both parents: a stalled sibling would have been run on its own later.
    expect(batches).toEqual([[1, 1]])
    const again = await invoker.invokeBatch({ action: 'doubled', parents: [{ n: 1 }] })
    expect(again).toEqual([{ ok: true, result: 2 }])
    expect(batches).toEqual([[1, 1]])
  })

  it('invalidates by action, and by action and params (defaults filled in)', async () => {
    const { calls, cache, invoker } = setUp()
    await invoker.invoke({ action: 'lookup', input: { q: 'a' } })
    await invoker.invoke({ action: 'lookup', input: { q: 'b' } })
    await cache.invalidate('lookup', { q: 'a' })
    await invoker.invoke({ action: 'lookup', input: { q: 'a' } })
    await invoker.invoke({ action: 'lookup', input: { q: 'b' } })
    expect(calls).toEqual(['a', 'b', 'a'])
    await cache.invalidate('lookup')
    await invoker.invoke({ action: 'lookup', input: { q: 'b' } })
    expect(calls).toEqual(['a', 'b', 'a', 'b'])
  })

  it('caches only actions that opt in, and never a redirect', async () => {
    const { calls, invoker, store } = setUp()
    await invoker.invoke({ action: 'uncached' })
    await invoker.invoke({ action: 'uncached' })
    await invoker.invoke({ action: 'moves' })
    const again = await invoker.invoke({ action: 'moves' })
    expect(again).toMatchObject({ ok: true, result: { location: '/elsewhere', status: 302 } })
    expect(calls).toEqual(['uncached', 'uncached', 'moves', 'moves'])
    expect(store.entries.size).toBe(0)
  })

  it('skips a failing store instead of failing the call', async () => {
    const broken: CacheStore = {
      get: () => Promise.reject(new Error('down')),
      set: () => Promise.reject(new Error('down')),
      deleteByPrefix: () => undefined,
    }
    const { answer, warnings } = await callThrough(broken)
    expect(answer).toEqual({ ok: true, result: 'fresh' })
    expect(warnings).toEqual(['result cache read failed', 'result cache write failed'])
  })

  it('answers a hit of a synchronous store without a promise, with one shared frozen answer', async () => {
    const { calls, cache, invoker } = setUp()
    const miss = await invoker.invoke({ action: 'lookup', input: { q: 'a' } })
    // The handler's own object: not frozen, not marked, nothing may be kept beside it.
    expect(miss.ok && isSharedResult(miss.result)).toBe(false)
    const first = await invoker.invoke({ action: 'lookup', input: { q: 'a' } })
    const second = await invoker.invoke({ action: 'lookup', input: { q: 'a' } })
    expect(first).toEqual(miss)
    expect(calls).toEqual(['a'])
    // The very same object on every hit, and marked: a transport may keep its encoding.
    expect(first.ok && second.ok && first.result === second.result).toBe(true)
    expect(first.ok && isSharedResult(first.result)).toBe(true)

    const registered = invoker.registry.get('lookup')!
    const log = recordingLogger()
    const event = {
      action: registered,
      input: { q: 'a', page: 1 },
      params: { q: 'a', page: 1 },
      context: { authorization: null, log } as never,
    }
    const answer = cache.onInvoke!(event)
    expect(answer).not.toBeInstanceOf(Promise)
    expect(answer).toEqual({ result: { q: 'a', page: 1, at: 1 } })
    expect(cache.onInvoke!(event)).toBe(answer)
  })

  it('skips a store that throws on read, as one that rejects', async () => {
    const store = new MapStore()
    const throwing: CacheStore = {
      get: () => {
        throw new Error('down')
      },
      set: (key, value, ttlMs) => store.set(key, value, ttlMs),
      deleteByPrefix: () => undefined,
    }
    const { answer, warnings } = await callThrough(throwing)
    expect(answer).toEqual({ ok: true, result: 'fresh' })
    expect(warnings).toEqual(['result cache read failed'])
    expect(store.entries.size).toBe(1)
  })

  it('never answers from the cache a caller the action refuses', async () => {
    const calls: string[] = []
    const registry = createRegistry({
      report: action(
        {
          params: Type.Object({ team: Type.String() }),
          access: anyScope('reports'),
          // Public: the widest a cache entry of a protected action may be.
          cache: ttl(30, { server: true, visibility: 'public' }),
        },
        ({ team }) => {
          calls.push(team)
          return { team, total: 42 }
        },
      ),
      teamReport: action(
        {
          params: Type.Object({ team: Type.String() }),
          access: custom((who, params: { team: string }) => who?.claims['team'] === params.team),
          cache: ttl(30, { server: true }),
        },
        ({ team }) => {
          calls.push(`team:${team}`)
          return { team }
        },
      ),
    })
    const invoker = createInvoker(registry, {
      plugins: [createResultCache({ store: new MapStore(), registry })],
    })
    // One subject throughout: were the entry served before the checks, it would match.
    const caller = (scopes: string[], team = 'red') => ({
      subject: 'ann',
      scopes,
      claims: { team },
    })
    const allowed = await invoker.invoke({
      action: 'report',
      input: { team: 'red' },
      authorization: caller(['reports']),
    })
    expect(allowed).toEqual({ ok: true, result: { team: 'red', total: 42 } })
    // The entry is there: the next allowed call is answered from it.
    expect(
      await invoker.invoke({
        action: 'report',
        input: { team: 'red' },
        authorization: caller(['reports']),
      }),
    ).toEqual(allowed)
    expect(calls).toEqual(['red'])
    // Without the scope (a token issued later, say), and anonymously: a refusal, not the entry.
    expect(
      await invoker.invoke({
        action: 'report',
        input: { team: 'red' },
        authorization: caller(['other']),
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await invoker.invoke({ action: 'report', input: { team: 'red' } })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    })

    // A custom rule runs on every call too, hit or not.
    const red = caller([], 'red')
    expect(
      await invoker.invoke({ action: 'team_report', input: { team: 'red' }, authorization: red }),
    ).toEqual({ ok: true, result: { team: 'red' } })
    expect(
      await invoker.invoke({ action: 'team_report', input: { team: 'red' }, authorization: red }),
    ).toEqual({ ok: true, result: { team: 'red' } })
    expect(
      await invoker.invoke({
        action: 'team_report',
        input: { team: 'red' },
        authorization: caller([], 'blue'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(calls).toEqual(['red', 'team:red'])
  })
})
