import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { isActionError } from '@servey/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readEvent } from './read-event.ts'

function pipe(text: string): Readable {
  return Readable.from([Buffer.from(text)])
}

function terminal(): Readable & { isTTY: boolean } {
  return Object.assign(Readable.from([]), { isTTY: true })
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  if (!isActionError(error)) throw new Error('expected an ActionError')
  return { code: error.code, message: error.message }
}

describe('readEvent', () => {
  let cwd: string
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'servey-event-'))
    await writeFile(join(cwd, 'event.json'), '{"name":"File"}')
    await writeFile(join(cwd, 'broken.json'), '{"name":')
  })
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true })
  })

  it('parses --event JSON, and reads @file relative to cwd', async () => {
    expect(await readEvent({ flag: '{"a":[1,2]}', stdin: terminal(), cwd })).toEqual({ a: [1, 2] })
    expect(await readEvent({ flag: '@event.json', stdin: terminal(), cwd })).toEqual({
      name: 'File',
    })
  })

  it('reads stdin when nothing is given and stdin is piped; `-` reads it explicitly', async () => {
    expect(await readEvent({ stdin: pipe('{"from":"pipe"}'), cwd })).toEqual({ from: 'pipe' })
    expect(await readEvent({ flag: '-', stdin: pipe('[1]'), cwd })).toEqual([1])
  })

  it('defaults to {} at a terminal or on empty stdin', async () => {
    expect(await readEvent({ stdin: terminal(), cwd })).toEqual({})
    expect(await readEvent({ stdin: pipe('  \n'), cwd })).toEqual({})
  })

  it('names where malformed JSON came from', async () => {
    expect(await failure(readEvent({ flag: '{', stdin: terminal(), cwd }))).toMatchObject({
      code: 'MALFORMED_JSON',
      message: expect.stringMatching(
        /^The event given with --event is not valid JSON: /,
      ) as unknown,
    })
    expect(
      (await failure(readEvent({ flag: '@broken.json', stdin: terminal(), cwd }))).message,
    ).toContain(`The event in ${join(cwd, 'broken.json')} is not valid JSON`)
    expect((await failure(readEvent({ stdin: pipe('nope'), cwd }))).message).toMatch(
      /^The event read from stdin/,
    )
  })

  it('reports an unreadable event file as a bad request', async () => {
    expect(await failure(readEvent({ flag: '@missing.json', stdin: terminal(), cwd }))).toEqual({
      code: 'BAD_REQUEST',
      message: `Cannot read the event file ${join(cwd, 'missing.json')} (ENOENT)`,
    })
  })
})
