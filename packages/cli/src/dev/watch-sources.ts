import { extname, relative } from 'node:path'
import type { Stats } from 'node:fs'

/** Directories that never hold the app's own sources, or that change under a running app. */
const IGNORED_DIRECTORIES = new Set([
  'node_modules',
  '.git',
  'dist',
  'coverage',
  '.turbo',
  '.servey',
])

/** Files whose change can change what the app serves. Logs and generated documents are not. */
const SOURCE_EXTENSIONS = new Set([
  '.ts',
  '.mts',
  '.cts',
  '.tsx',
  '.js',
  '.mjs',
  '.cjs',
  '.jsx',
  '.json',
])

export interface WatchOptions {
  /** Called once per burst of changes, with the paths that changed. */
  readonly onChange: (paths: readonly string[]) => void
  /** Quiet time before a burst counts as over; editors often write a file in several steps. */
  readonly debounceMs?: number
  /** Files to leave alone even if they look like sources, e.g. LOG_FILE. */
  readonly ignore?: readonly string[]
  /** Files outside `root` to watch as well (the config file, when the root is elsewhere). */
  readonly also?: readonly string[]
}

export interface SourceWatcher {
  /** Resolves once the initial scan is done: changes after this are reported. */
  readonly ready: Promise<void>
  close(): Promise<void>
}

/** Whether a change at `path` (absolute, under `root`) is not a change to the app's sources. */
export function isIgnoredPath(
  root: string,
  path: string,
  stats: Stats | undefined,
  ignore: ReadonlySet<string>,
): boolean {
  if (ignore.has(path)) return true
  // Only the part below the root counts: an app may itself live in a folder named `dist`.
  if (
    relative(root, path)
      .split(/[\\/]/)
      .some((part) => IGNORED_DIRECTORIES.has(part))
  )
    return true
  // Without stats chokidar is asking about a path it has not looked at yet: keep directories.
  if (stats === undefined || !stats.isFile()) return false
  return !SOURCE_EXTENSIONS.has(extname(path))
}

/** Watch the app's sources under `root` (chokidar, loaded only by the dev server). */
export async function watchSources(root: string, options: WatchOptions): Promise<SourceWatcher> {
  const { watch } = await import('chokidar')
  const ignore = new Set(options.ignore ?? [])
  const debounceMs = options.debounceMs ?? 100
  const watcher = watch([root, ...(options.also ?? [])], {
    ignoreInitial: true,
    ignored: (path, stats) => isIgnoredPath(root, path, stats, ignore),
  })

  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  const flush = (): void => {
    timer = undefined
    const paths = [...pending]
    pending = new Set()
    options.onChange(paths)
  }
  const onEvent = (path: string): void => {
    pending.add(path)
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(flush, debounceMs)
  }
  watcher.on('add', onEvent).on('change', onEvent).on('unlink', onEvent)

  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {
    ready,
    async close() {
      if (timer !== undefined) clearTimeout(timer)
      await watcher.close()
    },
  }
}
