import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CreateServeyError } from './errors.ts'

// `pnpm pack` and `npm pack` name @servey/core 0.1.0 `servey-core-0.1.0.tgz`, and this package
// `create-servey-0.1.0.tgz` (@servey/cli depends on it, for `servey init`).
const TARBALL = /^(?:servey-(.+)|(create-servey))-(\d+\.\d+\.\d+(?:-[\w.]+)?)\.tgz$/

/** The Servey tarballs in a folder (from `pnpm pack-all`), by package name, as absolute paths. */
export function findTarballs(directory: string, cwd: string): Map<string, string> {
  const folder = resolve(cwd, directory)
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new CreateServeyError(
      'SERVEY_ERR_CREATE_TARBALLS_INVALID',
      `--tarballs ${directory}: ${folder} is not a folder. Make one with \`pnpm pack-all\` in a clone of servey.`,
    )
  }
  const found = new Map<string, string>()
  for (const file of readdirSync(folder).sort()) {
    const match = TARBALL.exec(file)
    if (match === null) continue
    const name = match[2] ?? `@servey/${match[1]}`
    if (found.has(name)) {
      throw new CreateServeyError(
        'SERVEY_ERR_CREATE_TARBALLS_INVALID',
        `--tarballs ${directory}: ${folder} holds several versions of ${name}; keep one.`,
      )
    }
    found.set(name, join(folder, file))
  }
  return found
}

/** Fails unless every package the app needs has a tarball. */
export function checkTarballs(
  tarballs: ReadonlyMap<string, string>,
  needed: readonly string[],
  directory: string,
): void {
  const missing = needed.filter((name) => !tarballs.has(name))
  if (missing.length > 0) {
    throw new CreateServeyError(
      'SERVEY_ERR_CREATE_TARBALLS_INVALID',
      `--tarballs ${directory} has no tarball for ${missing.join(', ')}. Pack every package with \`pnpm pack-all\`.`,
    )
  }
}
