/**
 * @servey/core's build inlines its third-party dependencies (TypeBox, Ajv, ...) into a few files
 * of dist/ (tools/bundle, docs/packaging.md): start-up pays for 4 files instead of about 600.
 * These tests run the built package with plain Node, as an installed app does: it loads no file
 * of the inlined packages, its `Type` and the app's own `typebox` make schemas together, and the
 * validators it generates as code still find Ajv's runtime helpers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildWorkspace } from './pack-packages.ts'
import { runChecked, runCommand } from './run-command.ts'
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

  it('can be bundled again, unminified, under a createRequire banner such as servey sls adds', async () => {
    // The esbuild that tools/bundle builds with; an app's bundler inlines dist/ the same way.
    const { build } = createRequire(join(REPO_ROOT, 'tools', 'bundle', 'package.json'))(
      'esbuild',
    ) as { build(options: Record<string, unknown>): Promise<unknown> }
    const dir = await mkdtemp(join(tmpdir(), 'servey-rebundle-'))
    try {
      const core = JSON.stringify(join(CORE_DIR, 'dist', 'index.js'))
      await writeFile(
        join(dir, 'entry.js'),
        `import { action, Type, createRegistry, createInvoker } from ${core}
const hi = action({ params: Type.Object({ name: Type.String() }) }, ({ name }) => 'Hi ' + name)
const invoker = createInvoker(createRegistry({ hi }))
console.log(JSON.stringify(await invoker.invoke({ action: 'hi', input: { name: 'again' } })))
`,
      )
      await build({
        entryPoints: [join(dir, 'entry.js')],
        outfile: join(dir, 'out.mjs'),
        bundle: true,
        platform: 'node',
        format: 'esm',
        logLevel: 'silent',
        banner: {
          js: "import { createRequire as __serveyCreateRequire } from 'node:module'; const require = __serveyCreateRequire(import.meta.url);",
        },
      })
      const result = await runCommand(process.execPath, [join(dir, 'out.mjs')], { cwd: dir })
      expect(result.stderr).toBe('')
      expect(JSON.parse(result.stdout)).toEqual({ ok: true, result: 'Hi again' })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
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
