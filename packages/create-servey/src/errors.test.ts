import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CREATE_SERVEY_ERROR_CODES } from './errors.ts'

// The create-servey section of the errors reference and this package's codes agree both ways.
const doc = readFileSync(new URL('../../../docs/reference/errors.md', import.meta.url), 'utf8')
const section = doc.split(/^### create-servey$/m)[1]?.split(/^#{1,3} /m)[0] ?? ''
const documented = [...section.matchAll(/^\| `(SERVEY_ERR_[A-Z_]+)` \|/gm)].map((match) => match[1])

describe('create-servey error codes', () => {
  it('are documented in docs/reference/errors.md, and only they', () => {
    expect(documented.sort()).toEqual([...CREATE_SERVEY_ERROR_CODES].sort())
  })
})
