/**
 * The packaging convention of docs/packaging.md, checked on every publishable package's sources
 * (no build needed). packed.test.ts checks the tarballs themselves.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { publishablePackages, REPO_ROOT } from './workspace.ts'

const SOURCE_CONDITION = '@servey/source'
const packages = publishablePackages()

function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'))
}

it('finds the publishable packages', () => {
  expect(packages.map((pkg) => pkg.name)).toContain('@servey/core')
})

describe.each(packages.map((pkg) => [pkg.name, pkg] as const))('%s', (_name, pkg) => {
  const { manifest, dir } = pkg

  it('is an ES module package for Node 20.19+, public on npm', () => {
    expect(manifest.type).toBe('module')
    expect(manifest['engines']).toEqual({ node: '>=20.19' })
    expect(manifest['publishConfig']).toEqual({ access: 'public' })
    expect(manifest['license']).toBe('MIT')
    expect(existsSync(join(dir, 'README.md'))).toBe(true)
  })

  it('exports each entry as its source (workspace), its types and its built JS', () => {
    expect(manifest.exports).toBeDefined()
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (subpath === './package.json') continue
      const source = (target as Record<string, string>)[SOURCE_CONDITION]
      expect(source, `${subpath} has a "${SOURCE_CONDITION}" condition`).toMatch(
        /^\.\/src\/.+\.ts$/,
      )
      const stem = source!.slice('./src/'.length, -'.ts'.length)
      // The source condition comes first: conditions are matched in object order.
      expect(target, subpath).toStrictEqual({
        [SOURCE_CONDITION]: source,
        types: `./dist/${stem}.d.ts`,
        default: `./dist/${stem}.js`,
      })
      expect(existsSync(join(dir, source!)), `${source} exists`).toBe(true)
    }
  })

  it('publishes dist (and its bins) only, with plain-JS bins', () => {
    const bins = Object.values(manifest.bin ?? {})
    // A bin lives in bin/ (published whole), or is one bin.js at the root (create-servey's).
    const binFiles = bins.map((bin) => (bin.startsWith('./bin/') ? 'bin' : bin.slice(2)))
    expect(manifest.files).toEqual([...new Set(binFiles)].concat('dist').sort())
    for (const bin of bins) {
      expect(bin).toMatch(/^\.\/(?:bin\/[\w.-]+|bin)\.js$/)
      expect(readFileSync(join(dir, bin), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/)
    }
  })

  it('builds src/ to dist/ with declarations, resolving other packages to their built types', () => {
    const build = readJson(join(dir, 'tsconfig.build.json'))
    expect(build.extends).toBe('../../tsconfig.base.json')
    expect(build.compilerOptions).toMatchObject({
      rootDir: 'src',
      outDir: 'dist',
      declaration: true,
      customConditions: [],
    })
    const script = String((manifest['scripts'] as Record<string, unknown> | undefined)?.['build'])
    const bundled = /^tsc -p tsconfig\.build\.json && servey-bundle((?: [\w.@/-]+)+)$/.exec(script)
    if (bundled === null) {
      expect(script).toBe('tsc -p tsconfig.build.json')
      return
    }
    // A package whose start-up matters inlines named dependencies (tools/bundle): tsc writes
    // the declarations, servey-bundle the JavaScript.
    expect(build.compilerOptions.emitDeclarationOnly).toBe(true)
    expect(manifest.devDependencies?.['@servey/bundle']).toBe('workspace:*')
    for (const name of bundled[1]!.trim().split(' ')) {
      expect(manifest.dependencies, `${name} is inlined, so a dependency`).toHaveProperty([name])
    }
  })

  it('tests against the sources of the packages it imports', () => {
    const config = readFileSync(join(dir, 'vitest.config.ts'), 'utf8')
    expect(config).toContain(`ssr: { resolve: { conditions: ['${SOURCE_CONDITION}'] } }`)
  })

  it('depends on other @servey packages through the workspace', () => {
    const groups = ['dependencies', 'devDependencies', 'peerDependencies'] as const
    for (const group of groups) {
      for (const [name, range] of Object.entries(manifest[group] ?? {})) {
        if (name.startsWith('@servey/')) expect(range, `${group}.${name}`).toBe('workspace:*')
      }
    }
  })
})

it('type-checks the workspace against sources (customConditions in tsconfig.base.json)', () => {
  const base = readJson(join(REPO_ROOT, 'tsconfig.base.json'))
  expect(base.compilerOptions.customConditions).toEqual([SOURCE_CONDITION])
})

it('releases every package at one version (create-servey gives an app that range for all)', () => {
  const versions = new Set(packages.map((pkg) => pkg.manifest.version))
  expect([...versions]).toHaveLength(1)
})
