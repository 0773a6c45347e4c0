import type { TriggerChoice } from '../triggers.ts'
import { TOOL_VERSIONS } from '../versions.ts'

/** Where the @servey packages come from: the registry at a version, or local tarballs. */
export type PackageSource =
  | { readonly kind: 'registry'; readonly version: string }
  | {
      readonly kind: 'tarballs'
      /** Absolute tarball path of every @servey package available, by package name. */
      readonly tarballs: ReadonlyMap<string, string>
    }

export interface PackageFileOptions {
  readonly name: string
  readonly triggers: readonly TriggerChoice[]
  readonly source: PackageSource
}

/** The @servey packages the generated code imports, besides @servey/core and the CLI. */
function serveyPackages(triggers: readonly TriggerChoice[]): { deps: string[]; dev: string[] } {
  const overHttp = triggers.includes('web') || triggers.includes('job')
  return {
    deps: [
      '@servey/cli',
      '@servey/core',
      ...(triggers.includes('schedule') ? ['@servey/scheduler'] : []),
    ],
    dev: ['@servey/testing', ...(overHttp ? ['@servey/graphql', '@servey/rest'] : [])],
  }
}

function specOf(name: string, source: PackageSource): string {
  if (source.kind === 'registry') return `^${source.version}`
  const tarball = source.tarballs.get(name)
  if (tarball === undefined) throw new Error(`no tarball for ${name}`)
  return `file:${tarball}`
}

function sorted(entries: Iterable<[string, string]>): Record<string, string> {
  return Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b)))
}

/** What @servey/cli itself depends on among the framework's packages. */
export const CLI_PACKAGES = [
  '@servey/aws',
  '@servey/cache',
  '@servey/channels',
  '@servey/core',
  '@servey/graphql',
  '@servey/http',
  '@servey/rest',
  '@servey/scheduler',
  'create-servey',
]

/** package.json of the new app. */
export function packageFile(options: PackageFileOptions): string {
  const { deps, dev } = serveyPackages(options.triggers)
  const spec = (name: string): [string, string] => [name, specOf(name, options.source)]
  const manifest: Record<string, unknown> = {
    name: options.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      dev: 'servey dev',
      start: 'servey start',
      test: 'vitest run',
      typecheck: 'tsc --noEmit',
    },
    dependencies: sorted(deps.map(spec)),
    devDependencies: sorted([...dev.map(spec), ...Object.entries(TOOL_VERSIONS)]),
  }
  if (options.source.kind === 'tarballs') {
    // The framework's packages depend on each other by version; these make npm take every one
    // of them, direct or not, from the tarballs instead of the registry ("$name" reuses the
    // direct dependency's spec, as npm requires).
    const direct = new Set([...deps, ...dev])
    manifest['overrides'] = sorted(
      [...options.source.tarballs].map(([name, path]) => [
        name,
        direct.has(name) ? `$${name}` : `file:${path}`,
      ]),
    )
  }
  return `${JSON.stringify(manifest, null, 2)}\n`
}

/**
 * The packages the app needs from `source`: tarballs must hold each of them, including the ones
 * the CLI depends on without the app naming them.
 */
export function requiredPackages(triggers: readonly TriggerChoice[]): string[] {
  const { deps, dev } = serveyPackages(triggers)
  return [...new Set([...deps, ...dev, ...CLI_PACKAGES])].sort()
}
