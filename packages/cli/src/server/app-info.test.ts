import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appInfoFrom } from './app-info.ts'

describe('appInfoFrom', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'servey-info-'))
    await writeFile(
      join(root, 'package.json'),
      JSON.stringify({ name: 'shop', version: '2.1.0', description: 7 }),
    )
    await mkdir(join(root, 'src', 'deep'), { recursive: true })
    await mkdir(join(root, 'broken'))
    await writeFile(join(root, 'broken', 'package.json'), '{')
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('reads the nearest package.json above cwd, keeping only string fields', () => {
    expect(appInfoFrom(join(root, 'src', 'deep'))).toEqual({ title: 'shop', version: '2.1.0' })
  })

  it('falls back to no defaults for an unreadable package.json', () => {
    expect(appInfoFrom(join(root, 'broken'))).toEqual({})
  })
})
