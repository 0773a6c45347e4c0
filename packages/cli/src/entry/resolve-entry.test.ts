import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDefinitionError } from '@servey/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveEntry } from './resolve-entry.ts'

describe('resolveEntry', () => {
  let cwd: string
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'servey-entry-'))
  })
  afterEach(async () => {
    await rm(cwd, { recursive: true, force: true })
  })

  async function touch(path: string): Promise<void> {
    await mkdir(join(cwd, path, '..'), { recursive: true })
    await writeFile(join(cwd, path), 'export {}\n')
  }

  it('prefers src/actions.ts, then src/actions/index.ts, actions.ts; never servey.config.ts', async () => {
    await touch('actions.ts')
    expect(resolveEntry({ cwd, env: {} })).toEqual({
      path: join(cwd, 'actions.ts'),
      from: 'discovered',
    })
    await touch('src/actions/index.ts')
    expect(resolveEntry({ cwd, env: {} }).path).toBe(join(cwd, 'src/actions/index.ts'))
    await touch('src/actions.ts')
    expect(resolveEntry({ cwd, env: {} }).path).toBe(join(cwd, 'src/actions.ts'))
    await touch('servey.config.ts')
    expect(resolveEntry({ cwd, env: {} }).path).toBe(join(cwd, 'src/actions.ts'))
  })

  it("takes the config file's entry, relative to the file, after --entry and SERVEY_ENTRY", async () => {
    await touch('src/actions.ts')
    await touch('app/main.ts')
    await touch('b.ts')
    const config = { entry: './app/main.ts', file: join(cwd, 'servey.config.ts') }
    expect(resolveEntry({ cwd: join(cwd, 'src'), env: {}, config })).toEqual({
      path: join(cwd, 'app/main.ts'),
      from: `entry in ${join(cwd, 'servey.config.ts')}`,
    })
    expect(resolveEntry({ cwd, env: { SERVEY_ENTRY: 'b.ts' }, config }).path).toBe(
      join(cwd, 'b.ts'),
    )
    const missing = { entry: 'nope.ts', file: join(cwd, 'servey.config.ts') }
    expect(() => resolveEntry({ cwd, env: {}, config: missing })).toThrow(
      /SERVEY_ERR_CLI_ENTRY_FILE_MISSING|nope\.ts/,
    )
  })

  it('takes --entry over SERVEY_ENTRY over discovery', async () => {
    await touch('src/actions.ts')
    await touch('a.ts')
    await touch('b.ts')
    expect(resolveEntry({ cwd, env: { SERVEY_ENTRY: 'b.ts' } })).toEqual({
      path: join(cwd, 'b.ts'),
      from: 'SERVEY_ENTRY',
    })
    expect(resolveEntry({ cwd, env: { SERVEY_ENTRY: 'b.ts' }, flag: 'a.ts' })).toEqual({
      path: join(cwd, 'a.ts'),
      from: '--entry',
    })
  })

  it('throws coded errors for a missing module', () => {
    const notFound = (() => {
      try {
        return resolveEntry({ cwd, env: {} })
      } catch (error) {
        return error
      }
    })()
    expect(isDefinitionError(notFound) && notFound.code).toBe('SERVEY_ERR_CLI_ENTRY_NOT_FOUND')
    expect(() => resolveEntry({ cwd, env: { SERVEY_ENTRY: 'gone.ts' } })).toThrow(
      `The actions module ${join(cwd, 'gone.ts')} (from SERVEY_ENTRY) does not exist`,
    )
  })

  it('does not take a directory for a module', async () => {
    await mkdir(join(cwd, 'actions.ts'))
    expect(() => resolveEntry({ cwd, env: {}, flag: 'actions.ts' })).toThrow(/does not exist/)
  })
})
