import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { pnpmCommand, runChecked } from './run-command.ts'
import { REPO_ROOT, tarballName, type WorkspacePackage } from './workspace.ts'

/** Build every package (turbo: a replay when nothing changed since the last build). */
export async function buildWorkspace(): Promise<void> {
  const pnpm = pnpmCommand()
  await runChecked(pnpm.file, [...pnpm.args, 'build'], { cwd: REPO_ROOT, timeoutMs: 300_000 })
}

/**
 * `pnpm pack` every package into `destination`, as `pnpm publish` would upload them: workspace:
 * specifiers become versions, and the .pnpmfile.cjs hook drops the workspace-only source
 * condition. Resolves with each package's tarball path, by package name.
 */
export async function packPackages(
  packages: readonly WorkspacePackage[],
  destination: string,
): Promise<Map<string, string>> {
  await mkdir(destination, { recursive: true })
  const pnpm = pnpmCommand()
  const filters = packages.flatMap((pkg) => ['--filter', pkg.name])
  await runChecked(
    pnpm.file,
    [...pnpm.args, '--recursive', ...filters, 'pack', '--pack-destination', destination],
    { cwd: REPO_ROOT, timeoutMs: 300_000 },
  )
  const tarballs = new Map<string, string>()
  for (const pkg of packages) {
    const path = join(destination, tarballName(pkg.manifest))
    if (!existsSync(path)) throw new Error(`pnpm pack left no ${path} for ${pkg.name}`)
    tarballs.set(pkg.name, path)
  }
  return tarballs
}
