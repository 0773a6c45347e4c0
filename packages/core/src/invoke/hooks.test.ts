import { describe, expect, it } from 'vitest'
import { isDefinitionError } from '../errors/definition-error.ts'
import { collectHooks, HOOK_NAMES, type InvokeEvent, type InvokePlugin } from './hooks.ts'

function thrownBy(fn: () => unknown): Error & { code?: string } {
  try {
    fn()
  } catch (error) {
    expect(isDefinitionError(error)).toBe(true)
    return error as Error & { code?: string }
  }
  throw new Error('expected a throw')
}

describe('collectHooks', () => {
  it('groups hooks by name, keeping plugin order', () => {
    const first = (): void => {}
    const second = (): void => {}
    const lists = collectHooks([
      { name: 'a', onRequest: first, onError: first },
      { name: 'b', onRequest: second },
    ])
    expect(lists.onRequest).toHaveLength(2)
    expect(lists.onInvoke).toHaveLength(0)
    expect(lists.onResult).toHaveLength(0)
    expect(lists.onError).toHaveLength(1)
  })

  it('calls hooks with the plugin as `this`', async () => {
    const plugin = {
      name: 'counter',
      count: 0,
      onRequest(this: { count: number }) {
        this.count += 1
      },
    }
    const [hook] = collectHooks([plugin]).onRequest
    await hook?.({} as InvokeEvent)
    expect(plugin.count).toBe(1)
  })

  it('sees the hooks of class-based plugins, which live on the prototype', () => {
    class Metrics implements InvokePlugin {
      readonly name = 'metrics'
      calls = 0
      onResult(): void {
        this.calls += 1
      }
    }
    const metrics = new Metrics()
    const lists = collectHooks([metrics])
    expect(lists.onResult).toHaveLength(1)
    void lists.onResult[0]?.({} as InvokeEvent, 1)
    expect(metrics.calls).toBe(1)
  })

  it('lets a plugin carry its own state next to its hooks', () => {
    const lists = collectHooks([
      { name: 'cache', store: new Map(), ttl: 30, onInvoke: () => undefined } as InvokePlugin,
    ])
    expect(lists.onInvoke).toHaveLength(1)
  })

  it('rejects an unknown hook name with SERVEY_ERR_HOOK_UNKNOWN', () => {
    const error = thrownBy(() =>
      collectHooks([{ name: 'typo', onResponse: () => {} } as InvokePlugin]),
    )
    expect(error.code).toBe('SERVEY_ERR_HOOK_UNKNOWN')
    expect(error.message).toContain("Plugin 'typo'")
    expect(error.message).toContain("'onResponse'")
    expect(error).toBeInstanceOf(TypeError)
  })

  it('rejects a hook that is not a function with SERVEY_ERR_HOOK_NOT_FUNCTION', () => {
    const error = thrownBy(() =>
      collectHooks([{ name: 'broken', onError: 'log it' } as unknown as InvokePlugin]),
    )
    expect(error.code).toBe('SERVEY_ERR_HOOK_NOT_FUNCTION')
    expect(error.message).toBe("Hook 'onError' of plugin 'broken' must be a function")
  })

  it('lists the hooks in the order they run', () => {
    expect(HOOK_NAMES).toEqual(['onRequest', 'onInvoke', 'onResult', 'onError'])
  })
})
