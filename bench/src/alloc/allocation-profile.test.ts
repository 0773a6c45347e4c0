import { describe, expect, it } from 'vitest'
import {
  extraSites,
  shortUrl,
  summarizeAllocations,
  type SamplingHeapNode,
} from './allocation-profile.ts'

const node = (
  functionName: string,
  url: string,
  selfSize: number,
  children: SamplingHeapNode[] = [],
): SamplingHeapNode => ({ callFrame: { functionName, url, lineNumber: 9 }, selfSize, children })

describe('summarizeAllocations', () => {
  it('sums self sizes per site across the tree, largest first', () => {
    const head = node('(root)', '', 0, [
      node('handler', 'file:///w/packages/rest/dist/routes.js', 100, [
        node('write', 'file:///w/node_modules/.pnpm/pino@9/node_modules/pino/lib/proto.js', 300),
      ]),
      node('write', 'file:///w/node_modules/.pnpm/pino@9/node_modules/pino/lib/proto.js', 200),
      node('', 'node:internal/streams', 50),
    ])
    expect(summarizeAllocations({ head })).toEqual({
      totalBytes: 650,
      sites: [
        { site: 'write pino/lib/proto.js:10', bytes: 500 },
        { site: 'handler packages/rest/dist/routes.js:10', bytes: 100 },
        { site: '(anonymous) node:internal/streams:10', bytes: 50 },
      ],
    })
  })
})

describe('extraSites', () => {
  it('keeps what a side allocates beyond the baseline at the same site, and its own sites', () => {
    const side = {
      totalBytes: 0,
      sites: [
        { site: 'a', bytes: 500 },
        { site: 'b', bytes: 100 },
        { site: 'c', bytes: 80 },
      ],
    }
    const baseline = {
      totalBytes: 0,
      sites: [
        { site: 'a', bytes: 450 },
        { site: 'b', bytes: 120 },
      ],
    }
    expect(extraSites(side, baseline)).toEqual([
      { site: 'c', bytes: 80 },
      { site: 'a', bytes: 50 },
    ])
  })
})

describe('shortUrl', () => {
  it('names a dependency by its package path and a workspace file by its package folder', () => {
    expect(shortUrl('file:///x/node_modules/.pnpm/a@1/node_modules/@f/b/index.js')).toBe(
      '@f/b/index.js',
    )
    expect(shortUrl('file:///work/main/packages/core/dist/x.js')).toBe('packages/core/dist/x.js')
    expect(shortUrl('node:internal/x')).toBe('node:internal/x')
  })
})
