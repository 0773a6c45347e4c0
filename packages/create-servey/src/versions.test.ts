import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { frameworkVersion, TOOL_VERSIONS } from './versions.ts'

const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'))
const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

describe('versions', () => {
  it('gives new apps the tools this repository builds and tests with', () => {
    for (const [name, range] of Object.entries(TOOL_VERSIONS)) {
      expect(root.devDependencies[name], name).toBe(range)
    }
  })

  it('reads the framework version from its own manifest', () => {
    expect(frameworkVersion()).toBe(own.version)
  })
})

describe('CLI_PACKAGES', () => {
  it("are @servey/cli's dependencies among the framework's packages", async () => {
    const { CLI_PACKAGES } = await import('./files/package-file.ts')
    const cli = JSON.parse(readFileSync(new URL('../../cli/package.json', import.meta.url), 'utf8'))
    const framework = Object.keys(cli.dependencies).filter(
      (name) => name.startsWith('@servey/') || name === 'create-servey',
    )
    expect([...CLI_PACKAGES].sort()).toEqual(framework.sort())
  })
})
