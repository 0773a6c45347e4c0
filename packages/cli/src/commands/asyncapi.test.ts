import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runServey } from '../test-support/servey-process.ts'
import { asyncApiServerOf } from './asyncapi.ts'

type Json = Record<string, any>

const showcase = fileURLToPath(new URL('../../../../examples/showcase', import.meta.url))

describe('servey asyncapi', () => {
  let out: string
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'servey-asyncapi-'))
  })
  afterAll(async () => {
    await rm(out, { recursive: true, force: true })
  })

  it('writes the document of the channels to --output, titled from the app package.json', async () => {
    const file = join(out, 'asyncapi.json')
    const result = await runServey(
      ['asyncapi', '--output', file, '--server', 'wss://api.example.org/v1'],
      {
        cwd: showcase,
      },
    )
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(`Wrote ${file}\n`)
    const document = JSON.parse(await readFile(file, 'utf8')) as Json
    expect(document['asyncapi']).toBe('3.0.0')
    expect(document['info']).toMatchObject({
      title: '@servey/example-showcase',
      version: '0.0.0',
      license: { name: 'MIT' },
    })
    expect(Object.keys(document['channels'])).toEqual(
      expect.arrayContaining(['alerts', 'messenger', 'orders', 'signups', 'channels.multiplexed']),
    )
    expect(document['servers']['ws']).toEqual({
      host: 'api.example.org',
      pathname: '/v1',
      protocol: 'wss',
      title: 'Websocket',
    })
  }, 60_000)

  it('prints to stdout with --output -', async () => {
    const result = await runServey(['asyncapi', '--output', '-', '--title', 'Chat'], {
      cwd: showcase,
    })
    expect(result.code).toBe(0)
    const document = JSON.parse(result.stdout) as Json
    expect(document['info']['title']).toBe('Chat')
    expect(document['servers']).toBeUndefined()
  }, 60_000)

  it('refuses a --server that is not an absolute ws(s) or http(s) URL, exit 1', async () => {
    const result = await runServey(['asyncapi', '--output', '-', '--server', '/api'], {
      cwd: showcase,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('SERVEY_ERR_CLI_ASYNCAPI_SERVER_INVALID')
    expect(result.stdout).toBe('')
  }, 60_000)

  it('reads a server URL into host, security and path', () => {
    expect(asyncApiServerOf('ws://127.0.0.1:8000')).toEqual({
      host: '127.0.0.1:8000',
      secure: false,
    })
    expect(asyncApiServerOf('https://a.test/x/')).toEqual({
      host: 'a.test',
      secure: true,
      pathname: '/x',
    })
    for (const bad of ['/api', 'ftp://a.test', 'wss://u:p@a.test', 'wss://a.test/?q=1', 'nope']) {
      expect(() => asyncApiServerOf(bad)).toThrow(
        /SERVEY_ERR_CLI_ASYNCAPI_SERVER_INVALID|Invalid --server/,
      )
    }
  })
})
