/**
 * Every publishable package, packed as `pnpm publish` would upload it, is what an installer
 * outside this repository needs: versions instead of workspace: specifiers, every file its
 * exports and bins name, nothing else of the sources, clean for publint, and accepted by
 * `npm publish --dry-run`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorkspace, packPackages } from './pack-packages.ts'
import { outsideEnv, runCommand } from './run-command.ts'
import { tarballFiles, tarballManifest } from './tarball.ts'
import { publishablePackages } from './workspace.ts'

const packages = publishablePackages()
let directory: string
let tarballs: Map<string, string>

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'servey-packed-'))
  await buildWorkspace()
  tarballs = await packPackages(packages, directory)
})

afterAll(async () => {
  if (directory !== undefined) await rm(directory, { recursive: true, force: true })
})

/** Every file path an `exports` value points at, whatever the conditions. */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value === null || typeof value !== 'object') return []
  return Object.values(value).flatMap(exportTargets)
}

describe.each(packages.map((pkg) => [pkg.name, pkg] as const))('%s', (name, pkg) => {
  const tarball = (): string => tarballs.get(name)!

  it('names versions, not workspace: specifiers, and no source condition', () => {
    const manifest = tarballManifest(tarball())
    const text = JSON.stringify(manifest)
    expect(text).not.toContain('workspace:')
    expect(text).not.toContain('@servey/source')
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
      if (dependency.startsWith('@servey/')) expect(range).toBe(pkg.manifest.version)
    }
  })

  it('ships every file its exports and bins name, and no sources or tests', () => {
    const files = new Set(tarballFiles(tarball()))
    const manifest = tarballManifest(tarball())
    const named = [...exportTargets(manifest.exports), ...Object.values(manifest.bin ?? {})]
    expect(named.length).toBeGreaterThan(0)
    for (const path of named) expect(files, path).toContain(path.replace(/^\.\//, ''))
    for (const file of files) {
      expect(file).toMatch(/^(?:dist\/|bin\/|bin\.js$|package\.json$|README\.md$)/)
      expect(file).not.toMatch(/\.test\.|\.fixture\.|test-support\//)
    }
  })

  it('is clean for publint, warnings included', async () => {
    const buffer = await readFile(tarball())
    const arrayBuffer = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length)
    const { messages, pkg: packed } = await publint({
      pack: { tarball: arrayBuffer as ArrayBuffer },
      strict: true,
      level: 'warning',
    })
    expect(messages.map((message) => formatMessage(message, packed) ?? message.code)).toEqual([])
  })

  it('passes npm publish --dry-run', async () => {
    const result = await runCommand('npm', ['publish', '--dry-run', tarball()], {
      cwd: directory,
      env: outsideEnv(),
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(`+ ${name}@${pkg.manifest.version}`)
    expect(result.stderr).not.toMatch(
      /npm (?:warn|error) (?!publish This command requires you to be logged in)/,
    )
  })
})
