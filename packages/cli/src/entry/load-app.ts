import { pathToFileURL } from 'node:url'
import { createRegistry, isDefinitionError, type Registry } from '@servey/core'
import { RELOAD_PARAM } from '../dev/reload-param.ts'
import { cliErrors } from '../errors.ts'
import { ensureTypeScriptLoader, isPlainJavaScript } from './typescript-loader.ts'

export interface LoadedApp {
  readonly registry: Registry
  /** The module's namespace, for packages that read more than actions from it. */
  readonly module: Record<string, unknown>
}

export interface LoadOptions {
  /** Import a fresh copy (dev reloads); needs the reload hooks to reach the module's imports. */
  readonly reload?: number
  /** `lazy` for one-shot commands that call one action (see core's RegistryOptions). */
  readonly compile?: 'eager' | 'lazy'
}

/**
 * Import the actions module and build its registry. Definition errors pass through as they
 * are (they already say what to fix); anything else is wrapped in a coded load error.
 */
export async function loadApp(entryPath: string, options: LoadOptions = {}): Promise<LoadedApp> {
  const url = pathToFileURL(entryPath)
  if (options.reload !== undefined) url.searchParams.set(RELOAD_PARAM, String(options.reload))
  let module: Record<string, unknown>
  await ensureTypeScriptLoader(entryPath)
  try {
    module = (await import(url.href)) as Record<string, unknown>
  } catch (error) {
    if (isDefinitionError(error)) throw error
    let message = error instanceof Error ? error.message : String(error)
    if ((error as { code?: unknown }).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      // A JavaScript entry is imported without tsx (see typescript-loader.ts).
      message += isPlainJavaScript(entryPath)
        ? ': a JavaScript entry is loaded without a TypeScript loader, so it cannot import TypeScript; name the TypeScript entry instead (--entry src/actions.ts), or import compiled JavaScript'
        : ''
    }
    const wrapped = cliErrors.SERVEY_ERR_CLI_ENTRY_LOAD_FAILED(entryPath, message)
    wrapped.cause = error
    throw wrapped
  }
  return { registry: createRegistry(module, { compile: options.compile ?? 'eager' }), module }
}
