/**
 * @servey/core's build inlines its third-party dependencies (TypeBox, Ajv, ...) into a few files
 * of dist/ (tools/bundle, docs/packaging.md): start-up pays for 4 files instead of about 600.
 * These tests run the built package with plain Node, as an installed app does: it loads no file
 * of the inlined packages, its `Type` and the app's own `typebox` make schemas together, and the
 * validators it generates as code still find Ajv's runtime helpers.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildWorkspace } from './pack-packages.ts'
import { runChecked } from './run-command.ts'
import { REPO_ROOT } from './workspace.ts'

const CORE_DIR = join(REPO_ROOT, 'packages', 'core')
const INLINED = ['typebox', 'ajv', 'ajv-formats', 'fast-uri', 'fast-deep-equal', 'ipaddr.js', 'ms']

interface Probe {
  readonly coreModules: readonly string[]
  readonly count: number
  readonly calls: Record<string, unknown>
  readonly precompiledCalls: Record<string, unknown>
}

let probe: Probe

beforeAll(async () => {
  await buildWorkspace()
  // The app's own typebox: the one an app installs beside @servey/core (same range).
  const typebox = createRequire(join(CORE_DIR, 'package.json')).resolve('typebox')
  const result = await runChecked(
    process.execPath,
    [
      join(REPO_ROOT, 'release', 'src', 'fixtures', 'bundled-core-probe.js'),
      pathToFileURL(join(CORE_DIR, 'dist', 'index.js')).href,
      pathToFileURL(typebox).href,
    ],
    { cwd: REPO_ROOT },
  )
  probe = JSON.parse(result.stdout) as Probe
})

describe('the built @servey/core', () => {
  it('loads from a few files of its dist/, none of the inlined packages', () => {
    const files = probe.coreModules.filter((url) => url.startsWith('file:'))
    const distUrl = pathToFileURL(join(CORE_DIR, 'dist')).href
    for (const url of files) expect(url.startsWith(`${distUrl}/`), url).toBe(true)
    expect(files.length).toBeGreaterThan(0)
    expect(files.length).toBeLessThanOrEqual(6)
    for (const name of INLINED) {
      expect(files.filter((url) => url.includes(`/node_modules/${name}/`))).toEqual([])
    }
  })

  it("validates schemas that mix its Type with the app's own typebox", () => {
    expect(probe.calls['greet']).toEqual({ ok: true, result: 'HELLO ADA!' })
    expect(probe.calls['greetInvalid']).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_PARAMS',
        issues: expect.arrayContaining([
          expect.objectContaining({ path: '/name', keyword: 'minLength' }),
          expect.objectContaining({ path: '/tags/0', keyword: 'type' }),
          expect.objectContaining({ path: '/style', keyword: 'anyOf' }),
        ]),
      },
    })
    // The app's Partial of core's Object: every property optional, each still checked.
    expect(probe.calls['patchEmpty']).toEqual({ ok: true, result: [] })
    expect(probe.calls['patchInvalid']).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS', issues: [{ path: '/a', keyword: 'type' }] },
    })
  })

  it("generates validators whose code finds Ajv's runtime helpers from dist/", () => {
    expect(probe.count).toBeGreaterThan(0)
    expect(probe.precompiledCalls['greet']).toEqual({ ok: true, result: 'Hello Ada!' })
    expect(probe.precompiledCalls['greetInvalid']).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS', issues: [{ path: '/name', keyword: 'type' }] },
    })
  })
})
