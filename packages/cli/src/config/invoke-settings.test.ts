import { action, createInvoker, createRegistry, Type, type InvokeEvent } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { CONFIG_HOOKS_PLUGIN, invokePluginsOf } from './invoke-settings.ts'

const echo = action(
  { params: Type.Object({ text: Type.String() }), result: Type.String() },
  ({ text }) => text,
)

describe('invokePluginsOf', () => {
  it('is empty without an invoke key', () => {
    expect(invokePluginsOf({})).toEqual([])
  })

  it('runs invoke.plugins in order, then invoke.hooks, with `this` bound to their objects', async () => {
    const seen: string[] = []
    const hooks = {
      prefix: 'hooks',
      onInvoke(this: { prefix: string }, event: InvokeEvent) {
        seen.push(`${this.prefix}:${event.action.name}`)
      },
    }
    const plugins = invokePluginsOf({
      invoke: {
        plugins: [
          { name: 'first', onInvoke: () => void seen.push('first') },
          { name: 'second', onInvoke: () => void seen.push('second') },
        ],
        hooks,
      },
    })
    expect(plugins.map((plugin) => plugin.name)).toEqual(['first', 'second', CONFIG_HOOKS_PLUGIN])
    const invoker = createInvoker(createRegistry({ echo }), { plugins })
    expect(await invoker.invoke({ action: 'echo', input: { text: 'hi' } })).toEqual({
      ok: true,
      result: 'hi',
    })
    expect(seen).toEqual(['first', 'second', 'hooks:echo'])
  })
})
