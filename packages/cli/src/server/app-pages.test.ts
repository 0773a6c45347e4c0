import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { appPagesFrom } from './app-pages.ts'

describe('appPagesFrom', () => {
  const root = mkdtempSync(join(tmpdir(), 'servey-pages-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('finds templates/ and public/ in the app directory, and nothing when absent', () => {
    expect(appPagesFrom(root)).toBeUndefined()
    mkdirSync(join(root, 'templates'))
    expect(appPagesFrom(root)).toEqual({ templates: join(root, 'templates') })
    mkdirSync(join(root, 'public'))
    expect(appPagesFrom(root)).toEqual({
      templates: join(root, 'templates'),
      public: join(root, 'public'),
    })
  })
})
