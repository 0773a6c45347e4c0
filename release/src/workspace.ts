import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (this file is release/src/workspace.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface PackageManifest {
  readonly name: string
  readonly version: string
  readonly private?: boolean
  readonly exports?: Record<string, unknown>
  readonly bin?: Record<string, string>
  readonly files?: readonly string[]
  readonly dependencies?: Record<string, string>
  readonly devDependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly optionalDependencies?: Record<string, string>
  readonly [key: string]: unknown
}

export interface WorkspacePackage {
  readonly name: string
  /** Absolute path of the package's folder. */
  readonly dir: string
  readonly manifest: PackageManifest
}

function readManifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest
}

/** Every package under packages/ that is published to npm (not `private`), sorted by name. */
export function publishablePackages(): WorkspacePackage[] {
  const root = join(REPO_ROOT, 'packages')
  return readdirSync(root)
    .map((folder) => join(root, folder))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readManifest(dir) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: manifest.name, dir, manifest }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** The pnpm version the repository pins in its root package.json `packageManager`. */
export function pinnedPnpmVersion(): string {
  const { packageManager } = readManifest(REPO_ROOT)
  const match = /^pnpm@(\d[\w.-]*)/.exec(String(packageManager))
  if (match?.[1] === undefined)
    throw new Error(`package.json names no pnpm@<version>: ${packageManager}`)
  return match[1]
}

/** `@servey/core` at 0.1.0 packs to `servey-core-0.1.0.tgz`, as npm and pnpm name it. */
export function tarballName(manifest: Pick<PackageManifest, 'name' | 'version'>): string {
  return `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`
}
