import { readFileSync } from 'node:fs'
import { isDefinitionError } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { cliErrors } from './errors.ts'

const reference = readFileSync(new URL('../../../docs/reference/cli.md', import.meta.url), 'utf8')

/** The `Code` column of the table under `## Error codes` in docs/reference/cli.md. */
function documentedCodes(): string[] {
  const section = reference.split(/^## Error codes$/m)[1]?.split(/^## /m)[0] ?? ''
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => /^\| `([A-Z_]+)`/.exec(line)?.[1] ?? '')
}

describe('cliErrors', () => {
  it('is keyed by code, and every factory makes a definition error with that code', () => {
    for (const [key, factory] of Object.entries(cliErrors)) {
      expect(factory.code).toBe(key)
      const error = (factory as (...args: string[]) => Error)('a', 'b')
      expect(isDefinitionError(error) && error.code).toBe(key)
    }
  })

  it('matches the table in docs/reference/cli.md, both ways', () => {
    expect(documentedCodes().sort()).toEqual(Object.keys(cliErrors).sort())
  })
})
