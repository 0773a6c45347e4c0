import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'

// The README example is this fixture, verbatim; running it here keeps the README honest.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const example = readFileSync(new URL('./readme-example.fixture.ts', import.meta.url), 'utf8')

describe('README example', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('is the fixture file, verbatim', () => {
    expect(readme).toContain('```ts\n' + example + '```')
  })

  // Importing the example loads graphql-yoga and compiles a schema: about 4 s on a busy
  // 2-core machine, so vitest's 5 s default is too tight for it.
  it('prints what its comments say', { timeout: 60_000 }, async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    await import('./readme-example.fixture.ts')
    const printed = log.mock.calls.map(([value]: unknown[]) => value)
    expect(printed.slice(0, 3)).toEqual([
      { data: { sayHello: 'Hello World!' } },
      { data: { numberStats: { value: 5, factorial: 120 } } },
      { data: { addNote: true } },
    ])
    expect(printed[3]).toMatchInlineSnapshot(`
      "type NumberStats {
        value: Int!
        factorial: Float
      }

      type Query {
        numberStats(value: Int!): NumberStats!
        sayHello(name: String!): String!
      }

      type Mutation {
        addNote(noteText: String!): Boolean!
      }
      "
    `)
  })
})
