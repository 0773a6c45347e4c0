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

  it('reads license and contact as OpenAPI wants them', async () => {
    const cases: [Record<string, unknown>, unknown][] = [
      [
        { license: 'MIT', author: 'Ada Lovelace <ada@example.org> (https://ada.example.org)' },
        {
          license: { name: 'MIT', identifier: 'MIT' },
          contact: {
            name: 'Ada Lovelace',
            email: 'ada@example.org',
            url: 'https://ada.example.org',
          },
        },
      ],
      [
        {
          license: 'UNLICENSED',
          author: { name: 'Shop team' },
          bugs: { url: 'https://bugs.test' },
        },
        {
          license: { name: 'UNLICENSED' },
          contact: { name: 'Shop team', url: 'https://bugs.test' },
        },
      ],
      [{ homepage: 'https://shop.test', author: '' }, { contact: { url: 'https://shop.test' } }],
      [{ license: 3, author: 4 }, {}],
    ]
    for (const [pkg, expected] of cases) {
      const dir = await mkdtemp(join(root, 'case-'))
      await writeFile(join(dir, 'package.json'), JSON.stringify(pkg))
      expect(appInfoFrom(dir)).toEqual(expected)
    }
  })

  it('falls back to no defaults for an unreadable package.json', () => {
    expect(appInfoFrom(join(root, 'broken'))).toEqual({})
  })
})
