import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture, runServey } from '../test-support/servey-process.ts'
import { serverUrlOf } from './openapi.ts'

type Json = Record<string, unknown>

/** The parts of an OpenAPI 3.1 document every consumer relies on. */
function expectOpenApiDocument(document: Json): void {
  expect(document['openapi']).toMatch(/^3\.1\.\d+$/)
  const paths = document['paths'] as Record<string, Record<string, Json>>
  const operationIds: unknown[] = []
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      expect(operation['responses']).toHaveProperty('200')
      operationIds.push(operation['operationId'])
    }
  }
  expect(new Set(operationIds).size).toBe(operationIds.length)
}

describe('servey openapi', () => {
  let out: string
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'servey-openapi-'))
  })
  afterAll(async () => {
    await rm(out, { recursive: true, force: true })
  })

  it('writes the document to --output, titled from the app package.json', async () => {
    const file = join(out, 'openapi.json')
    const result = await runServey(['openapi', '--output', file], { cwd: fixture('hello') })
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(`Wrote ${file}\n`)
    const document = JSON.parse(await readFile(file, 'utf8')) as Json
    expectOpenApiDocument(document)
    expect(document['info']).toEqual({
      title: 'hello-fixture',
      version: '1.2.3',
      description: "The smallest app, for the CLI's tests",
    })
    const paths = document['paths'] as Record<string, Json>
    expect(Object.keys(paths).sort()).toEqual([
      '/actions/add',
      '/actions/fail',
      '/actions/say-hello',
    ])
    expect(paths['/actions/say-hello']).toHaveProperty('get')
  })

  it('writes to stdout with --output -, with info from the flags', async () => {
    const result = await runServey(
      ['openapi', '--output', '-', '--title', 'Greeter', '--api-version', '2.0.0'],
      { cwd: fixture('hello') },
    )
    expect(result.code).toBe(0)
    const document = JSON.parse(result.stdout) as Json
    expectOpenApiDocument(document)
    expect(document['info']).toMatchObject({ title: 'Greeter', version: '2.0.0' })
  })

  it('names the servers given with --server, else the relative /', async () => {
    const plain = await runServey(['openapi', '-o', '-'], { cwd: fixture('hello') })
    expect((JSON.parse(plain.stdout) as Json)['servers']).toEqual([
      { url: '/', description: 'The server that serves this document' },
    ])
    const result = await runServey(
      ['openapi', '-o', '-', '--server', 'https://API.example.org/v1/', '--server', '/api'],
      { cwd: fixture('hello') },
    )
    expect(result.code).toBe(0)
    expect((JSON.parse(result.stdout) as Json)['servers']).toEqual([
      { url: 'https://api.example.org/v1' },
      { url: '/api' },
    ])
  })

  it('refuses a --server that is not an http(s) URL or a path, exit 1', async () => {
    for (const bad of ['api.example.org', 'ftp://a.test', 'https://a.test/?x=1', '//a.test']) {
      expect(() => serverUrlOf(bad)).toThrow(
        expect.objectContaining({ code: 'SERVEY_ERR_CLI_SERVER_URL_INVALID' }),
      )
    }
    expect(serverUrlOf('http://127.0.0.1:8000/')).toBe('http://127.0.0.1:8000')
    expect(serverUrlOf('/')).toBe('/')
    const result = await runServey(['openapi', '-o', '-', '--server', 'api.example.org'], {
      cwd: fixture('hello'),
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      "SERVEY_ERR_CLI_SERVER_URL_INVALID: Invalid --server 'api.example.org': use an absolute http(s) URL (https://api.example.org) or a path (/api)\n",
    )
  })

  it('reports an output path it cannot write as a coded error, exit 1', async () => {
    const file = join(out, 'missing-dir', 'openapi.json')
    const result = await runServey(['openapi', '-o', file], { cwd: fixture('hello') })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`SERVEY_ERR_CLI_OUTPUT_FAILED: Cannot write ${file} (ENOENT)\n`)
  })
})
