/**
 * @module @servey/cli: the `servey` command. The binary is bin/servey.js; this entry exposes
 * the same pieces for scripts and tools that want to run a command or load an app the way
 * the CLI does.
 */
export { runCli } from './cli.ts'
export { processIo, type CliIo } from './io.ts'
export { cliErrors } from './errors.ts'
export {
  resolveEntry,
  ENTRY_CANDIDATES,
  type EntryRequest,
  type ResolvedEntry,
} from './entry/resolve-entry.ts'
export { loadApp, type LoadedApp, type LoadOptions } from './entry/load-app.ts'
export { formatError } from './report-error.ts'
export {
  defineConfig,
  type ServeyConfig,
  type ServeyServerConfig,
  type ServeyGraphqlConfig,
  type ServeyChannelsConfig,
  type ServeyCacheConfig,
} from './config/index.ts'
export {
  loadConfig,
  findConfigFile,
  CONFIG_FILES,
  type LoadedConfig,
} from './config/load-config.ts'
