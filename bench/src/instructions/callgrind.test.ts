import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { codeNames, dumpTotal, parseSelfCosts, readDump } from './callgrind.ts'

// The head and tail of a real callgrind 3.19 dump (`callgrind_control --dump`), cut short.
const dump = (total: number) =>
  [
    '# callgrind format',
    'version: 1',
    'creator: callgrind-3.19.0',
    'pid: 8596',
    'cmd:  node node_modules/@servey/cli/dist/main.js start',
    'part: 7',
    'thread: 1',
    'desc: Trigger: dump part 7',
    'events: Ir',
    `summary: ${total}`,
    'fn=(1) 0x000000000d256800',
    '0 42',
    '',
    `totals: ${total}`,
    '',
  ].join('\n')

describe('dumpTotal', () => {
  it('reads the totals line, which callgrind writes last', () => {
    expect(dumpTotal(dump(637_388_944))).toBe(637_388_944)
  })

  it('is undefined while the file is still being written', () => {
    expect(dumpTotal(dump(5).split('totals:')[0] as string)).toBeUndefined()
  })
})

describe('readDump', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it('adds up every thread of one part, and keeps thread 1 apart as the event loop', () => {
    dir = mkdtempSync(join(tmpdir(), 'callgrind-test-'))
    const out = join(dir, 'servey.callgrind')
    writeFileSync(`${out}.2-01`, dump(600))
    writeFileSync(`${out}.2-02`, dump(30))
    writeFileSync(`${out}.2-05`, dump(7))
    // Another part and another side's files must not count.
    writeFileSync(`${out}.1-01`, dump(1_000_000))
    writeFileSync(join(dir, 'raw.callgrind.2-01'), dump(1_000_000))
    expect(readDump(out, 2)).toEqual({ main: 600, all: 637, mainFile: `${out}.2-01` })
  })

  it('waits (undefined) for a part not written, or with a thread file not complete', () => {
    dir = mkdtempSync(join(tmpdir(), 'callgrind-test-'))
    const out = join(dir, 'raw.callgrind')
    expect(readDump(out, 1)).toBeUndefined()
    writeFileSync(`${out}.1-01`, dump(600))
    writeFileSync(`${out}.1-02`, 'version: 1\nsummary: 5\n')
    expect(readDump(out, 1)).toBeUndefined()
  })
})

describe('codeNames', () => {
  const map = [
    '2a5c1000 80 Builtin:ArgumentsAdaptorTrampoline',
    '2a5c2000 200 JS:*handler file:///app/dist/http-routes.js:35:26',
    '2a5c3000 100 JS:~parseQuery file:///app/dist/query.js:1:1',
    // Freed code reused: the later entry names the address.
    '2a5c3000 100 JS:*queryParamsOf file:///app/dist/query.js:203:30',
    'not a map line',
  ].join('\n')
  const nameOf = codeNames(map)

  it('names an address inside a function, without the tier marker', () => {
    expect(nameOf(0x2a5c2010)).toBe('handler file:///app/dist/http-routes.js:35:26')
  })

  it('names reused code by its latest function', () => {
    expect(nameOf(0x2a5c3050)).toBe('queryParamsOf file:///app/dist/query.js:203:30')
  })

  it('names nothing past the end of a function or before the first', () => {
    expect(nameOf(0x2a5c2200)).toBeUndefined()
    expect(nameOf(0x1000)).toBeUndefined()
  })
})

describe('parseSelfCosts', () => {
  it('names compiled code from the map, keeps native symbols, and drops the frames below the event loop', () => {
    const annotated = [
      '--------------------------------------------------------------------------------',
      '637,388,944 (100.0%)  PROGRAM TOTALS',
      '--------------------------------------------------------------------------------',
      'Ir                      file:function',
      '--------------------------------------------------------------------------------',
      '17,461,228 ( 2.74%)  ???:Builtins_KeyedLoadIC_Megamorphic [/usr/bin/node]',
      '637,388,944 (100.0%)  ???:node::Start(int, char**) [/usr/bin/node]',
      ' 2,164,000 ( 0.34%)  ???:0x000000002a5c2040 [???]',
      ' 1,000,000 ( 0.16%)  ???:0x000000002a5c2100 [???]',
      '   500,000 ( 0.08%)  ???:0x0000000000000010 [???]',
    ].join('\n')
    const costs = parseSelfCosts(annotated, (address) =>
      address >= 0x2a5c2000 && address < 0x2a5c2200 ? 'handler' : undefined,
    )
    expect(Object.fromEntries(costs)).toEqual({
      '???:Builtins_KeyedLoadIC_Megamorphic [/usr/bin/node]': 17_461_228,
      handler: 3_164_000,
      'unnamed code': 500_000,
    })
  })
})
