import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  fixture,
  runServey,
  startServey,
  type ServeyProcess,
} from '../test-support/servey-process.ts'

const HELLO_SDL = `type Query {
  """Greet a user!"""
  sayHello(name: String!): String!
}

type Mutation {
  """Add two numbers"""
  add(a: Float!, b: Float!): Float!

  """Always throws"""
  fail: JSON
}

"""Any JSON value; the action schema describes and validates it."""
scalar JSON @specifiedBy(url: "https://www.rfc-editor.org/rfc/rfc8259")
`

describe('servey graphql-schema', () => {
  let out: string
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'servey-graphql-schema-'))
  })
  afterAll(async () => {
    await rm(out, { recursive: true, force: true })
  })

  it('writes the SDL to --output', async () => {
    const file = join(out, 'schema.graphql')
    const result = await runServey(['graphql-schema', '--output', file], { cwd: fixture('hello') })
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(`Wrote ${file}\n`)
    expect(await readFile(file, 'utf8')).toBe(HELLO_SDL)
  })

  it('writes to stdout with --output -', async () => {
    const result = await runServey(['graphql-schema', '-o', '-'], { cwd: fixture('hello') })
    expect(result).toMatchObject({ code: 0, stdout: HELLO_SDL, stderr: '' })
  })

  it('reports a file it cannot write as a coded error', async () => {
    const file = join(out, 'missing', 'schema.graphql')
    const result = await runServey(['graphql-schema', '--output', file], { cwd: fixture('hello') })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`SERVEY_ERR_CLI_OUTPUT_FAILED: Cannot write ${file} (ENOENT)\n`)
  })
})

describe('GraphQL on the servers', () => {
  let servey: ServeyProcess | undefined

  afterAll(async () => {
    await servey?.stop('SIGKILL')
  })

  it('serves /graphql from servey start, with introspection off in production', async () => {
    servey = startServey(['start', '--port', '0'], { cwd: fixture('hello') })
    const origin = (await servey.waitFor(/"api":"(http:\/\/[^"]+)"/))[1] ?? ''
    expect(servey.stdout()).toContain(`"graphql":"${origin}/graphql"`)
    const post = (query: string) =>
      fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      })
    expect(await (await post('{ sayHello(name: "World") }')).json()).toEqual({
      data: { sayHello: 'Hello World!' },
    })
    const introspection = (await (await post('{ __schema { queryType { name } } }')).json()) as {
      data?: unknown
      errors?: Array<{ message: string }>
    }
    expect(introspection.data).toBeUndefined()
    expect(introspection.errors?.[0]?.message).toContain('introspection has been disabled')
  }, 20_000)
})
