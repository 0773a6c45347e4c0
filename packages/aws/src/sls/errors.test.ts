import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { slsErrors } from './errors.ts'

// The @servey/aws section of the errors reference and this catalogue must agree both ways.
const doc = readFileSync(new URL('../../../../docs/reference/errors.md', import.meta.url), 'utf8')
const section = doc.split(/^### @servey\/aws$/m)[1]?.split(/^#{1,3} /m)[0] ?? ''
const documented = [...section.matchAll(/^\| `(SERVEY_ERR_[A-Z_]+)` \|/gm)].map((match) => match[1])

describe('slsErrors', () => {
  it('names each entry by its code', () => {
    for (const [key, factory] of Object.entries(slsErrors)) expect(factory.code).toBe(key)
  })

  it('is documented in docs/reference/errors.md, and only it', () => {
    expect(documented.sort()).toEqual(Object.keys(slsErrors).sort())
  })
})
