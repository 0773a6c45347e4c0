import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isDefinitionError } from '@servey/core'
import { RELOAD_PARAM } from '../dev/reload-param.ts'
import { cliErrors } from '../errors.ts'
import { ensureTypeScriptLoader } from '../entry/typescript-loader.ts'
import type { ServeyConfig } from './define-config.ts'

/** Looked for in the app's directory, in this order. */
export const CONFIG_FILES = [
  'servey.config.ts',
  'servey.config.mts',
  'servey.config.js',
  'servey.config.mjs',
] as const

export interface LoadedConfig {
  /** Absolute path of the file, or undefined when the app has none. */
  readonly file: string | undefined
  readonly config: ServeyConfig
}

/** The app's config file, if it has one. */
export function findConfigFile(cwd: string): string | undefined {
  for (const name of CONFIG_FILES) {
    const path = join(cwd, name)
    if (existsSync(path)) return path
  }
  return undefined
}

export interface LoadConfigOptions {
  /**
   * Import a fresh copy (`servey dev` reloads), as the same version of the app's modules: with
   * the reload hooks, a file under the app root that both the config and the actions import is
   * one module.
   */
  readonly reload?: number
}

/**
 * Import `servey.config.ts` (TypeScript loads directly) and check it. A file that does not
 * load or throws is SERVEY_ERR_CONFIG_LOAD_FAILED with its message, never a stack trace; an
 * unknown key or a wrong type is SERVEY_ERR_CONFIG_UNKNOWN_KEY or SERVEY_ERR_CONFIG_INVALID.
 */
export async function loadConfig(
  cwd: string,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  const file = findConfigFile(cwd)
  if (file === undefined) return { file, config: {} }
  await ensureTypeScriptLoader(file)
  const url = pathToFileURL(file)
  if (options.reload !== undefined) url.searchParams.set(RELOAD_PARAM, String(options.reload))
  let module: Record<string, unknown>
  try {
    module = (await import(url.href)) as Record<string, unknown>
  } catch (error) {
    if (isDefinitionError(error)) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw cliErrors.SERVEY_ERR_CONFIG_LOAD_FAILED(file, message.replace(/\s*\n\s*/g, ' '))
  }
  if (!('default' in module)) {
    throw cliErrors.SERVEY_ERR_CONFIG_LOAD_FAILED(
      file,
      'it has no default export: write export default defineConfig({ ... })',
    )
  }
  // Loaded only for an app with a config file (it brings the did-you-mean suggestions).
  const { validateConfig } = await import('./validate-config.ts')
  return { file, config: validateConfig(module['default'], file) }
}
