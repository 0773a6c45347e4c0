import { readFileSync } from 'node:fs'

/**
 * The tools a new app is written against: the versions this repository itself builds and tests
 * with (a test keeps them equal to the root package.json's).
 */
export const TOOL_VERSIONS = {
  typescript: '~5.9.3',
  vitest: '^4.1.12',
  '@types/node': '^20.19.0',
} as const

/** Every @servey package is released at one version: this package's own. */
export function frameworkVersion(): string {
  // src/ and dist/ sit at the same depth, so this names the package's manifest from either.
  const manifest = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as {
    version: string
  }
  return manifest.version
}
