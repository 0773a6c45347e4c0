import { execFileSync } from 'node:child_process'
import type { PackageManifest } from './workspace.ts'

/** The files in an npm tarball, without the leading `package/`. */
export function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '' && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''))
}

/** The package.json inside an npm tarball: the manifest that an installer reads. */
export function tarballManifest(tarball: string): PackageManifest {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  ) as PackageManifest
}
