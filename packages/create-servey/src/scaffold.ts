import { existsSync, readdirSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { CreateServeyError } from './errors.ts'
import { actionsFile } from './files/actions-file.ts'
import { CONFIG_FILE } from './files/config-file.ts'
import { packageFile, type PackageSource } from './files/package-file.ts'
import { PAGE_TEMPLATE } from './files/page-template.ts'
import { readmeFile } from './files/readme-file.ts'
import { GITIGNORE_FILE, TSCONFIG_FILE } from './files/static-files.ts'
import { testFile } from './files/test-file.ts'
import type { TriggerChoice } from './triggers.ts'

export interface ScaffoldOptions {
  /** Absolute path of the app's folder: created, or existing and empty. */
  readonly directory: string
  /** The package name. */
  readonly name: string
  readonly triggers: readonly TriggerChoice[]
  readonly source: PackageSource
}

/** The files of a new app, by path relative to its folder. */
export function appFiles(options: Omit<ScaffoldOptions, 'directory'>): Map<string, string> {
  const files = new Map<string, string>([
    ['package.json', packageFile(options)],
    ['tsconfig.json', TSCONFIG_FILE],
    ['.gitignore', GITIGNORE_FILE],
    ['README.md', readmeFile(options.name, options.triggers)],
    ['servey.config.ts', CONFIG_FILE],
    ['src/actions.ts', actionsFile(options.triggers)],
    ['src/actions.test.ts', testFile(options.triggers)],
  ])
  if (options.triggers.includes('page')) files.set('templates/hello_page.njk', PAGE_TEMPLATE)
  return files
}

// A folder a new repository starts with may hold these and still count as empty.
const IGNORED = new Set(['.git', '.DS_Store', 'README.md', 'LICENSE'])

/** Write the app; never over anything: the folder must be new or empty. */
export async function scaffold(options: ScaffoldOptions): Promise<string[]> {
  const files = appFiles(options)
  if (existsSync(options.directory)) {
    const clashes = readdirSync(options.directory).filter(
      (entry) => !IGNORED.has(entry) || files.has(entry),
    )
    if (clashes.length > 0) {
      throw new CreateServeyError(
        'SERVEY_ERR_CREATE_DIR_NOT_EMPTY',
        `${options.directory} is not empty (${clashes.slice(0, 3).join(', ')}${clashes.length > 3 ? ', …' : ''}): choose a new folder`,
      )
    }
  }
  for (const [path, content] of files) {
    const target = join(options.directory, path)
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, content, { flag: 'wx' })
  }
  return [...files.keys()]
}
