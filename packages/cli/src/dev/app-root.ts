import { dirname, relative, isAbsolute } from 'node:path'

/**
 * The directory whose files belong to the app: watched for changes and re-evaluated on reload.
 * The working directory when the entry is inside it (the usual `servey dev` in a project),
 * else the entry's own directory.
 */
export function appRootOf(entryPath: string, cwd: string): string {
  const fromCwd = relative(cwd, entryPath)
  return fromCwd.startsWith('..') || isAbsolute(fromCwd) ? dirname(entryPath) : cwd
}
