import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInvoker, createRegistry, DIRECT } from '@servey/core'
import { afterEach, describe, expect, it } from 'vitest'
import { appFiles, scaffold } from './scaffold.ts'
import { DEFAULT_TRIGGERS, TRIGGER_CHOICES } from './triggers.ts'

const registry = { kind: 'registry', version: '0.1.0' } as const
const made: string[] = []

// Inside this package, so the generated code's imports resolve to the workspace's packages.
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(import.meta.dirname, '..', '.tmp-'))
  made.push(dir)
  return dir
}

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

function manifestOf(files: Map<string, string>): any {
  return JSON.parse(files.get('package.json')!)
}

describe('appFiles', () => {
  it('makes a standalone ES module app with the four scripts and registry versions', () => {
    const files = appFiles({ name: 'my-app', triggers: DEFAULT_TRIGGERS, source: registry })
    expect([...files.keys()].sort()).toEqual(
      [
        '.gitignore',
        'README.md',
        'package.json',
        'servey.config.ts',
        'src/actions.test.ts',
        'src/actions.ts',
        'tsconfig.json',
      ].sort(),
    )
    const manifest = manifestOf(files)
    expect(manifest).toMatchObject({ name: 'my-app', private: true, type: 'module' })
    expect(manifest.scripts).toEqual({
      dev: 'servey dev',
      start: 'servey start',
      test: 'vitest run',
      typecheck: 'tsc --noEmit',
    })
    expect(manifest.dependencies).toEqual({
      '@servey/cli': '^0.1.0',
      '@servey/core': '^0.1.0',
      '@servey/scheduler': '^0.1.0',
    })
    expect(Object.keys(manifest.devDependencies)).toEqual(
      expect.arrayContaining([
        '@servey/testing',
        '@servey/rest',
        '@servey/graphql',
        'vitest',
        'typescript',
      ]),
    )
    expect(manifest.overrides).toBeUndefined()
  })

  it('depends on tarballs, and overrides every @servey package with them, when given', () => {
    const tarballs = new Map(
      ['cache', 'cli', 'core', 'graphql', 'rest', 'scheduler', 'testing'].map((name) => [
        `@servey/${name}`,
        `/t/servey-${name}-0.1.0.tgz`,
      ]),
    )
    const manifest = manifestOf(
      appFiles({ name: 'a', triggers: DEFAULT_TRIGGERS, source: { kind: 'tarballs', tarballs } }),
    )
    expect(manifest.dependencies['@servey/core']).toBe('file:/t/servey-core-0.1.0.tgz')
    expect(manifest.devDependencies['@servey/testing']).toBe('file:/t/servey-testing-0.1.0.tgz')
    // Direct dependencies reuse their spec; the CLI's own (cache) is pinned to its tarball.
    expect(manifest.overrides['@servey/core']).toBe('$@servey/core')
    expect(manifest.overrides['@servey/cache']).toBe('file:/t/servey-cache-0.1.0.tgz')
  })

  it('writes one example action per chosen trigger, importing only what it uses', () => {
    const only = (trigger: (typeof TRIGGER_CHOICES)[number]) =>
      appFiles({ name: 'a', triggers: [trigger], source: registry }).get('src/actions.ts')!
    expect(only('web')).toContain('export const say_hello')
    expect(only('web')).not.toContain('@servey/scheduler')
    expect(only('schedule')).toContain("every('1m')")
    expect(only('job')).toContain('export const sum_numbers')
    expect(only('page')).toContain('triggers: [PAGE]')
    expect(
      appFiles({ name: 'a', triggers: ['page'], source: registry }).has('templates/hello_page.njk'),
    ).toBe(true)
  })
})

describe('scaffold', () => {
  it("writes an app whose actions load and whose examples pass through core's pipeline", async () => {
    const dir = join(await tempDir(), 'app')
    const written = await scaffold({
      directory: dir,
      name: 'app',
      triggers: TRIGGER_CHOICES,
      source: registry,
    })
    expect(written).toContain('src/actions.ts')
    const actions = (await import(join(dir, 'src/actions.ts'))) as Record<string, unknown>
    const created = createRegistry(actions)
    expect(created.actions.map((action) => action.name)).toEqual([
      'heartbeat',
      'hello_page',
      'say_hello',
      'sum_numbers',
    ])
    const invoker = createInvoker(created)
    for (const action of created.actions) {
      for (const example of action.definition.examples) {
        const outcome = await invoker.invoke({
          action: action.name,
          input: example.params,
          authorization: null,
          trigger: DIRECT,
        })
        expect(outcome).toMatchObject({ ok: true, result: example.result })
      }
    }
  })

  it('writes into an empty folder, or one with only .git', async () => {
    const dir = await tempDir()
    await mkdir(join(dir, '.git'))
    await scaffold({ directory: dir, name: 'app', triggers: ['web'], source: registry })
    expect((await readdir(dir)).sort()).toContain('package.json')
  })

  it('never writes over anything: a folder with files is refused, untouched', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'notes.txt'), 'mine')
    await expect(
      scaffold({ directory: dir, name: 'app', triggers: ['web'], source: registry }),
    ).rejects.toMatchObject({ code: 'SERVEY_ERR_CREATE_DIR_NOT_EMPTY' })
    expect(await readdir(dir)).toEqual(['notes.txt'])
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine')
  })
})
