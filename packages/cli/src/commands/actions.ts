import { actionsAsJson, formatActionsTable } from '../actions/actions-table.ts'
import { channelsAsJson, formatChannelsTable } from '../actions/channels-table.ts'
import { loadApp } from '../entry/load-app.ts'
import { resolveApp } from '../config/resolve-app.ts'
import type { CliIo } from '../io.ts'

export interface ActionsOptions {
  readonly json?: boolean
  readonly entry?: string
}

/** `servey actions`: what the app declares (actions, then event channels), as tables or JSON. */
export async function listActions(options: ActionsOptions, io: CliIo): Promise<number> {
  const { entry } = await resolveApp({ flag: options.entry, env: io.env, cwd: io.cwd })
  const { registry } = await loadApp(entry.path)
  if (options.json === true) {
    const listing = { actions: actionsAsJson(registry), channels: channelsAsJson(registry) }
    io.stdout.write(`${JSON.stringify(listing, null, 2)}\n`)
    return 0
  }
  if (registry.actions.length === 0) {
    io.stderr.write(`No actions are exported by ${entry.path}\n`)
  } else {
    io.stdout.write(formatActionsTable(registry))
  }
  if (registry.channels.length > 0) {
    io.stdout.write(`${registry.actions.length === 0 ? '' : '\n'}${formatChannelsTable(registry)}`)
  }
  return 0
}
