import { isActionError, isDefinitionError } from '@servey/core'
import { RELOAD_PARAM } from './dev/reload-param.ts'

const RELOAD_QUERY = new RegExp(String.raw`\?${RELOAD_PARAM}=\d+`, 'g')

/** Stack traces of reloaded modules carry the reload query; users know their files without it. */
function cleanStack(error: Error): string {
  return (error.stack ?? `${error.name}: ${error.message}`).replace(RELOAD_QUERY, '')
}

/**
 * The frames of an error thrown while a module was being evaluated, down to Node's module
 * loader: below it are only the loader and this CLI, never the app.
 */
function appFrames(error: Error): string {
  const lines = cleanStack(error).split('\n')
  const loader = lines.findIndex((line) => line.includes('node:internal/modules/'))
  return (loader === -1 ? lines : lines.slice(0, loader)).join('\n')
}

/**
 * A syntax error (esbuild's TransformError) or a missing import (Node's ERR_* codes) already
 * names the file and line; their stacks would only show loader internals.
 */
function stackIsUseful(error: Error): boolean {
  const code = (error as { code?: unknown }).code
  return error.name !== 'TransformError' && !(typeof code === 'string' && code.startsWith('ERR_'))
}

/**
 * One message a developer can act on. Coded errors (definition errors, action errors) print as
 * `CODE: message` without a stack: the code and message say what to fix. A stack is shown only
 * where it points at the developer's own code: an unexpected exception, or one thrown while
 * loading the app.
 */
export function formatError(error: unknown): string {
  if (isDefinitionError(error)) {
    const line = `${error.code}: ${error.message}`
    const cause = error.cause
    if (cause instanceof Error && !isDefinitionError(cause) && stackIsUseful(cause)) {
      return `${line}\n${appFrames(cause)}`
    }
    return line
  }
  if (isActionError(error)) {
    const line = `${error.code}: ${error.message}`
    // Masked errors say only "Internal Server Error"; at a terminal the caller is the developer.
    if (!error.expose && error.cause instanceof Error) {
      return `${line} (caused by ${error.cause.name}: ${error.cause.message})`
    }
    return line
  }
  if (error instanceof Error) return cleanStack(error)
  return String(error)
}
