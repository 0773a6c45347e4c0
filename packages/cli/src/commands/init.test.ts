import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runServey } from '../test-support/servey-process.ts'

describe('servey init', () => {
  let cwd: string
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'servey-init-'))
  })
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true })
  })

  it('scaffolds an app as create-servey does, asking nothing without a terminal', async () => {
    const result = await runServey(['init', 'my-app', '--triggers', 'web,page'], { cwd })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Created my-app in ${join(cwd, 'my-app')}`)
    const manifest = JSON.parse(readFileSync(join(cwd, 'my-app/package.json'), 'utf8'))
    expect(manifest.scripts.dev).toBe('servey dev')
    expect(existsSync(join(cwd, 'my-app/templates/hello_page.njk'))).toBe(true)
  })

  it("passes --help and mistakes through, under servey init's name", async () => {
    const help = await runServey(['init', '--help'], { cwd })
    expect(help.stdout).toMatch(/^Usage: servey init \[dir\] \[options\]/)
    const refused = await runServey(['init', 'my-app'], { cwd })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^SERVEY_ERR_CREATE_DIR_NOT_EMPTY: /)
  })
})
