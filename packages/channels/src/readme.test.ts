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

  it('prints what its comments say', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    await import('./readme-example.fixture.ts')
    expect(log.mock.calls[0]?.[0]).toEqual([
      { type: 'subscribed', channel: 'messenger', connection: expect.any(String) },
      { channel: 'messenger', id: expect.stringMatching(/^\d+-\d+$/), event: 'hi' },
    ])
  })
})
