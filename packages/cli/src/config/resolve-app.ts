import { resolveEntry, type EntryRequest, type ResolvedEntry } from '../entry/resolve-entry.ts'
import { loadConfig, type LoadConfigOptions, type LoadedConfig } from './load-config.ts'

export interface ResolvedApp {
  readonly entry: ResolvedEntry
  readonly config: LoadedConfig
}

/**
 * The app's config file (if any) and its actions module: what every command starts from. The
 * config is read first because its `entry` is one of the places the module is looked for.
 */
export async function resolveApp(
  request: EntryRequest & { cwd: string } & LoadConfigOptions,
): Promise<ResolvedApp> {
  const config = await loadConfig(
    request.cwd,
    request.reload === undefined ? {} : { reload: request.reload },
  )
  const entry = resolveEntry({
    ...request,
    config: { entry: config.config.entry, file: config.file },
  })
  return { entry, config }
}
