import type { InvokeHooks, InvokePlugin } from '@servey/core'
import type { ServeyConfig } from './define-config.ts'

/** The plugin name `invoke.hooks` runs under: what core's messages and logs call it. */
export const CONFIG_HOOKS_PLUGIN = 'servey.config.ts invoke.hooks'

/**
 * The invoke plugins of the config: `invoke.plugins` in order, then `invoke.hooks` as one more
 * plugin. The CLI puts them before the server-side result cache, so they see every call that
 * reaches `onInvoke`, and one of them that answers a call is never overridden by a cached value.
 */
export function invokePluginsOf(config: ServeyConfig): InvokePlugin[] {
  const plugins = [...(config.invoke?.plugins ?? [])]
  const hooks = config.invoke?.hooks
  if (hooks !== undefined) {
    // The hooks object is the prototype, not copied: core binds each hook to the plugin, so
    // `this` still reaches whatever the object holds, methods of a class included.
    const plugin = Object.create(hooks) as InvokeHooks & { name: string }
    plugin.name = CONFIG_HOOKS_PLUGIN
    plugins.push(plugin)
  }
  return plugins
}
