import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { http, server } from './readme-example.fixture.ts'

describe('README example', () => {
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  it('is the fixture, verbatim', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const fixture = readFileSync(new URL('./readme-example.fixture.ts', import.meta.url), 'utf8')
    const code = fixture.split('\n').slice(1).join('\n').trim()
    expect(readme).toContain(code)
  })

  it('answers a plain request, with no server at all', async () => {
    const response = await http.handle({
      method: 'GET',
      path: '/actions/say-hello',
      query: 'name=World',
      headers: {},
      requestId: 'req-1',
    })
    expect(response).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '"Hello World!"',
    })
  })

  it('serves the same answers over node:http', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const ok = await fetch(`http://127.0.0.1:${port}/actions/say-hello?name=World`)
    expect([ok.status, await ok.json()]).toEqual([200, 'Hello World!'])
    const wrong = await fetch(`http://127.0.0.1:${port}/actions/say-hello`, { method: 'POST' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET, HEAD')
    expect(await wrong.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' })
  })
})
