import { existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { cliErrors } from '../errors.ts'

/**
 * Looked for in this order, relative to the working directory (design.md §3). `servey.config.ts`
 * is a config file, not an actions module: its `entry` comes before these.
 */
export const ENTRY_CANDIDATES = ['src/actions.ts', 'src/actions/index.ts', 'actions.ts'] as const

export interface EntryRequest {
  /** `--entry`, if given. */
  readonly flag?: string | undefined
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
  /** The `entry` of the app's config file, relative to that file. */
  readonly config?: { readonly entry: string | undefined; readonly file: string | undefined }
}

export interface ResolvedEntry {
  /** Absolute path of the actions module. */
  readonly path: string
  /** Where the choice came from, for messages: `--entry`, `SERVEY_ENTRY` or `discovered`. */
  readonly from: string
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile()
}

/**
 * Find the app's actions module: `--entry`, else `SERVEY_ENTRY`, else the config file's
 * `entry`, else the first candidate.
 */
export function resolveEntry(request: EntryRequest = {}): ResolvedEntry {
  const cwd = request.cwd ?? process.cwd()
  const env = request.env ?? process.env
  const explicit =
    request.flag !== undefined
      ? { value: request.flag, from: '--entry' }
      : env['SERVEY_ENTRY'] !== undefined && env['SERVEY_ENTRY'] !== ''
        ? { value: env['SERVEY_ENTRY'], from: 'SERVEY_ENTRY' }
        : request.config?.entry !== undefined && request.config.file !== undefined
          ? {
              value: resolve(dirname(request.config.file), request.config.entry),
              from: `entry in ${request.config.file}`,
            }
          : undefined
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit.value)
    if (!isFile(path)) throw cliErrors.SERVEY_ERR_CLI_ENTRY_FILE_MISSING(path, explicit.from)
    return { path, from: explicit.from }
  }
  for (const candidate of ENTRY_CANDIDATES) {
    const path = resolve(cwd, candidate)
    if (isFile(path)) return { path, from: 'discovered' }
  }
  const tried = ENTRY_CANDIDATES.map((candidate) => `  ${resolve(cwd, candidate)}`).join('\n')
  throw cliErrors.SERVEY_ERR_CLI_ENTRY_NOT_FOUND(cwd, tried)
}
