import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isIgnoredPath, watchSources } from './watch-sources.ts'

const file = { isFile: () => true } as Stats
const directory = { isFile: () => false } as Stats

describe('isIgnoredPath', () => {
  const root = '/srv/dist/app'
  const none = new Set<string>()

  it('watches sources, not logs or generated documents', () => {
    expect(isIgnoredPath(root, `${root}/src/actions.ts`, file, none)).toBe(false)
    expect(isIgnoredPath(root, `${root}/tsconfig.json`, file, none)).toBe(false)
    expect(isIgnoredPath(root, `${root}/server.log`, file, none)).toBe(true)
    expect(isIgnoredPath(root, `${root}/README.md`, file, none)).toBe(true)
  })

  it('skips dependency and build folders below the root only', () => {
    expect(isIgnoredPath(root, `${root}/node_modules/x/index.js`, file, none)).toBe(true)
    expect(isIgnoredPath(root, `${root}/dist`, directory, none)).toBe(true)
    expect(isIgnoredPath(root, `${root}/.git`, undefined, none)).toBe(true)
    // The root itself sits in a folder named dist: that must not hide the whole app.
    expect(isIgnoredPath(root, `${root}/src`, directory, none)).toBe(false)
  })

  it('skips explicitly ignored files', () => {
    expect(isIgnoredPath(root, `${root}/out.json`, file, new Set([`${root}/out.json`]))).toBe(true)
  })
})

describe('watchSources', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'servey-watch-'))
    await mkdir(join(root, 'src'))
    await writeFile(join(root, 'src', 'a.ts'), 'export {}\n')
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('reports a burst of source changes once, and ignores other files', async () => {
    const bursts: string[][] = []
    const watcher = await watchSources(root, {
      debounceMs: 150,
      onChange: (paths) => bursts.push([...paths].sort()),
    })
    try {
      await watcher.ready
      await writeFile(join(root, 'app.log'), 'ignored\n')
      await writeFile(join(root, 'src', 'a.ts'), 'export const a = 1\n')
      await writeFile(join(root, 'src', 'b.ts'), 'export const b = 2\n')
      const deadline = Date.now() + 5000
      while (bursts.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50))
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(bursts).toEqual([[join(root, 'src', 'a.ts'), join(root, 'src', 'b.ts')]])
    } finally {
      await watcher.close()
    }
  })

  it('also watches the files named in `also`, outside the root', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'servey-watch-outside-'))
    const config = join(outside, 'servey.config.ts')
    await writeFile(config, 'export default {}\n')
    const bursts: string[][] = []
    const watcher = await watchSources(join(root, 'src'), {
      debounceMs: 50,
      also: [config],
      onChange: (paths) => bursts.push([...paths]),
    })
    try {
      await watcher.ready
      await writeFile(config, 'export default { entry: "./a.ts" }\n')
      const deadline = Date.now() + 5000
      while (bursts.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50))
      expect(bursts).toEqual([[config]])
    } finally {
      await watcher.close()
      await rm(outside, { recursive: true, force: true })
    }
  })
})
