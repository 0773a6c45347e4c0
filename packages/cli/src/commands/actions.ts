import { actionsAsJson, formatActionsTable } from '../actions/actions-table.ts'
import { loadApp } from '../entry/load-app.ts'
import { resolveEntry } from '../entry/resolve-entry.ts'
import type { CliIo } from '../io.ts'

export interface ActionsOptions {
  readonly json?: boolean
  readonly entry?: string
}

/** `servey actions`: what the app declares, as a table or as JSON. */
export async function listActions(options: ActionsOptions, io: CliIo): Promise<number> {
  const entry = resolveEntry({ flag: options.entry, env: io.env, cwd: io.cwd })
  const { registry } = await loadApp(entry.path)
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(actionsAsJson(registry), null, 2)}\n`)
  } else if (registry.actions.length === 0) {
    io.stderr.write(`No actions are exported by ${entry.path}\n`)
  } else {
    io.stdout.write(formatActionsTable(registry))
  }
  return 0
}
