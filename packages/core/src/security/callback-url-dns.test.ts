import { beforeEach, describe, expect, it, vi } from 'vitest'

// The real resolver path, with node:dns answering as it does: an array of every address only
// when asked for all of them, else the first address alone.
const lookup = vi.fn()
vi.mock('node:dns/promises', () => ({ lookup }))
const { resolveCallbackHost } = await import('./callback-url.ts')

describe('resolveCallbackHost with the system resolver', () => {
  beforeEach(() => {
    lookup.mockReset()
    lookup.mockImplementation((_host: string, options: { all?: boolean }) =>
      Promise.resolve(
        options.all === true
          ? [
              { address: '8.8.8.8', family: 4 },
              { address: '10.0.0.1', family: 4 },
            ]
          : { address: '8.8.8.8', family: 4 },
      ),
    )
  })

  it('asks for every address and checks each, so one private address among public ones is refused', async () => {
    await expect(resolveCallbackHost('mixed.example')).rejects.toThrow(
      'mixed.example resolves to 10.0.0.1, which is not a public address',
    )
    expect(lookup).toHaveBeenCalledWith('mixed.example', { all: true, verbatim: true })
  })

  it('returns every checked address for delivery to connect to', async () => {
    lookup.mockResolvedValue([
      { address: '8.8.8.8', family: 4 },
      { address: '2001:4860:4860::8888', family: 6 },
    ])
    await expect(resolveCallbackHost('public.example')).resolves.toEqual([
      '8.8.8.8',
      '2001:4860:4860::8888',
    ])
  })
})
