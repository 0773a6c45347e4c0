import type { RegisteredAction, Registry } from '@servey/core/adapter'
import type { ServerlessPlan } from './function-plan.ts'

export const WEBSOCKET_FUNCTION = 'servey_websocket'
/** API Gateway's websocket routes, all served by the websocket function. */
export const WEBSOCKET_ROUTES = ['$connect', '$disconnect', '$default'] as const
/** API Gateway waits 29 s for an integration; a route answer is quick. */
const WEBSOCKET_TIMEOUT = 10

/** `export messenger` → `messenger`. */
function exportRoot(source: string): string | undefined {
  return /^export ([A-Za-z_$][\w$]*)/.exec(source)?.[1]
}

/**
 * An app with channels: every function imports the channels' exports too (any action may
 * publish, and its registry must know the channel and the actions of its handlers), and one
 * more function, `servey_websocket`, serves API Gateway's websocket routes with every channel.
 */
export function withChannels(
  plan: ServerlessPlan,
  registry: Registry,
  exportRootOf: (action: RegisteredAction) => string,
): ServerlessPlan {
  if (registry.channels.length === 0) return plan
  const handlerActions = registry.channels.flatMap((channel) =>
    channel.handlers.flatMap((handler) => {
      if (handler.kind === 'webhook') return []
      const found = registry.get(handler.actionName)
      return found === undefined ? [] : [exportRootOf(found)]
    }),
  )
  const channelImports = [
    ...registry.channels.flatMap((channel) => {
      const root = exportRoot(channel.source)
      return root === undefined ? [] : [root]
    }),
    ...handlerActions,
  ]
  const functions = plan.functions.map((fn) => ({
    ...fn,
    imports: [...new Set([...fn.imports, ...channelImports])].sort(),
  }))
  functions.push({
    key: WEBSOCKET_FUNCTION,
    action: undefined,
    actions: [],
    imports: [...new Set(channelImports)].sort(),
    description: 'Servey websocket channels: $connect, $disconnect and $default',
    timeout: WEBSOCKET_TIMEOUT,
    routes: [],
    schedules: [],
    websocket: true,
  })
  return { functions, warnings: plan.warnings }
}
