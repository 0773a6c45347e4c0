import { describe, expect, it } from 'vitest'
import { isPlainJavaScript } from './typescript-loader.ts'

describe('isPlainJavaScript', () => {
  it('is true for what Node loads without a TypeScript loader', () => {
    for (const file of ['/app/dist/actions.js', '/app/actions.mjs', '/app/a.cjs', '/A/X.JS']) {
      expect(isPlainJavaScript(file), file).toBe(true)
    }
  })

  it('is false for TypeScript and JSX, which go through tsx', () => {
    for (const file of [
      '/app/src/actions.ts',
      '/app/a.mts',
      '/app/a.cts',
      '/app/a.tsx',
      '/a.jsx',
    ]) {
      expect(isPlainJavaScript(file), file).toBe(false)
    }
  })
})
