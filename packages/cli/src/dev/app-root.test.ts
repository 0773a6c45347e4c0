import { describe, expect, it } from 'vitest'
import { appRootOf } from './app-root.ts'

describe('appRootOf', () => {
  it('is the working directory when the entry is inside it', () => {
    expect(appRootOf('/work/app/src/actions.ts', '/work/app')).toBe('/work/app')
  })

  it("is the entry's directory when the entry is elsewhere", () => {
    expect(appRootOf('/other/app/actions.ts', '/work/app')).toBe('/other/app')
    expect(appRootOf('/work/application/actions.ts', '/work/app')).toBe('/work/application')
  })
})
